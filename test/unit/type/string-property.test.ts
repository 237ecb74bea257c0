/**
 * Property: any sequence of string commands gets the same raw replies from
 * shardis as from redis-server 7.0.15. fast-check generates the sequences —
 * every string command with its options, conflicting options, bad and
 * boundary integers, odd floats, binary values (NUL, CR, LF, bytes >= 0x80),
 * keys from a small pool so they collide, spread over shards, some with a
 * hash tag so multi-key commands can run with 4 shards — and shrinks a
 * failing sequence to a short one.
 *
 * Only timing-free replies are compared exactly: expiry times are far in
 * the future or in the past, and TTL/PTTL are compared by sign.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffPair, type Command, ttlSign } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

/** Runs per shard count (a few seconds in all); STRING_PROPERTY_RUNS=5000 for a long hunt. */
const NUM_RUNS = Number(process.env.STRING_PROPERTY_RUNS ?? 400);

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Keys in several slots (so spread over shards), and keys sharing the slot of {t}. */
const plainKeys = ['a', 'b', 'c', 'key:1', 'k\0\xff\r\n', ''];
const taggedKeys = ['{t}a', '{t}b', 'x{t}', '{t}'];
const plainKey = fc.constantFrom(...plainKeys);
const taggedKey = fc.constantFrom(...taggedKeys);
const anyKey = fc.constantFrom(...plainKeys, ...taggedKeys);

/** Integers as Redis sees them: small, beyond 32 and 53 bits, at and past the int64 limits, and not integers at all. */
const intText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 63n) - 2n, max: 2n ** 63n + 1n }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807', '9223372036854775808',
      '-9223372036854775809', '9007199254740993', '-0', '+1', '01', ' 1', '1 ', '', 'abc', '1.5', '1e3', '1\0',
    ),
  },
);

/** Floats as strtold reads them, plus what it refuses; huge exponents only on plain keys (see incrbyfloat below). */
const decimalText = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{0,12}$/), fc.option(fc.stringMatching(/^[0-9]{0,20}$/)), fc.option(fc.integer({ min: -30, max: 30 })))
  .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);
const floatText = fc.oneof(
  { weight: 4, arbitrary: decimalText },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: intText },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'inf', '+inf', '-inf', 'Infinity', 'nan', '-nan', '0x1p3', '0X.8', '-0x1.8p-2', '0x', '1e', '.', ' 1', '1 ', '',
      '0.1', '0.2', '-0.3', '1e-20', '-1e-20', '0.000003814697265625', '3.0e3', '1\0',
    ),
  },
);
const hugeFloatText = fc.constantFrom('1e4930', '-1e4930', '1e4932', '1.18973149535723176502e+4932', '1e5000', '1e-4940', '1e-5000');

/** Values: numbers (so INCR and INCRBYFLOAT have something to read), binary bytes, and the awkward few. */
const value = fc.oneof(
  { weight: 3, arbitrary: intText },
  { weight: 2, arbitrary: floatText },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }).map(latin1) },
  { weight: 2, arbitrary: fc.constantFrom('', '\0', '\r\n', 'a\0b', '\xff\xfe\x80', 'hello world', 'ohmytext', 'mynewtext') },
);

// Expire times: relative ones far enough out not to expire during a run,
// absolute ones far in the future or long past, and invalid ones. Nothing
// near a boundary that depends on the two servers' clocks.
const nowSec = Math.floor(Date.now() / 1000);
const badTime = fc.constantFrom('0', '-1', 'abc', '', '1.5', ' 10', '9223372036854775807', '9223372036854775808');
const exSeconds = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1000, max: 10_000_000 }).map(String) },
  { weight: 1, arbitrary: badTime },
  { weight: 1, arbitrary: fc.constant('9223372036854775') },
);
const pxMillis = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1_000_000, max: 10_000_000_000 }).map(String) }, { weight: 1, arbitrary: badTime });
const exatSeconds = fc.oneof(fc.constantFrom('1', '1000', String(nowSec + 10_000_000), '9223372036854775', '9223372036854776'), badTime);
const pxatMillis = fc.oneof(fc.constantFrom('1', '1000', String((nowSec + 10_000_000) * 1000), '9223372036854775807'), badTime);

/** A word in a random mix of cases. */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((up) =>
    [...word].map((ch, i) => (up[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''),
  );
}

const expireOption = fc.oneof(
  fc.tuple(anyCase('EX'), exSeconds),
  fc.tuple(anyCase('PX'), pxMillis),
  fc.tuple(anyCase('EXAT'), exatSeconds),
  fc.tuple(anyCase('PXAT'), pxatMillis),
);
/** SET's options in any order, conflicting ones included (KEEPTTL with EX, NX with XX ...), PERSIST (GETEX only) and junk. */
const setOption = fc.oneof(
  { weight: 3, arbitrary: anyCase('NX').map((w) => [w]) },
  { weight: 3, arbitrary: anyCase('XX').map((w) => [w]) },
  { weight: 3, arbitrary: anyCase('GET').map((w) => [w]) },
  { weight: 3, arbitrary: anyCase('KEEPTTL').map((w) => [w]) },
  { weight: 4, arbitrary: expireOption },
  { weight: 1, arbitrary: fc.constantFrom(['PERSIST'], ['bogus'], ['EX'], ['nx\0junk']) },
);
const getexOption = fc.oneof(
  { weight: 4, arbitrary: expireOption },
  { weight: 3, arbitrary: anyCase('PERSIST').map((w) => [w]) },
  { weight: 1, arbitrary: fc.constantFrom(['KEEPTTL'], ['NX'], ['GET'], ['PX'], ['bogus']) },
);
const lcsOption = fc.oneof(
  fc.constantFrom(['LEN'], ['IDX'], ['WITHMATCHLEN'], ['idx'], ['MINMATCHLEN']),
  fc.tuple(anyCase('MINMATCHLEN'), fc.oneof(fc.integer({ min: -2, max: 6 }).map(String), intText)),
  fc.constant(['bogus']),
);
const options = <T extends string[]>(option: fc.Arbitrary<T>) => fc.array(option, { maxLength: 4 }).map((opts) => opts.flat());

const rangeIndex = fc.oneof(fc.integer({ min: -40, max: 40 }).map(String), intText);
/** SETRANGE offsets: small (so strings stay small), negative, and past proto-max-bulk-len (an error, never an allocation). */
const setrangeOffset = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '536870912', '9223372036854775807', 'abc', '') },
);

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.tuple(fc.constant('GET'), anyKey),
  fc.tuple(fc.constant('SET'), anyKey, value, options(setOption)).map(([c, k, v, o]) => [c, k, v, ...o]),
  fc.tuple(fc.constant('SET'), anyKey, value, options(setOption)).map(([c, k, v, o]) => [c, k, v, ...o]),
  fc.tuple(fc.constant('SETNX'), anyKey, value),
  fc.tuple(fc.constant('SETEX'), anyKey, exSeconds, value),
  fc.tuple(fc.constant('PSETEX'), anyKey, pxMillis, value),
  fc.tuple(fc.constant('GETSET'), anyKey, value),
  fc.tuple(fc.constant('GETDEL'), anyKey),
  fc.tuple(fc.constant('GETEX'), anyKey, options(getexOption)).map(([c, k, o]) => [c, k, ...o]),
  fc.array(anyKey, { minLength: 1, maxLength: 6 }).map((keys) => ['MGET', ...keys]),
  fc.array(fc.tuple(anyKey, value), { minLength: 1, maxLength: 4 }).map((pairs) => ['MSET', ...pairs.flat()]),
  // A key without its value, on one shard and across shards.
  fc.array(fc.tuple(taggedKey, value), { maxLength: 2 }).chain((pairs) => taggedKey.map((k) => ['MSET', ...pairs.flat(), k])),
  fc.array(fc.tuple(anyKey, value), { maxLength: 3 }).chain((pairs) => anyKey.map((k) => ['MSET', ...pairs.flat(), k])),
  fc.tuple(fc.constant('APPEND'), anyKey, value),
  fc.tuple(fc.constant('STRLEN'), anyKey),
  fc.tuple(fc.constantFrom('INCR', 'DECR'), anyKey),
  fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), anyKey, intText),
  fc.tuple(fc.constant('INCRBYFLOAT'), anyKey, floatText),
  // Huge results stay on plain keys, away from LCS, whose table grows with the product of the lengths.
  fc.tuple(fc.constant('INCRBYFLOAT'), plainKey, hugeFloatText),
  fc.tuple(fc.constantFrom('GETRANGE', 'SUBSTR'), anyKey, rangeIndex, rangeIndex),
  fc.tuple(fc.constant('SETRANGE'), anyKey, setrangeOffset, value),
  fc.tuple(fc.constant('LCS'), taggedKey, taggedKey, options(lcsOption)).map(([c, a, b, o]) => [c, a, b, ...o]),
  fc.tuple(fc.constantFrom('TTL', 'PTTL', 'EXISTS'), anyKey),
  // Arity errors come from the command table.
  fc.constantFrom(['GET'], ['SET', 'a'], ['GETRANGE', 'a', '0'], ['LCS', '{t}a'], ['INCRBYFLOAT', 'a'], ['MSET'], ['SETEX', 'a', '10']),
);

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('string commands, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of string commands gets byte-identical replies (RESP2 and RESP3)', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), fc.boolean(), async (cmds, resp3) => {
        await pair.flush();
        if (resp3) await pair.both(['HELLO', '3']);
        try {
          // Then the state left behind: every key's value and TTL.
          const state = [...plainKeys, ...taggedKeys].flatMap((k) => [['GET', k], ['TTL', k]]);
          const mismatch = await pair.mismatch([...cmds, ...state], ttlSign);
          commandsRun += cmds.length;
          // fast-check reports the shrunk sequence with this message.
          if (mismatch !== null) throw new Error(`${resp3 ? 'RESP3' : 'RESP2'} ${mismatch}`);
        } finally {
          if (resp3) await pair.both(['HELLO', '2']);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // The property ran for real (a generator that threw or produced nothing would not).
    expect(commandsRun).toBeGreaterThan(NUM_RUNS);
  });
});
