/**
 * Property: any sequence of hash commands gets the same raw replies from
 * shardis as from redis-server 7.0.15. fast-check generates the sequences —
 * every hash command with good and bad arguments, binary fields and values,
 * integers and floats at their limits, values past hash-max-listpack-value,
 * CONFIG SET of both thresholds (so conversions happen at small sizes),
 * OBJECT ENCODING, wrong-type keys — over a small key and field space, and
 * shrinks a failing sequence to a short one.
 *
 * Replies are byte-identical, except where Redis does not define them: a
 * hashtable's order and random picks (hash-compare.ts says how those are
 * compared).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffPair, type Command } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';
import { hashMismatch } from './hash-compare.js';

/** Runs per shard count; HASH_PROPERTY_RUNS=5000 for a long hunt. */
const NUM_RUNS = Number(process.env.HASH_PROPERTY_RUNS ?? 150);

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Keys over several slots (so over shards), one that holds a string. */
const hashKeys = ['h', 'h2', '{t}h', 'k\0\xff'];
const key = fc.constantFrom(...hashKeys, 'str', 'missing');

const longField = 'F'.repeat(65);
const field = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('f0', 'f1', 'f2', 'f3', 'f4') },
  { weight: 2, arbitrary: fc.constantFrom('', 'F\0\r\n', '\xff\x80', '123', '-7', longField, 'f'.repeat(64)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 3 }).map(latin1) },
);

/** Integers as string2ll sees them, at and past the int64 limits, and non-integers. */
const intText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -100, max: 100 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807', '9223372036854775808',
      '9007199254740993', '4611686018427387903', '-0', '+1', '01', ' 1', '', 'abc', '1.5', '1\0',
    ),
  },
);
const floatText = fc.oneof(
  { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { weight: 2, arbitrary: intText },
  {
    weight: 2,
    arbitrary: fc.constantFrom('0.1', '-0.3', '1e-20', '3.0e3', 'inf', '-inf', 'nan', '0x1p3', '1e', '.', '', '1e4930', '-1e4930', '1e5000', '5.0e3'),
  },
);
const value = fc.oneof(
  { weight: 3, arbitrary: intText },
  { weight: 2, arbitrary: floatText },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 8 }).map(latin1) },
  { weight: 1, arbitrary: fc.constantFrom('v'.repeat(64), 'v'.repeat(65), 'v'.repeat(200), '\0', '\r\n') },
);

const pairs = fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 4 }).map((ps) => ps.flat());
const fields = fc.array(field, { minLength: 1, maxLength: 4 });
// Never a huge negative count that Redis accepts: redis-server would stream picks until it runs out of memory.
const count = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -8, max: 8 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('100', '-100', '9223372036854775807', '-9223372036854775808', 'x', '1.0', '', ' 1') },
);
const countWithValues = fc.oneof(
  { weight: 5, arbitrary: count },
  { weight: 1, arbitrary: fc.constantFrom('4611686018427387903', '4611686018427387904', '-4611686018427387904', '-9223372036854775807') },
);
const cursor = fc.oneof(
  { weight: 5, arbitrary: fc.constant('0') },
  { weight: 1, arbitrary: fc.constantFrom('', '-0', '+0', ' 0', '0x0', 'abc', '18446744073709551616', '0\0junk') },
);
const scanOption = fc.oneof(
  fc.tuple(fc.constantFrom('MATCH', 'match', 'Match'), fc.constantFrom('*', 'f*', 'f[0-2]', '?', '*\\*', '', '[')),
  fc.tuple(fc.constantFrom('COUNT', 'count'), fc.constantFrom('1', '2', '1000', '0', '-1', 'x', '9223372036854775807')),
  fc.constantFrom(['TYPE', 'hash'], ['bogus'], ['MATCH'], ['COUNT']),
);
const threshold = fc.oneof(
  fc.tuple(fc.constantFrom('hash-max-listpack-entries', 'hash-max-ziplist-entries'), fc.constantFrom('0', '1', '2', '3', '5', '512')),
  fc.tuple(fc.constantFrom('hash-max-listpack-value', 'hash-max-ziplist-value'), fc.constantFrom('0', '1', '3', '64', '1000')),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('HSET', 'hset', 'HMSET'), key, pairs).map(([c, k, p]) => [c, k, ...p]) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('HSETNX'), key, field, value) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('HGET', 'HEXISTS', 'HSTRLEN'), key, field) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('HMGET'), key, fields).map(([c, k, f]) => [c, k, ...f]) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('HDEL'), key, fields).map(([c, k, f]) => [c, k, ...f]) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('HLEN', 'HKEYS', 'HVALS', 'HGETALL'), key) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('HINCRBY'), key, field, intText) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('HINCRBYFLOAT'), key, field, floatText) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('HRANDFIELD'), key) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('HRANDFIELD'), key, count) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constant('HRANDFIELD'), key, countWithValues, fc.constantFrom('WITHVALUES', 'withvalues', 'withvalues\0x', 'bogus'))
      .map((c) => [...c]),
  },
  { weight: 1, arbitrary: fc.constantFrom(['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x']) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constant('HSCAN'), key, cursor, fc.array(scanOption, { maxLength: 2 })).map(([c, k, cur, o]) => [c, k, cur, ...o.flat()]),
  },
  { weight: 3, arbitrary: fc.tuple(fc.constant('OBJECT'), fc.constant('ENCODING'), key) },
  { weight: 2, arbitrary: threshold.map(([name, v]) => ['CONFIG', 'SET', name, v]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('SET'), key, value) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('DEL', 'TYPE', 'EXISTS'), key) },
  // Arity errors: from the table, and HSET's odd pair count from the handler.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ['HSET', 'h'], ['HSET', 'h', 'f'], ['HSET', 'h', 'f', 'v', 'g'], ['HMSET', 'h', 'f', 'v', 'g'], ['HGET', 'h'],
      ['HMGET', 'h'], ['HDEL', 'h'], ['HSETNX', 'h', 'f'], ['HINCRBY', 'h', 'f'], ['HRANDFIELD'], ['HSCAN', 'h'], ['HGETALL', 'h', 'x'],
    ),
  },
);

/** The state left behind: every key's type, contents and encoding. */
const finalState: Command[] = [...hashKeys, 'str'].flatMap((k) => [['TYPE', k], ['HGETALL', k], ['HLEN', k]]);
const defaults: Command = ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64'];

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('hash commands, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of hash commands gets the same replies (RESP2 and RESP3)', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), fc.boolean(), async (cmds, resp3) => {
        await pair.flush();
        await pair.both(defaults);
        await pair.both(['SET', 'str', 'a string']);
        if (resp3) await pair.both(['HELLO', '3']);
        try {
          const mismatch = await hashMismatch(pair, [...cmds, ...finalState], resp3);
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
