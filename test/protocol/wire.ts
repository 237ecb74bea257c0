/**
 * Raw-socket helpers for protocol tests: send exact bytes, collect every byte
 * the server sends back until it closes the connection (or goes quiet), so
 * shardis and redis-server can be compared on the wire, close included.
 */
import net from 'node:net';

export interface Exchange {
  /** Everything received, as latin1. */
  received: string;
  /** True when the server closed the connection (FIN or RST) before the quiet period ended. */
  closed: boolean;
}

/**
 * Connects, writes each part (with `gapMs` between parts), and collects what
 * comes back until the server closes, or until nothing arrived for `quietMs`
 * after the last write.
 */
export function exchange(
  port: number,
  parts: (Buffer | string)[],
  opts: { quietMs?: number; gapMs?: number; timeoutMs?: number; halfClose?: boolean } = {},
): Promise<Exchange> {
  const quietMs = opts.quietMs ?? 300;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    let quiet: NodeJS.Timeout | null = null;
    const socket = net.connect(port, '127.0.0.1');
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      if (quiet) clearTimeout(quiet);
      clearTimeout(overall);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const overall = setTimeout(() => finish(false), opts.timeoutMs ?? 20_000);
    let writing = true;
    const armQuiet = () => {
      if (writing) return;
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(() => finish(false), quietMs);
    };
    socket.on('data', (d) => {
      chunks.push(d);
      armQuiet();
    });
    socket.on('end', () => finish(true));
    if (opts.halfClose) socket.allowHalfOpen = true;
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (let i = 0; i < parts.length; i++) {
        if (done) return;
        const p = parts[i];
        socket.write(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
        if (opts.gapMs && i < parts.length - 1) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
      writing = false;
      // halfClose: shut down our sending side (FIN) and keep reading, like `nc -N` or a finished stdin.
      if (opts.halfClose) socket.end();
      armQuiet();
    });
  });
}

/** Encodes a command as a RESP multibulk. */
export function mb(...args: (string | Buffer)[]): Buffer {
  const out: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const v = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    out.push(Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n'));
  }
  return Buffer.concat(out);
}

/** Resident set size of a process in bytes (Linux /proc), or null when unavailable. */
export async function rssOf(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Shortens a long received string for assertion messages. */
export function shorten(s: string, max = 400): string {
  return s.length <= max ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, max / 2))} ...(${s.length} bytes)... ${JSON.stringify(s.slice(-max / 2))}`;
}
