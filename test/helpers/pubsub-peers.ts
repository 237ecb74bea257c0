/**
 * Pub/sub scenarios run the same way against shardis and redis-server: named
 * raw clients send commands step by step; after each step every client is
 * synchronised with a PING carrying a unique token, so each step yields, per
 * client, exactly the raw values (replies and pushed messages) it received
 * during that step. The two servers' step outputs are then compared.
 */
import net from 'node:net';
import { completeValueLength, encodeCommand } from './raw-client.js';

export class Peer {
  private buf = Buffer.alloc(0);
  private readonly values: Buffer[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const n = completeValueLength(this.buf);
        if (n < 0) break;
        this.values.push(Buffer.from(this.buf.subarray(0, n)));
        this.buf = this.buf.subarray(n);
      }
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Peer(s)));
      s.once('error', reject);
    });
  }

  send(args: string[]): void {
    this.socket.write(encodeCommand(args));
  }

  /** Waits until `count` values are there (or the connection closed), and takes them. */
  async take(count: number, timeoutMs = 5000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.values.length < count && !this.closed) {
      if (Date.now() > deadline) throw new Error(`timed out: ${this.values.length}/${count} values`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
      this.wake = null;
    }
    return this.values.splice(0, count);
  }

  /** Sends PING <token> and returns every value received before its reply (the reply itself dropped). */
  async sync(token: string, timeoutMs = 5000): Promise<Buffer[]> {
    if (this.closed) return this.values.splice(0);
    this.send(['PING', token]);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.values.findIndex((v) => v.includes(token));
      if (at >= 0) {
        const out = this.values.splice(0, at + 1);
        out.pop();
        return out;
      }
      if (this.closed) return this.values.splice(0);
      if (Date.now() > deadline) throw new Error(`sync timed out; have ${JSON.stringify(this.values.map((v) => v.toString('latin1')))}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
      this.wake = null;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One step: a client sends commands (pipelined), then everyone syncs. */
export interface Step {
  client: string;
  cmds: string[][];
  /** Compare this step's values as a multiset (Redis' order is a hash table's here). */
  unordered?: boolean;
  /** Wait this long after sending, before syncing (expiry). */
  sleepMs?: number;
}

/** Runs the steps on one server; returns, per step, each client's values as text. */
export async function runScenario(port: number, clients: string[], steps: Step[], opts: { skipSync?: string[] } = {}): Promise<string[][]> {
  const peers = new Map<string, Peer>();
  for (const name of clients) peers.set(name, await Peer.connect(port));
  const out: string[][] = [];
  let token = 0;
  try {
    for (const step of steps) {
      const peer = peers.get(step.client)!;
      for (const cmd of step.cmds) peer.send(cmd);
      if (step.sleepMs) await new Promise((r) => setTimeout(r, step.sleepMs));
      const lines: string[] = new Array(clients.length);
      // The sending client first: once its PING is answered, everything it sent has run.
      const order = [step.client, ...clients.filter((c) => c !== step.client)];
      // A blocked client cannot answer PING until it is served: it is synced only in the steps it does not send.
      for (const name of order.filter((n) => !(opts.skipSync ?? []).includes(n) || n !== step.client)) {
        let got = (await peers.get(name)!.sync(`sync-${token++}`)).map((b) => b.toString('latin1'));
        if (step.unordered) {
          // Confirmations count down as channels go: compare the names as a set and the counts in order.
          const counts = got.map((v) => /:(\d+)\r\n$/.exec(v)?.[1] ?? '-');
          got = [...got.map((v) => sortBulkArray(v.replace(/:\d+\r\n$/, ''))).sort(), `counts ${counts.join(',')}`];
        }
        lines[clients.indexOf(name)] = `${name}: ${JSON.stringify(got)}`;
      }
      out.push(lines);
    }
  } finally {
    // RESET first, so the next scenario starts with no subscriptions left behind.
    for (const p of peers.values()) {
      if (!p.closed) p.send(['RESET']);
    }
    for (const p of peers.values()) if (!p.closed) await p.take(1).catch(() => []);
    for (const p of peers.values()) p.close();
  }
  return out;
}

/** An array reply of bulk strings with its elements sorted (PUBSUB CHANNELS lists a hash table); anything else unchanged. */
function sortBulkArray(v: string): string {
  const head = /^\*(\d+)\r\n/.exec(v);
  if (head === null) return v;
  const items: string[] = [];
  let p = head[0].length;
  for (let i = 0; i < Number(head[1]); i++) {
    const m = /^\$(\d+)\r\n/.exec(v.slice(p));
    if (m === null) return v;
    const end = p + m[0].length + Number(m[1]) + 2;
    items.push(v.slice(p, end));
    p = end;
  }
  return p === v.length ? head[0] + items.sort().join('') : v;
}
