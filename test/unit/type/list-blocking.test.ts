/**
 * Blocking list commands with several real clients: each scenario runs
 * against redis-server 7.0 and against shardis (1 and 4 shards), and the
 * transcripts (every raw reply, in the order the scenario reads them) must
 * be equal. Keys used together share a hash tag, so with 4 shards they sit
 * on one shard as the blocking path needs.
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../../helpers/server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for a command sent on one connection to be blocked before the next step. */
const SETTLE_MS = 60;
const str = (b: Buffer) => b.toString('latin1');

/** A scenario opens clients on one server and returns what it observed. */
type Scenario = (open: () => Promise<RawClient>) => Promise<string[]>;

/** Sends a command without waiting for its reply (a blocking one). */
function send(c: RawClient, ...args: string[]): Promise<string> {
  return c.call(...args).then(str);
}

/** True when no reply arrives within ms. */
async function silent(p: Promise<string>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => false), sleep(ms).then(() => true)]);
}

/** A client blocks, goes away (how: `leave`), then another blocks on the same key and must get the element. */
async function disconnectScenario(open: () => Promise<RawClient>, leave: (c: RawClient) => void): Promise<string[]> {
  const [a, b, c] = await Promise.all([open(), open(), open()]);
  void send(a, 'BLPOP', '{q}list', '0').catch(() => {});
  await sleep(SETTLE_MS);
  leave(a);
  await sleep(SETTLE_MS);
  const rb = send(b, 'BLPOP', '{q}list', '0');
  await sleep(SETTLE_MS);
  return [await send(c, 'RPUSH', '{q}list', 'v'), await rb, await send(c, 'LLEN', '{q}list')];
}

const scenarios: Record<string, Scenario> = {
  async 'clients blocked on one key are served first come, first served'(open) {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const ra = send(a, 'BLPOP', '{q}list', '0');
    await sleep(SETTLE_MS);
    const rb = send(b, 'BLPOP', '{q}list', '0');
    await sleep(SETTLE_MS);
    const push = await send(c, 'RPUSH', '{q}list', 'one', 'two', 'three');
    return [push, await ra, await rb, await send(c, 'LRANGE', '{q}list', '0', '-1')];
  },

  async 'a push to a key two clients wait on serves only the first'(open) {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const ra = send(a, 'BRPOP', '{q}list', '0');
    await sleep(SETTLE_MS);
    const rb = send(b, 'BRPOP', '{q}list', '0');
    await sleep(SETTLE_MS);
    const out = [await send(c, 'LPUSH', '{q}list', 'x'), await ra];
    out.push(String(await silent(rb, 150)));
    out.push(await send(c, 'LPUSH', '{q}list', 'y'), await rb, await send(c, 'EXISTS', '{q}list'));
    return out;
  },

  async 'a client blocked on several keys is served by the first that gets an element'(open) {
    const [a, c] = await Promise.all([open(), open()]);
    const ra = send(a, 'BLPOP', '{q}k1', '{q}k2', '{q}k3', '0');
    await sleep(SETTLE_MS);
    return [await send(c, 'RPUSH', '{q}k2', 'v'), await ra, await send(c, 'RPUSH', '{q}k3', 'w'), await send(c, 'LLEN', '{q}k3')];
  },

  async 'the elements already there are taken without blocking, from the first non-empty key'(open) {
    const c = await open();
    await send(c, 'RPUSH', '{q}k2', 'a', 'b');
    await send(c, 'RPUSH', '{q}k3', 'c');
    return [
      await send(c, 'BLPOP', '{q}k1', '{q}k2', '{q}k3', '0'),
      await send(c, 'BRPOP', '{q}k1', '{q}k2', '{q}k3', '0'),
      await send(c, 'BLMPOP', '0', '3', '{q}k1', '{q}k2', '{q}k3', 'LEFT', 'COUNT', '5'),
      await send(c, 'EXISTS', '{q}k2', '{q}k3'),
    ];
  },

  async 'a timeout with decimals answers a null array in time; 0 waits for ever'(open) {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const t0 = Date.now();
    const timedOut = await send(a, 'BLPOP', '{q}list', '0.15');
    const elapsed = Date.now() - t0;
    const forever = send(b, 'BRPOPLPUSH', '{q}list', '{q}dst', '0');
    const stillBlocked = await silent(forever, 400);
    await send(c, 'RPUSH', '{q}list', 'late');
    return [timedOut, String(elapsed >= 140 && elapsed < 1500), String(stillBlocked), await forever, await send(c, 'LRANGE', '{q}dst', '0', '-1')];
  },

  async 'every blocking command times out with a null array'(open) {
    const c = await open();
    const out: string[] = [];
    for (const cmd of [
      ['BLPOP', '{q}a', '0.01'],
      ['BRPOP', '{q}a', '{q}b', '0.01'],
      ['BLMOVE', '{q}a', '{q}b', 'LEFT', 'RIGHT', '0.01'],
      ['BRPOPLPUSH', '{q}a', '{q}b', '0.01'],
      ['BLMPOP', '0.01', '2', '{q}a', '{q}b', 'RIGHT'],
    ]) {
      out.push(await send(c, ...cmd));
    }
    return out;
  },

  async 'a blocked client whose connection is reset is forgotten'(open) {
    return disconnectScenario(open, (c) => c.socket.resetAndDestroy());
  },

  async 'a blocked client that closes its connection is forgotten'(open) {
    return disconnectScenario(open, (c) => c.close());
  },

  async 'BLMOVE into a key another client waits on wakes that client too'(open) {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const ra = send(a, 'BLMOVE', '{q}src', '{q}dst', 'LEFT', 'RIGHT', '0');
    await sleep(SETTLE_MS);
    const rb = send(b, 'BLPOP', '{q}dst', '0');
    await sleep(SETTLE_MS);
    const push = await send(c, 'RPUSH', '{q}src', 'v');
    return [push, await ra, await rb, await send(c, 'EXISTS', '{q}src', '{q}dst')];
  },

  async 'BLMOVE and BRPOPLPUSH with the same source and destination'(open) {
    const [a, c] = await Promise.all([open(), open()]);
    const ra = send(a, 'BLMOVE', '{q}ring', '{q}ring', 'RIGHT', 'LEFT', '0');
    await sleep(SETTLE_MS);
    const out = [await send(c, 'RPUSH', '{q}ring', 'a'), await ra, await send(c, 'LRANGE', '{q}ring', '0', '-1')];
    await send(c, 'RPUSH', '{q}ring', 'b', 'c');
    out.push(await send(c, 'BLMOVE', '{q}ring', '{q}ring', 'LEFT', 'RIGHT', '0'));
    out.push(await send(c, 'BRPOPLPUSH', '{q}ring', '{q}ring', '0'));
    out.push(await send(c, 'LRANGE', '{q}ring', '0', '-1'));
    return out;
  },

  async 'a woken BLMOVE whose destination is not a list gets WRONGTYPE and leaves the element'(open) {
    const [a, c] = await Promise.all([open(), open()]);
    const ra = send(a, 'BLMOVE', '{q}src', '{q}dst', 'LEFT', 'LEFT', '0');
    await sleep(SETTLE_MS);
    await send(c, 'SET', '{q}dst', 'string');
    return [await send(c, 'RPUSH', '{q}src', 'v'), await ra, await send(c, 'LRANGE', '{q}src', '0', '-1')];
  },

  async 'BLMPOP served with COUNT pops from the end asked'(open) {
    const [a, c] = await Promise.all([open(), open()]);
    const ra = send(a, 'BLMPOP', '0', '2', '{q}a', '{q}b', 'RIGHT', 'COUNT', '2');
    await sleep(SETTLE_MS);
    return [await send(c, 'RPUSH', '{q}b', 'x', 'y', 'z'), await ra, await send(c, 'LRANGE', '{q}b', '0', '-1')];
  },

  async 'RESP3 replies: arrays when served, null when timed out'(open) {
    const [a, c] = await Promise.all([open(), open()]);
    await send(a, 'HELLO', '3');
    const out = [await send(a, 'BLPOP', '{q}a', '0.01'), await send(a, 'BLMOVE', '{q}a', '{q}b', 'LEFT', 'LEFT', '0.01')];
    const r1 = send(a, 'BRPOP', '{q}a', '0');
    await sleep(SETTLE_MS);
    out.push(await send(c, 'RPUSH', '{q}a', 'x'), await r1);
    const r2 = send(a, 'BLMPOP', '0', '1', '{q}a', 'LEFT', 'COUNT', '3');
    await sleep(SETTLE_MS);
    out.push(await send(c, 'RPUSH', '{q}a', 'p', 'q'), await r2);
    return out;
  },

  async 'keys of different slots (different shards with 4): BLMOVE and BLPOP wait and are served'(open) {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const ra = send(a, 'BLMOVE', 'src', 'from', 'LEFT', 'RIGHT', '0');
    await sleep(SETTLE_MS);
    const rb = send(b, 'BLPOP', 'nothing', 'from', '0');
    await sleep(SETTLE_MS);
    const out = [await send(c, 'RPUSH', 'src', 'v'), await ra, await rb];
    out.push(await send(c, 'BLMPOP', '0.05', '2', 'src', 'from', 'LEFT'), await send(c, 'BLMOVE', 'src', 'from', 'LEFT', 'LEFT', '0.05'));
    return out;
  },

  async 'inside MULTI blocking commands answer at once: null array, null bulk for BLMOVE'(open) {
    const c = await open();
    const out: string[] = [];
    for (const cmd of [
      ['MULTI'],
      ['BLPOP', '{q}a', '0'],
      ['BLMOVE', '{q}a', '{q}b', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', '{q}a', '{q}b', '0'],
      ['BLMPOP', '0', '1', '{q}a', 'LEFT'],
      ['RPUSH', '{q}a', 'x', 'y', 'z'],
      ['BRPOP', '{q}a', '0'],
      ['BLMOVE', '{q}a', '{q}b', 'LEFT', 'LEFT', '0'],
      ['BLMPOP', '0', '1', '{q}a', 'LEFT', 'COUNT', '5'],
      ['EXEC'],
    ]) {
      out.push(await send(c, ...cmd));
    }
    return out;
  },

  async 'bad timeouts are rejected before anything else'(open) {
    const c = await open();
    await send(c, 'SET', '{q}s', 'x');
    const out: string[] = [];
    for (const cmd of [
      ['BLPOP', '{q}s', '-1'],
      ['BLPOP', '{q}s', 'abc'],
      ['BLPOP', '{q}s', '1e30'],
      ['BLPOP', '{q}s', '0'],
      ['BLMOVE', '{q}s', '{q}d', 'UP', 'LEFT', 'abc'],
      ['BLMOVE', '{q}s', '{q}d', 'LEFT', 'LEFT', 'abc'],
      ['BRPOPLPUSH', '{q}s', '{q}d', '-0.5'],
      ['BLMPOP', 'abc', '0', '{q}s', 'LEFT'],
      ['BLMPOP', 'abc', '1', '{q}s', 'LEFT'],
      ['BLMPOP', '-1', '1', '{q}s', 'LEFT', 'COUNT', '0'],
      ['BLMPOP', '0', '1', '{q}s', 'LEFT'],
    ]) {
      out.push(await send(c, ...cmd));
    }
    return out;
  },
};

/** Runs a scenario on one server; a step that waits longer than limitMs fails it. */
async function runOn(port: number, scenario: Scenario, limitMs = 10_000): Promise<string[]> {
  const clients: RawClient[] = [];
  const open = async () => {
    const c = await RawClient.connect(port);
    clients.push(c);
    return c;
  };
  try {
    const setup = await open();
    await setup.call('FLUSHALL');
    return await Promise.race([
      scenario(open),
      sleep(limitMs).then(() => {
        throw new Error(`scenario still waiting after ${limitMs} ms`);
      }),
    ]);
  } finally {
    for (const c of clients) c.close();
  }
}

describe.skipIf(!requireRedisServer())('blocking list commands against redis-server', () => {
  let redis: RunningServer;
  const shardis: Record<number, RunningServer> = {};
  const expected = new Map<string, string[]>();

  beforeAll(async () => {
    [redis, shardis[1], shardis[4]] = await Promise.all([startRedis(), startShardis({ shards: 1 }), startShardis({ shards: 4 })]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), shardis[1]?.stop(), shardis[4]?.stop()]);
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const theirs = await runOn(redis.port, scenario);
      expected.set(name, theirs);
      // Both shard counts at once: the scenarios wait in real time.
      const [one, four] = await Promise.all([runOn(shardis[1].port, scenario, 3000), runOn(shardis[4].port, scenario, 3000)]);
      expect(one).toEqual(theirs);
      expect(four).toEqual(theirs);
    });
  }

  it('ioredis: a BLPOP waiting on a key is served by another client’s RPUSH', async () => {
    for (const port of [redis.port, shardis[4].port]) {
      const waiter = new Redis({ port, lazyConnect: true });
      const pusher = new Redis({ port, lazyConnect: true });
      await Promise.all([waiter.connect(), pusher.connect()]);
      try {
        await pusher.del('jobs');
        const pending = waiter.blpop('jobs', 0);
        await sleep(SETTLE_MS);
        expect(await pusher.rpush('jobs', 'job-1', 'job-2')).toBe(2);
        expect(await pending).toEqual(['jobs', 'job-1']);
        expect(await waiter.brpop('jobs', 0.05)).toEqual(['jobs', 'job-2']);
        expect(await waiter.brpop('jobs', 0.05)).toBeNull();
      } finally {
        waiter.disconnect();
        pusher.disconnect();
      }
    }
  });
});
