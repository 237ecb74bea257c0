/**
 * Property: any sequence of SORT / SORT_RO commands, mixed with commands
 * that build the sorted values (lists, sets, sorted sets: OBJECT ENCODING
 * before each SORT shows Redis' conversion to skiplist) and the keys BY and GET
 * patterns read (strings, hash fields, wrong types), gets the same replies
 * from shardis as from redis-server 7.0.15, byte for byte, in RESP2 and
 * RESP3, with 1 and 4 shards (pattern keys on any shard).
 *
 * Where Redis' order is undefined the comparison is loosened, and only
 * there: a hashtable set returned unsorted (BY a constant, no STORE) is
 * compared as sorted groups of elements (or by length with LIMIT, which
 * picks an undefined part). ALPHA with a BY pattern only reads the u_* / uh_*
 * weights, unique per element, so no two elements tie (Redis' partial
 * quicksort leaves ties in no defined order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElements } from '../../../src/resp/reply-scan.js';
import { DiffPair } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

const NUM_RUNS = Number(process.env.SORT_PROPERTY_RUNS ?? 60);

type Command = string[];

/** Elements: numbers in many spellings strtod accepts or refuses, words, binary. */
const numericElements = ['1', '2', '3', '10', '-5', '2.5', '0', '07', '+4', '1e2', '0x1f', ' 6', '-0', '9007199254740993'];
// No value out of a double's range here: Redis never clears errno before strtod, so after one ERANGE
// every later conversion on the connection may fail until some call resets errno (sort.test.ts covers ERANGE).
const otherElements = ['a', 'b', 'ab', 'c', 'inf', '-inf', 'nan', 'z\0a', '', '6 ', '1e', '0x'];
const ELEMENTS = [...numericElements, ...otherElements];
const element = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...numericElements) }, { weight: 1, arbitrary: fc.constantFrom(...otherElements) });
const elements = (min: number, max: number) => fc.array(element, { minLength: min, maxLength: max });

/** Sorted-set scores, with ties (then ordered by member). */
const score = fc.constantFrom('1', '2', '1', '0', '-1', '2.5', '-inf', '+inf', '3');

/** Sorted keys (spread over shards, and one with a hash tag), and STORE destinations. */
const sourceKey = fc.constantFrom('src', 'src2', '{t}src');
const destKey = fc.constantFrom('dst', '{t}dst', 'src');
const weightValue = fc.constantFrom('1', '2', '3', '-1', '0.5', '10', '1e3', 'x', '', '007', '0x10', 'inf', '2');

/** Unique ALPHA weights: every element gets its own, in an order unrelated to the elements'. */
const uniqueWeight = (i: number) => `${String.fromCharCode(97 + ((i * 7) % 26))}${i}`;

const numericBy = fc.constantFrom('w_*', 'h_*->f', 'h_*->', 'w_*_missing', 'h_*->nofield', 'w_*->f');
const alphaBy = fc.constantFrom('u_*', 'uh_*->f');
const constantBy = fc.constantFrom('nosort', 'w_', '');
const getPattern = fc.constantFrom('#', 'w_*', 'h_*->f', 'nokey', 'w_*->f', 'h_*', 'u_*');
const limitArg = fc.constantFrom('0', '1', '2', '-1', '-3', '5', '0', '1', '3', '9223372036854775807', '-9223372036854775808');

/** One SORT option, with what the comparison and ALPHA's tie rule need to know of it. */
type Option = { args: string[]; constBy?: boolean; limit?: boolean; store?: boolean; alpha?: boolean; starBy?: boolean };
const option: fc.Arbitrary<Option> = fc.oneof(
  { weight: 6, arbitrary: numericBy.map((p): Option => ({ args: ['BY', p], starBy: true })) },
  { weight: 2, arbitrary: constantBy.map((p): Option => ({ args: ['by', p], constBy: true })) },
  { weight: 5, arbitrary: fc.tuple(limitArg, limitArg).map(([a, b]): Option => ({ args: ['LIMIT', a, b], limit: true })) },
  { weight: 5, arbitrary: getPattern.map((p): Option => ({ args: ['GET', p] })) },
  { weight: 2, arbitrary: fc.constantFrom('ASC', 'desc', 'DESC').map((w): Option => ({ args: [w] })) },
  { weight: 5, arbitrary: fc.constantFrom('ALPHA', 'alpha').map((w): Option => ({ args: [w], alpha: true })) },
  { weight: 4, arbitrary: destKey.map((d): Option => ({ args: ['STORE', d], store: true })) },
  { weight: 1, arbitrary: fc.constantFrom(['LIMIT', 'x', '1'], ['LIMIT', '1', '1.5'], ['bogus'], ['LIMIT', ' 1', '2']).map((args): Option => ({ args })) },
);
const noOption = fc.constant<Option>({ args: [] });
/** Options that only fit at the end (a keyword missing its arguments: a syntax error). */
const trailing = fc.constantFrom(['LIMIT', '1'], ['BY'], ['GET'], ['STORE'], ['LIMIT']);

interface SortGen {
  cmd: Command;
  key: string;
  constBy: boolean;
  limit: boolean;
  store: boolean;
  gets: number;
}

const sortCommand: fc.Arbitrary<SortGen> = fc
  .tuple(
    fc.constantFrom('SORT', 'SORT', 'sort_ro'),
    sourceKey,
    fc.array(fc.oneof({ weight: 12, arbitrary: option }, { weight: 1, arbitrary: noOption }), { maxLength: 5 }),
    fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: trailing }),
  )
  .map(([name, key, opts, tail]) => {
    // ALPHA with a BY pattern: read only the unique weights.
    if (opts.some((o) => o.alpha)) {
      opts = opts.map((o) => (o.starBy ? { ...o, args: ['BY', o.args[1].startsWith('h_') ? 'uh_*->f' : 'u_*'] } : o));
    }
    // SORT_RO has no STORE: mostly leave it out (it would only be a syntax error).
    if (name === 'sort_ro' && opts.some((o) => o.store) && key !== '{t}src') opts = opts.filter((o) => !o.store);
    const args = opts.flatMap((o) => o.args);
    return {
      cmd: [name, key, ...args, ...(tail ?? [])],
      key,
      constBy: opts.some((o) => o.constBy),
      limit: opts.some((o) => o.limit),
      store: name === 'SORT' && opts.some((o) => o.store),
      gets: opts.filter((o) => o.args[0] === 'GET').length,
    };
  });

type Gen = { sort: SortGen } | { cmd: Command };

const anyWeightKey = fc.tuple(fc.constantFrom('w_', 'h_'), fc.constantFrom(...ELEMENTS)).map(([p, e]) => p + e);

const command: fc.Arbitrary<Gen> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('RPUSH', 'LPUSH', 'SADD'), sourceKey, elements(1, 6)).map(([c, k, e]): Gen => ({ cmd: [c, k, ...e] })) },
  { weight: 2, arbitrary: fc.tuple(sourceKey, fc.array(fc.tuple(score, element), { minLength: 1, maxLength: 4 })).map(([k, pairs]): Gen => ({ cmd: ['ZADD', k, ...pairs.flat()] })) },
  { weight: 8, arbitrary: sortCommand.map((sort): Gen => ({ sort })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...ELEMENTS), weightValue).map(([e, v]): Gen => ({ cmd: ['SET', `w_${e}`, v] })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...ELEMENTS), weightValue).map(([e, v]): Gen => ({ cmd: ['HSET', `h_${e}`, 'f', v] })) },
  fc.tuple(anyWeightKey).map(([k]): Gen => ({ cmd: ['DEL', k] })),
  fc.tuple(anyWeightKey).map(([k]): Gen => ({ cmd: ['RPUSH', k, 'x'] })),
  fc.tuple(fc.constantFrom('src', 'src2', '{t}src', 'dst', '{t}dst')).map(([k]): Gen => ({ cmd: ['DEL', k] })),
  fc.tuple(sourceKey).map(([k]): Gen => ({ cmd: ['SET', k, 'string'] })),
  fc.tuple(sourceKey).map(([k]): Gen => ({ cmd: ['HSET', k, 'f', 'v'] })),
  fc.tuple(fc.constantFrom('dst', '{t}dst', 'src')).map(([k]): Gen => ({ cmd: ['LRANGE', k, '0', '-1'] })),
  fc.tuple(fc.constantFrom('dst', '{t}dst')).map(([k]): Gen => ({ cmd: ['EXPIRE', k, '100'] })),
  fc.tuple(fc.constantFrom('dst', '{t}dst')).map(([k]): Gen => ({ cmd: ['PERSIST', k] })),
);

/** Sorted values to start from: numeric ones mostly, so that numeric sorts get past the conversion. */
const fillElement = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...numericElements) }, { weight: 1, arbitrary: element });
const fillOne = (key: string): fc.Arbitrary<Gen> =>
  fc.oneof(
    fc.tuple(fc.constantFrom('RPUSH', 'SADD'), fc.array(fillElement, { minLength: 1, maxLength: 8 })).map(([c, e]): Gen => ({ cmd: [c, key, ...e] })),
    fc.array(fc.tuple(score, fillElement), { minLength: 1, maxLength: 8 }).map((pairs): Gen => ({ cmd: ['ZADD', key, ...pairs.flat()] })),
  );
const fill = fc.tuple(fillOne('src'), fillOne('src2'), fillOne('{t}src'), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 })).map(([a, b, c, keep]) => [a, b, c].filter((_, i) => keep[i] || i === 0));

/** A step: a command and, for SORT, what decides how loosely its reply may be compared. */
interface Step {
  cmd: Command;
  sort?: SortGen;
  /** Index of the OBJECT ENCODING step of the sorted key, just before the SORT. */
  encodingStep?: number;
}

function toSteps(gens: Gen[]): Step[] {
  const steps: Step[] = [];
  for (const g of gens) {
    if ('sort' in g) {
      steps.push({ cmd: ['OBJECT', 'ENCODING', g.sort.key] });
      steps.push({ cmd: g.sort.cmd, sort: g.sort, encodingStep: steps.length - 1 });
    } else {
      steps.push({ cmd: g.cmd });
    }
  }
  for (const k of ['src', 'src2', '{t}src', 'dst', '{t}dst']) {
    steps.push({ cmd: ['TYPE', k] });
    steps.push({ cmd: ['OBJECT', 'ENCODING', k] });
  }
  for (const k of ['dst', '{t}dst']) steps.push({ cmd: ['LRANGE', k, '0', '-1'] });
  return steps;
}

const latin1 = (b: Buffer) => b.toString('latin1');

/** An array reply's elements in groups of `size` (one element and its GETs), groups sorted. */
function sortedGroups(reply: Buffer, size: number): string {
  if (reply[0] !== 42) return latin1(reply);
  const items = arrayElements(reply).map(([s, e]) => latin1(reply.subarray(s, e)));
  const groups: string[] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size).join('|'));
  return `${items.length}:${groups.sort().join('/')}`;
}

function compare(steps: Step[], ours: Buffer[], theirs: Buffer[]): string | null {
  for (let i = 0; i < steps.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a.equals(b)) continue;
    const s = steps[i];
    let same = false;
    // A hashtable set with nothing to sort replies in its own iteration order.
    if (s.sort !== undefined && s.sort.constBy && !s.sort.store && /^\$9\r\nhashtable/.test(latin1(theirs[s.encodingStep!]))) {
      same = s.sort.limit ? latin1(a).split('\r\n')[0] === latin1(b).split('\r\n')[0] : sortedGroups(a, Math.max(1, s.sort.gets)) === sortedGroups(b, Math.max(1, s.sort.gets));
    }
    if (!same) return `step #${i} ${JSON.stringify(s.cmd)}\n  shardis: ${JSON.stringify(latin1(a))}\n  redis:   ${JSON.stringify(latin1(b))}`;
  }
  return null;
}

/** The unique ALPHA weights, as strings and hash fields (never changed by the generated commands). */
function uniqueWeights(): Command[] {
  const cmds: Command[] = [['MSET', ...ELEMENTS.flatMap((e, i) => [`u_${e}`, uniqueWeight(i)])]];
  ELEMENTS.forEach((e, i) => cmds.push(['HSET', `uh_${e}`, 'f', uniqueWeight(i)]));
  return cmds;
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('SORT, property: shardis with %i shard(s) replies as redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('any sequence of SORT / SORT_RO over lists, sets and sorted sets, weights anywhere, gets the same replies (RESP2 and RESP3)', async () => {
    let sorts = 0;
    await fc.assert(
      fc.asyncProperty(fill, fc.array(command, { minLength: 1, maxLength: 25 }), fc.boolean(), fc.constantFrom(512, 512, 3), async (fills, gens, resp3, maxIntset) => {
        gens = [...fills, ...gens];
        await pair.flush();
        await pair.both(['CONFIG', 'SET', 'set-max-intset-entries', String(maxIntset)]);
        const setup = uniqueWeights();
        await Promise.all([pair.ours.pipeline(setup), pair.theirs.pipeline(setup)]);
        if (resp3) await pair.both(['HELLO', '3']);
        try {
          const steps = toSteps(gens);
          const cmds = steps.map((s) => s.cmd);
          const [ours, theirs] = await Promise.all([pair.ours.pipeline(cmds), pair.theirs.pipeline(cmds)]);
          sorts += steps.filter((s) => s.sort !== undefined).length;
          const mismatch = compare(steps, ours, theirs);
          if (mismatch !== null) throw new Error(`${resp3 ? 'RESP3' : 'RESP2'} set-max-intset-entries ${maxIntset}: ${mismatch}`);
        } finally {
          if (resp3) await pair.both(['HELLO', '2']);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(sorts).toBeGreaterThan(NUM_RUNS);
    await pair.both(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
  });
});
