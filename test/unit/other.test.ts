/**
 * Databases and introspection, differential: SELECT, SWAPDB, MOVE,
 * FLUSHDB/FLUSHALL, DBSIZE, RANDOMKEY and OBJECT against redis-server 7.0.15.
 * Titles copied from Redis' tests/unit/other.tcl and keyspace.tcl test the
 * same behaviour; the others cover error order, int ranges and the access
 * clock behind OBJECT IDLETIME.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DiffPair, normalize, type Command } from '../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** TTL and PTTL replies as -2, -1 or "positive"; KEYS replies sorted. */
function ttlSign(cmd: Command, reply: Buffer): string {
  const s = reply.toString('latin1');
  const name = cmd[0].toLowerCase();
  if (name === 'keys') return normalize.sortedArray(reply);
  if ((name === 'ttl' || name === 'pttl') && s.startsWith(':') && !s.startsWith(':-')) return ':positive';
  return s;
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('other: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
    await pair.both(['SELECT', '9']);
  });

  async function same(cmds: Command[], norm: (cmd: Command, reply: Buffer) => string = ttlSign): Promise<void> {
    expect(await pair.mismatch(cmds, norm)).toBeNull();
  }

  const reply = (cmd: Command, expected: string) => pair.expectReply(cmd, expected);

  it('SELECT an out of range DB', async () => {
    await reply(['SELECT', '1000000'], '-ERR DB index is out of range\r\n');
  });

  it('SELECT: integer parsing and ranges', async () => {
    await same([
      ['SELECT', 'abc'],
      ['SELECT', '-0'],
      ['SELECT', '01'],
      ['SELECT', ' 1'],
      ['SELECT', ''],
      ['SELECT', '-1'],
      ['SELECT', '16'],
      ['SELECT', '2147483647'],
      ['SELECT', '2147483648'],
      ['SELECT', '-2147483649'],
      ['SELECT', '9007199254740993'],
      ['SELECT', '9223372036854775807'],
      ['SELECT', '9223372036854775808'],
      ['SELECT', '15'],
      ['SELECT'],
      ['SELECT', '1', '2'],
    ]);
  });

  it('SET/GET keys in different DBs', async () => {
    await same([
      ['SET', 'a', 'hello'],
      ['SET', 'b', 'world'],
      ['SELECT', '10'],
      ['SET', 'a', 'foo'],
      ['SET', 'b', 'bared'],
      ['SELECT', '9'],
      ['GET', 'a'],
      ['GET', 'b'],
      ['SELECT', '10'],
      ['GET', 'a'],
      ['GET', 'b'],
      ['DBSIZE'],
      ['SELECT', '9'],
    ]);
    await reply(['GET', 'b'], '$5\r\nworld\r\n');
  });

  it('MOVE basic usage', async () => {
    await same([['SET', 'mykey', 'foobar'], ['MOVE', 'mykey', '10'], ['EXISTS', 'mykey'], ['DBSIZE'], ['SELECT', '10'], ['GET', 'mykey'], ['DBSIZE']]);
    await reply(['GET', 'mykey'], '$6\r\nfoobar\r\n');
  });

  it('MOVE against key existing in the target DB', async () => {
    await same([['SELECT', '10'], ['SET', 'mykey', 'there'], ['SELECT', '9'], ['SET', 'mykey', 'hello']]);
    await reply(['MOVE', 'mykey', '10'], ':0\r\n');
  });

  it('MOVE against non-integer DB (#1428)', async () => {
    await same([['SET', 'mykey', 'hello']]);
    await reply(['MOVE', 'mykey', 'notanumber'], '-ERR value is not an integer or out of range\r\n');
  });

  it('MOVE can move key expire metadata as well', async () => {
    await same([['SET', 'mykey', 'foo', 'EX', '100'], ['MOVE', 'mykey', '10'], ['TTL', 'mykey'], ['SELECT', '10'], ['TTL', 'mykey'], ['GET', 'mykey']]);
    const ttl = Number((await pair.ours.call('TTL', 'mykey')).toString().slice(1, -2));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100);
  });

  it('MOVE does not create an expire if it does not exist', async () => {
    await same([['SET', 'mykey', 'foo'], ['MOVE', 'mykey', '10'], ['TTL', 'mykey'], ['SELECT', '10'], ['GET', 'mykey']]);
    await reply(['TTL', 'mykey'], ':-1\r\n');
  });

  it('MOVE: which error wins, missing and expired keys, exact int64 TTLs', async () => {
    await same([
      ['SET', 'k', 'v'],
      ['MOVE', 'k', '9'],
      ['MOVE', 'k', '16'],
      ['MOVE', 'k', '-1'],
      ['MOVE', 'k', '2147483648'],
      ['MOVE', 'k', '-2147483649'],
      ['MOVE', 'k', '99999999999999999999'],
      ['MOVE', 'k', '-0'],
      ['MOVE', 'nosuch', '9'],
      ['MOVE', 'nosuch', 'x'],
      ['MOVE', 'nosuch', '3'],
      ['PEXPIREAT', 'k', '9223372036854770001'],
      ['MOVE', 'k', '3'],
      ['SELECT', '3'],
      ['PEXPIRETIME', 'k'],
      ['MOVE', 'k', '9'],
      ['SELECT', '9'],
      ['PEXPIRETIME', 'k'],
    ]);
    await same([['SET', 'k2', 'new'], ['SELECT', '4'], ['SET', 'k2', 'old', 'PX', '1'], ['SELECT', '9']]);
    await sleep(20);
    // The expired key in the target db does not count as existing.
    await same([['MOVE', 'k2', '4'], ['SELECT', '4'], ['GET', 'k2'], ['TTL', 'k2'], ['SELECT', '9']]);
  });

  it('RANDOMKEY', async () => {
    await same([['SET', 'foo', 'x'], ['SET', 'bar', 'y']]);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add((await pair.ours.call('RANDOMKEY')).toString('latin1'));
    expect([...seen].sort()).toEqual(['$3\r\nbar\r\n', '$3\r\nfoo\r\n']);
  });

  it('RANDOMKEY against empty DB', async () => {
    await reply(['RANDOMKEY'], '$-1\r\n');
  });

  it('RANDOMKEY regression 1', async () => {
    await same([['SET', 'x', '10'], ['DEL', 'x']]);
    await reply(['RANDOMKEY'], '$-1\r\n');
  });

  it('RANDOMKEY reaches every key on every shard, skips expired keys, answers nil in RESP3', async () => {
    const cmds: Command[] = [];
    for (let i = 0; i < 20; i++) cmds.push(['SET', `k${i}`, 'v']);
    for (let i = 0; i < 50; i++) cmds.push(['SET', `dead${i}`, 'v', 'PX', '1']);
    await same(cmds);
    await sleep(20);
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) seen.add((await pair.ours.call('RANDOMKEY')).toString('latin1'));
    expect(seen.size).toBe(20);
    for (const r of seen) expect(r).toMatch(/^\$\d+\r\nk\d+\r\n$/);
    await same([['SELECT', '11'], ['SET', 'gone', 'v', 'PX', '1']]);
    await sleep(20);
    await reply(['RANDOMKEY'], '$-1\r\n');
    await pair.both(['HELLO', '3']);
    try {
      await reply(['RANDOMKEY'], '_\r\n');
    } finally {
      await pair.both(['HELLO', '2']);
    }
    await reply(['DBSIZE'], ':0\r\n');
  });

  it('FLUSHDB', async () => {
    await same([['SET', 'a', '1'], ['SELECT', '10'], ['SET', 'b', '2'], ['SELECT', '9'], ['FLUSHDB'], ['DBSIZE'], ['SELECT', '10'], ['DBSIZE'], ['FLUSHDB'], ['DBSIZE']]);
    await reply(['DBSIZE'], ':0\r\n');
  });

  it('FLUSHDB and FLUSHALL: SYNC, ASYNC, and what they reject', async () => {
    await same([
      ['SET', 'a', '1'],
      ['FLUSHDB', 'bogus'],
      ['FLUSHDB', 'sync', 'async'],
      ['FLUSHALL', 'ASYNC', 'x'],
      ['FLUSHALL', 'now'],
      ['DBSIZE'],
      ['FLUSHDB', 'SYNC'],
      ['SET', 'a', '1'],
      ['SELECT', '2'],
      ['SET', 'b', '2', 'EX', '100'],
      ['FLUSHDB', 'async'],
      ['DBSIZE'],
      ['SELECT', '9'],
      ['DBSIZE'],
      ['FLUSHALL', 'sync'],
      ['DBSIZE'],
      ['SET', 'c', '3'],
      ['FLUSHALL'],
      ['DBSIZE'],
    ]);
    const info = (await pair.ours.call('INFO', 'keyspace')).toString('latin1');
    expect(info).not.toMatch(/db\d+:/);
  });

  it('DBSIZE counts per database and across shards', async () => {
    const cmds: Command[] = [];
    for (let i = 0; i < 100; i++) cmds.push(['SET', `key:${i}`, 'v']);
    cmds.push(['DBSIZE'], ['SELECT', '3'], ['DBSIZE'], ['SET', 'x', 'y'], ['DBSIZE'], ['SELECT', '9'], ['DEL', 'key:1', 'key:2'], ['DBSIZE']);
    await same(cmds);
    await reply(['DBSIZE'], ':98\r\n');
  });

  it('SWAPDB swaps keys and TTLs, clients keep their db index', async () => {
    await same([
      ['SELECT', '1'],
      ['SET', 'a', 'db1', 'EX', '100'],
      ['SET', 'only1', 'x'],
      ['SELECT', '2'],
      ['SET', 'a', 'db2'],
      ['SWAPDB', '1', '2'],
      ['GET', 'a'],
      ['TTL', 'a'],
      ['EXISTS', 'only1'],
      ['DBSIZE'],
      ['SELECT', '1'],
      ['GET', 'a'],
      ['TTL', 'a'],
      ['DBSIZE'],
      ['SWAPDB', '1', '1'],
      ['GET', 'a'],
      ['SWAPDB', '2', '1'],
      ['GET', 'a'],
      ['SWAPDB', '1', '15'],
      ['DBSIZE'],
      ['SELECT', '15'],
      ['KEYS', '*'],
    ]);
  });

  it('SWAPDB errors: invalid indexes, out of range, arity', async () => {
    await same([
      ['SWAPDB', 'a', '1'],
      ['SWAPDB', '1', 'b'],
      ['SWAPDB', 'a', 'b'],
      ['SWAPDB', '-0', '1'],
      ['SWAPDB', '1', '2147483648'],
      ['SWAPDB', '0', '16'],
      ['SWAPDB', '-1', '0'],
      ['SWAPDB', '16', 'x'],
      ['SWAPDB', '0'],
      ['SWAPDB', '0', '1', '2'],
    ]);
    await reply(['SWAPDB', 'a', 'b'], '-ERR invalid first DB index\r\n');
  });

  it('OBJECT ENCODING and REFCOUNT of strings (int, embstr, raw; shared integers)', async () => {
    const values = ['0', '1', '9999', '10000', '-1', '01', '-0', '12345678901234567890', '9223372036854775807', '9223372036854775808', 'abc', '', 'x'.repeat(44), 'x'.repeat(45), ' 1'];
    const cmds: Command[] = [];
    values.forEach((v, i) => cmds.push(['SET', `k${i}`, v], ['OBJECT', 'ENCODING', `k${i}`], ['OBJECT', 'REFCOUNT', `k${i}`]));
    cmds.push(['OBJECT', 'ENCODING', 'nosuch'], ['OBJECT', 'REFCOUNT', 'nosuch'], ['OBJECT', 'IDLETIME', 'nosuch'], ['OBJECT', 'FREQ', 'nosuch']);
    await same(cmds);
  });

  it('OBJECT FREQ without an LFU policy, OBJECT errors and arity', async () => {
    await same([
      ['SET', 'k', 'v'],
      ['OBJECT', 'FREQ', 'k'],
      ['OBJECT'],
      ['OBJECT', 'foo'],
      ['OBJECT', 'foo', 'k'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'encoding', 'k', 'extra'],
      ['OBJECT', 'IDLETIME'],
      ['OBJECT', 'HELP', 'extra'],
      ['OBJECT', 'eNcOdInG', 'k'],
    ]);
  });

  it('OBJECT HELP in RESP2 and RESP3', async () => {
    await same([['OBJECT', 'HELP'], ['OBJECT', 'help']]);
    await pair.both(['HELLO', '3']);
    try {
      await same([['OBJECT', 'HELP']]);
    } finally {
      await pair.both(['HELLO', '2']);
    }
  });

  it('OBJECT IDLETIME: reads that touch reset it, EXISTS/TYPE/TTL/OBJECT do not', async () => {
    // Not small integers: Redis shares one object per integer 0..9999, whose clock any key can touch.
    await same([['SET', 'a', 'va'], ['SET', 'b', 'vb'], ['SET', 'c{t}', 'vc']]);
    await sleep(2200);
    await same([['EXISTS', 'a'], ['TYPE', 'a'], ['TTL', 'a'], ['OBJECT', 'ENCODING', 'a'], ['GET', 'b'], ['EXPIRE', 'c{t}', '100'], ['RENAME', 'c{t}', 'd{t}']]);
    const idle = async (key: string) => {
      const [ours, theirs] = await Promise.all([pair.ours.call('OBJECT', 'IDLETIME', key), pair.theirs.call('OBJECT', 'IDLETIME', key)]);
      return [Number(ours.toString().slice(1, -2)), Number(theirs.toString().slice(1, -2))];
    };
    const [oursA, theirsA] = await idle('a');
    expect(theirsA).toBeGreaterThanOrEqual(1);
    // One-second resolution, read at slightly different moments.
    expect(Math.abs(oursA - theirsA)).toBeLessThanOrEqual(1);
    // Touched keys read 0, or 1 when a second boundary falls between the read that touched
    // them and OBJECT IDLETIME (both servers keep a clock of whole seconds); not reset, they
    // would read 2 or more after the 2.2 s sleep.
    for (const key of ['b', 'd{t}']) {
      const [ours, theirs] = await idle(key);
      expect(ours).toBeLessThanOrEqual(1);
      expect(theirs).toBeLessThanOrEqual(1);
    }
  });
});
