/**
 * Sorted sets, focused on what the property test cannot reach: encoding
 * conversions at the thresholds (and CONFIG SET of them), large sets in the
 * skiplist encoding compared with redis-server command by command, the ZSCAN
 * guarantee, ZRANDMEMBER's counting rules and distribution, and error texts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { arrayElements } from '../../../src/resp/reply-scan.js';
import { DiffPair, prng, type Command } from '../../helpers/differential.js';
import { requireRedisServer } from '../../helpers/server.js';

/** The flat elements of an array reply, as latin1 strings (bulk payloads only). */
function bulks(reply: Buffer): string[] {
  return arrayElements(reply).map(([s, e]) => {
    const part = reply.subarray(s, e).toString('latin1');
    return part.slice(part.indexOf('\r\n') + 2, -2);
  });
}

/** ZADD commands for members m0..m(n-1) with scores from `score`. */
function zaddMany(key: string, n: number, score: (i: number) => string, member = (i: number) => `m${i}`): Command[] {
  const cmds: Command[] = [];
  for (let i = 0; i < n; i += 100) {
    const args: string[] = [];
    for (let j = i; j < Math.min(n, i + 100); j++) args.push(score(j), member(j));
    cmds.push(['ZADD', key, ...args]);
  }
  return cmds;
}

describe.skipIf(!requireRedisServer())('sorted sets against redis-server', () => {
  const pair = DiffPair.forSuite(4);
  beforeEach(async () => {
    await pair.flush();
    await pair.both(['CONFIG', 'SET', 'zset-max-listpack-entries', '128']);
    await pair.both(['CONFIG', 'SET', 'zset-max-listpack-value', '64']);
  });

  /**
   * Same replies from both, in pipelines of 20 commands: the shared RawClient
   * can take a reply split inside a header line for a complete one, so
   * pipelines stay well under one socket read.
   */
  async function same(cmds: Command[]): Promise<void> {
    for (let i = 0; i < cmds.length; i += 20) expect(await pair.mismatch(cmds.slice(i, i + 20))).toBeNull();
  }

  /** The whole set compared in windows of 200 members. */
  function wholeSet(key: string, size: number): Command[] {
    const out: Command[] = [];
    for (let i = 0; i < size; i += 200) out.push(['ZRANGE', key, String(i), String(i + 199), 'WITHSCORES']);
    return out;
  }

  it('converts to skiplist past 128 entries or 64-byte members, never back by shrinking', async () => {
    await pair.expectReply(['ZADD', 'z', ...zaddMany('z', 128, (i) => String(i))[0].slice(2)], ':100\r\n');
    await same(zaddMany('z', 128, (i) => String(i)));
    await pair.expectReply(['OBJECT', 'ENCODING', 'z'], '$8\r\nlistpack\r\n');
    await pair.expectReply(['ZADD', 'z', '1000', 'one-more'], ':1\r\n');
    await pair.expectReply(['OBJECT', 'ENCODING', 'z'], '$8\r\nskiplist\r\n');
    await pair.expectReply(['ZREMRANGEBYRANK', 'z', '0', '-3'], ':127\r\n');
    await pair.expectReply(['OBJECT', 'ENCODING', 'z'], '$8\r\nskiplist\r\n');
    await pair.expectReply(['ZADD', 'v', '1', 'x'.repeat(64)], ':1\r\n');
    await pair.expectReply(['OBJECT', 'ENCODING', 'v'], '$8\r\nlistpack\r\n');
    await pair.expectReply(['ZADD', 'v', '2', 'y'.repeat(65)], ':1\r\n');
    await pair.expectReply(['OBJECT', 'ENCODING', 'v'], '$8\r\nskiplist\r\n');
    // The first member decides at creation.
    await pair.expectReply(['ZADD', 'w', '1', 'y'.repeat(65), '2', 'a'], ':2\r\n');
    await pair.expectReply(['OBJECT', 'ENCODING', 'w'], '$8\r\nskiplist\r\n');
  });

  it('CONFIG SET of the thresholds (and their ziplist aliases) applies to new writes', async () => {
    await pair.expectReply(['CONFIG', 'SET', 'zset-max-ziplist-entries', '2'], '+OK\r\n');
    await same([['ZADD', 'z', '1', 'a', '2', 'b'], ['OBJECT', 'ENCODING', 'z'], ['ZADD', 'z', '3', 'c'], ['OBJECT', 'ENCODING', 'z']]);
    await pair.expectReply(['OBJECT', 'ENCODING', 'z'], '$8\r\nskiplist\r\n');
    await pair.expectReply(['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], '+OK\r\n');
    await pair.expectReply(['ZADD', 'e', '1', 'a'], ':1\r\n');
    await pair.expectReply(['OBJECT', 'ENCODING', 'e'], '$8\r\nskiplist\r\n');
    await pair.expectReply(['CONFIG', 'SET', 'zset-max-listpack-entries', '128'], '+OK\r\n');
    await pair.expectReply(['CONFIG', 'SET', 'zset-max-listpack-value', '3'], '+OK\r\n');
    await same([['ZADD', 'v', '1', 'abc'], ['OBJECT', 'ENCODING', 'v'], ['ZINCRBY', 'v', '1', 'abcd'], ['OBJECT', 'ENCODING', 'v']]);
  });

  it('store commands pick the encoding of their result as Redis does', async () => {
    await same([
      ...zaddMany('{t}big', 200, (i) => String(i % 7)),
      ['ZADD', '{t}small', '1', 'm1', '2', 'm2', '3', 'zzz'],
      ['ZUNIONSTORE', '{t}u', '2', '{t}small', '{t}small'],
      ['OBJECT', 'ENCODING', '{t}u'],
      ['ZINTERSTORE', '{t}i', '2', '{t}big', '{t}small', 'WEIGHTS', '2', '0.5', 'AGGREGATE', 'MAX'],
      ['OBJECT', 'ENCODING', '{t}i'],
      ['ZRANGE', '{t}i', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', '{t}u2', '2', '{t}big', '{t}small'],
      ['OBJECT', 'ENCODING', '{t}u2'],
      ['ZDIFFSTORE', '{t}d', '2', '{t}big', '{t}small'],
      ['OBJECT', 'ENCODING', '{t}d'],
      ['ZCARD', '{t}d'],
      ['ZRANGESTORE', '{t}r', '{t}big', '0', '127'],
      ['OBJECT', 'ENCODING', '{t}r'],
      ['ZRANGESTORE', '{t}r', '{t}big', '0', '128'],
      ['OBJECT', 'ENCODING', '{t}r'],
      ['ZRANGESTORE', '{t}r', '{t}big', '0', '3', 'BYSCORE', 'LIMIT', '0', '128'],
      ['OBJECT', 'ENCODING', '{t}r'],
      ['ZRANGESTORE', '{t}r', '{t}big', '0', '6', 'BYSCORE'],
      ['OBJECT', 'ENCODING', '{t}r'],
      ['ZRANGESTORE', '{t}r', '{t}big', '(6', '+inf', 'BYSCORE'],
      ['EXISTS', '{t}r'],
    ]);
  });

  it('multi-key commands across shards move values in their encoding (toTransfer / revive)', async () => {
    await same([
      ...zaddMany('xa', 300, (i) => String(i / 3)),
      ['ZADD', 'xb', '1', 'm1', '2', 'm2', '3', 'only-b'],
      ['ZUNIONSTORE', 'xc', '2', 'xa', 'xb', 'AGGREGATE', 'MIN'],
      ['OBJECT', 'ENCODING', 'xc'],
      ['ZCARD', 'xc'],
      ['ZRANGE', 'xc', '0', '9', 'WITHSCORES'],
      ['ZINTERSTORE', 'xd', '2', 'xa', 'xb'],
      ['OBJECT', 'ENCODING', 'xd'],
      ['ZRANGE', 'xd', '0', '-1', 'WITHSCORES'],
      ['COPY', 'xa', 'xe'],
      ['OBJECT', 'ENCODING', 'xe'],
      ['ZRANGE', 'xe', '100', '110', 'WITHSCORES'],
      ['RENAME', 'xb', 'xf'],
      ['OBJECT', 'ENCODING', 'xf'],
      ['ZRANGESTORE', 'xg', 'xa', '0', '5'],
      ['ZMPOP', '3', 'nothing', 'xf', 'xa', 'MAX', 'COUNT', '2'],
      ['ZRANGE', 'xg', '0', '-1', 'WITHSCORES'],
    ]);
  });

  it('a large skiplist set answers ranges, ranks, counts and pops as Redis', async () => {
    const rnd = prng(7);
    const scores = Array.from({ length: 3000 }, () => String(Math.floor(rnd() * 500) / 4));
    const setup = zaddMany('big', 3000, (i) => scores[i]);
    const probes: Command[] = [['OBJECT', 'ENCODING', 'big'], ['ZCARD', 'big']];
    for (let k = 0; k < 60; k++) {
      const a = Math.floor(rnd() * 3400) - 200;
      const b = Math.floor(rnd() * 3400) - 200;
      const s1 = String(Math.floor(rnd() * 130) - 2);
      const s2 = String(Math.floor(rnd() * 130) - 2);
      probes.push(
        ['ZRANGE', 'big', String(a), String(a + (b % 50)), 'WITHSCORES'],
        ['ZREVRANGE', 'big', String(a), String(a + 20)],
        ['ZRANK', 'big', `m${Math.abs(b) % 3000}`],
        ['ZREVRANK', 'big', `m${Math.abs(a) % 3000}`],
        ['ZCOUNT', 'big', s1, `(${s2}`],
        ['ZRANGEBYSCORE', 'big', `(${s1}`, s2, 'WITHSCORES', 'LIMIT', String(Math.abs(a) % 40), '15'],
        ['ZREVRANGEBYSCORE', 'big', s2, s1, 'LIMIT', String(Math.abs(b) % 40), '10'],
        ['ZRANGE', 'big', `(${s2}`, s1, 'BYSCORE', 'REV', 'LIMIT', '3', '7', 'WITHSCORES'],
        ['ZSCORE', 'big', `m${Math.abs(a) % 3000}`],
      );
    }
    probes.push(
      ['ZPOPMIN', 'big', '5'],
      ['ZPOPMAX', 'big', '5'],
      ['ZMPOP', '1', 'big', 'MAX', 'COUNT', '3'],
      ['ZREMRANGEBYSCORE', 'big', '10', '(20'],
      ['ZREMRANGEBYRANK', 'big', '100', '199'],
      ['ZREM', 'big', 'm1', 'm2', 'm3', 'nope'],
      ['ZADD', 'big', 'INCR', '1000', 'm4'],
      ...wholeSet('big', 3000),
    );
    await same([...setup, ...probes]);
  });

  it('lex ranges on a large set of equal scores', async () => {
    const setup = zaddMany('lex', 2000, () => '0', (i) => `m${String(i * 7919 % 2000).padStart(4, '0')}`);
    const probes: Command[] = [];
    for (const [a, b] of [['-', '+'], ['[m0100', '(m0200'], ['(m0500', '[m0500'], ['[m1999', '+'], ['-', '(m0000'], ['[m05', '[m06']]) {
      probes.push(['ZRANGEBYLEX', 'lex', a, b, 'LIMIT', '5', '30'], ['ZREVRANGEBYLEX', 'lex', b, a, 'LIMIT', '2', '20'], ['ZLEXCOUNT', 'lex', a, b]);
    }
    probes.push(['ZREMRANGEBYLEX', 'lex', '[m0100', '(m1000'], ['ZCARD', 'lex'], ['ZRANGE', 'lex', '[m0000', '[m0200', 'BYLEX']);
    await same([...setup, ...probes]);
  });

  it('ZSCAN: a small set in one call with cursor 0; a large one returns every member present throughout', async () => {
    await pair.both(['ZADD', 's', '1', 'a', '2.5', 'b', '1e20', 'c']);
    await pair.expectReply(['ZSCAN', 's', '0', 'COUNT', '1'], '*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$5\r\n1e+20\r\n');
    await pair.expectReply(['ZSCAN', 's', '0', 'MATCH', '[ab]'], '*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n');
    await pair.expectReply(['ZSCAN', 's', '0', 'COUNT', '0'], '-ERR syntax error\r\n');
    // Big integral scores: a listpack shows them as integers (d2string), the hashtable as %.17Lg (ld2string).
    const bigScores: Command[] = [['ZADD', 'big', '123456789012345678', 'a', '4503599627370495', 'b', '4503599627370496', 'c'], ['ZSCAN', 'big', '0']];
    bigScores.push(['ZADD', 'big', '1', 'x'.repeat(65)], ['ZSCAN', 'big', '0', 'MATCH', 'a'], ['ZSCAN', 'big', '0', 'MATCH', 'b'], ['ZSCORE', 'big', 'a']);
    await same(bigScores);

    await pair.ours.pipeline(zaddMany('L', 2000, (i) => String(i)));
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    let extra = 0;
    do {
      const reply = await pair.ours.call('ZSCAN', 'L', cursor, 'COUNT', '50');
      const [head, body] = arrayElements(reply);
      const c = bulks(Buffer.concat([Buffer.from('*1\r\n'), reply.subarray(head[0], head[1])]))[0];
      const elems = bulks(reply.subarray(body[0], body[1]));
      for (let i = 0; i < elems.length; i += 2) seen.add(elems[i]);
      cursor = c;
      calls++;
      // Churn during the iteration: members m1000.. come and go, new ones arrive.
      await pair.ours.call('ZREM', 'L', `m${1000 + calls}`);
      await pair.ours.call('ZADD', 'L', '5000', `new${extra++}`);
    } while (cursor !== '0' && calls < 1000);
    expect(cursor).toBe('0');
    for (let i = 0; i < 2000; i++) {
      if (i > 1000 && i <= 1000 + calls) continue;
      expect(seen.has(`m${i}`)).toBe(true);
    }
    const matched = await pair.ours.call('ZSCAN', 'L', '0', 'MATCH', 'm1?', 'COUNT', '10000');
    const [, body] = arrayElements(matched);
    const names = bulks(matched.subarray(body[0], body[1])).filter((_, i) => i % 2 === 0);
    expect(names.sort()).toEqual(['m10', 'm11', 'm12', 'm13', 'm14', 'm15', 'm16', 'm17', 'm18', 'm19']);
  });

  it('ZRANDMEMBER: counts, negative counts, uniqueness, and an even spread', async () => {
    await pair.both(['ZADD', 'r', '1', 'a', '2', 'b', '3', 'c']);
    // Replies whose content is fixed: Redis must agree byte for byte.
    await pair.expectReply(['ZRANDMEMBER', 'r', '5', 'WITHSCORES'], '*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n');
    await pair.expectReply(['ZRANDMEMBER', 'r', '0'], '*0\r\n');
    await pair.expectReply(['ZRANDMEMBER', 'nokey', '3'], '*0\r\n');
    await pair.expectReply(['ZRANDMEMBER', 'nokey'], '$-1\r\n');
    await pair.expectReply(['ZRANDMEMBER', 'r', '9223372036854775807', 'WITHSCORES'], '-ERR value is out of range\r\n');
    for (const key of ['r', 'big']) {
      if (key === 'big') await pair.ours.pipeline(zaddMany('big', 300, (i) => String(i)));
      const size = key === 'r' ? 3 : 300;
      // Positive count: distinct members.
      const uniq = bulks(await pair.ours.call('ZRANDMEMBER', key, '2'));
      expect(new Set(uniq).size).toBe(2);
      const few = bulks(await pair.ours.call('ZRANDMEMBER', key, '20'));
      expect(new Set(few).size).toBe(Math.min(20, size));
      // Negative count: exactly |count| picks, repeats allowed, spread evenly.
      // In calls of 1500 picks: the shared RawClient mis-splits replies that span several socket reads.
      const picks: string[] = [];
      for (let i = 0; i < Math.ceil((size * 200) / 1500); i++) {
        const part = bulks(await pair.ours.call('ZRANDMEMBER', key, '-1500'));
        expect(part.length).toBe(1500);
        picks.push(...part);
      }
      const counts = new Map<string, number>();
      for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
      expect(counts.size).toBe(size);
      const mean = picks.length / size;
      for (const c of counts.values()) expect(Math.abs(c - mean)).toBeLessThan(mean * 0.5);
      // WITHSCORES pairs each member with its own score.
      const ws = bulks(await pair.ours.call('ZRANDMEMBER', key, '-10', 'WITHSCORES'));
      for (let i = 0; i < ws.length; i += 2) expect(bulks(await pair.ours.call('ZMSCORE', key, ws[i]))[0]).toBe(ws[i + 1]);
    }
  });

  it('error texts and argument checks as Redis 7.0', async () => {
    await pair.both(['SET', 'str', 'x']);
    await pair.both(['ZADD', 'z', '1', 'a']);
    const cases: [Command, string][] = [
      [['ZADD', 'z', 'NX', 'XX', '1', 'a'], '-ERR XX and NX options at the same time are not compatible\r\n'],
      [['ZADD', 'z', 'GT', 'NX', '1', 'a'], '-ERR GT, LT, and/or NX options at the same time are not compatible\r\n'],
      [['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'], '-ERR INCR option supports a single increment-element pair\r\n'],
      [['ZADD', 'z', 'nan', 'a'], '-ERR value is not a valid float\r\n'],
      [['ZADD', 'z', '1', 'a', '2'], '-ERR syntax error\r\n'],
      [['ZADD', 'str', '1', 'a'], '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'],
      [['ZADD', 'z', 'inf', 'a'], ':0\r\n'],
      [['ZINCRBY', 'z', '-inf', 'a'], '-ERR resulting score is not a number (NaN)\r\n'],
      [['ZRANGEBYSCORE', 'z', 'x', '1'], '-ERR min or max is not a float\r\n'],
      [['ZRANGEBYLEX', 'z', 'a', '+'], '-ERR min or max not valid string range item\r\n'],
      [['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1'], '-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n'],
      [['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES'], '-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n'],
      [['ZUNIONSTORE', '{t}d', '1', '{t}z', 'WEIGHTS', 'x'], '-ERR weight value is not a float\r\n'],
      [['ZUNIONSTORE', '{t}d', '0', '{t}z'], "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"],
      [['ZINTERCARD', '1', 'z', 'LIMIT', '-1'], "-ERR LIMIT can't be negative\r\n"],
      [['ZMPOP', '0', 'z', 'MIN'], '-ERR numkeys should be greater than 0\r\n'],
      [['ZMPOP', '1', 'z', 'MIN', 'COUNT', '0'], '-ERR count should be greater than 0\r\n'],
      [['ZPOPMIN', 'z', '-1'], '-ERR value is out of range, must be positive\r\n'],
      [['ZRANDMEMBER', 'z', '-9223372036854775808'], '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n'],
      [['BZPOPMIN', 'z', '-1'], '-ERR timeout is negative\r\n'],
      [['BZMPOP', 'x', '1', 'z', 'MIN'], '-ERR timeout is not a float or out of range\r\n'],
      [['ZSCAN', 'z', 'x'], '-ERR invalid cursor\r\n'],
    ];
    for (const [cmd, expected] of cases) await pair.expectReply(cmd, expected);
  });
});
