/**
 * Property: any sequence of sorted-set commands gets the same raw replies
 * from shardis as from redis-server 7.0.15, in RESP2 and RESP3, with 1 and 4
 * shards. fast-check generates the sequences: every ZSET command with its
 * options, odd scores (inf, exclusive ranges, hex, overflow, NaN-producing
 * increments), binary members, a member longer than zset-max-listpack-value
 * and lowered thresholds (so encodings convert), wrong-type keys, bad
 * arguments, plain sets as inputs of the set operations, and OBJECT
 * ENCODING. Multi-key commands use hash-tagged keys.
 *
 * Normalised only where Redis' reply is random (ZRANDMEMBER: its shape and
 * size), and lex ranges only run on a key whose members all score 0 (with
 * mixed scores Redis' skiplist answer depends on its random levels).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElements } from '../../../src/resp/reply-scan.js';
import { DiffPair, type Command } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

/** Runs per shard count; ZSET_PROPERTY_RUNS=3000 for a long hunt. */
const NUM_RUNS = Number(process.env.ZSET_PROPERTY_RUNS ?? 150);

const plainKeys = ['z1', 'z2', 'k\0\xff'];
const taggedKeys = ['{t}a', '{t}b', '{t}c'];
/** Holds a string: every command on it must answer WRONGTYPE where Redis does. */
const stringKey = '{t}s';
/** The key lex ranges run on: only ever given members with score 0. */
const lexKey = '{t}lex';
const allKeys = [...plainKeys, ...taggedKeys, stringKey, lexKey];

const anyKey = fc.constantFrom(...plainKeys, ...taggedKeys, stringKey);
const taggedKey = fc.constantFrom(...taggedKeys, stringKey);
const storeKey = fc.constantFrom(...taggedKeys, stringKey);

const LONG = 'L'.repeat(65);
const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', '', '1', '10', 'a\0b', '\xff\x80', 'B', LONG);

/** A word in a random mix of cases. */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((up) =>
    [...word].map((ch, i) => (up[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''),
  );
}

const score = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('0.1', '1.5', '-2.5', '1e3', '3.0', '0.3', '1e-5', '123456789012345678', '9007199254740993', '-0') },
  { weight: 2, arbitrary: fc.constantFrom('inf', '+inf', '-inf', 'Infinity', '0x10', '0x1p-2') },
  { weight: 1, arbitrary: fc.constantFrom('nan', 'abc', '', ' 1', '1 ', '1e400', '1e-400', '1\0', '(1', '1e') },
);

const rangeScore = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('-inf', '+inf', 'inf', '(1', '(0', '(-inf', '(+inf', '1.5', '(2.5') },
  { weight: 1, arbitrary: fc.constantFrom('nan', 'abc', '(', '', ' 1', '1\0x', '((1', '0x1p1', '1e400') },
);
const lexItem = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('[', '('), fc.constantFrom('a', 'b', 'c', 'd', 'e', '', 'bb', 'z')).map(([p, m]) => p + m) },
  { weight: 2, arbitrary: fc.constantFrom('-', '+') },
  { weight: 1, arbitrary: fc.constantFrom('a', '--', '++', '') },
);
const lexMember = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'bb', '', 'a\0');
const index = fc.oneof(fc.integer({ min: -6, max: 6 }).map(String), fc.constantFrom('abc', '9223372036854775807', '-9223372036854775808', '1.5'));
const count = fc.oneof(fc.integer({ min: -3, max: 6 }).map(String), fc.constantFrom('abc', '100', '-100'));

const zaddFlag = fc.constantFrom('NX', 'XX', 'GT', 'LT', 'CH', 'INCR', 'nx', 'ch');
const pairs = fc.array(fc.tuple(score, member), { minLength: 1, maxLength: 4 }).map((ps) => ps.flat());

/** Options of ZRANGE: BYSCORE/BYLEX, REV, LIMIT, WITHSCORES, junk. */
const zrangeOption = fc.oneof(
  anyCase('BYSCORE').map((w) => [w]),
  anyCase('REV').map((w) => [w]),
  anyCase('WITHSCORES').map((w) => [w]),
  fc.tuple(anyCase('LIMIT'), index, index),
  fc.constantFrom(['BYLEX'], ['LIMIT', '0'], ['bogus']),
);
const options = <T extends string[]>(option: fc.Arbitrary<T>) => fc.array(option, { maxLength: 3 }).map((o) => o.flat());

const limitOpt = fc.option(fc.tuple(fc.constant('LIMIT'), index, index), { nil: undefined }).map((l) => l ?? []);
const withScores = fc.option(fc.constant('WITHSCORES'), { nil: undefined }).map((w) => (w ? [w] : []));

/** Multi-key options: WEIGHTS (right or wrong count), AGGREGATE, WITHSCORES, junk. */
function setopOptions(n: number): fc.Arbitrary<string[]> {
  return options(
    fc.oneof(
      fc.array(fc.constantFrom('1', '2', '-1', '0', '0.5', 'inf', 'abc'), { minLength: n, maxLength: n }).map((ws) => ['WEIGHTS', ...ws]),
      fc.tuple(anyCase('AGGREGATE'), fc.constantFrom('SUM', 'min', 'MAX', 'avg')),
      fc.constantFrom(['WITHSCORES'], ['WEIGHTS'], ['bogus'], ['LIMIT', '1']),
    ),
  );
}
const setopKeys = fc.array(taggedKey, { minLength: 1, maxLength: 3 });

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(anyKey, fc.array(zaddFlag, { maxLength: 2 }), pairs).map(([k, f, p]) => ['ZADD', k, ...f, ...p]) },
  { weight: 2, arbitrary: fc.tuple(anyKey, score, member).map(([k, s, m]) => ['ZINCRBY', k, s, m]) },
  { weight: 2, arbitrary: fc.tuple(anyKey, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['ZREM', k, ...ms]) },
  fc.tuple(fc.constantFrom('ZSCORE', 'ZRANK', 'ZREVRANK'), anyKey, member),
  fc.tuple(anyKey, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['ZMSCORE', k, ...ms]),
  fc.tuple(fc.constantFrom('ZCARD'), anyKey),
  fc.tuple(fc.constant('ZCOUNT'), anyKey, rangeScore, rangeScore),
  { weight: 4, arbitrary: fc.tuple(anyKey, index, index, options(zrangeOption)).map(([k, a, b, o]) => ['ZRANGE', k, a, b, ...o]) },
  { weight: 3, arbitrary: fc.tuple(anyKey, rangeScore, rangeScore, options(zrangeOption)).map(([k, a, b, o]) => ['ZRANGE', k, a, b, 'BYSCORE', ...o]) },
  fc.tuple(anyKey, index, index, withScores).map(([k, a, b, w]) => ['ZREVRANGE', k, a, b, ...w]),
  fc.tuple(fc.constantFrom('ZRANGEBYSCORE', 'ZREVRANGEBYSCORE'), anyKey, rangeScore, rangeScore, withScores, limitOpt).map(([c, k, a, b, w, l]) => [c, k, a, b, ...w, ...l]),
  fc.tuple(storeKey, taggedKey, index, index, options(zrangeOption)).map(([d, s, a, b, o]) => ['ZRANGESTORE', d, s, a, b, ...o]),
  fc.tuple(storeKey, taggedKey, rangeScore, rangeScore, options(zrangeOption)).map(([d, s, a, b, o]) => ['ZRANGESTORE', d, s, a, b, 'BYSCORE', ...o]),
  fc.tuple(fc.constant('ZREMRANGEBYRANK'), anyKey, index, index),
  fc.tuple(fc.constant('ZREMRANGEBYSCORE'), anyKey, rangeScore, rangeScore),
  // Lex ranges, on the all-zero-score key.
  { weight: 3, arbitrary: fc.array(lexMember, { minLength: 1, maxLength: 4 }).map((ms) => ['ZADD', lexKey, ...ms.flatMap((m) => ['0', m])]) },
  fc.tuple(fc.constantFrom('ZRANGEBYLEX', 'ZREVRANGEBYLEX'), lexItem, lexItem, limitOpt).map(([c, a, b, l]) => [c, lexKey, a, b, ...l]),
  fc.tuple(lexItem, lexItem, options(zrangeOption)).map(([a, b, o]) => ['ZRANGE', lexKey, a, b, 'BYLEX', ...o]),
  fc.tuple(storeKey, lexItem, lexItem, fc.boolean()).map(([d, a, b, r]) => ['ZRANGESTORE', d, lexKey, a, b, 'BYLEX', ...(r ? ['REV'] : [])]),
  fc.tuple(fc.constantFrom('ZLEXCOUNT', 'ZREMRANGEBYLEX'), lexItem, lexItem).map(([c, a, b]) => [c, lexKey, a, b]),
  fc.tuple(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), anyKey, fc.option(count, { nil: undefined })).map(([c, k, n]) => (n === undefined ? [c, k] : [c, k, n])),
  fc.tuple(setopKeys, fc.constantFrom('MIN', 'max', 'both'), fc.option(count, { nil: undefined })).map(([ks, w, n]) => ['ZMPOP', String(ks.length), ...ks, w, ...(n === undefined ? [] : ['COUNT', n])]),
  fc.tuple(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), setopKeys).map(([c, ks]) => [c, ...ks, '0.01']),
  fc.tuple(setopKeys, fc.constantFrom('MIN', 'MAX'), fc.option(count, { nil: undefined })).map(([ks, w, n]) => ['BZMPOP', '0.01', String(ks.length), ...ks, w, ...(n === undefined ? [] : ['COUNT', n])]),
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('ZUNION', 'ZINTER', 'ZDIFF'), setopKeys).chain(([c, ks]) => setopOptions(ks.length).map((o) => [c, String(ks.length), ...ks, ...o])) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'), storeKey, setopKeys).chain(([c, d, ks]) => setopOptions(ks.length).map((o) => [c, d, String(ks.length), ...ks, ...o])) },
  fc.tuple(setopKeys, fc.option(fc.constantFrom('0', '1', '2', '-1', 'x'), { nil: undefined })).map(([ks, l]) => ['ZINTERCARD', String(ks.length), ...ks, ...(l === undefined ? [] : ['LIMIT', l])]),
  fc.tuple(anyKey, fc.constantFrom([], ['100'], ['100', 'WITHSCORES'], ['0'], ['-3'], ['-3', 'withscores'], ['2'], ['abc'], ['1', 'bogus'])).map(([k, o]) => ['ZRANDMEMBER', k, ...o]),
  // COUNT 1000: one call covers a whole (small) skiplist set in both servers, whose bucket order differs.
  fc.tuple(anyKey, fc.constantFrom([], ['MATCH', '*a*'], ['COUNT', '0'], ['MATCH'], ['TYPE', 'zset'])).map(([k, o]) => ['ZSCAN', k, '0', ...o, 'COUNT', '1000']),
  fc.tuple(fc.constant('OBJECT'), fc.constant('ENCODING'), anyKey),
  // COPY duplicates the value in its encoding; RENAME moves it.
  fc.tuple(fc.constantFrom(...taggedKeys), fc.constantFrom(...taggedKeys), fc.boolean()).map(([a, b, r]) => ['COPY', a, b, ...(r ? ['REPLACE'] : [])]),
  fc.tuple(fc.constantFrom(...taggedKeys), fc.constantFrom(...taggedKeys)).map(([a, b]) => ['RENAME', a, b]),
  // Plain sets are inputs of ZUNION/ZINTER/ZDIFF (every member scores 1), and the wrong type elsewhere.
  fc.tuple(fc.constantFrom(...taggedKeys), fc.array(fc.constantFrom('a', 'b', '1', '10', 'x'), { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['SADD', k, ...ms]),
  fc.tuple(fc.constant('CONFIG'), fc.constant('SET'), fc.constantFrom('zset-max-listpack-entries', 'zset-max-ziplist-value'), fc.constantFrom('0', '2', '3', '128', '64')),
  // Errors: numkeys, arity.
  fc.constantFrom(
    ['ZUNION', '0', '{t}a'], ['ZINTER', '3', '{t}a'], ['ZDIFF', 'x', '{t}a'], ['ZMPOP', '0', '{t}a', 'MIN'], ['ZMPOP', '1', '{t}a'],
    ['ZADD', 'z1'], ['ZADD', 'z1', '1'], ['ZADD', 'z1', 'NX', 'XX', '1', 'a'], ['ZADD', 'z1', 'INCR', '1', 'a', '2', 'b'], ['ZRANGE', 'z1', '0'],
    ['ZINCRBY', 'z1', 'nx', 'a'], ['ZPOPMIN', 'z1', '1', '2'], ['ZRANDMEMBER', 'z1', '-9223372036854775808'], ['ZSCAN', 'z1', 'abc'],
    ['BZPOPMIN', '{t}a', '-1'], ['BZPOPMIN', '{t}a', 'abc'], ['ZINTERCARD', '1', '{t}a', 'LIMIT'],
  ),
);

/**
 * ZRANDMEMBER's reply is random: compare its type and size only. ZSCAN's
 * order is the hash table's in the skiplist encoding: compare its
 * member/score pairs sorted.
 */
function normalizeRandom(cmd: Command, reply: Buffer): string {
  const s = reply.toString('latin1');
  if (cmd[0] === 'ZSCAN' && s[0] === '*') {
    const [cursor, elems] = arrayElements(reply);
    const inner = reply.subarray(elems[0], elems[1]);
    const items = arrayElements(inner).map(([a, b]) => inner.subarray(a, b).toString('latin1'));
    const pairs: string[] = [];
    for (let i = 0; i < items.length; i += 2) pairs.push(items[i] + items[i + 1]);
    return `${reply.subarray(cursor[0], cursor[1]).toString('latin1')}|${pairs.sort().join('|')}`;
  }
  if (cmd[0] !== 'ZRANDMEMBER' || s[0] === '-') return s;
  if (s[0] === '*') return `*${arrayElements(reply).length}`;
  return s[0];
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('sorted-set commands, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of sorted-set commands gets byte-identical replies (RESP2 and RESP3)', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), fc.boolean(), async (cmds, resp3) => {
        await pair.flush();
        const setup: Command[] = [
          ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
          ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
          ['SET', stringKey, 'text'],
        ];
        if (resp3) await pair.both(['HELLO', '3']);
        const state = allKeys.flatMap((k) => [['TYPE', k], ['ZRANGE', k, '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', k]]);
        try {
          const mismatch = await pair.mismatch([...setup, ...cmds, ...state], normalizeRandom);
          commandsRun += cmds.length;
          if (mismatch !== null) throw new Error(`${resp3 ? 'RESP3' : 'RESP2'} ${mismatch}`);
        } finally {
          if (resp3) await pair.both(['HELLO', '2']);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(commandsRun).toBeGreaterThan(NUM_RUNS);
  });
});
