/**
 * Differential testing: the same commands go to shardis and to redis-server,
 * and the raw replies must be equal byte for byte (after an optional
 * normalisation for replies whose order Redis does not define, like KEYS).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { arrayElements } from '../../src/resp/reply-scan.js';
import { RawClient } from './raw-client.js';
import { startRedis, startShardis, type RunningServer } from './server.js';

export type Command = string[];

/** Normalisers for replies with an unspecified order or timing. */
export const normalize = {
  /** Sorts the elements of an array reply. */
  sortedArray(reply: Buffer): string {
    if (reply[0] !== 42 /* '*' */) return reply.toString('latin1');
    const parts = arrayElements(reply).map(([s, e]) => reply.subarray(s, e).toString('latin1'));
    return `*${parts.length}:${parts.sort().join('|')}`;
  },
  /** Integer replies within ±tolerance count as equal (TTL, PTTL). */
  roughInt(tolerance: number) {
    return (reply: Buffer): string => {
      const s = reply.toString('latin1');
      if (!s.startsWith(':')) return s;
      const n = Number(s.slice(1, -2));
      return n < 0 ? s : `:~${Math.round(n / Math.max(1, tolerance))}`;
    };
  },
};

/** TTL and PTTL replies as -2, -1 or "positive": the two servers set their clocks apart. */
export function ttlSign(cmd: Command, reply: Buffer): string {
  const s = reply.toString('latin1');
  const name = cmd[0].toLowerCase();
  if ((name === 'ttl' || name === 'pttl') && s.startsWith(':') && !s.startsWith(':-')) return ':positive';
  return s;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class DiffPair {
  shardis!: RunningServer;
  redis!: RunningServer;
  ours!: RawClient;
  theirs!: RawClient;

  private constructor() {}

  static async start(shards: number, shardisArgs: string[] = [], redisArgs: string[] = []): Promise<DiffPair> {
    const pair = new DiffPair();
    await pair.open(shards, shardisArgs, redisArgs);
    return pair;
  }

  /** A pair for a whole describe block: started before its tests (beforeAll), stopped after them (afterAll). */
  static forSuite(shards: number, shardisArgs: string[] = [], redisArgs: string[] = []): DiffPair {
    const pair = new DiffPair();
    beforeAll(() => pair.open(shards, shardisArgs, redisArgs));
    afterAll(() => pair.stop());
    return pair;
  }

  private async open(shards: number, shardisArgs: string[], redisArgs: string[]): Promise<void> {
    [this.shardis, this.redis] = await Promise.all([startShardis({ shards, args: shardisArgs }), startRedis(redisArgs)]);
    [this.ours, this.theirs] = await Promise.all([RawClient.connect(this.shardis.port), RawClient.connect(this.redis.port)]);
  }

  /** Sends one command to both; returns both raw replies as latin1 strings. */
  async both(cmd: Command): Promise<{ ours: string; theirs: string }> {
    const [a, b] = await Promise.all([this.ours.call(...cmd), this.theirs.call(...cmd)]);
    return { ours: a.toString('latin1'), theirs: b.toString('latin1') };
  }

  /**
   * Sends each command to both servers and returns the first mismatch as a
   * readable string (null when all replies agree).
   */
  async mismatch(cmds: Command[], norm?: (cmd: Command, reply: Buffer) => string): Promise<string | null> {
    const [a, b] = await Promise.all([this.ours.pipeline(cmds), this.theirs.pipeline(cmds)]);
    for (let i = 0; i < cmds.length; i++) {
      const x = norm ? norm(cmds[i], a[i]) : a[i].toString('latin1');
      const y = norm ? norm(cmds[i], b[i]) : b[i].toString('latin1');
      if (x !== y) {
        return `command #${i} ${JSON.stringify(cmds[i])}\n  shardis: ${JSON.stringify(a[i].toString('latin1'))}\n  redis:   ${JSON.stringify(b[i].toString('latin1'))}`;
      }
    }
    return null;
  }

  /** One command to both: redis-server must reply `expected` (so the test cannot pass vacuously), and shardis the same. */
  async expectReply(cmd: Command, expected: string): Promise<void> {
    const { ours, theirs } = await this.both(cmd);
    expect(theirs).toBe(expected);
    expect(ours).toBe(theirs);
  }

  async flush(): Promise<void> {
    await Promise.all([this.ours.call('FLUSHALL'), this.theirs.call('FLUSHALL')]);
  }

  /** Closes and stops what was started (a start that failed half-way leaves some of it unset). */
  async stop(): Promise<void> {
    this.ours?.close();
    this.theirs?.close();
    await Promise.all([this.shardis?.stop(), this.redis?.stop()]);
  }
}
