/**
 * node-redis (v6: RESP3 by default, HELLO on connect, CLIENT SETINFO whose
 * errors it ignores) against shardis: strings, keys, automatic pipelining,
 * binary values, SCAN iterators, RESP2 and RESP3, with 1 and 4 shards.
 */
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARD_COUNTS, startShardis, type RunningServer } from '../helpers/server.js';

type Client = ReturnType<typeof createClient>;

const combos = SHARD_COUNTS.flatMap((shards) => [
  { shards, resp: 3 as const },
  { shards, resp: 2 as const },
]);

describe.each(combos)('node-redis against shardis with $shards shard(s), RESP$resp', ({ shards, resp }) => {
  let server: RunningServer;
  let client: Client;
  beforeAll(async () => {
    server = await startShardis({ shards });
    client = createClient({ socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false }, RESP: resp, name: `node-redis-${resp}` });
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(async () => {
    await client?.quit().catch(() => {});
    await server?.stop();
  });

  it('the handshake (HELLO / CLIENT SETNAME, CLIENT SETINFO) leaves a named connection in the right protocol', async () => {
    expect(await client.ping()).toBe('PONG');
    expect(await client.clientGetName()).toBe(`node-redis-${resp}`);
    const info = await client.clientInfo();
    expect(info.name).toBe(`node-redis-${resp}`);
    expect(info.resp).toBe(resp);
  });

  it('strings and counters', async () => {
    await client.flushAll();
    expect(await client.set('s', 'hello')).toBe('OK');
    expect(await client.get('s')).toBe('hello');
    expect(await client.get('missing')).toBeNull();
    expect(await client.set('s', 'x', { condition: 'NX' })).toBeNull();
    expect(await client.set('s', 'world', { GET: true })).toBe('hello');
    expect(await client.append('s', '!')).toBe(6);
    expect(await client.getRange('s', 0, 2)).toBe('wor');
    expect(await client.incr('n')).toBe(1);
    expect(await client.incrBy('n', 9)).toBe(10);
    expect(String(await client.incrByFloat('f', 0.5))).toBe('0.5');
    expect(await client.getDel('n')).toBe('10');
    expect(await client.getEx('s', { type: 'EX', value: 100 })).toBe('world!');
    expect(await client.ttl('s')).toBeGreaterThan(90);
    await expect(client.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
  });

  it('MSET/MGET/DEL/EXISTS across shards and automatic pipelining of 5000 commands', async () => {
    await client.flushAll();
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    expect(await client.mSet(keys.map((k) => [k, `v${k}`] as [string, string]))).toBe('OK');
    expect(await client.mGet([...keys, 'nope'])).toEqual([...keys.map((k) => `v${k}`), null]);
    expect(await client.exists(keys)).toBe(100);
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 2500; i++) ops.push(client.set(`p${i}`, String(i)), client.get(`p${i}`));
    const results = await Promise.all(ops);
    for (let i = 0; i < 2500; i++) {
      expect(results[2 * i]).toBe('OK');
      expect(results[2 * i + 1]).toBe(String(i));
    }
    expect(await client.dbSize()).toBe(2600);
    expect(await client.del(keys)).toBe(100);
  });

  it('SCAN iterator visits every key once', async () => {
    await client.flushAll();
    for (let i = 0; i < 500; i++) await client.set(`scan:${i}`, 'x');
    const seen: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: 'scan:*', COUNT: 100 })) seen.push(...batch);
    expect(new Set(seen).size).toBe(500);
    expect((await client.keys('scan:4*')).length).toBe(111);
  });

  it('binary keys and values as Buffers', async () => {
    const bin = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    const key = Buffer.from([0xff, 0, 13, 10]);
    await bin.set(key, value);
    expect((await bin.get(key)) as unknown as Buffer).toEqual(value);
    const big = Buffer.alloc(2 * 1024 * 1024, 0x5a);
    await bin.set('big', big);
    expect(((await bin.get('big')) as unknown as Buffer).equals(big)).toBe(true);
  });

  it('INFO and CLIENT LIST come back as text', async () => {
    const info = await client.info('server');
    expect(info).toContain('redis_version:7.0.15');
    const list = await client.clientList();
    expect(list.some((c) => c.name === `node-redis-${resp}`)).toBe(true);
  });
});

describe('node-redis with a password', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startShardis({ shards: 2, args: ['--requirepass', 'pw'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const resp of [2, 3] as const) {
    it(`authenticates on connect (RESP${resp}: ${resp === 3 ? 'HELLO 3 AUTH' : 'AUTH'}); a wrong password fails the connect`, async () => {
      const good = createClient({ socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false }, password: 'pw', RESP: resp });
      good.on('error', () => {});
      await good.connect();
      try {
        expect(await good.set('a', '1')).toBe('OK');
        expect(await good.get('a')).toBe('1');
      } finally {
        await good.quit();
      }
      const bad = createClient({ socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false }, password: 'wrong', RESP: resp });
      bad.on('error', () => {});
      await expect(bad.connect()).rejects.toThrow('WRONGPASS invalid username-password pair or user is disabled.');
      await bad.destroy?.();
    });
  }
});
