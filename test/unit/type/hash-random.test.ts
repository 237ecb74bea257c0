/**
 * HRANDFIELD's random picks, checked on redis-server and on shardis alike
 * (so every rule asserted here is one Redis keeps): which fields come back,
 * how many, distinct or not, with their own values, in which reply shape,
 * and that each field is picked about equally often. Covers all four cases
 * of hrandfieldWithCountCommand on both encodings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair } from '../../helpers/differential.js';
import { requireRedisServer } from '../../helpers/server.js';
import { DecodingClient, type Decoded } from './hash-compare.js';

/** Field i holds value "v<i>", so a pair can be checked on its own. */
function fieldsCommand(key: string, n: number): string[] {
  const cmd = ['HSET', key];
  for (let i = 0; i < n; i++) cmd.push(`f${i}`, `v${i}`);
  return cmd;
}

const SMALL = 10;
const LARGE = 600;

describe.skipIf(!requireRedisServer())('HRANDFIELD: the same rules on shardis and redis-server', () => {
  let pair: DiffPair;
  let servers: [string, DecodingClient][];
  beforeAll(async () => {
    pair = await DiffPair.start(4);
    // Not pair.ours/theirs: these replies are large and pipelined, and must be split where they end.
    servers = [['shardis', await DecodingClient.connect(pair.shardis.port)], ['redis', await DecodingClient.connect(pair.redis.port)]];
    await pair.both(fieldsCommand('lp', SMALL));
    await pair.both(fieldsCommand('ht', LARGE));
    await pair.both(['CONFIG', 'SET', 'hash-max-listpack-entries', '0']);
    await pair.both(fieldsCommand('ht10', SMALL));
    await pair.both(['CONFIG', 'SET', 'hash-max-listpack-entries', '512']);
    for (const [key, enc] of [['lp', 'listpack'], ['ht', 'hashtable'], ['ht10', 'hashtable']]) {
      await pair.expectReply(['OBJECT', 'ENCODING', key], `$${enc.length}\r\n${enc}\r\n`);
    }
  });
  afterAll(async () => {
    for (const [, c] of servers ?? []) c.close();
    await pair?.stop();
  });

  const call = (c: DecodingClient, ...args: string[]): Promise<Decoded> => c.call(...args);

  const sizeOf = (key: string) => (key === 'ht' ? LARGE : SMALL);

  it('without a count: one field of the hash, each about equally often', async () => {
    for (const key of ['lp', 'ht10']) {
      for (const [name, c] of servers) {
        const counts = new Map<string, number>();
        const picks = await c.pipeline(Array.from({ length: 2000 }, () => ['HRANDFIELD', key]));
        for (const r of picks) {
          const f = r as string;
          expect(f, name).toMatch(/^f\d$/);
          counts.set(f, (counts.get(f) ?? 0) + 1);
        }
        expect(counts.size, name).toBe(SMALL);
        for (const n of counts.values()) expect(n, name).toBeGreaterThan(80); // 200 expected; Redis' fair pick of a hashtable is only roughly fair
      }
    }
  });

  it('positive counts: distinct fields with their own values, count capped at the size, all four cases', async () => {
    for (const key of ['lp', 'ht10', 'ht']) {
      const size = sizeOf(key);
      // 1 (a single pick), a small sample (case 4), more than a third (case 3), the size and beyond (case 2).
      for (const count of [1, 2, Math.floor(size / 3), Math.floor(size / 3) + 1, size - 1, size, size + 5]) {
        for (const [name, c] of servers) {
          const plain = (await call(c, 'HRANDFIELD', key, String(count))) as string[];
          expect(plain.length, `${name} ${key} ${count}`).toBe(Math.min(count, size));
          expect(new Set(plain).size, name).toBe(plain.length);
          for (const f of plain) expect(Number(f.slice(1)), name).toBeLessThan(size);
          const flat = (await call(c, 'HRANDFIELD', key, String(count), 'WITHVALUES')) as string[];
          expect(flat.length, name).toBe(2 * Math.min(count, size));
          for (let i = 0; i < flat.length; i += 2) expect(flat[i + 1], name).toBe(`v${flat[i].slice(1)}`);
          expect(new Set(flat.filter((_, i) => i % 2 === 0)).size, name).toBe(flat.length / 2);
        }
      }
    }
  });

  it('negative counts: exactly |count| picks, repetitions allowed, about uniform', async () => {
    for (const key of ['lp', 'ht10']) {
      for (const [name, c] of servers) {
        const picks = (await call(c, 'HRANDFIELD', key, '-5000')) as string[];
        expect(picks.length, name).toBe(5000);
        const counts = new Map<string, number>();
        for (const f of picks) counts.set(f, (counts.get(f) ?? 0) + 1);
        expect(counts.size, name).toBe(SMALL);
        for (const n of counts.values()) expect(n, name).toBeGreaterThan(250); // 500 expected
        const flat = (await call(c, 'HRANDFIELD', key, '-30', 'WITHVALUES')) as string[];
        expect(flat.length, name).toBe(60);
        for (let i = 0; i < flat.length; i += 2) expect(flat[i + 1], name).toBe(`v${flat[i].slice(1)}`);
        // More picks than fields: some repeat.
        expect(new Set(flat.filter((_, i) => i % 2 === 0)).size, name).toBeLessThan(30);
      }
    }
  });

  it('a sample of a large hash picks every field about equally often', async () => {
    for (const [key, count] of [['lp', 3], ['lp', 6], ['ht', 50], ['ht', 300]] as [string, number][]) {
      const size = sizeOf(key);
      const rounds = key === 'lp' ? 600 : 400;
      for (const [name, c] of servers) {
        const counts = new Array<number>(size).fill(0);
        const replies = await c.pipeline(Array.from({ length: rounds }, () => ['HRANDFIELD', key, String(count)]));
        for (const r of replies) for (const f of r as string[]) counts[Number(f.slice(1))]++;
        const expected = (rounds * count) / size;
        // Redis' dictGetFairRandomKey is only roughly fair on a hashtable (some fields get a sixth of their share):
        // there every field must come up; shardis' picks are uniform, held to 40% of the expected share.
        const floor = name === 'redis' && key === 'ht' ? 0 : expected * 0.4;
        for (const n of counts) expect(n, `${name} ${key} ${count}`).toBeGreaterThan(floor);
      }
    }
  });

  it('RESP3: WITHVALUES nests each pair in an array of 2, for positive and negative counts', async () => {
    for (const [name, c] of servers) {
      await c.call('HELLO', '3');
      try {
        for (const args of [['lp', '4'], ['lp', '-4'], ['ht', '7'], ['ht', '-7'], ['lp', '100']]) {
          const r = (await call(c, 'HRANDFIELD', args[0], args[1], 'WITHVALUES')) as string[][];
          expect(r.length, name).toBe(Math.min(Math.abs(Number(args[1])), sizeOf(args[0])));
          for (const p of r) {
            expect(p.length, name).toBe(2);
            expect(p[1], name).toBe(`v${p[0].slice(1)}`);
          }
        }
        expect(await call(c, 'HRANDFIELD', 'lp', '0', 'WITHVALUES'), name).toEqual([]);
      } finally {
        await c.call('HELLO', '2');
      }
    }
  });
});
