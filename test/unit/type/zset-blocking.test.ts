/**
 * BZPOPMIN, BZPOPMAX, BZMPOP with real connections, the same scenario run
 * against shardis and redis-server and the raw replies compared: wake-up by
 * ZADD, FIFO among blocked clients, timeouts, RESP2 and RESP3 shapes, keys
 * that already hold members, and a real client library (ioredis).
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `scenario` against a server; returns the replies it collected, as latin1 strings. */
type Scenario = (connect: () => Promise<RawClient>) => Promise<string[]>;

describe.skipIf(!requireRedisServer())('blocking sorted-set pops, shardis vs redis-server', () => {
  let shardis: RunningServer;
  let redis: RunningServer;
  const open: RawClient[] = [];

  beforeAll(async () => {
    [shardis, redis] = await Promise.all([startShardis({ shards: 4 }), startRedis()]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([shardis?.stop(), redis?.stop()]);
  });
  beforeEach(async () => {
    for (const port of [shardis.port, redis.port]) {
      const c = await RawClient.connect(port);
      await c.call('FLUSHALL');
      c.close();
    }
  });

  async function compare(scenario: Scenario): Promise<string[]> {
    const run = (port: number) =>
      scenario(async () => {
        const c = await RawClient.connect(port);
        open.push(c);
        return c;
      });
    const [ours, theirs] = await Promise.all([run(shardis.port), run(redis.port)]);
    expect(ours).toEqual(theirs);
    return theirs;
  }

  const str = (b: Buffer) => b.toString('latin1');

  it('a ZADD wakes the blocked clients in the order they blocked (FIFO)', async () => {
    const replies = await compare(async (connect) => {
      const [a, b, c, w] = await Promise.all([connect(), connect(), connect(), connect()]);
      const pa = a.call('BZPOPMIN', '{q}1', '{q}2', '5');
      await sleep(50);
      const pb = b.call('BZPOPMAX', '{q}2', '5');
      await sleep(50);
      const pc = c.call('BZMPOP', '5', '2', '{q}1', '{q}2', 'MIN', 'COUNT', '2');
      await sleep(50);
      const added = await w.call('ZADD', '{q}2', '1', 'x', '2', 'y', '3', 'z', '4', 't');
      const out = [str(added), str(await pa), str(await pb), str(await pc)];
      out.push(str(await w.call('ZRANGE', '{q}2', '0', '-1', 'WITHSCORES')));
      return out;
    });
    expect(replies[1]).toBe('*3\r\n$4\r\n{q}2\r\n$1\r\nx\r\n$1\r\n1\r\n');
  });

  it('times out with a null array (RESP2 and RESP3); BZMPOP too', async () => {
    const replies = await compare(async (connect) => {
      const c = await connect();
      const out = [str(await c.call('BZPOPMIN', 'none', '0.05')), str(await c.call('BZMPOP', '0.05', '1', 'none', 'MAX'))];
      await c.call('HELLO', '3');
      out.push(str(await c.call('BZPOPMAX', 'none', '0.05')), str(await c.call('BZMPOP', '0.05', '1', 'none', 'MIN')));
      return out;
    });
    expect(replies).toEqual(['*-1\r\n', '*-1\r\n', '_\r\n', '_\r\n']);
  });

  it('answers at once when a key has members, with RESP3 doubles; WRONGTYPE stops the scan of keys', async () => {
    await compare(async (connect) => {
      const c = await connect();
      await c.call('ZADD', '{k}b', '1.5', 'm', '2', 'n', '3', 'o');
      await c.call('SET', '{k}s', 'v');
      const out = [
        str(await c.call('BZPOPMIN', '{k}a', '{k}b', '0')),
        str(await c.call('BZMPOP', '0', '2', '{k}a', '{k}b', 'MAX', 'COUNT', '1')),
        str(await c.call('BZPOPMIN', '{k}a', '{k}s', '{k}b', '0')),
      ];
      await c.call('HELLO', '3');
      out.push(str(await c.call('BZPOPMIN', '{k}b', '0')), str(await c.call('EXISTS', '{k}b')));
      out.push(str(await c.call('ZADD', '{k}c', '0.1', 'p')), str(await c.call('BZMPOP', '0', '1', '{k}c', 'MIN')));
      return out;
    });
  });

  it('inside MULTI an empty key answers at once, as a timeout would', async () => {
    const replies = await compare(async (connect) => {
      const c = await connect();
      const out = [str(await c.call('MULTI')), str(await c.call('BZPOPMIN', '{m}a', '0')), str(await c.call('BZMPOP', '0', '1', '{m}a', 'MIN'))];
      out.push(str(await c.call('ZADD', '{m}b', '1', 'x')), str(await c.call('BZPOPMAX', '{m}a', '{m}b', '0')), str(await c.call('EXEC')));
      return out;
    });
    expect(replies[5]).toBe('*4\r\n*-1\r\n*-1\r\n:1\r\n*3\r\n$4\r\n{m}b\r\n$1\r\nx\r\n$1\r\n1\r\n');
  });

  it('a blocked client wakes on a key created by a store command', async () => {
    await compare(async (connect) => {
      const [a, w] = await Promise.all([connect(), connect()]);
      await w.call('ZADD', '{s}src', '7', 'seven');
      const pa = a.call('BZPOPMAX', '{s}dst', '5');
      await sleep(50);
      const stored = await w.call('ZUNIONSTORE', '{s}dst', '1', '{s}src', 'WEIGHTS', '2');
      return [str(stored), str(await pa)];
    });
  });

  it('ioredis sees BZPOPMIN and ZMPOP replies as it does from redis-server', async () => {
    const clients = [new Redis(shardis.port, '127.0.0.1'), new Redis(redis.port, '127.0.0.1')];
    const results = [];
    for (const r of clients) {
      await r.zadd('io', 1, 'one', 2, 'two');
      const waiter = new Redis(r.options.port!, '127.0.0.1');
      const pending = waiter.bzpopmin('io-empty', 2);
      await sleep(50);
      await r.zadd('io-empty', 5, 'five');
      results.push([await pending, await r.bzpopmax('io', 1), await r.call('ZMPOP', '1', 'io', 'MIN')]);
      waiter.disconnect();
      r.disconnect();
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[1][0]).toEqual(['io-empty', 'five', '5']);
  });
});
