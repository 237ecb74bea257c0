/**
 * Real clients on hash commands: ioredis (RESP2) and node-redis (RESP3, where
 * HGETALL is a map and HRANDFIELD WITHVALUES an array of pairs) get the same
 * results from shardis as from redis-server, including a full HSCAN stream
 * over a hashtable.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../../helpers/server.js';

describe.skipIf(!requireRedisServer())('hash commands through ioredis and node-redis, shardis (4 shards) and redis-server alike', () => {
  let servers: RunningServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startShardis({ shards: 4 }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  async function withIoredis<T>(port: number, run: (r: Redis) => Promise<T>): Promise<T> {
    const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      return await run(r);
    } finally {
      r.disconnect();
    }
  }

  it('ioredis: HSET from an object, HGETALL to an object, HINCRBY*, HSCAN stream, errors', async () => {
    const results = await Promise.all(
      servers.map((s) =>
        withIoredis(s.port, async (r) => {
          await r.flushall();
          const fields = Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`field:${i}`, `value:${i}`]));
          const added = await r.hset('user:1', { name: 'Ada', born: '1815', score: '1.5' });
          const all = await r.hgetall('user:1');
          const incr = [await r.hincrby('user:1', 'born', 10), await r.hincrbyfloat('user:1', 'score', '0.25')];
          const err = await r.hincrby('user:1', 'name', 1).catch((e: Error) => e.message);
          await r.hset('big', fields);
          const scanned: Record<string, string> = {};
          for await (const chunk of r.hscanStream('big', { count: 50 })) {
            const flat = chunk as string[];
            for (let i = 0; i < flat.length; i += 2) scanned[flat[i]] = flat[i + 1];
          }
          const encodings = [await r.object('ENCODING', 'user:1'), await r.object('ENCODING', 'big')];
          const picked = await r.hrandfield('user:1', 2, 'WITHVALUES');
          return { added, all, incr, err, scannedAll: Object.keys(scanned).length === 700 && Object.entries(fields).every(([f, v]) => scanned[f] === v), encodings, pickedLength: (picked as string[]).length };
        }),
      ),
    );
    expect(results[1].scannedAll).toBe(true);
    expect(results[0]).toEqual(results[1]);
  });

  it('node-redis RESP3: HGETALL as a map, HRANDFIELD WITHVALUES as pairs, HMGET with nulls', async () => {
    const results = await Promise.all(
      servers.map(async (s) => {
        const c = createClient({ socket: { host: '127.0.0.1', port: s.port, reconnectStrategy: false }, RESP: 3 });
        c.on('error', () => {});
        await c.connect();
        try {
          await c.flushAll();
          await c.hSet('h', { a: '1', b: '2', c: '3' });
          const all = await c.hGetAll('h');
          const pairs = await c.sendCommand(['HRANDFIELD', 'h', '5', 'WITHVALUES']);
          const some = await c.hmGet('h', ['a', 'zz', 'c']);
          const len = await c.hLen('h');
          const exists = [await c.hExists('h', 'a'), await c.hExists('h', 'zz')];
          return { all: { ...all }, pairs, some, len, exists };
        } finally {
          await c.quit().catch(() => {});
        }
      }),
    );
    expect(results[1].pairs).toEqual([['a', '1'], ['b', '2'], ['c', '3']]);
    expect(results[0]).toEqual(results[1]);
  });
});
