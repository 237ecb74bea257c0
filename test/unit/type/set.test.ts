/**
 * Set commands, what the property test cannot reach: encodings at and past
 * the thresholds (SADD, the STORE commands, SMOVE, SPOP's rebuilt set,
 * COPY, cross-shard moves), error replies, the SSCAN guarantee on a large
 * set, random picks (SPOP, SRANDMEMBER) checked statistically, and a real
 * client. Every exact reply is compared with redis-server's.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { DiffPair, prng } from '../../helpers/differential.js';
import { requireRedisServer } from '../../helpers/server.js';

const bulks = (reply: string): string[] => {
  const out: string[] = [];
  const re = /\$(\d+)\r\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(reply)) !== null) {
    const start = m.index + m[0].length;
    out.push(reply.slice(start, start + Number(m[1])));
    re.lastIndex = start + Number(m[1]) + 2;
  }
  return out;
};
const range = (n: number, f: (i: number) => string = String) => Array.from({ length: n }, (_, i) => f(i));

describe.skipIf(!requireRedisServer())('set commands against redis-server (4 shards)', () => {
  const pair = DiffPair.forSuite(4);
  afterEach(async () => {
    await pair.both(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
    await pair.flush();
  });

  /** Runs the commands on both servers; every reply must be byte-identical. */
  async function same(cmds: string[][]): Promise<void> {
    const mismatch = await pair.mismatch(cmds);
    expect(mismatch, mismatch ?? '').toBeNull();
  }

  it('SADD: intset up to set-max-intset-entries, hashtable one past it, and for a non-integer or non-canonical member', async () => {
    await same([
      ['SADD', 'a', ...range(512)],
      ['OBJECT', 'ENCODING', 'a'],
      ['SADD', 'a', '512'],
      ['OBJECT', 'ENCODING', 'a'],
      ['SADD', 'b', '1', '-9223372036854775808', '9223372036854775807'],
      ['OBJECT', 'ENCODING', 'b'],
      ['SMEMBERS', 'b'],
      ['SADD', 'c', '01'],
      ['OBJECT', 'ENCODING', 'c'],
      ['SADD', 'd', '1', '9223372036854775808'],
      ['OBJECT', 'ENCODING', 'd'],
      ['SADD', 'e', '-0'],
      ['OBJECT', 'ENCODING', 'e'],
      // Removing the non-integer does not convert back.
      ['SADD', 'f', '1', '2', 'x'],
      ['SREM', 'f', 'x'],
      ['OBJECT', 'ENCODING', 'f'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
      ['SADD', 'g', '1', '2', '3'],
      ['OBJECT', 'ENCODING', 'g'],
      ['SADD', 'g', '4'],
      ['OBJECT', 'ENCODING', 'g'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '0'],
      ['SADD', 'h', '1'],
      ['OBJECT', 'ENCODING', 'h'],
    ]);
  });

  it('intset replies are in ascending order across widths (int16, int32, int64 beyond 2^53)', async () => {
    const values = ['5', '-3', '70000', '-2147483649', '9007199254740993', '9007199254740992', '0', '-9223372036854775807', '32767', '-32768'];
    await same([
      ['SADD', '{t}a', ...values],
      ['SMEMBERS', '{t}a'],
      ['SSCAN', '{t}a', '0'],
      ['SSCAN', '{t}a', '12345', 'MATCH', '9*'],
      ['SRANDMEMBER', '{t}a', '100'],
      ['SADD', '{t}b', '0', '5', '9007199254740993', '70000', '1'],
      ['SINTER', '{t}a', '{t}b'],
      ['SINTERCARD', '2', '{t}a', '{t}b'],
      ['SUNION', '{t}a', '{t}a'],
      ['SDIFF', '{t}a', '{t}c'],
      ['SISMEMBER', '{t}a', '9007199254740992'],
      ['SMISMEMBER', '{t}a', '9007199254740993', '9007199254740994', '-0', '070000'],
    ]);
  });

  it('STORE results and SMOVE destinations take the encoding Redis builds', async () => {
    await same([
      ['SADD', '{t}i1', '1', '2', '3', '4', '5'],
      ['SADD', '{t}i2', '3', '4', '5', '6'],
      ['SADD', '{t}h1', '1', '2', '3', '4', '5', 'a'],
      ['SADD', '{t}h2', 'a'],
      ['SADD', '{t}h3', 'b'],
      ['SINTERSTORE', '{t}d', '{t}i1', '{t}h1'],
      ['OBJECT', 'ENCODING', '{t}d'],
      ['SUNIONSTORE', '{t}d', '{t}i1', '{t}i2'],
      ['OBJECT', 'ENCODING', '{t}d'],
      ['SMEMBERS', '{t}d'],
      // SDIFF's first algorithm adds only the survivors: an intset.
      ['SDIFFSTORE', '{t}d', '{t}h1', '{t}h2'],
      ['OBJECT', 'ENCODING', '{t}d'],
      // Its second algorithm adds the whole first set, then removes: a hashtable stays.
      ['SDIFFSTORE', '{t}d', '{t}h1', '{t}h2', '{t}h3'],
      ['OBJECT', 'ENCODING', '{t}d'],
      ['SCARD', '{t}d'],
      // An empty result deletes the destination, whatever it held.
      ['SET', '{t}s', 'x'],
      ['SINTERSTORE', '{t}s', '{t}i1', '{t}nokey'],
      ['EXISTS', '{t}s'],
      ['SET', '{t}s', 'x', 'EX', '1000'],
      ['SUNIONSTORE', '{t}s', '{t}i2'],
      ['TYPE', '{t}s'],
      ['TTL', '{t}s'],
      ['SDIFFSTORE', '{t}s', '{t}i1', '{t}i1'],
      ['EXISTS', '{t}s'],
      // Above the threshold, the result converts.
      ['CONFIG', 'SET', 'set-max-intset-entries', '5'],
      ['SUNIONSTORE', '{t}d', '{t}i1', '{t}i2'],
      ['OBJECT', 'ENCODING', '{t}d'],
      ['SMOVE', '{t}h1', '{t}m1', '1'],
      ['OBJECT', 'ENCODING', '{t}m1'],
      ['SMOVE', '{t}h1', '{t}m2', 'a'],
      ['OBJECT', 'ENCODING', '{t}m2'],
      ['SMOVE', '{t}m2', '{t}m1', 'a'],
      ['OBJECT', 'ENCODING', '{t}m1'],
      ['EXISTS', '{t}m2'],
      ['SMOVE', '{t}m1', '{t}m1', 'a'],
      ['SMOVE', '{t}m1', '{t}m1', 'zz'],
    ]);
  });

  it('keys on different shards: algebra, STORE and SMOVE across shards keep Redis\' results and encodings', async () => {
    await same([
      ['SADD', 'x1', '1', '2', '3'],
      ['SADD', 'x2', '2', '3', 'z'],
      ['SADD', 'x3', '3', '4'],
      ['SINTER', 'x1', 'x3'],
      ['SINTERCARD', '3', 'x1', 'x2', 'x3'],
      ['SUNIONSTORE', 'x4', 'x1', 'x3'],
      ['SMEMBERS', 'x4'],
      ['OBJECT', 'ENCODING', 'x4'],
      ['SMOVE', 'x1', 'x5', '1'],
      ['OBJECT', 'ENCODING', 'x5'],
      ['SMOVE', 'x2', 'x5', 'z'],
      ['OBJECT', 'ENCODING', 'x5'],
      ['SCARD', 'x5'],
      ['COPY', 'x4', 'x6'],
      ['OBJECT', 'ENCODING', 'x6'],
      ['SMEMBERS', 'x6'],
      ['SDIFFSTORE', 'x7', 'x4', 'x1'],
      ['SMEMBERS', 'x7'],
    ]);
  });

  it('errors: wrong types, counts, numkeys, LIMIT, cursors and options, in Redis\' order', async () => {
    await same([
      ['SET', '{t}str', 'v'],
      ['SADD', '{t}set', '1'],
      ['SADD', '{t}str', '1'],
      ['SREM', '{t}str', '1'],
      ['SCARD', '{t}str'],
      ['SISMEMBER', '{t}str', '1'],
      ['SMISMEMBER', '{t}str', '1'],
      ['SMEMBERS', '{t}str'],
      ['SPOP', '{t}str'],
      ['SPOP', '{t}str', 'x'],
      ['SPOP', '{t}str', '-1'],
      ['SPOP', '{t}str', '1'],
      ['SPOP', '{t}set', '1', '2'],
      ['SRANDMEMBER', '{t}str'],
      ['SRANDMEMBER', '{t}str', 'x'],
      ['SRANDMEMBER', '{t}set', '-9223372036854775808'],
      ['SRANDMEMBER', '{t}nokey', '-9223372036854775808'],
      ['SRANDMEMBER', '{t}set', '1', '2'],
      // WRONGTYPE even after a missing key; a missing key first still empties SINTER.
      ['SINTER', '{t}nokey', '{t}str'],
      ['SINTER', '{t}set', '{t}nokey'],
      ['SUNION', '{t}nokey', '{t}set', '{t}str'],
      ['SDIFF', '{t}str', '{t}set'],
      ['SINTERSTORE', '{t}str', '{t}set', '{t}nokey'],
      ['SET', '{t}str', 'v'],
      ['SUNIONSTORE', '{t}d', '{t}set', '{t}str'],
      ['SINTERCARD', '0', '{t}set'],
      ['SINTERCARD', '-1', '{t}set'],
      ['SINTERCARD', 'x', '{t}set'],
      ['SINTERCARD', '2', '{t}set'],
      ['SINTERCARD', '1', '{t}set', 'LIMIT'],
      ['SINTERCARD', '1', '{t}set', 'LIMIT', '-1'],
      ['SINTERCARD', '1', '{t}set', 'LIMIT', 'x'],
      ['SINTERCARD', '1', '{t}set', 'limit\0x', '1'],
      ['SINTERCARD', '1', '{t}str'],
      ['SMOVE', '{t}nokey', '{t}str', '1'],
      ['SMOVE', '{t}str', '{t}set', '1'],
      ['SMOVE', '{t}set', '{t}str', '1'],
      ['SSCAN', '{t}set', 'x'],
      ['SSCAN', '{t}set', ' 1'],
      ['SSCAN', '{t}str', '0'],
      ['SSCAN', '{t}str', 'x'],
      ['SSCAN', '{t}nokey', '0', 'COUNT', '0'],
      ['SSCAN', '{t}set', '0', 'COUNT', '0'],
      ['SSCAN', '{t}set', '0', 'COUNT', 'x'],
      ['SSCAN', '{t}set', '0', 'TYPE', 'set'],
      ['SSCAN', '{t}set', '0', 'MATCH'],
      ['SSCAN', '{t}set', '-1'],
      ['SSCAN', '{t}set', '18446744073709551616'],
      ['SADD', '{t}set'],
      ['SINTERCARD', '1'],
    ]);
  });

  it('RESP3: sets where Redis sends sets, arrays where it sends arrays, nulls', async () => {
    await pair.both(['HELLO', '3']);
    try {
      await same([
        ['SADD', '{t}a', '3', '1', '2'],
        ['SMEMBERS', '{t}a'],
        ['SMEMBERS', '{t}nokey'],
        ['SINTER', '{t}a', '{t}a'],
        ['SINTER', '{t}a', '{t}nokey'],
        ['SUNION', '{t}a'],
        ['SDIFF', '{t}a', '{t}nokey'],
        ['SDIFF', '{t}nokey', '{t}a'],
        ['SMISMEMBER', '{t}a', '1', '5'],
        ['SISMEMBER', '{t}a', '1'],
        ['SRANDMEMBER', '{t}a', '10'],
        ['SRANDMEMBER', '{t}nokey', '10'],
        ['SRANDMEMBER', '{t}a', '0'],
        ['SRANDMEMBER', '{t}nokey'],
        ['SPOP', '{t}nokey'],
        ['SPOP', '{t}nokey', '2'],
        ['SPOP', '{t}a', '0'],
        ['SSCAN', '{t}a', '0'],
        ['SSCAN', '{t}nokey', '0'],
        ['SPOP', '{t}a', '5'],
        ['EXISTS', '{t}a'],
      ]);
      const { ours, theirs } = await pair.both(['SADD', '{t}b', '1', '2', '3']);
      expect(ours).toBe(theirs);
      const popped = await pair.both(['SPOP', '{t}b', '2']);
      expect(popped.theirs.startsWith('~2\r\n')).toBe(true);
      expect(popped.ours.startsWith('~2\r\n')).toBe(true);
    } finally {
      await pair.both(['HELLO', '2']);
    }
  });

  it('SSCAN: a small set in one call with cursor 0; a large one returns every member present throughout, with churn between calls', async () => {
    const n = 3000;
    await pair.ours.call('SADD', 'big', ...range(n, (i) => `m${i}`));
    // An intset: everything at once whatever the COUNT; a small hashtable within the default COUNT.
    await same([['SADD', 'ints', '3', '1', '2'], ['SSCAN', 'ints', '0', 'COUNT', '1']]);
    await pair.both(['SADD', 'small', 'a', 'b', 'c']);
    const small = await pair.both(['SSCAN', 'small', '0']);
    expect(small.theirs.startsWith('*2\r\n$1\r\n0\r\n*3\r\n')).toBe(true);
    expect(small.ours.startsWith('*2\r\n$1\r\n0\r\n*3\r\n')).toBe(true);
    const rand = prng(7);
    const seen = new Set<string>();
    const removed = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const reply = (await pair.ours.call('SSCAN', 'big', cursor, 'COUNT', '50', 'MATCH', 'm*')).toString('latin1');
      const [next, ...members] = bulks(reply);
      for (const m of members) seen.add(m);
      cursor = next;
      calls++;
      // Churn: remove some members, add new ones (which may or may not be returned).
      const victims = range(5, () => `m${Math.floor(rand() * n)}`);
      for (const v of victims) removed.add(v);
      await pair.ours.pipeline([['SREM', 'big', ...victims], ['SADD', 'big', ...range(5, () => `new${Math.floor(rand() * 1e6)}`)]]);
    } while (cursor !== '0');
    expect(calls).toBeGreaterThan(n / 50 / 2);
    for (let i = 0; i < n; i++) if (!removed.has(`m${i}`)) expect(seen.has(`m${i}`), `m${i}`).toBe(true);
    // COUNT bounds the work per call; MATCH filters after it.
    const part = bulks((await pair.ours.call('SSCAN', 'big', '0', 'COUNT', '20', 'MATCH', 'new*')).toString('latin1'));
    expect(part.length - 1).toBeLessThanOrEqual(20);
    expect(part.slice(1).every((m) => m.startsWith('new'))).toBe(true);
  });

  it('SRANDMEMBER: unique members for a positive count, repetition for a negative one, each member drawn about equally', async () => {
    for (const encoding of ['intset', 'hashtable']) {
      await pair.flush();
      const size = 20;
      const members = range(size, (i) => (encoding === 'intset' ? String(i * 7) : `e${i}`));
      await same([['SADD', 'r', ...members], ['OBJECT', 'ENCODING', 'r']]);
      const counts = new Map<string, number>(members.map((m) => [m, 0]));
      // count 5 (few: draws until unique), 15 (close to size: drops from a copy), -30 (repetition).
      const requests: string[][] = [];
      for (let k = 0; k < 200; k++) requests.push(['SRANDMEMBER', 'r', '5'], ['SRANDMEMBER', 'r', '15'], ['SRANDMEMBER', 'r', '-30'], ['SRANDMEMBER', 'r']);
      const replies = await pair.ours.pipeline(requests);
      replies.forEach((buf, i) => {
        const got = bulks(buf.toString('latin1'));
        const expected = [5, 15, 30, 1][i % 4];
        expect(got.length).toBe(expected);
        if (i % 4 < 2) expect(new Set(got).size).toBe(expected);
        for (const m of got) {
          expect(counts.has(m), m).toBe(true);
          counts.set(m, counts.get(m)! + 1);
        }
      });
      // 200 * (5 + 15 + 30 + 1) = 10200 draws over 20 members: 510 each on average.
      for (const [m, c] of counts) {
        expect(c, m).toBeGreaterThan(380);
        expect(c, m).toBeLessThan(640);
      }
      // What Redis replies whatever the randomness: a count >= size is the whole set (in intset order for an intset).
      const whole = await pair.both(['SRANDMEMBER', 'r', '20']);
      if (encoding === 'intset') expect(whole.ours).toBe(whole.theirs);
      else expect(bulks(whole.ours).sort()).toEqual(bulks(whole.theirs).sort());
      await same([['SRANDMEMBER', 'r', '0'], ['SCARD', 'r']]);
    }
  });

  it('SPOP: distinct members that leave the set, by each of Redis\' strategies; the key goes with the last; the rebuilt set takes Redis\' encoding', async () => {
    for (const [encoding, count] of [['intset', 10], ['intset', 90], ['hashtable', 10], ['hashtable', 90]] as const) {
      await pair.flush();
      const members = range(100, (i) => (encoding === 'intset' ? String(i) : `p${i}`));
      await pair.ours.call('SADD', 's', ...members);
      const popped = bulks((await pair.ours.call('SPOP', 's', String(count))).toString('latin1'));
      expect(popped.length).toBe(count);
      expect(new Set(popped).size).toBe(count);
      const left = bulks((await pair.ours.call('SMEMBERS', 's')).toString('latin1'));
      expect(left.length).toBe(100 - count);
      expect(new Set([...left, ...popped])).toEqual(new Set(members));
      expect((await pair.ours.call('OBJECT', 'ENCODING', 's')).toString('latin1')).toBe(`$${encoding.length}\r\n${encoding}\r\n`);
    }
    // A hashtable of integers rebuilt by the "remaining" strategy becomes an intset, as in Redis.
    await same([['SADD', 'h', 'x', ...range(20)], ['SREM', 'h', 'x'], ['OBJECT', 'ENCODING', 'h']]);
    const { ours, theirs } = await pair.both(['SPOP', 'h', '19']);
    expect(bulks(ours).length).toBe(19);
    expect(bulks(theirs).length).toBe(19);
    await same([['OBJECT', 'ENCODING', 'h'], ['SCARD', 'h']]);
    const last = await pair.both(['SPOP', 'h', '5']);
    expect(bulks(last.ours).length).toBe(1);
    expect(bulks(last.theirs).length).toBe(1);
    await same([['EXISTS', 'h']]);
    // Single pops: uniform over the members.
    const counts = new Map<string, number>();
    for (let round = 0; round < 100; round++) {
      const replies = await pair.ours.pipeline([['DEL', 'u'], ['SADD', 'u', 'a', 'b', 'c', 'd'], ['SPOP', 'u'], ['SCARD', 'u']]);
      const m = bulks(replies[2].toString('latin1'))[0];
      counts.set(m, (counts.get(m) ?? 0) + 1);
      expect(replies[3].toString('latin1')).toBe(':3\r\n');
    }
    for (const m of ['a', 'b', 'c', 'd']) expect(counts.get(m) ?? 0).toBeGreaterThan(10);
  });

  it('ioredis: set commands through a real client', async () => {
    const client = new Redis({ port: pair.shardis.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      expect(await client.sadd('fruits', 'apple', 'pear', 'plum')).toBe(3);
      expect((await client.smembers('fruits')).sort()).toEqual(['apple', 'pear', 'plum']);
      expect(await client.smismember('fruits', 'pear', 'kiwi')).toEqual([1, 0]);
      expect(await client.sintercard(1, 'fruits')).toBe(3);
      const [cursor, found] = await client.sscan('fruits', 0, 'MATCH', 'p*');
      expect(cursor).toBe('0');
      expect(found.sort()).toEqual(['pear', 'plum']);
      expect(await client.srem('fruits', 'apple', 'pear', 'plum')).toBe(3);
      expect(await client.exists('fruits')).toBe(0);
    } finally {
      client.disconnect();
    }
  });
});
