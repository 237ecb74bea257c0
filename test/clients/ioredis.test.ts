/**
 * ioredis against shardis: the connection handshake (INFO ready check,
 * CLIENT SETNAME, AUTH, SELECT), string and key commands, pipelines, binary
 * values, SCAN streams and concurrent connections, with 1 and 4 shards.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARD_COUNTS, startShardis, type RunningServer } from '../helpers/server.js';

describe.each(SHARD_COUNTS)('ioredis against shardis with %i shard(s)', (shards) => {
  let server: RunningServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startShardis({ shards });
    redis = new Redis({ port: server.port, host: '127.0.0.1', connectionName: 'ioredis-test', maxRetriesPerRequest: 0, retryStrategy: () => null });
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('connects through the ready check and names the connection', async () => {
    expect(redis.status).toBe('ready');
    expect(await redis.client('GETNAME')).toBe('ioredis-test');
    const list = (await redis.client('LIST')) as string;
    expect(list).toMatch(/name=ioredis-test .*cmd=client\|list/);
  });

  it('strings: SET/GET/options, counters, ranges, MSET/MGET across shards', async () => {
    await redis.flushall();
    expect(await redis.set('s', 'hello')).toBe('OK');
    expect(await redis.get('s')).toBe('hello');
    expect(await redis.set('s', 'x', 'NX')).toBeNull();
    expect(await redis.set('s', 'world', 'XX', 'GET')).toBe('hello');
    expect(await redis.append('s', '!')).toBe(6);
    expect(await redis.getrange('s', 0, 2)).toBe('wor');
    expect(await redis.setrange('s', 0, 'W')).toBe(6);
    expect(await redis.strlen('s')).toBe(6);
    expect(await redis.incr('n')).toBe(1);
    expect(await redis.incrby('n', 41)).toBe(42);
    expect(await redis.decr('n')).toBe(41);
    expect(await redis.incrbyfloat('f', '2.5')).toBe('2.5');
    const keys = Array.from({ length: 50 }, (_, i) => `k:${i}`);
    expect(await redis.mset(Object.fromEntries(keys.map((k) => [k, `v-${k}`])))).toBe('OK');
    expect(await redis.mget(...keys, 'missing')).toEqual([...keys.map((k) => `v-${k}`), null]);
    expect(await redis.exists(...keys, 'missing')).toBe(50);
    expect(await redis.del(...keys.slice(0, 10))).toBe(10);
    expect(await redis.dbsize()).toBe(43);
    await expect(redis.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
  });

  it('keys: EXPIRE/TTL/PERSIST/TYPE/RENAME/KEYS/SCAN stream', async () => {
    await redis.flushall();
    await redis.set('e', '1', 'EX', 100);
    expect(await redis.ttl('e')).toBeGreaterThan(90);
    expect(await redis.persist('e')).toBe(1);
    expect(await redis.ttl('e')).toBe(-1);
    expect(await redis.type('e')).toBe('string');
    expect(await redis.rename('e', '{e}2')).toBe('OK');
    expect(await redis.exists('e')).toBe(0);
    for (let i = 0; i < 300; i++) await redis.set(`scan:${i}`, String(i));
    expect((await redis.keys('scan:1*')).sort()).toEqual(Array.from({ length: 300 }, (_, i) => `scan:${i}`).filter((k) => k.startsWith('scan:1')).sort());
    const seen = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const stream = redis.scanStream({ match: 'scan:*', count: 50 });
      stream.on('data', (batch: string[]) => batch.forEach((k) => seen.add(k)));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    expect(seen.size).toBe(300);
  });

  it('a pipeline of 5000 commands resolves in order', async () => {
    await redis.flushall();
    const p = redis.pipeline();
    for (let i = 0; i < 2500; i++) {
      p.set(`p:${i}`, String(i));
      p.get(`p:${i}`);
    }
    const results = await p.exec();
    expect(results).toHaveLength(5000);
    for (let i = 0; i < 2500; i++) {
      expect(results![2 * i]).toEqual([null, 'OK']);
      expect(results![2 * i + 1]).toEqual([null, String(i)]);
    }
  });

  it('errors inside a pipeline stay attached to their command', async () => {
    const results = await redis.pipeline().set('pe', 'a').incr('pe').get('pe').call('NOSUCHCMD').exec();
    expect(results![0]).toEqual([null, 'OK']);
    expect(String(results![1][0])).toContain('ERR value is not an integer');
    expect(results![2]).toEqual([null, 'a']);
    expect(String(results![3][0])).toContain("ERR unknown command 'NOSUCHCMD'");
  });

  it('binary values round-trip as Buffers', async () => {
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const key = Buffer.from([0, 13, 10, 0xff]);
    await redis.set(key, value);
    expect((await redis.getBuffer(key))!.equals(value)).toBe(true);
    const big = Buffer.alloc(1024 * 1024 + 3, 0xab);
    await redis.set('bigbin', big);
    expect((await redis.getBuffer('bigbin'))!.equals(big)).toBe(true);
  });

  it('ten connections incrementing concurrently, each pipelining', async () => {
    await redis.del('counter');
    const clients = Array.from({ length: 10 }, () => new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null }));
    try {
      await Promise.all(clients.map(async (c) => {
        const ops = Array.from({ length: 200 }, () => c.incr('counter'));
        await Promise.all(ops);
      }));
      expect(await redis.get('counter')).toBe('2000');
    } finally {
      clients.forEach((c) => c.disconnect());
    }
  });

  it('db option: SELECT on connect keeps data apart', async () => {
    const db5 = new Redis({ port: server.port, host: '127.0.0.1', db: 5, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await db5.set('where', 'db5');
      await redis.set('where', 'db0');
      expect(await db5.get('where')).toBe('db5');
      expect(await redis.get('where')).toBe('db0');
    } finally {
      db5.disconnect();
    }
  });
});

describe('ioredis with a password', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startShardis({ shards: 2, args: ['--requirepass', 's3cret'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('authenticates on connect; a wrong password is reported', async () => {
    const ok = new Redis({ port: server.port, host: '127.0.0.1', password: 's3cret', maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      expect(await ok.set('a', '1')).toBe('OK');
      expect(await ok.get('a')).toBe('1');
    } finally {
      ok.disconnect();
    }
    const bad = new Redis({ port: server.port, host: '127.0.0.1', password: 'nope', maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    const errors: string[] = [];
    bad.on('error', (e: Error) => errors.push(e.message));
    try {
      await bad.connect().then(() => bad.get('a')).catch((e: Error) => errors.push(e.message));
      expect(errors.join('\n')).toMatch(/WRONGPASS invalid username-password pair or user is disabled\./);
    } finally {
      bad.disconnect();
    }
  });
});
