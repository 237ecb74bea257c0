/**
 * Comparing hash replies between shardis and redis-server where Redis leaves
 * the order or the content undefined. The rule: a listpack replies in
 * insertion order, which must be byte-identical; a hashtable's order is its
 * own, so its elements (or field-value pairs) are sorted; random picks are
 * compared by shape only (hash-random.test.ts checks what they contain).
 *
 * To know the encoding at the time of a reply, every order-sensitive command
 * in a sequence is followed by OBJECT ENCODING and HLEN of its key
 * (withEncodingProbes), and the comparison reads redis-server's replies to
 * those two.
 */
import net from 'node:net';
import { skipValue } from '../../../src/resp/reply-scan.js';
import { encodeCommand } from '../../helpers/raw-client.js';
import type { Command, DiffPair } from '../../helpers/differential.js';

const ORDERED = new Set(['hgetall', 'hkeys', 'hvals', 'hscan', 'hrandfield']);

/** Adds OBJECT ENCODING key and HLEN key after every command whose reply order depends on the encoding. */
export function withEncodingProbes(cmds: Command[]): Command[] {
  const out: Command[] = [];
  for (const cmd of cmds) {
    out.push(cmd);
    if (ORDERED.has(cmd[0].toLowerCase()) && cmd.length >= 2) out.push(['OBJECT', 'ENCODING', cmd[1]], ['HLEN', cmd[1]]);
  }
  return out;
}

/** A reply split into its header line and its top-level elements (null for a non-aggregate). */
function split(reply: string): { header: string; elements: string[] } | null {
  const t = reply[0];
  if (t !== '*' && t !== '%' && t !== '~') return null;
  const buf = Buffer.from(reply, 'latin1');
  const headerEnd = buf.indexOf(13) + 2;
  const n = Number(reply.slice(1, headerEnd - 2));
  const count = t === '%' ? 2 * n : n;
  const elements: string[] = [];
  let p = headerEnd;
  for (let i = 0; i < count; i++) {
    const q = skipValue(buf, p);
    elements.push(reply.slice(p, q));
    p = q;
  }
  return { header: reply.slice(0, headerEnd), elements };
}

/** The elements sorted in groups of `size` (2 for flat field-value pairs). */
function sortedGroups(reply: string, size: number): string {
  const s = split(reply);
  if (s === null) return reply;
  const groups: string[] = [];
  for (let i = 0; i < s.elements.length; i += size) groups.push(s.elements.slice(i, i + size).join(''));
  return `${s.header}sorted:${groups.sort().join('|')}`;
}

/** Every bulk payload replaced by '?': the structure of a random reply. */
function shape(reply: string): string {
  if (reply[0] === '$' && reply !== '$-1\r\n') return '$?';
  const s = split(reply);
  if (s === null) return reply;
  return `${s.header}${s.elements.map(shape).join(',')}`;
}

interface Probe {
  encoding: string;
  size: number;
}

/** How to compare one reply, knowing the command, the protocol and the encoding right after it. */
function normalizer(cmd: Command, resp3: boolean, probe: Probe): (reply: string) => string {
  const name = cmd[0].toLowerCase();
  const hashtable = probe.encoding === 'hashtable';
  if (name === 'hgetall') return hashtable ? (r) => sortedGroups(r, 2) : (r) => r;
  if (name === 'hkeys' || name === 'hvals') return hashtable ? (r) => sortedGroups(r, 1) : (r) => r;
  if (name === 'hscan') {
    if (!hashtable) return (r) => r;
    // A small COUNT may return part of a hashtable, and the two cursors differ: compare the shape only.
    const countAt = cmd.findIndex((a, i) => i > 2 && a.toLowerCase() === 'count');
    const small = countAt > 0 && Number(cmd[countAt + 1]) < 100;
    return (r) => {
      if (r[0] !== '*') return r;
      if (small) return 'partial scan';
      const s = split(r)!;
      return `${s.header}${s.elements[0]}${sortedGroups(s.elements[1], 2)}`;
    };
  }
  if (name === 'hrandfield') {
    const count = cmd.length >= 3 ? Number(cmd[2]) : NaN;
    const whole = count >= probe.size && probe.size > 0;
    if (!whole) return shape;
    if (!hashtable) return (r) => r;
    const withValues = cmd.length === 4;
    return (r) => sortedGroups(r, withValues && !resp3 ? 2 : 1);
  }
  return (r) => r;
}

function probeAt(replies: Buffer[], i: number): Probe {
  const enc = replies[i]?.toString('latin1') ?? '';
  const len = replies[i + 1]?.toString('latin1') ?? '';
  return {
    encoding: enc.includes('hashtable') ? 'hashtable' : enc.includes('listpack') ? 'listpack' : 'none',
    size: len.startsWith(':') ? Number(len.slice(1, -2)) : 0,
  };
}

/**
 * Sends the commands (with probes) to both servers; returns the first
 * mismatch as readable text, or null.
 */
export async function hashMismatch(pair: DiffPair, sequence: Command[], resp3: boolean): Promise<string | null> {
  const cmds = withEncodingProbes(sequence);
  const [ours, theirs] = await Promise.all([pair.ours.pipeline(cmds), pair.theirs.pipeline(cmds)]);
  for (let i = 0; i < cmds.length; i++) {
    const name = cmds[i][0].toLowerCase();
    const norm = ORDERED.has(name) ? normalizer(cmds[i], resp3, probeAt(theirs, i + 1)) : (r: string) => r;
    const a = ours[i].toString('latin1');
    const b = theirs[i].toString('latin1');
    if (norm(a) !== norm(b)) {
      return `command #${i} ${JSON.stringify(cmds[i])}\n  shardis: ${JSON.stringify(a)}\n  redis:   ${JSON.stringify(b)}`;
    }
  }
  return null;
}

/** A decoded reply: bulk strings as strings, aggregates (arrays, maps flattened) as arrays, null as null, errors as Error. */
export type Decoded = string | null | Error | Decoded[];

/**
 * Decodes the reply that starts at p; returns it with the position after it,
 * or null when the text ends before the reply does (more bytes to come).
 */
function decodeAt(s: string, p: number): [Decoded, number] | null {
  const end = s.indexOf('\r\n', p);
  if (end < 0) return null;
  const type = s[p];
  const text = s.slice(p + 1, end);
  let q = end + 2;
  switch (type) {
    case '$': {
      const n = Number(text);
      if (n < 0) return [null, q];
      if (q + n + 2 > s.length) return null;
      return [s.slice(q, q + n), q + n + 2];
    }
    case '*':
    case '~':
    case '%': {
      const n = Number(text);
      if (n < 0) return [null, q];
      const out: Decoded[] = [];
      for (let i = 0; i < (type === '%' ? 2 * n : n); i++) {
        const r = decodeAt(s, q);
        if (r === null) return null;
        out.push(r[0]);
        q = r[1];
      }
      return [out, q];
    }
    case '_':
      return [null, q];
    case '-':
      return [new Error(text), q];
    default:
      return [text, q];
  }
}

/** Decodes one complete reply. */
export function decode(reply: Buffer): Decoded {
  const r = decodeAt(reply.toString('latin1'), 0);
  if (r === null) throw new Error('incomplete reply');
  return r[0];
}

/**
 * A client that splits replies only where they end, however the bytes are
 * cut into reads (large pipelined replies arrive in many pieces).
 */
export class DecodingClient {
  private text = '';
  private replies: Decoded[] = [];
  private waiter: { n: number; resolve: (r: Decoded[]) => void } | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.text += d.toString('latin1');
      let pos = 0;
      for (;;) {
        const r = decodeAt(this.text, pos);
        if (r === null) break;
        this.replies.push(r[0]);
        pos = r[1];
      }
      this.text = this.text.slice(pos);
      if (this.waiter !== null && this.replies.length >= this.waiter.n) {
        const { n, resolve } = this.waiter;
        this.waiter = null;
        resolve(this.replies.splice(0, n));
      }
    });
  }

  static connect(port: number): Promise<DecodingClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new DecodingClient(s)));
      s.once('error', reject);
    });
  }

  pipeline(cmds: string[][]): Promise<Decoded[]> {
    return new Promise((resolve) => {
      this.waiter = { n: cmds.length, resolve };
      this.socket.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
    });
  }

  async call(...args: string[]): Promise<Decoded> {
    return (await this.pipeline([args]))[0];
  }

  close(): void {
    this.socket.destroy();
  }
}
