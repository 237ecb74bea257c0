/**
 * Property: any sequence of generic key commands mixed with SET/GET/INCR
 * gets the same raw replies from shardis as from redis-server 7.0.15.
 * fast-check generates the sequences — DEL UNLINK EXISTS TOUCH TYPE, the
 * EXPIRE family with NX XX GT LT, TTL family, PERSIST, KEYS with glob
 * patterns, RENAME/RENAMENX/COPY, MOVE, SELECT, SWAPDB, FLUSHDB, DBSIZE,
 * RANDOMKEY, OBJECT; bad integers and int64 edges, junk and conflicting
 * options, wrong-type-ish errors such as INCR on a non-integer; keys from a
 * small pool so they collide, spread over shards, some with a hash tag so
 * two-key commands stay on one shard — and shrinks a failing sequence.
 *
 * Timing: relative TTLs are 1000 s or more and compared by sign (the two
 * servers read their clocks at different moments); GT/LT, whose outcome
 * would depend on which millisecond each server saw, only meet relative
 * times far apart from the absolute ones. KEYS replies are sorted,
 * RANDOMKEY is compared as nil / not nil.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffPair, normalize, type Command } from '../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

/** Runs per shard count (a few seconds in all); KEYSPACE_PROPERTY_RUNS=5000 for a long hunt. */
const NUM_RUNS = Number(process.env.KEYSPACE_PROPERTY_RUNS ?? 300);

/** Keys in several slots (so spread over shards), and keys sharing the slot of {t}. */
const plainKeys = ['a', 'b', 'c', 'key:1', 'k\0\xff\r\n', ''];
const taggedKeys = ['{t}a', '{t}b', 'x{t}', '{t}'];
const allKeys = [...plainKeys, ...taggedKeys];
const anyKey = fc.constantFrom(...allKeys);
const taggedKey = fc.constantFrom(...taggedKeys);
const DBS = ['0', '1', '2'];

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Integers as Redis parses them, and what it refuses. */
const badInt = fc.constantFrom('-0', '+1', '01', ' 1', '1 ', '', 'abc', '1.5', '1e3', '1\0', '9223372036854775808', '-9223372036854775809');
const smallInt = fc.integer({ min: -1000, max: 1000 }).map(String);

const value = fc.oneof(
  { weight: 3, arbitrary: smallInt },
  { weight: 1, arbitrary: fc.constantFrom('9223372036854775807', '-9223372036854775808', '10000', '9999', '0', '12345678901234567890') },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 12 }).map(latin1) },
  { weight: 1, arbitrary: fc.constantFrom('', 'hello', 'x'.repeat(44), 'x'.repeat(45), '1.5', 'abc') },
);

/** A word in a random mix of cases, sometimes with a NUL and junk after it (C compares up to the NUL). */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }), fc.constantFrom('', '', '', '\0junk'))
    .map(([up, tail]) => [...word].map((ch, i) => (up[i] ? ch.toUpperCase() : ch.toLowerCase())).join('') + tail);
}

const nowSec = Math.floor(Date.now() / 1000);
// Relative times: 1000 s and more, so nothing expires during a run.
const relSeconds = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1000, max: 1_000_000 }).map(String) }, { weight: 1, arbitrary: badInt }, { weight: 1, arbitrary: fc.constantFrom('-1', '0', '9223372036854775', '9223372036854776', '-9223372036854776') });
const relMillis = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1_000_000, max: 1_000_000_000 }).map(String) }, { weight: 1, arbitrary: badInt }, { weight: 1, arbitrary: fc.constantFrom('-5', '9223372036854775807', '9223372036854770000') });
// Absolute times: long past (the key is deleted), 10^7 s and more ahead (never near a relative time), int64 edges.
const absSeconds = fc.oneof(
  fc.constantFrom('1', '1000', String(nowSec + 20_000_000), String(nowSec + 30_000_000), '9223372036854775', '9223372036854776', '-9223372036854775'),
  badInt,
);
const absMillis = fc.oneof(
  fc.constantFrom('1', String((nowSec + 20_000_000) * 1000), String((nowSec + 30_000_000) * 1000 + 1), '9223372036854770000', '9223372036854770001', '9223372036854775807', '-9223372036854775808'),
  badInt,
);

/** Options for relative times: no GT/LT alone (their outcome could depend on the millisecond), but their conflicts. */
const relOptions = fc.oneof(
  fc.constant([] as string[]),
  anyCase('NX').map((w) => [w]),
  anyCase('XX').map((w) => [w]),
  fc.constantFrom(['NX', 'XX'], ['GT', 'LT'], ['NX', 'GT'], ['bogus'], ['XX', 'ab\0cd'], ['xx', 'XX']),
);
const absOptions = fc.array(fc.oneof(anyCase('NX'), anyCase('XX'), anyCase('GT'), anyCase('LT'), fc.constantFrom('bogus')), { maxLength: 2 });

const pattern = fc.oneof(
  fc.constantFrom('*', '?', '*a*', 'k*', '{t}*', '*{t}', '[ab]', '[^a]*', 'key:?', '\\*', '[', 'a\\', '*\xff*', '[a-\xff]*', ''),
  fc.array(fc.constantFrom('a', 'b', 't', '{', '}', '*', '?', '[', ']', '^', '-', '\\', '\0', '\xff'), { maxLength: 5 }).map((t) => t.join('')),
);
const dbIndex = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DBS) }, { weight: 1, arbitrary: fc.constantFrom('16', '-1', 'x', '2147483648', '-0') });

const command: fc.Arbitrary<Command> = fc.oneof(
  // The string commands the key commands act on.
  { weight: 4, arbitrary: fc.tuple(fc.constant('SET'), anyKey, value).map((c) => [...c]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('SET'), anyKey, value, fc.constantFrom('EX', 'PX'), fc.constantFrom('1000', '5000000')).map((c) => [...c]) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('GET'), anyKey).map((c) => [...c]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('INCR', 'DECR'), anyKey).map((c) => [...c]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('INCRBY'), anyKey, fc.oneof(smallInt, badInt)).map((c) => [...c]) },
  // Generic key commands.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('DEL', 'UNLINK', 'EXISTS', 'TOUCH'), fc.array(anyKey, { minLength: 1, maxLength: 4 })).map(([c, ks]) => [c, ...ks]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('TYPE', 'PERSIST', 'TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME'), anyKey).map((c) => [...c]) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('EXPIRE'), anyKey, relSeconds, relOptions).map(([c, k, t, o]) => [c, k, t, ...o]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('PEXPIRE'), anyKey, relMillis, relOptions).map(([c, k, t, o]) => [c, k, t, ...o]) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('EXPIREAT'), anyKey, absSeconds, absOptions).map(([c, k, t, o]) => [c, k, t, ...o]) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('PEXPIREAT'), anyKey, absMillis, absOptions).map(([c, k, t, o]) => [c, k, t, ...o]) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('KEYS'), pattern).map((c) => [...c]) },
  // Keys on different shards (with 4 shards) run as cross-shard transactions.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('RENAME', 'RENAMENX'), fc.oneof(taggedKey, anyKey), fc.oneof(taggedKey, anyKey)).map((c) => [...c]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(taggedKey, anyKey), fc.oneof(taggedKey, anyKey), fc.array(fc.oneof(fc.constant(['REPLACE']), dbIndex.map((d) => ['DB', d]), fc.constantFrom(['db'], ['bogus'])), { maxLength: 2 }))
      .map(([a, b, o]) => ['COPY', a, b, ...o.flat()]),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant('MOVE'), anyKey, dbIndex).map((c) => [...c]) },
  { weight: 1, arbitrary: dbIndex.map((d) => ['SELECT', d]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('SWAPDB'), dbIndex, dbIndex).map((c) => [...c]) },
  { weight: 1, arbitrary: fc.constantFrom(['DBSIZE'], ['RANDOMKEY'], ['FLUSHDB'], ['FLUSHDB', 'ASYNC'], ['FLUSHDB', 'bogus']) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('OBJECT'), fc.constantFrom('ENCODING', 'REFCOUNT', 'encoding', 'FREQ', 'bogus'), anyKey).map((c) => [...c]) },
  // Arity errors and option errors that need no data.
  { weight: 1, arbitrary: fc.constantFrom(['DEL'], ['EXPIRE', 'a'], ['TTL'], ['RENAME', '{t}a'], ['MOVE', 'a'], ['KEYS'], ['SCAN', '0', 'COUNT', '0'], ['SCAN', 'x'], ['OBJECT'], ['SWAPDB', '0'], ['TYPE', 'a', 'b']) },
);

/** Replies whose exact value depends on the moment or on chance, reduced to what Redis defines. */
function norm(cmd: Command, reply: Buffer): string {
  const name = cmd[0].toLowerCase();
  const s = reply.toString('latin1');
  if (name === 'keys') return normalize.sortedArray(reply);
  if (name === 'randomkey') return s.startsWith('$') && !s.startsWith('$-1') ? '$key' : s;
  if (['ttl', 'pttl', 'expiretime', 'pexpiretime'].includes(name) && s.startsWith(':') && !s.startsWith(':-')) return ':positive';
  return s;
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('keyspace, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of key commands gets the same replies, and leaves the same keys, values and TTLs (RESP2 and RESP3)', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), fc.boolean(), async (cmds, resp3) => {
        await pair.flush();
        await pair.both(['SELECT', '0']);
        if (resp3) await pair.both(['HELLO', '3']);
        try {
          // Then the state left behind in every database used: keys, values, types, TTLs.
          const state: Command[] = DBS.flatMap((db) => [
            ['SELECT', db],
            ['DBSIZE'],
            ['KEYS', '*'],
            ...allKeys.flatMap((k) => [['GET', k], ['TYPE', k], ['TTL', k]]),
          ]);
          const mismatch = await pair.mismatch([...cmds, ...state], norm);
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
