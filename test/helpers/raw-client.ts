/**
 * A RESP client that keeps replies as raw bytes, for byte-for-byte
 * comparisons with redis-server and for protocol edge cases.
 */
import net from 'node:net';

/** Encodes a command as a RESP multibulk. */
export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Length of the first complete RESP value in buf, or -1 when incomplete. */
export function completeValueLength(buf: Buffer): number {
  return skipComplete(buf, 0);
}

/**
 * Position after the value at p, or -1 when buf ends inside it (at any
 * nesting level: a read can end in the middle of a large aggregate).
 */
function skipComplete(buf: Buffer, p: number): number {
  if (p >= buf.length) return -1;
  const cr = buf.indexOf(13, p);
  if (cr < 0 || cr + 1 >= buf.length) return -1;
  const after = cr + 2;
  const type = buf[p];
  const n = Number(buf.latin1Slice(p + 1, cr));
  switch (type) {
    case 36: /* $ */
    case 61: /* = */
    case 33: /* ! */
      if (n < 0) return after;
      return after + n + 2 <= buf.length ? after + n + 2 : -1;
    case 42: /* * */
    case 126: /* ~ */
    case 62: /* > */
    case 37: /* % */ {
      let q = after;
      const count = type === 37 ? 2 * n : n;
      for (let i = 0; i < count; i++) {
        q = skipComplete(buf, q);
        if (q < 0) return -1;
      }
      return q;
    }
    default: /* + - : _ , # ( */
      return after;
  }
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: { count: number; resolve: (r: Buffer[]) => void; reject: (e: Error) => void }[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.deliver();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters) w.reject(new Error(`connection closed; unparsed: ${JSON.stringify(this.buf.toString('latin1'))}`));
      this.waiters = [];
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private takeOne(): Buffer | null {
    if (this.buf.length === 0) return null;
    const n = completeValueLength(this.buf);
    if (n < 0) return null;
    const v = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return Buffer.from(v);
  }

  private deliver(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0];
      const got: Buffer[] = [];
      // Only take replies when the whole batch this waiter wants is there.
      const saved = this.buf;
      for (let i = 0; i < w.count; i++) {
        const v = this.takeOne();
        if (v === null) break;
        got.push(v);
      }
      if (got.length < w.count) {
        this.buf = saved;
        return;
      }
      this.waiters.shift();
      w.resolve(got);
    }
  }

  /** Reads the next `count` replies, raw. */
  read(count = 1, timeoutMs = 10_000): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} replies; have ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.deliver();
    });
  }

  writeRaw(data: Buffer | string): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Sends one command and returns its raw reply. */
  async call(...args: (string | Buffer)[]): Promise<Buffer> {
    this.writeRaw(encodeCommand(args));
    return (await this.read(1))[0];
  }

  /** Sends commands as one pipeline and returns their raw replies. */
  async pipeline(commands: (string | Buffer)[][]): Promise<Buffer[]> {
    this.writeRaw(Buffer.concat(commands.map(encodeCommand)));
    return this.read(commands.length);
  }

  /** Resolves when the server closes the connection. */
  waitClosed(timeoutMs = 5_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connection still open')), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
