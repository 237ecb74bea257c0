/**
 * Property: any sequence of list commands gets the same raw replies from
 * shardis as from redis-server 7.0.15. fast-check generates the sequences —
 * every list command with its options, bad and boundary integers, binary and
 * long elements, keys from a small pool (spread over shards, some sharing
 * a hash tag), string keys for WRONGTYPE, and a random list-max-listpack-size
 * so lists span many chunks — and shrinks a failing sequence to a short one.
 * After each sequence every key's type and contents are compared too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffPair, type Command } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

/** Runs per shard count; LIST_PROPERTY_RUNS=2000 for a long hunt. */
const NUM_RUNS = Number(process.env.LIST_PROPERTY_RUNS ?? 120);

const plainKeys = ['a', 'b', 'key:1', 'k\0\xff'];
const taggedKeys = ['{t}a', '{t}b', '{t}c'];
const allKeys = [...plainKeys, ...taggedKeys];
const anyKey = fc.constantFrom(...allKeys);

/** Elements from a small pool (so LREM, LPOS and LINSERT find them), binary ones, and long ones (2-byte length headers). */
const element = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', '1', '-1', '', 'hello') },
  { weight: 1, arbitrary: fc.constantFrom('\0', '\r\n', '\xff\xfe\x80', 'a\0b') },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(130), 'y'.repeat(300)) },
);
const elements = (max: number) => fc.array(element, { minLength: 1, maxLength: max });

/** Integers: small ones near the list sizes, boundaries of a C long, and not integers at all. */
const intText = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -12, max: 12 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '+1', '01', ' 1', '', 'abc', '1.5',
    ),
  },
);
const end = fc.constantFrom('LEFT', 'RIGHT', 'left', 'Right', 'up', 'left\0x');
const timeout = fc.constantFrom('0.001', '0.002', '-1', 'abc', '1e-3');

const lposOption = fc.oneof(
  fc.tuple(fc.constantFrom('RANK', 'rank'), intText),
  fc.tuple(fc.constantFrom('COUNT', 'count'), intText),
  fc.tuple(fc.constantFrom('MAXLEN', 'maxlen'), intText),
  fc.constantFrom(['RANK'], ['bogus', '1']),
);
const mpopTail = fc.oneof(
  { weight: 3, arbitrary: fc.constant([] as string[]) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('COUNT', 'count'), intText) },
  { weight: 1, arbitrary: fc.constantFrom(['COUNT'], ['COUNT', '1', 'COUNT', '2'], ['bogus']) },
);
const numkeys = (keys: string[]) => fc.constantFrom(String(keys.length), String(keys.length), '0', '-1', String(keys.length + 3), 'x');

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), anyKey, elements(5)).map(([c, k, e]) => [c, k, ...e]) },
  // Many elements at once, so lists span chunks.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), anyKey, fc.array(element, { minLength: 20, maxLength: 70 })).map(([c, k, e]) => [c, k, ...e]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('LPUSHX', 'RPUSHX'), anyKey, elements(3)).map(([c, k, e]) => [c, k, ...e]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('LPOP', 'RPOP'), anyKey) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('LPOP', 'RPOP'), anyKey, intText) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LLEN'), anyKey) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('LRANGE'), anyKey, intText, intText) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LINDEX'), anyKey, intText) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LSET'), anyKey, intText, element) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LINSERT'), anyKey, fc.constantFrom('BEFORE', 'after', 'middle'), element, element) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LREM'), anyKey, intText, element) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LTRIM'), anyKey, intText, intText) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constant('LPOS'), anyKey, element, fc.array(lposOption, { maxLength: 3 })).map(([c, k, e, o]) => [c, k, e, ...o.flat()]),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constant('LMOVE'), anyKey, anyKey, end, end) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('RPOPLPUSH'), anyKey, anyKey) },
  {
    weight: 2,
    arbitrary: fc
      .array(anyKey, { minLength: 1, maxLength: 3 })
      .chain((keys) => fc.tuple(numkeys(keys), end, mpopTail).map(([n, e, t]) => ['LMPOP', n, ...keys, e, ...t])),
  },
  // Blocking forms: they find an element at once, or time out within milliseconds, or reject the timeout.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('BLPOP', 'BRPOP'), fc.array(anyKey, { minLength: 1, maxLength: 3 }), timeout).map(([c, k, t]) => [c, ...k, t]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('BLMOVE'), anyKey, anyKey, end, end, timeout) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('BRPOPLPUSH'), anyKey, anyKey, timeout) },
  {
    weight: 1,
    arbitrary: fc
      .array(anyKey, { minLength: 1, maxLength: 3 })
      .chain((keys) => fc.tuple(timeout, numkeys(keys), end, mpopTail).map(([t, n, e, m]) => ['BLMPOP', t, n, ...keys, e, ...m])),
  },
  // Strings for WRONGTYPE, and the generic view of a key.
  { weight: 1, arbitrary: fc.tuple(fc.constant('SET'), anyKey, element) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('OBJECT'), fc.constant('ENCODING'), anyKey) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('TYPE', 'EXISTS', 'DEL'), anyKey) },
  // Arity errors come from the command table, LPOP's extra argument from the handler.
  { weight: 1, arbitrary: fc.constantFrom(['LPUSH', 'a'], ['LPOP', 'a', '1', '2'], ['LRANGE', 'a', '0'], ['LMPOP', '1', 'a'], ['BLPOP', 'a'], ['LINSERT', 'a', 'before', 'x']) },
);

/** Everything a key holds afterwards. */
const stateCommands: Command[] = allKeys.flatMap((k) => [['TYPE', k], ['LRANGE', k, '0', '-1']]);

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('list commands, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of list commands gets byte-identical replies (RESP2 and RESP3)', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom('-2', '-1', '1', '2', '5', '128'),
        async (cmds, resp3, fill) => {
          await pair.flush();
          await pair.both(['CONFIG', 'SET', 'list-max-listpack-size', fill]);
          if (resp3) await pair.both(['HELLO', '3']);
          try {
            const mismatch = await pair.mismatch([...cmds, ...stateCommands]);
            commandsRun += cmds.length;
            if (mismatch !== null) throw new Error(`${resp3 ? 'RESP3' : 'RESP2'} fill ${fill} ${mismatch}`);
          } finally {
            if (resp3) await pair.both(['HELLO', '2']);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
    expect(commandsRun).toBeGreaterThan(NUM_RUNS);
  });
});
