/**
 * The blocking machinery (workers/shard/blocking.ts, the acceptor's
 * cross-shard waits), driven with list commands by several real connections:
 * each scenario runs against shardis (4 shards, keys chosen on different
 * shards) and against redis-server, and the replies each connection got must
 * be the same. The list family's own tests cover each command's semantics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '../../src/cluster/keyslot.js';
import { encodeCommand, RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const SHARDS = 4;
const shardOf = (key: string) => keySlot(key) % SHARDS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** n keys named prefix<i>, all on different shards. */
function keysOnDistinctShards(prefix: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const k = `${prefix}${i}`;
    if (!out.some((o) => shardOf(o) === shardOf(k))) out.push(k);
  }
  return out;
}

/** A scenario: drives connections to one server, returns what each connection received, in order. */
type Scenario = (connect: () => Promise<RawClient>) => Promise<string[]>;

const send = (c: RawClient, ...args: string[]) => c.writeRaw(encodeCommand(args));
const text = (bufs: Buffer[]) => bufs.map((b) => b.toString('latin1'));

describe.skipIf(!requireRedisServer())('blocking machinery, shardis (4 shards) against redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  const open: RawClient[] = [];
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: SHARDS }), startRedis()]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  /** Runs a scenario on both servers (one after the other, each from an empty dataset) and compares. */
  async function compare(scenario: Scenario): Promise<string[]> {
    const results: string[][] = [];
    for (const server of [theirs, ours]) {
      const admin = await RawClient.connect(server.port);
      await admin.call('FLUSHALL');
      admin.close();
      results.push(
        await scenario(async () => {
          const c = await RawClient.connect(server.port);
          open.push(c);
          return c;
        }),
      );
    }
    expect(results[1]).toEqual(results[0]);
    return results[0];
  }

  it('BLPOP on keys of different shards is woken by a push to any of them', async () => {
    const [a, b, c] = keysOnDistinctShards('wake', 3);
    const got = await compare(async (connect) => {
      const [waiter, pusher] = [await connect(), await connect()];
      send(waiter, 'BLPOP', a, b, c, '5');
      await sleep(100);
      const pushed = await pusher.call('RPUSH', c, 'x1', 'x2');
      const [reply] = await waiter.read(1);
      return text([pushed, reply, await pusher.call('LRANGE', c, '0', '-1')]);
    });
    expect(got[1]).toContain('x1');
  });

  it('BLPOP on keys of different shards times out with a null array (RESP2 and RESP3), not before its deadline', async () => {
    const [a, b] = keysOnDistinctShards('timeout', 2);
    await compare(async (connect) => {
      const c2 = await connect();
      const c3 = await connect();
      await c3.call('HELLO', '3');
      const t0 = Date.now();
      const [r2, r3] = await Promise.all([c2.call('BLPOP', a, b, '0.3'), c3.call('BRPOP', b, a, '0.3')]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      return text([r2, r3]);
    });
  });

  it('clients blocked on the same keys across shards are served first come, first served', async () => {
    const [a, b] = keysOnDistinctShards('fifo', 2);
    await compare(async (connect) => {
      const [w1, w2, pusher] = [await connect(), await connect(), await connect()];
      send(w1, 'BLPOP', a, b, '5');
      await sleep(100);
      send(w2, 'BLPOP', b, a, '5');
      await sleep(100);
      const p1 = await pusher.call('LPUSH', b, 'first');
      const [r1] = await w1.read(1);
      const p2 = await pusher.call('LPUSH', a, 'second');
      const [r2] = await w2.read(1);
      return text([p1, r1, p2, r2, await pusher.call('EXISTS', a, b)]);
    });
  });

  it("a blocked client's pipelined commands wait until it is served", async () => {
    const [q, flag] = keysOnDistinctShards('held', 2);
    await compare(async (connect) => {
      const [waiter, other] = [await connect(), await connect()];
      waiter.writeRaw(Buffer.concat([encodeCommand(['BLPOP', q, '5']), encodeCommand(['SET', flag, 'ran']), encodeCommand(['GET', flag])]));
      await sleep(150);
      const before = await other.call('EXISTS', flag);
      await other.call('RPUSH', q, 'v');
      const replies = await waiter.read(3);
      return text([before, ...replies]);
    });
  });

  it('a blocked client that disconnects is forgotten, on one shard and across shards', async () => {
    const [a, b] = keysOnDistinctShards('gone', 2);
    await compare(async (connect) => {
      const [gone1, gone2, waiter, pusher] = [await connect(), await connect(), await connect(), await connect()];
      send(gone1, 'BLPOP', a, '0');
      send(gone2, 'BLPOP', a, b, '0');
      await sleep(100);
      gone1.close();
      gone2.close();
      await sleep(100);
      send(waiter, 'BLPOP', a, '5');
      await sleep(100);
      const pushed = await pusher.call('RPUSH', a, 'only');
      const [served] = await waiter.read(1);
      return text([pushed, served, await pusher.call('LLEN', a)]);
    });
  });

  it('SWAPDB wakes a client blocked in either database', async () => {
    await compare(async (connect) => {
      const [waiter, other] = [await connect(), await connect()];
      await waiter.call('SELECT', '1');
      send(waiter, 'BLPOP', 'swapped', '5');
      await sleep(100);
      const pushed = await other.call('RPUSH', 'swapped', 'v');
      const swapped = await other.call('SWAPDB', '0', '1');
      const [served] = await waiter.read(1);
      return text([pushed, swapped, served]);
    });
  });

  it('BLMOVE across shards moves the element and wakes a client waiting on the destination', async () => {
    const [src, dst] = keysOnDistinctShards('move', 2);
    await compare(async (connect) => {
      const [mover, waiter, pusher] = [await connect(), await connect(), await connect()];
      send(mover, 'BLMOVE', src, dst, 'LEFT', 'RIGHT', '5');
      await sleep(100);
      send(waiter, 'BLPOP', dst, '5');
      await sleep(100);
      const pushed = await pusher.call('RPUSH', src, 'e1');
      const [moved] = await mover.read(1);
      const [popped] = await waiter.read(1);
      return text([pushed, moved, popped, await pusher.call('EXISTS', src, dst)]);
    });
  });

  it('inside MULTI a blocking command answers at once, and pushes wake waiters only after EXEC', async () => {
    const [q, other] = keysOnDistinctShards('multi', 2);
    await compare(async (connect) => {
      const [waiter, tx] = [await connect(), await connect()];
      const direct = await tx.pipeline([['MULTI'], ['BLPOP', q, '0'], ['BRPOPLPUSH', q, other, '0'], ['EXEC']]);
      send(waiter, 'BLPOP', q, '5');
      await sleep(100);
      // The waiter must see the state after the whole block: both pushes, then the LPOP.
      const block = await tx.pipeline([['MULTI'], ['RPUSH', q, 'one'], ['RPUSH', q, 'two', 'three'], ['LPOP', q], ['EXEC']]);
      const [served] = await waiter.read(1);
      return text([...direct, ...block, served, await tx.call('LRANGE', q, '0', '-1')]);
    });
  });

  it('MOVE of a list into the database a client waits in serves it', async () => {
    await compare(async (connect) => {
      const [waiter, other] = [await connect(), await connect()];
      await waiter.call('SELECT', '2');
      send(waiter, 'BRPOP', 'moved', '5');
      await sleep(100);
      const pushed = await other.call('RPUSH', 'moved', 'a', 'b');
      const moved = await other.call('MOVE', 'moved', '2');
      const [served] = await waiter.read(1);
      return text([pushed, moved, served]);
    });
  });
});

describe('INFO counts blocked clients', () => {
  it('blocked_clients and clients_in_timeout_table, on one shard and across shards', async () => {
    const server = await startShardis({ shards: SHARDS });
    const clients: RawClient[] = [];
    try {
      const [a, b] = keysOnDistinctShards('info', 2);
      const connect = async () => {
        const c = await RawClient.connect(server.port);
        clients.push(c);
        return c;
      };
      const admin = await connect();
      const field = async (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec((await admin.call('INFO', 'clients')).toString('latin1'))![1]);
      expect(await field('blocked_clients')).toBe(0);
      send(await connect(), 'BLPOP', a, '0');
      send(await connect(), 'BLPOP', a, '30');
      send(await connect(), 'BLPOP', a, b, '30');
      send(await connect(), 'BLPOP', b, a, '0');
      await sleep(200);
      expect(await field('blocked_clients')).toBe(4);
      expect(await field('clients_in_timeout_table')).toBe(2);
      await admin.call('RPUSH', a, '1', '2', '3', '4');
      await sleep(200);
      expect(await field('blocked_clients')).toBe(0);
      expect(await field('clients_in_timeout_table')).toBe(0);
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  });
});
