/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH (src/server/transactions.ts,
 * workers/shard/exec.ts, workers/shard/watch.ts) against redis-server, with
 * 1 and 4 shards: replies compared byte for byte, keys spread over shards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '../../src/cluster/keyslot.js';
import { DiffPair, ttlSign, type Command } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('transactions: shardis with %i shard(s) against redis-server', (shards) => {
  let pair: DiffPair;
  /** A second connection to each server, for the "another client" side of WATCH. */
  let other: { ours: RawClient; theirs: RawClient };
  beforeAll(async () => {
    pair = await DiffPair.start(shards);
    other = { ours: await RawClient.connect(pair.shardis.port), theirs: await RawClient.connect(pair.redis.port) };
  });
  afterAll(async () => {
    other?.ours.close();
    other?.theirs.close();
    await pair?.stop();
  });

  const same = async (cmds: Command[]) => expect(await pair.mismatch(cmds, ttlSign)).toBeNull();
  /** The other client runs a command on both servers. */
  const otherCall = (...cmd: string[]) => Promise.all([other.ours.call(...cmd), other.theirs.call(...cmd)]);

  it('queues, executes in order, and replies with every reply (keys on several shards, SELECT, acceptor commands)', async () => {
    await pair.flush();
    await same([
      ['MULTI'],
      ['SET', 'a', '1'],
      ['INCR', 'a'],
      ['MSET', 'b', '2', 'c', '3', 'd', '4'],
      ['MGET', 'a', 'b', 'c', 'd', 'nokey'],
      ['PING'],
      ['ECHO', 'hi'],
      ['SELECT', '1'],
      ['SET', 'a', 'in-db-1'],
      ['RENAME', 'a', 'z'],
      ['DEL', 'b', 'c', 'z'],
      ['EXEC'],
      ['GET', 'a'],
      ['SELECT', '0'],
      ['MGET', 'a', 'b', 'c', 'd'],
      ['MULTI'],
      ['EXEC'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
  });

  it("errors: EXEC/DISCARD without MULTI, nesting, WATCH inside MULTI, EXECABORT after a refused command, runtime errors inside EXEC's array", async () => {
    await pair.flush();
    await same([
      ['EXEC'],
      ['DISCARD'],
      ['MULTI'],
      ['MULTI'],
      ['WATCH', 'x'],
      ['SET', 'str', 'v'],
      ['INCR', 'str'],
      ['SETRANGE', 'str', '-1', 'x'],
      ['SET', 'after', 'ok'],
      ['EXEC'],
      ['GET', 'after'],
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['NOSUCHCOMMAND', 'x'],
      ['GET'],
      ['SET', 'k2', 'v2'],
      ['EXEC'],
      ['EXISTS', 'k', 'k2'],
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['DISCARD'],
      ['EXISTS', 'k'],
      ['MULTI'],
      ['OBJECT', 'NOSUCH', 'k'],
      ['EXEC'],
      ['MULTI'],
      ['MSET', 'a', '1', 'b'],
      ['EXPIRE', 'a', 'notanumber'],
      ['EXEC'],
    ]);
  });

  it('RESP3: EXEC answers an array of RESP3 replies, and a null for a failed WATCH', async () => {
    await pair.flush();
    await pair.both(['HELLO', '3']); // replies differ only by client id
    await same([['WATCH', 'w'], ['MULTI'], ['SET', 'w', '1'], ['TTL', 'w'], ['INCRBYFLOAT', 'w', '1.5'], ['EXEC']]);
    await same([['WATCH', 'w']]);
    await otherCall('SET', 'w', '2');
    await same([['MULTI'], ['GET', 'w'], ['EXEC']]);
    await pair.both(['HELLO', '2']);
  });

  it('WATCH: a change by another client fails EXEC; no change, a failed SETNX, or a change to another key does not', async () => {
    const keys = ['w0', 'w1', 'w2', 'w3'];
    if (shards > 1) expect(new Set(keys.map((k) => keySlot(k) % shards)).size).toBeGreaterThan(1);
    const scenarios: (string[] | null)[] = [null, ['SET', 'w1', 'changed'], ['SET', 'unwatched', 'x'], ['SETNX', 'w1', 'x'], ['DEL', 'nokey'], ['EXPIRE', 'w2', '100'], ['PERSIST', 'w1'], ['FLUSHDB'], ['DEL', 'w3'], ['APPEND', 'w0', 'x']];
    for (const touch of scenarios) {
      await pair.flush();
      await same([['MSET', 'w0', 'a', 'w1', 'b', 'w2', 'c', 'w3', 'd'], ['WATCH', ...keys, 'nokey']]);
      if (touch !== null) await otherCall(...touch);
      await same([['MULTI'], ['SET', 'result', 'done'], ['MGET', ...keys], ['EXEC'], ['GET', 'result']]);
    }
  });

  it('WATCH: UNWATCH, DISCARD and EXEC forget the watches; SWAPDB and expiry touch them', async () => {
    await pair.flush();
    await same([['SET', 'k', '1'], ['WATCH', 'k'], ['UNWATCH']]);
    await otherCall('SET', 'k', '2');
    await same([['MULTI'], ['GET', 'k'], ['EXEC']]);
    await same([['WATCH', 'k'], ['MULTI'], ['DISCARD']]);
    await otherCall('SET', 'k', '3');
    await same([['MULTI'], ['GET', 'k'], ['EXEC']]);
    await same([['WATCH', 'k'], ['MULTI'], ['GET', 'k'], ['EXEC']]);
    await otherCall('SET', 'k', '4');
    await same([['MULTI'], ['GET', 'k'], ['EXEC']]);
    // SWAPDB with the key in the other database.
    await same([['SELECT', '1'], ['SET', 'sw', 'db1'], ['SELECT', '0'], ['WATCH', 'sw']]);
    await otherCall('SWAPDB', '0', '1');
    await same([['MULTI'], ['GET', 'sw'], ['EXEC']]);
    // A watched key that expires before EXEC fails it.
    await same([['SET', 'ttl', 'v', 'PX', '100'], ['WATCH', 'ttl']]);
    await sleep(250);
    await same([['MULTI'], ['GET', 'x'], ['EXEC']]);
  });

  it('WATCH: another client SORTing BY hash fields of watched keys (no STORE) does not fail EXEC', async () => {
    await pair.flush();
    await same([['RPUSH', 'sl', 'a', 'b', 'c'], ['HSET', 'wh_a', 'f', '3'], ['HSET', 'wh_b', 'f', '1'], ['HSET', 'wh_c', 'f', '2'], ['WATCH', 'wh_a', 'wh_b', 'wh_c']]);
    const [x, y] = await otherCall('SORT', 'sl', 'BY', 'wh_*->f');
    expect(x.toString('latin1')).toBe(y.toString('latin1'));
    await same([['MULTI'], ['HGET', 'wh_a', 'f'], ['EXEC']]);
  });

  it('a cross-shard MULTI block is atomic for other clients: a transfer between keys never shows a half-done state', async () => {
    await pair.flush();
    const accounts = ['acct:a', 'acct:b', 'acct:c', 'acct:d'];
    const port = pair.shardis.port;
    const setup = await RawClient.connect(port);
    await setup.call('MSET', ...accounts.flatMap((k) => [k, '100']));
    const movers = await Promise.all([0, 1].map(() => RawClient.connect(port)));
    const reader = await RawClient.connect(port);
    let stop = false;
    const totals: number[] = [];
    const reading = (async () => {
      while (!stop) {
        const reply = (await reader.call('MGET', ...accounts)).toString('latin1');
        totals.push([...reply.matchAll(/\r\n(-?\d+)\r\n/g)].reduce((s, m) => s + Number(m[1]), 0));
      }
    })();
    await Promise.all(
      movers.map(async (m, j) => {
        for (let r = 0; r < 60; r++) {
          const from = accounts[(r + j) % 4];
          const to = accounts[(r * 3 + j + 1) % 4];
          await m.pipeline([['MULTI'], ['DECRBY', from, '7'], ['INCRBY', to, '7'], ['EXEC']]);
        }
      }),
    );
    stop = true;
    await reading;
    expect(totals.length).toBeGreaterThan(10);
    expect(new Set(totals)).toEqual(new Set([400]));
    for (const c of [setup, reader, ...movers]) c.close();
  });
});
