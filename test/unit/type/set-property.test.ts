/**
 * Property: any sequence of set commands gets the same replies from shardis
 * as from redis-server 7.0.15. fast-check generates the sequences — every
 * set command, with members that are integers of every intset width (and
 * the int64 limits), integers in non-canonical form ("01", "+1", "-0"),
 * binary strings; wrong-type keys, missing keys, bad counts, cursors and
 * options; OBJECT ENCODING, and a lowered set-max-intset-entries in some
 * runs so conversions happen often — and shrinks a failing sequence.
 *
 * Replies are compared byte for byte, except where Redis' order is
 * undefined (hashtable iteration: compared sorted, see set-compare.ts) and
 * random picks (same type and length). SPOP and SRANDMEMBER are generated
 * only with counts whose result does not depend on chance (0, beyond the
 * size, errors), so both servers keep the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffPair } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';
import { compareSteps, type Command, type Step } from './set-compare.js';

/** Runs per shard count; SET_PROPERTY_RUNS=2000 for a long hunt. */
const NUM_RUNS = Number(process.env.SET_PROPERTY_RUNS ?? 150);

/** Keys spread over shards and keys sharing the slot of {t}; multi-key commands use both (cross-shard transactions). */
const plainKeys = ['s1', 's2', 'k\0\xff'];
const taggedKeys = ['{t}a', '{t}b', '{t}c'];
const allKeys = [...plainKeys, ...taggedKeys];
const anyKey = fc.constantFrom(...allKeys);
const taggedKey = fc.constantFrom(...taggedKeys);
/** Multi-key commands: mostly on one shard, sometimes across shards. */
const multiKey = fc.oneof({ weight: 4, arbitrary: taggedKey }, { weight: 1, arbitrary: anyKey });

const intMembers = [
  '0', '1', '2', '3', '-1', '-5', '100', '32767', '32768', '-32769', '70000', '2147483648', '-2147483649', '5000000000',
  '9007199254740993', '9223372036854775807', '-9223372036854775808',
];
const otherMembers = ['01', '+1', '-0', ' 1', '1.5', '9223372036854775808', 'a', 'b', 'hello', '', '\0\xff\r\n'];
const member = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...intMembers) }, { weight: 1, arbitrary: fc.constantFrom(...otherMembers) });
const members = (min: number, max: number) => fc.array(member, { minLength: min, maxLength: max });

const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((up) => [...word].map((ch, i) => (up[i] ? ch.toUpperCase() : ch)).join(''));

/** A generated command and how its reply is compared. */
type Gen = { cmd: Command; kind: 'exact' | 'members' | 'result' | 'shape'; encodingOf?: string[] };
const exact = (cmd: Command): Gen => ({ cmd, kind: 'exact' });

const badInt = fc.constantFrom('x', '', '1.5', '9223372036854775808', '-9223372036854775809', ' 1');
const sscanOptions = fc.array(
  fc.oneof(
    fc.tuple(anyCase('MATCH'), fc.constantFrom('*', '1*', '*a*', '-*', '[0-3]', '?')),
    fc.tuple(anyCase('COUNT'), fc.constantFrom('100', '1000')),
    fc.constantFrom(['COUNT', '0'], ['COUNT', 'x'], ['MATCH'], ['TYPE', 'set'], ['bogus', '1']),
  ),
  { maxLength: 2 },
);

const command: fc.Arbitrary<Gen> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(anyKey, members(1, 5)).map(([k, m]) => exact(['SADD', k, ...m])) },
  { weight: 3, arbitrary: fc.tuple(anyKey, members(1, 3)).map(([k, m]) => exact(['SREM', k, ...m])) },
  fc.tuple(anyKey, member).map(([k, m]) => exact(['SISMEMBER', k, m])),
  fc.tuple(anyKey, members(1, 4)).map(([k, m]) => exact(['SMISMEMBER', k, ...m])),
  fc.tuple(anyKey).map(([k]) => exact(['SCARD', k])),
  { weight: 2, arbitrary: anyKey.map((k): Gen => ({ cmd: ['SMEMBERS', k], kind: 'members', encodingOf: [k] })) },
  // SPOP: counts whose outcome is not random.
  fc.tuple(anyKey, fc.constantFrom('0', '-1', 'x', '')).map(([k, c]) => exact(['SPOP', k, c])),
  anyKey.map((k): Gen => ({ cmd: ['SPOP', k, '1000'], kind: 'result' })),
  fc.tuple(anyKey).map(([k]) => exact(['SPOP', k, '1', '2'])),
  // SRANDMEMBER: deterministic counts exactly, random ones by shape.
  anyKey.map((k): Gen => ({ cmd: ['SRANDMEMBER', k, '1000'], kind: 'members', encodingOf: [k] })),
  fc.tuple(anyKey, fc.constantFrom('0', 'x', '-9223372036854775808', '-9223372036854775807x')).map(([k, c]) => exact(['SRANDMEMBER', k, c])),
  fc.tuple(anyKey, fc.constantFrom('1', '2', '5', '-1', '-3', '-40')).map(([k, c]): Gen => ({ cmd: ['SRANDMEMBER', k, c], kind: 'shape' })),
  anyKey.map((k): Gen => ({ cmd: ['SRANDMEMBER', k], kind: 'shape' })),
  fc.tuple(anyKey).map(([k]) => exact(['SRANDMEMBER', k, '1', '2'])),
  // The algebra.
  { weight: 2, arbitrary: fc.array(multiKey, { minLength: 1, maxLength: 4 }).map((ks): Gen => ({ cmd: ['SINTER', ...ks], kind: 'members', encodingOf: ks })) },
  { weight: 2, arbitrary: fc.array(multiKey, { minLength: 1, maxLength: 4 }).map((ks): Gen => ({ cmd: ['SUNION', ...ks], kind: 'result' })) },
  { weight: 2, arbitrary: fc.array(multiKey, { minLength: 1, maxLength: 4 }).map((ks): Gen => ({ cmd: ['SDIFF', ...ks], kind: 'result' })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), multiKey, fc.array(multiKey, { minLength: 1, maxLength: 4 })).map(([c, d, ks]) => exact([c, d, ...ks])) },
  fc.tuple(fc.array(multiKey, { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom('0', '1', '2', '-1', 'x'))).map(([ks, limit]) =>
    exact(['SINTERCARD', String(ks.length), ...ks, ...(limit === null ? [] : ['LIMIT', limit])]),
  ),
  fc.constantFrom(['SINTERCARD', '0', 'a'], ['SINTERCARD', '3', '{t}a', '{t}b'], ['SINTERCARD', 'x', '{t}a'], ['SINTERCARD', '1', '{t}a', 'bogus'], ['SINTERCARD', '1', '{t}a', 'LIMIT']).map(exact),
  { weight: 2, arbitrary: fc.tuple(multiKey, multiKey, member).map(([s, d, m]) => exact(['SMOVE', s, d, m])) },
  // SSCAN from cursor 0 (a hashtable's other cursors are bucket positions of Redis' own table)
  // with a COUNT above any generated set size, so hashtables are returned whole too.
  fc.tuple(anyKey, fc.constantFrom('0', '0', '0', 'x', ' 1', '18446744073709551616'), sscanOptions).map(([k, c, o]): Gen => ({ cmd: ['SSCAN', k, c, ...o.flat()], kind: 'members', encodingOf: [k] })),
  // Other types and keys going away.
  fc.tuple(anyKey).map(([k]) => exact(['SET', k, 'string'])),
  fc.tuple(anyKey).map(([k]) => exact(['DEL', k])),
  { weight: 2, arbitrary: anyKey.map((k) => exact(['OBJECT', 'ENCODING', k])) },
  fc.constantFrom(['SADD', 's1'], ['SREM', 's1'], ['SMOVE', 's1', 's2'], ['SINTERCARD', '1'], ['SSCAN', 's1']).map(exact),
);

/** Generated commands, with OBJECT ENCODING steps before those whose reply order depends on it. */
function toSteps(gens: Gen[]): Step[] {
  const steps: Step[] = [];
  for (const g of gens) {
    if (g.kind === 'members') {
      const encodingSteps: number[] = [];
      for (const k of new Set(g.encodingOf)) {
        encodingSteps.push(steps.length);
        steps.push({ cmd: ['OBJECT', 'ENCODING', k], check: { kind: 'exact' } });
      }
      steps.push({ cmd: g.cmd, check: { kind: 'members', encodingSteps } });
    } else {
      steps.push({ cmd: g.cmd, check: { kind: g.kind } });
    }
  }
  // The state left behind.
  for (const k of allKeys) {
    steps.push({ cmd: ['TYPE', k], check: { kind: 'exact' } });
    steps.push({ cmd: ['OBJECT', 'ENCODING', k], check: { kind: 'exact' } });
    steps.push({ cmd: ['SMEMBERS', k], check: { kind: 'members', encodingSteps: [steps.length - 1] } });
  }
  return steps;
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('set commands, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of set commands gets the same replies (RESP2 and RESP3, default and small set-max-intset-entries)', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.constantFrom(512, 512, 4), async (gens, resp3, maxIntset) => {
        await pair.flush();
        await pair.both(['CONFIG', 'SET', 'set-max-intset-entries', String(maxIntset)]);
        if (resp3) await pair.both(['HELLO', '3']);
        try {
          const steps = toSteps(gens);
          const cmds = steps.map((s) => s.cmd);
          const [ours, theirs] = await Promise.all([pair.ours.pipeline(cmds), pair.theirs.pipeline(cmds)]);
          commandsRun += gens.length;
          const mismatch = compareSteps(steps, ours, theirs, maxIntset);
          if (mismatch !== null) throw new Error(`${resp3 ? 'RESP3' : 'RESP2'} set-max-intset-entries ${maxIntset}: ${mismatch}`);
        } finally {
          if (resp3) await pair.both(['HELLO', '2']);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(commandsRun).toBeGreaterThan(NUM_RUNS);
    await pair.both(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
  });
});
