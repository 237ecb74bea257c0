/**
 * SORT and SORT_RO, focused cases against redis-server 7.0.15 (byte for byte):
 * each error and which one wins, LIMIT's clamping, BY without '*' (native
 * order, a set sorted when stored, the sticky rule), ALPHA's two collations
 * (C strings when replying, bytes when storing), ties, strtod's grammar and
 * its ERANGE, GET patterns, STORE's effects, COMMAND GETKEYS; across 4
 * shards: pattern keys and destinations on other shards, in MULTI, under
 * WATCH; and through ioredis.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { keySlot } from '../../../src/cluster/keyslot.js';
import { DiffPair, type Command } from '../../helpers/differential.js';
import { RawClient } from '../../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

/** Runs the commands on both servers (after FLUSHALL) and expects every reply to be equal. */
async function same(pair: DiffPair, cmds: Command[]): Promise<void> {
  await pair.flush();
  const mismatch = await pair.mismatch(cmds);
  expect(mismatch, mismatch ?? '').toBeNull();
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('SORT with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('option errors: syntax errors and bad LIMIT values win over WRONGTYPE; SORT_RO has no STORE', async () => {
    await same(pair, [
      ['RPUSH', 'l', '3', '1', '2'],
      ['SET', 'str', 'x'],
      ['SORT', 'l', 'bogus'],
      ['SORT', 'l', 'LIMIT', '1'],
      ['SORT', 'l', 'LIMIT'],
      ['SORT', 'l', 'LIMIT', 'x', '1'],
      ['SORT', 'l', 'LIMIT', '1', 'x'],
      ['SORT', 'l', 'LIMIT', '1', '2', 'bogus'],
      ['SORT', 'l', 'LIMIT', '99999999999999999999', '1'],
      ['SORT', 'l', 'LIMIT', ' 1', '1'],
      ['SORT', 'l', 'BY'],
      ['SORT', 'l', 'GET'],
      ['SORT', 'l', 'STORE'],
      ['SORT_RO', 'l', 'STORE', 'd'],
      ['SORT_RO', 'l', 'store'],
      ['SORT', 'str', 'bogus'],
      ['SORT', 'str', 'LIMIT', 'x', '0'],
      ['SORT', 'str'],
      ['SORT_RO', 'str'],
      ['HSET', 'h', 'f', 'v'],
      ['SORT', 'h'],
      ['SORT', 'str', 'BY', 'nosort'],
      ['SORT', 'l', 'l\0imit', '1', '2'],
      ['SORT', 'l', 'ALPHA\0x'],
      ['SORT'],
      ['SORT_RO'],
      ['EXISTS', 'd'],
    ]);
    await pair.expectReply(['SORT', 'l', 'LIMIT', 'x', '1'], '-ERR value is not an integer or out of range\r\n');
    await pair.expectReply(['SORT_RO', 'l', 'STORE', 'd'], '-ERR syntax error\r\n');
    await pair.expectReply(['SORT', 'str', 'bogus'], '-ERR syntax error\r\n');
  });

  it("numeric sorting: strtod's grammar, the conversion error, ties broken by the elements' bytes", async () => {
    const values = [
      ' 5', '\t7', '+3', '-0', '0', '07', '.5', '5.', '1e2', '1E+2', '0x10', '0X1f', '0x.8', '0x1.8p1', '0x1P+3', '0x1p-1074', '0x1p-1022',
      'inf', '-Infinity', 'INF', '2.2250738585072014e-308', '9007199254740993', '', '12\0ab', '\0x',
    ];
    const cmds: Command[] = [];
    for (const v of values) cmds.push(['DEL', 'l'], ['RPUSH', 'l', v, '2', '-1'], ['SORT', 'l'], ['SORT', 'l', 'DESC']);
    // Refused: characters left over, NaN, nothing converted.
    for (const v of ['1e', '1 ', 'nan', 'NaN(12)', '0x', 'abc', ' ', '1.2.3', '--1', 'infinit', '0x1p', '1e+', '0b1', '\x01']) cmds.push(['DEL', 'l'], ['RPUSH', 'l', v, '2'], ['SORT', 'l']);
    // Ties: equal weights, then bytes ('-0' and '0', a missing BY key weighs 0).
    cmds.push(['DEL', 'l'], ['RPUSH', 'l', '0', '-0', 'b', 'a', '0.0'], ['SORT', 'l', 'BY', 'nokey_*'], ['SORT', 'l', 'BY', 'nokey_*', 'DESC']);
    cmds.push(['DEL', 'l'], ['RPUSH', 'l', '0', '-0', '0.0', '00'], ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'LIMIT', '1', '2']);
    await same(pair, cmds);
    await pair.expectReply(['SORT', 'l'], '*4\r\n$2\r\n-0\r\n$1\r\n0\r\n$3\r\n0.0\r\n$2\r\n00\r\n');
  });

  /**
   * Redis never clears errno before strtod, so after an ERANGE every later
   * conversion that succeeds still looks out of range, until a system call
   * sets errno again: a new connection does (the accept loop ends on EAGAIN).
   */
  it('values out of a double range (ERANGE), each after a fresh connection', async () => {
    for (const v of ['1e400', '-1e400', '1e-400', '2.2250738585072011e-308', '4.9e-324', '0x1p1024', '0x1p-1080']) {
      const [a, b] = await Promise.all([RawClient.connect(pair.shardis.port), RawClient.connect(pair.redis.port)]);
      try {
        const cmds = [['DEL', 'l'], ['RPUSH', 'l', v, '2'], ['SORT', 'l']];
        const [ours, theirs] = await Promise.all([a.pipeline(cmds), b.pipeline(cmds)]);
        expect(ours.map(String), v).toEqual(theirs.map(String));
        expect(String(theirs[2]), v).toBe("-ERR One or more scores can't be converted into double\r\n");
      } finally {
        a.close();
        b.close();
      }
    }
    // Leave redis-server's errno clean for the next tests.
    const fresh = await RawClient.connect(pair.redis.port);
    await fresh.call('PING');
    fresh.close();
  });

  it('LIMIT clamping, with and without sorting, ASC and DESC, on lists and sets', async () => {
    const limits = [['0', '0'], ['0', '1'], ['1', '2'], ['2', '100'], ['5', '1'], ['4', '1'], ['3', '-1'], ['-2', '2'], ['-1', '-1'], ['0', '-5'], ['9223372036854775807', '9223372036854775807'], ['-9223372036854775808', '1']];
    const cmds: Command[] = [['RPUSH', 'l', '5', '3', '9', '1', '7'], ['SADD', 's', '5', '3', '9', '1', '7'], ['MSET', 'w_5', '1', 'w_3', '2', 'w_9', '3', 'w_1', '4', 'w_7', '5']];
    for (const [a, b] of limits) {
      for (const order of ['ASC', 'DESC']) {
        cmds.push(['SORT', 'l', 'LIMIT', a, b, order]);
        cmds.push(['SORT', 'l', 'BY', 'nosort', 'LIMIT', a, b, order]);
        cmds.push(['SORT', 'l', 'BY', 'w_*', 'LIMIT', a, b, order]);
        cmds.push(['SORT', 's', 'LIMIT', a, b, order]);
        cmds.push(['SORT', 's', 'BY', 'nosort', 'LIMIT', a, b, order]); // an intset: ascending
        cmds.push(['SORT', 'nokey', 'LIMIT', a, b, order]);
        cmds.push(['SORT', 'l', 'LIMIT', a, b, order, 'GET', '#', 'GET', 'w_*']);
      }
    }
    cmds.push(['SORT', 'l', 'LIMIT', '0', '1', 'LIMIT', '1', '3'], ['OBJECT', 'ENCODING', 's']);
    await same(pair, cmds);
  });

  it('BY without a star: native order, a set sorted when stored, and the flag sticks through a later BY', async () => {
    await same(pair, [
      ['RPUSH', 'l', 'c', 'a', 'b', '10', '9'],
      ['SADD', 's', 'c', 'a', 'b', '10', '9'],
      ['MSET', 'w_c', '3', 'w_a', '1', 'w_b', '2', 'w_10', '10', 'w_9', '9'],
      ['SORT', 'l', 'BY', 'nosort'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC'],
      ['SORT', 'l', 'BY', ''],
      ['SORT', 'l', 'BY', 'w_\0*'],
      ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'w_*', 'BY', 'nosort'],
      ['SORT', 'l', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'nosort', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      // A set with nothing to sort and STORE: sorted by bytes, DESC honoured.
      ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['SORT', 's', 'BY', 'nosort', 'DESC', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['SORT', 's', 'BY', 'nosort', 'BY', 'w_*', 'STORE', 'd', 'LIMIT', '1', '3'],
      ['LRANGE', 'd', '0', '-1'],
      ['SORT', 's', 'BY', 'w_*'],
      ['SORT', 's', 'BY', 'w_*', 'DESC', 'GET', 'w_*', 'GET', '#'],
      ['SORT', 's', 'ALPHA'],
      ['SORT', 's', 'ALPHA', 'DESC', 'LIMIT', '0', '2'],
    ]);
  });

  it('ALPHA: C-string collation when replying, byte order when storing; ties keep their order (as glibc qsort)', async () => {
    await same(pair, [
      ['RPUSH', 'l', 'b\0a', 'b', 'a\0z', 'a', 'b\0', 'B', '\xff', '\x80a', ''],
      ['SORT', 'l', 'ALPHA'],
      ['SORT', 'l', 'ALPHA', 'DESC'],
      ['SORT', 'l', 'ALPHA', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['SORT', 'l', 'ALPHA', 'DESC', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['MSET', 'w_b\0a', 'x\0b', 'w_b', 'x\0a', 'w_a', 'y', 'w_B', 'x'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['DEL', 'l'],
      ['RPUSH', 'l', 'd', 'c', 'b', 'a', 'e'],
      ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA'],
      ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'DESC'],
      ['SORT', 'l', 'ALPHA', 'GET', '#', 'GET', 'nokey_*'],
      ['SORT', 'l', 'ALPHA', 'ALPHA', 'desc', 'asc'],
    ]);
  });

  it('GET and BY patterns: #, string keys, hash fields, missing keys and fields, wrong types, NUL bytes', async () => {
    await same(pair, [
      ['RPUSH', 'l', '1', '2', '3', 'x'],
      ['MSET', 'w_1', '30', 'w_2', '20', 'w_3', '10', 'o_1_s', 'one', 'o_2_s', 'two'],
      ['HSET', 'h_1', 'f', '3', 'g', 'a'],
      ['HSET', 'h_2', 'f', '1', 'g', 'b'],
      ['HSET', 'h_3', 'f', '2'],
      ['RPUSH', 'w_x', 'list'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'GET', 'h_*->f', 'GET', 'h_*->g', 'GET', 'o_*_s'],
      ['SORT', 'l', 'BY', 'h_*->f', 'GET', '#'],
      ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'GET', '#', 'GET', 'h_*->g'],
      ['SORT', 'l', 'BY', 'h_*->nofield', 'GET', 'h_*->nofield'],
      ['SORT', 'l', 'BY', 'w_*->f', 'GET', 'w_*->f', 'GET', 'h_*'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'nostar', 'GET', '#x', 'GET', '#\0x', 'GET', '*->', 'GET', 'h_*->'],
      ['SET', 'h_1->', 'arrow'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'h_*->'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_\0*', 'GET', 'h_*->\0f', 'GET', 'h_*\0->f'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_**'],
      ['SET', 'w_1*', 'star'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_**'],
      ['SORT_RO', 'l', 'BY', 'w_*', 'GET', 'w_*', 'GET', '#'],
    ]);
  });

  it('STORE: a list at the destination replacing any type and TTL; an empty result deletes it; GETs stored as empty strings when missing', async () => {
    await same(pair, [
      ['RPUSH', 'l', '3', '1', '2'],
      ['SET', 'd', 'string'],
      ['EXPIRE', 'd', '100'],
      ['SORT', 'l', 'STORE', 'd'],
      ['TYPE', 'd'],
      ['TTL', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['OBJECT', 'ENCODING', 'd'],
      ['SORT', 'l', 'GET', '#', 'GET', 'nokey_*', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['SORT', 'l', 'LIMIT', '5', '1', 'STORE', 'd'],
      ['EXISTS', 'd'],
      ['SORT', 'nokey', 'STORE', 'd'],
      ['SORT', 'l', 'STORE', 'd', 'STORE', 'e'],
      ['EXISTS', 'd', 'e'],
      ['SORT', 'l', 'DESC', 'STORE', 'l'],
      ['LRANGE', 'l', '0', '-1'],
      ['SADD', 's', 'b', 'a'],
      ['SORT', 's', 'ALPHA', 'STORE', 's'],
      ['TYPE', 's'],
      ['LRANGE', 's', '0', '-1'],
      ['SORT', 'l', 'STORE', 'store'],
      ['LRANGE', 'store', '0', '-1'],
      ['SORT', 'l', 'BY', 'nokey', 'GET', '#', 'GET', '#', 'STORE', 'big'],
      ['LLEN', 'big'],
      ['SET', 'x', 'string'],
      ['SORT', 'x', 'STORE', 'd'],
      ['SORT', 'l', 'STORE', 'd', 'LIMIT', 'x', '1'],
    ]);
  });

  it('sorted sets: converted to skiplist by SORT and SORT_RO (not after a syntax error), score order with a constant BY, LIMIT as a rank range', async () => {
    const cmds: Command[] = [
      ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '2', 'bb', '-1', '10', '5', '9'],
      ['OBJECT', 'ENCODING', 'z'],
      ['SORT', 'z', 'bogus'],
      ['OBJECT', 'ENCODING', 'z'],
      ['SORT_RO', 'z', 'BY', 'nosort'],
      ['OBJECT', 'ENCODING', 'z'],
      ['ZADD', 'z2', '1', '5', '2', '3'],
      ['SORT', 'z2'],
      ['OBJECT', 'ENCODING', 'z2'],
      ['ZADD', 'z3', '1', 'x'],
      ['SORT', 'z3'],
      ['OBJECT', 'ENCODING', 'z3'],
      ['SORT', 'z', 'ALPHA'],
      ['SORT', 'z', 'ALPHA', 'DESC', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['SORT', 'z', 'BY', 'nosort', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '-1'],
      ['MSET', 'w_a', '5', 'w_b', '4', 'w_c', '3', 'w_bb', '2', 'w_10', '1'],
      ['SORT', 'z', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*'],
    ];
    for (const [a, b] of [['0', '2'], ['1', '3'], ['4', '10'], ['6', '1'], ['-1', '2'], ['2', '-1'], ['0', '0']]) {
      cmds.push(['SORT', 'z', 'BY', 'nosort', 'LIMIT', a, b], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', a, b, 'DESC'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', a, b, 'DESC', 'GET', '#', 'GET', 'w_*']);
    }
    await same(pair, cmds);
    await pair.expectReply(['OBJECT', 'ENCODING', 'z'], '$8\r\nskiplist\r\n');
    await pair.expectReply(['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '3', 'DESC'], '*3\r\n$1\r\nc\r\n$2\r\nbb\r\n$1\r\nb\r\n');
  });

  it('a large list sorted and stored (quicklist chunks) equals Redis, and so does its encoding', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => String((i * 7919) % 1501));
    await same(pair, [
      ['RPUSH', 'big', ...many],
      ['SORT', 'big', 'LIMIT', '700', '20'],
      ['SORT', 'big', 'DESC', 'STORE', 'd'],
      ['LRANGE', 'd', '0', '30'],
      ['LINDEX', 'd', '1000'],
      ['OBJECT', 'ENCODING', 'd'],
      ['SADD', 'bigset', ...many],
      ['OBJECT', 'ENCODING', 'bigset'],
      ['SORT', 'bigset', 'LIMIT', '100', '10'],
      ['SORT', 'bigset', 'ALPHA', 'LIMIT', '100', '10'],
    ]);
  });

  it('keyspace hits and misses count the sorted key and every pattern lookup; expired weights and sorted keys are missing', async () => {
    await pair.flush();
    const setup: Command[] = [['RPUSH', 'l', '1', '2', '3', '4'], ['MSET', 'w_1', '1', 'w_2', '2', 'w_3', '3'], ['HSET', 'h_3', 'f', '1'], ['PEXPIRE', 'w_3', '1'], ['RPUSH', 'gone', 'x'], ['PEXPIRE', 'gone', '1']];
    await Promise.all([pair.ours.pipeline(setup), pair.theirs.pipeline(setup)]);
    await new Promise((r) => setTimeout(r, 20));
    await pair.both(['CONFIG', 'RESETSTAT']);
    const mismatch = await pair.mismatch([
      ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'h_*->f', 'GET', 'nostar', 'GET', 'w_*'],
      ['SORT', 'l', 'STORE', 'd'],
      ['SORT_RO', 'nokey'],
      ['SORT', 'gone'],
      ['SORT', 'l', 'bogus'],
    ]);
    expect(mismatch, mismatch ?? '').toBeNull();
    const stats = async (c: RawClient) => String(await c.call('INFO', 'stats')).split('\r\n').filter((line) => /^keyspace_(hits|misses):/.test(line));
    const [ours, theirs] = await Promise.all([stats(pair.ours), stats(pair.theirs)]);
    expect(ours).toEqual(theirs);
    expect(theirs).toEqual(['keyspace_hits:7', 'keyspace_misses:9']);
  });

  it('RESP3: the reply is an array, missing GET values are nulls', async () => {
    await pair.flush();
    await pair.both(['HELLO', '3']);
    try {
      const mismatch = await pair.mismatch([
        ['RPUSH', 'l', '2', '1'],
        ['SET', 'w_1', 'one'],
        ['SORT', 'l', 'GET', '#', 'GET', 'w_*'],
        ['SORT_RO', 'l', 'BY', 'nosort', 'GET', 'w_*'],
        ['SORT', 'l', 'STORE', 'd'],
        ['SORT', 'nokey'],
        ['SORT', 'l', 'LIMIT', 'x', '0'],
      ]);
      expect(mismatch, mismatch ?? '').toBeNull();
      await pair.expectReply(['SORT', 'l', 'GET', 'w_*'], '*2\r\n$3\r\none\r\n_\r\n');
    } finally {
      await pair.both(['HELLO', '2']);
    }
  });

  it('COMMAND GETKEYS and GETKEYSANDFLAGS find the sorted key and the last STORE destination (sortGetKeys)', async () => {
    const lines = [
      ['sort', 'k'],
      ['sort', 'k', 'STORE', 'd'],
      ['sort', 'k', 'BY', 'w_*', 'GET', '#', 'LIMIT', '0', '1', 'STORE', 'd'],
      ['sort', 'k', 'STORE', 'd', 'STORE', 'e'],
      ['sort', 'k', 'STORE'],
      ['sort', 'k', 'STORE', 'store', 'x'],
      ['sort', 'k', 'GET', 'store', 'x'],
      ['sort', 'k', 'LIMIT', 'store', 'x', 'y'],
      ['sort', 'k', 'by', 'store', 'STORE', 'd'],
      ['sort', 'k', 'bogus', 'store', 'd'],
      ['SORT', 'k', 'sToRe', 'd'],
      ['sort_ro', 'k'],
      ['sort_ro', 'k', 'STORE', 'd'],
      ['sort'],
      ['sort_ro'],
    ];
    const cmds = lines.flatMap((l) => [['COMMAND', 'GETKEYS', ...l], ['COMMAND', 'GETKEYSANDFLAGS', ...l]]);
    const mismatch = await pair.mismatch([...cmds, ['COMMAND', 'INFO', 'sort', 'sort_ro']]);
    expect(mismatch, mismatch ?? '').toBeNull();
    await pair.expectReply(['COMMAND', 'GETKEYS', 'sort', 'k', 'STORE', 'd', 'STORE', 'e'], '*2\r\n$1\r\nk\r\n$1\r\ne\r\n');
  });
});

describe.skipIf(!requireRedisServer())('SORT across 4 shards', () => {
  const pair = DiffPair.forSuite(4);

  /** Weight and GET keys named after many elements land on every shard. */
  const elements = Array.from({ length: 40 }, (_, i) => `e${i}`);

  it('BY and GET keys on every shard, STORE to a key on another shard, and in MULTI/EXEC', async () => {
    const weights = elements.flatMap((e, i) => [`w_${e}`, String((i * 13) % 40)]);
    await same(pair, [
      ['RPUSH', 'l', ...elements],
      ['MSET', ...weights],
      ...elements.slice(0, 20).map((e, i) => ['HSET', `h_${e}`, 'f', String(-i)]),
      ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'GET', 'h_*->f'],
      ['SORT', 'l', 'BY', 'h_*->f', 'LIMIT', '5', '10'],
      ['SORT', 'l', 'BY', 'w_*', 'DESC', 'STORE', 'dest-elsewhere'],
      ['LRANGE', 'dest-elsewhere', '0', '-1'],
      ['SORT', 'l', 'STORE', 'another-dest'],
      ['LLEN', 'another-dest'],
      ['SORT_RO', 'l', 'BY', 'w_*', 'GET', 'h_*->f'],
      ['MULTI'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*', 'LIMIT', '0', '5'],
      ['SET', 'w_e0', '1000'],
      ['SORT', 'l', 'BY', 'w_*', 'DESC', 'LIMIT', '0', '3', 'STORE', 'dest-elsewhere'],
      ['SORT_RO', 'l', 'BY', 'nosort', 'GET', 'h_*->f', 'LIMIT', '0', '3'],
      ['EXEC'],
      ['LRANGE', 'dest-elsewhere', '0', '-1'],
      ['DBSIZE'],
    ]);
    // The pattern keys really live on several shards.
    const shardsHolding = new Set<number>();
    for (const e of elements) shardsHolding.add(keyShard(`w_${e}`));
    expect(shardsHolding.size).toBe(4);
  });

  it('WATCH: a STORE to a watched key on another shard fails the EXEC; a plain SORT touches neither it nor the sorted key', async () => {
    for (const [client, other] of [[pair.ours, pair.shardis.port], [pair.theirs, pair.redis.port]] as const) {
      await client.call('FLUSHALL');
      await client.call('RPUSH', 'l', ...elements);
      const watcher = await RawClient.connect(other);
      try {
        await watcher.call('WATCH', 'dest-elsewhere', 'l');
        await client.call('SORT', 'l', 'BY', 'w_*');
        await client.call('SORT', 'l', 'LIMIT', '0', '2');
        await watcher.call('MULTI');
        await watcher.call('PING');
        expect(String(await watcher.call('EXEC'))).toBe('*1\r\n+PONG\r\n');
        await watcher.call('WATCH', 'dest-elsewhere');
        await client.call('SORT', 'l', 'BY', 'w_*', 'STORE', 'dest-elsewhere');
        await watcher.call('MULTI');
        await watcher.call('PING');
        expect(String(await watcher.call('EXEC'))).toBe('*-1\r\n');
      } finally {
        watcher.close();
      }
    }
  });

  it('STORE wakes a client blocked on a missing destination (on another shard), not one waiting on a key it overwrites', async () => {
    const run = async (port: number) => {
      const [a, b] = await Promise.all([RawClient.connect(port), RawClient.connect(port)]);
      try {
        await a.call('FLUSHALL');
        await a.call('RPUSH', 'l', '3', '1', '2');
        const first = b.call('BLPOP', 'dest-elsewhere', '0');
        await new Promise((r) => setTimeout(r, 100));
        const stored = String(await a.call('SORT', 'l', 'STORE', 'dest-elsewhere'));
        const woken = String(await first);
        const left = String(await a.call('LRANGE', 'dest-elsewhere', '0', '-1'));
        const second = b.call('BLPOP', 'string-dest', '1');
        await new Promise((r) => setTimeout(r, 100));
        await a.call('SET', 'string-dest', 'x');
        await a.call('SORT', 'l', 'STORE', 'string-dest');
        return [stored, woken, left, String(await second), String(await a.call('LLEN', 'string-dest'))];
      } finally {
        a.close();
        b.close();
      }
    };
    const [ours, theirs] = await Promise.all([run(pair.shardis.port), run(pair.redis.port)]);
    expect(ours).toEqual(theirs);
    expect(theirs[1]).toBe('*2\r\n$14\r\ndest-elsewhere\r\n$1\r\n1\r\n');
    expect(keyShard('dest-elsewhere')).not.toBe(keyShard('l'));
  });

  it('ioredis: sort with options and sort_ro give what redis-server gives', async () => {
    const run = async (port: number) => {
      const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await r.flushall();
        await r.rpush('scores', '3', '1', '2', '10');
        await r.mset({ 'name_1': 'one', 'name_2': 'two', 'name_3': 'three' });
        return [
          await r.sort('scores'),
          await r.sort('scores', 'DESC', 'LIMIT', 0, 2),
          await r.sort('scores', 'BY', 'nosort', 'GET', '#', 'GET', 'name_*'),
          await r.sort('scores', 'ALPHA', 'STORE', 'sorted'),
          await r.lrange('sorted', 0, -1),
          await r.sort_ro('scores', 'BY', 'name_*', 'ALPHA'),
          await r.sort('scores', 'LIMIT', 'x', 1).catch((e: Error) => e.message),
        ];
      } finally {
        r.disconnect();
      }
    };
    const [ours, theirs] = await Promise.all([run(pair.shardis.port), run(pair.redis.port)]);
    expect(ours).toEqual(theirs);
    expect(theirs[0]).toEqual(['1', '2', '3', '10']);
  });
});

/** The shard that owns a key with 4 shards (slot % 4, as shardis assigns slots). */
function keyShard(key: string): number {
  return keySlot(key) % 4;
}
