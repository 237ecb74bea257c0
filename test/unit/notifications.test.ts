/**
 * Keyspace notifications against redis-server: the same command sequence
 * runs on both servers under a notify-keyspace-events setting, while a
 * subscriber listens on every __keyspace@*__ and __keyevent@*__ channel; the
 * messages it receives (and every reply) must be equal, step by step. Also
 * the option itself: CONFIG SET validation and CONFIG GET's canonical order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type Step } from '../helpers/pubsub-peers.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const w = (...cmds: string[][]): Step => ({ client: 'W', cmds });

/** String and generic commands, every event Redis raises for them (keys hash-tagged where several meet). */
const stringAndGeneric: Step[] = [
  w(['SET', 'k', 'v']),
  w(['SET', 'k', 'v2', 'EX', '100']),
  w(['SET', 'k', 'v3', 'NX'], ['SET', 'nx', 'v', 'XX'], ['SET', 'k', 'v4', 'GET', 'KEEPTTL']),
  w(['SETNX', 'k2', '1'], ['SETNX', 'k2', '1'], ['SETEX', 'k3', '100', 'x'], ['PSETEX', 'k4', '100000', 'y']),
  w(['GETSET', 'k', 'z'], ['GETDEL', 'k'], ['GETDEL', 'k']),
  w(['SET', 'g', 'v'], ['GETEX', 'g', 'EX', '100'], ['GETEX', 'g', 'PERSIST'], ['GETEX', 'g', 'PERSIST'], ['GETEX', 'g', 'PXAT', '1']),
  w(['MSET', '{m}a', '1', '{m}b', '2'], ['MSET', '{m}b', '3']),
  w(['APPEND', 'ap', 'x'], ['APPEND', 'ap', 'y'], ['SETRANGE', 'sr', '3', 'abc'], ['SETRANGE', 'sr', '0', ''], ['SETRANGE', 'sr', '1', 'Z']),
  w(['INCR', 'n'], ['DECR', 'n'], ['INCRBY', 'n', '5'], ['DECRBY', 'n', '2'], ['INCRBYFLOAT', 'n', '1.5'], ['INCR', 'ap']),
  w(['DEL', 'n', 'nope'], ['SET', '{d}a', '1'], ['SET', '{d}b', '2'], ['DEL', '{d}a', '{d}b', '{d}c'], ['UNLINK', 'ap']),
  w(['SET', 'e', '1'], ['EXPIRE', 'e', '100'], ['PEXPIRE', 'e', '100000', 'NX'], ['EXPIRE', 'e', '200', 'GT'], ['PERSIST', 'e'], ['PERSIST', 'e'], ['EXPIREAT', 'e', '1'], ['EXPIRE', 'nope', '1']),
  w(['SET', '{r}a', '1', 'EX', '100'], ['RENAME', '{r}a', '{r}b'], ['SET', '{r}c', '2'], ['RENAMENX', '{r}b', '{r}c'], ['RENAME', '{r}b', '{r}c']),
  w(['COPY', '{r}c', '{r}d'], ['COPY', '{r}c', '{r}d'], ['COPY', '{r}c', '{r}d', 'REPLACE'], ['COPY', '{r}c', 'other', 'DB', '3']),
  w(['MOVE', '{r}d', '2'], ['SELECT', '2'], ['MOVE', '{r}d', '0'], ['SET', 'in2', 'x'], ['SELECT', '0']),
  w(['FLUSHDB'], ['SET', 'after', 'flush']),
];

/** Sets, lists, hashes and sorted sets: their events, and 'del' when a write empties the key. */
const collections: Step[] = [
  w(['SADD', 's', 'a', 'b', '1'], ['SADD', 's', 'a'], ['SREM', 's', 'zz'], ['SREM', 's', 'a'], ['SREM', 's', 'b', '1', 'c']),
  w(['SADD', '{s}a', '1', '2', '3'], ['SMOVE', '{s}a', '{s}b', '1'], ['SMOVE', '{s}a', '{s}b', 'nope'], ['SADD', '{s}b', '2'], ['SMOVE', '{s}a', '{s}b', '2']),
  w(['SMOVE', '{s}a', '{s}b', '3'], ['SPOP', '{s}b', '0'], ['SPOP', '{s}b', '3'], ['SADD', 'p', '1'], ['SPOP', 'p'], ['SADD', 'p', '1', '2'], ['SPOP', 'p', '5'], ['SPOP', 'p']),
  w(['SADD', '{s}x', 'a', 'b'], ['SADD', '{s}y', 'b', 'c'], ['SINTERSTORE', '{s}i', '{s}x', '{s}y'], ['SUNIONSTORE', '{s}u', '{s}x', '{s}y'], ['SDIFFSTORE', '{s}d', '{s}x', '{s}y']),
  w(['SINTERSTORE', '{s}i', '{s}x', '{s}none'], ['SDIFFSTORE', '{s}d', '{s}x', '{s}x'], ['SUNIONSTORE', '{s}u', '{s}none']),
  w(['RPUSH', 'l', 'a', 'b', 'c'], ['LPUSH', 'l', 'z'], ['LPUSHX', 'nol', 'x'], ['RPUSHX', 'l', 'd'], ['LSET', 'l', '0', 'Z'], ['LINSERT', 'l', 'BEFORE', 'b', 'ab'], ['LINSERT', 'l', 'AFTER', 'nope', 'x']),
  w(['LPOP', 'l'], ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['LREM', 'l', '0', 'nope'], ['LREM', 'l', '1', 'ab'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'l', '5', '1']),
  w(['RPUSH', '{l}a', '1', '2'], ['LMOVE', '{l}a', '{l}b', 'LEFT', 'RIGHT'], ['RPOPLPUSH', '{l}a', '{l}b'], ['LMOVE', '{l}b', '{l}b', 'LEFT', 'LEFT']),
  w(['LMPOP', '2', '{l}x', '{l}b', 'LEFT', 'COUNT', '5'], ['RPUSH', 'r', '1'], ['BLPOP', 'r', '0'], ['RPUSH', 'r', '1', '2'], ['BRPOP', 'r', '0']),
  w(['HSET', 'h', 'a', '1', 'b', '2'], ['HMSET', 'h', 'a', '3'], ['HSETNX', 'h', 'a', '1'], ['HSETNX', 'h', 'c', '1'], ['HINCRBY', 'h', 'n', '2'], ['HINCRBYFLOAT', 'h', 'f', '1.5']),
  w(['HDEL', 'h', 'zz'], ['HDEL', 'h', 'a', 'b'], ['HDEL', 'h', 'c', 'n', 'f']),
  w(['SET', 'str', 'x'], ['SADD', 'str', 'a'], ['LPUSH', 'str', 'a'], ['HSET', 'str', 'a', 'b'], ['ZADD', 'str', '1', 'a']),
  w(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'XX', '5', 'a'], ['ZADD', 'z', 'NX', '9', 'a'], ['ZINCRBY', 'z', '1', 'b'], ['ZADD', 'z', 'INCR', 'GT', '-1', 'c']),
  w(['ZREM', 'z', 'nope'], ['ZREM', 'z', 'a'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '0'], ['ZPOPMAX', 'z', '5'], ['ZPOPMIN', 'z']),
  w(['ZADD', 'r', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZREMRANGEBYRANK', 'r', '0', '0'], ['ZREMRANGEBYSCORE', 'r', '10', '20'], ['ZREMRANGEBYSCORE', 'r', '2', '2'], ['ZREMRANGEBYLEX', 'r', '-', '+']),
  w(['ZADD', '{z}a', '1', 'x', '2', 'y'], ['ZADD', '{z}b', '3', 'y'], ['ZUNIONSTORE', '{z}u', '2', '{z}a', '{z}b'], ['ZINTERSTORE', '{z}i', '2', '{z}a', '{z}b'], ['ZDIFFSTORE', '{z}d', '2', '{z}a', '{z}b']),
  w(['ZINTERSTORE', '{z}i', '2', '{z}a', '{z}none'], ['ZRANGESTORE', '{z}s', '{z}a', '0', '-1'], ['ZRANGESTORE', '{z}s', '{z}none', '0', '-1'], ['ZMPOP', '2', '{z}x', '{z}a', 'MIN', 'COUNT', '5']),
];

/** A client blocked on a list is served by another client's push: push, then pop and del, as Redis. */
const blockedServed: Step[] = [
  { client: 'B', cmds: [['BLPOP', 'q', '5']] },
  w(['RPUSH', 'q', 'job']),
  { client: 'B', cmds: [['BLMOVE', '{m}src', '{m}dst', 'LEFT', 'RIGHT', '5']] },
  w(['LPUSH', '{m}src', 'task']),
];

/** Read lookups that find nothing: 'keymiss' (class m). */
const keymiss: Step[] = [
  w(['SET', 'here', '1'], ['GET', 'nope'], ['GET', 'here'], ['MGET', '{k}a', '{k}b'], ['STRLEN', 'nope'], ['GETRANGE', 'nope', '0', '1']),
  w(['EXISTS', 'nope'], ['TYPE', 'nope'], ['TTL', 'nope'], ['PTTL', 'nope'], ['OBJECT', 'ENCODING', 'nope']),
  w(['LRANGE', 'nope', '0', '-1'], ['LLEN', 'nope'], ['HGET', 'nope', 'f'], ['HGETALL', 'nope'], ['SMEMBERS', 'nope'], ['SISMEMBER', 'nope', 'x'], ['SCARD', 'nope']),
  w(['SET', 'w', '1'], ['DEL', 'nope'], ['INCR', 'nope2'], ['LPOP', 'nope'], ['EXPIRE', 'nope', '10']),
];

/** Lazy and active expiry: 'expired' (class x). */
const expiry: Step[] = [
  w(['SET', 'lazy', 'v', 'PX', '30'], ['SET', 'active', 'v', 'PX', '30']),
  { client: 'W', cmds: [], sleepMs: 80 },
  w(['GET', 'lazy'], ['SET', 'lazy', 'again']),
  // The active cycle runs hz (10) times a second: give it time to find 'active'.
  { client: 'W', cmds: [['PING']], sleepMs: 400 },
  w(['EXISTS', 'active']),
];

const FLAG_SETTINGS = ['KEA', 'K$', 'Eg', 'KEx', 'En', 'KEA n', 'Kgx', 'E$gn', ''];

describe.skipIf(!requireRedisServer())('keyspace notifications against redis-server', () => {
  for (const shards of [1, 4]) {
    describe(`${shards} shard(s)`, () => {
      let ours: RunningServer;
      let theirs: RunningServer;
      beforeAll(async () => {
        [ours, theirs] = await Promise.all([startShardis({ shards }), startRedis()]);
      });
      afterAll(async () => {
        await Promise.all([ours?.stop(), theirs?.stop()]);
      });

      const compare = async (flags: string, steps: Step[]) => {
        const all: Step[] = [
          { client: 'W', cmds: [['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', flags.replace(' ', '')]] },
          { client: 'S', cmds: [['PSUBSCRIBE', '__key*@*__:*']] },
          ...steps,
        ];
        const [a, b] = await Promise.all([runScenario(ours.port, ['S', 'W'], all), runScenario(theirs.port, ['S', 'W'], all)]);
        // With several shards, a pipeline's commands run on different shards at once: their events reach
        // subscribers grouped by shard, not in command order. Compare the subscriber's messages as a set then.
        const norm = (lines: string[]) => (shards === 1 ? lines : [`S: ${JSON.stringify((JSON.parse(lines[0].slice(3)) as string[]).sort())}`, ...lines.slice(1)]);
        for (let i = 0; i < all.length; i++) expect(norm(a[i]), `step ${i}: ${JSON.stringify(all[i].cmds)}`).toEqual(norm(b[i]));
        return a;
      };

      for (const flags of FLAG_SETTINGS) {
        it(`string and generic commands with notify-keyspace-events '${flags}'`, async () => {
          const out = await compare(flags, stringAndGeneric);
          // The test sees events at all when some class is on (it can fail).
          if (flags.includes('K') && flags.includes('A')) expect(out.flat().join('')).toContain('__keyspace@0__:{r}a');
        });
      }

      for (const flags of ['KEA', 'Es', 'Kl', 'KEhg', 'Ez', 'KEzgn']) {
        it(`set, list, hash and sorted set commands with notify-keyspace-events '${flags}'`, async () => {
          const out = await compare(flags, collections);
          if (flags === 'KEA') expect(out.flat().join('')).toContain('__keyevent@0__:sinterstore');
        });
      }

      it('a blocked client served by a push raises push, pop and del, as Redis', async () => {
        const all: Step[] = [
          { client: 'W', cmds: [['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']] },
          { client: 'S', cmds: [['PSUBSCRIBE', '__key*@*__:*']] },
          ...blockedServed,
        ];
        // B's reply comes when W pushes: sync B only after W's step (B's PING waits behind its blocked command).
        const run = (port: number) => runScenario(port, ['S', 'W', 'B'], all, { skipSync: ['B'] });
        const [a, b] = await Promise.all([run(ours.port), run(theirs.port)]);
        for (let i = 0; i < all.length; i++) expect(a[i], `step ${i}: ${JSON.stringify(all[i].cmds)}`).toEqual(b[i]);
        expect(a.flat().join('')).toContain('__keyevent@0__:lpop');
      });

      it('read lookups that miss raise keymiss (class m)', async () => {
        const out = await compare('KEm', keymiss);
        expect(out.flat().join('')).toContain('__keyevent@0__:keymiss');
      });

      it('lazy and active expiry raise expired', async () => {
        // Which of the two expiries (lazy on GET, or the active cycle) removes a key first is timing: compare
        // the events of the whole run as a set, and that each key expired once.
        const all: Step[] = [
          { client: 'W', cmds: [['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEx']] },
          { client: 'S', cmds: [['PSUBSCRIBE', '__key*@*__:*']] },
          ...expiry,
        ];
        const [a, b] = await Promise.all([runScenario(ours.port, ['S', 'W'], all), runScenario(theirs.port, ['S', 'W'], all)]);
        const events = (out: string[][]) => out.flatMap((lines) => JSON.parse(lines[0].slice(3)) as string[]).sort();
        const replies = (out: string[][]) => out.map((lines) => lines[1]);
        expect(events(a)).toEqual(events(b));
        expect(replies(a)).toEqual(replies(b));
        expect(events(a).filter((e) => e.includes('__keyevent@0__:expired'))).toHaveLength(2);
      });

      it('a RESP3 client subscribed to its own keys gets the events before its write replies', async () => {
        const steps: Step[] = [
          { client: 'W', cmds: [['HELLO', '3'], ['SUBSCRIBE', '__keyspace@0__:mine', '__keyevent@0__:set']] },
          w(['SET', 'mine', '1'], ['INCR', 'mine'], ['GET', 'mine'], ['DEL', 'mine']),
        ];
        const all: Step[] = [{ client: 'W', cmds: [['CONFIG', 'SET', 'notify-keyspace-events', 'KA$g'], ['FLUSHALL']] }, ...steps];
        const norm = (lines: string[]) => lines.map((l) => l.replace(/\$2\\r\\nid\\r\\n:\d+/g, 'id'));
        const [a, b] = await Promise.all([runScenario(ours.port, ['W'], all), runScenario(theirs.port, ['W'], all)]);
        for (let i = 0; i < all.length; i++) expect(norm(a[i]), `step ${i}`).toEqual(norm(b[i]));
      });
    });
  }

  it('CONFIG SET / GET notify-keyspace-events: validation and canonical order, as Redis', async () => {
    const [ours, theirs] = await Promise.all([startShardis({ shards: 1 }), startRedis()]);
    try {
      const [x, y] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(theirs.port)]);
      for (const v of ['KEA', 'AKE', 'Ex$', 'nmK', 'g$lshzxetdnKEm', 'A', 'Kx', '', 'KEQ', 'a', 'K E', 'mm']) {
        const [r1, r2] = await Promise.all([x.call('CONFIG', 'SET', 'notify-keyspace-events', v), y.call('CONFIG', 'SET', 'notify-keyspace-events', v)]);
        expect(r1.toString(), v).toBe(r2.toString());
        const [g1, g2] = await Promise.all([x.call('CONFIG', 'GET', 'notify-keyspace-events'), y.call('CONFIG', 'GET', 'notify-keyspace-events')]);
        expect(g1.toString(), v).toBe(g2.toString());
      }
      x.close();
      y.close();
    } finally {
      await Promise.all([ours.stop(), theirs.stop()]);
    }
  });
});
