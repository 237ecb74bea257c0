/**
 * SORT and SORT_RO: table entries, and how their keys are found. Execution:
 * workers/types/sort.ts.
 *
 * Their BY/GET keys derive from the sorted values and STORE may appear
 * anywhere, so Redis declares those key specs 'unknown' and finds keys with
 * its own functions (db.c sortGetKeys, sortROGetKeys), written here as
 * sortKeys. sortReadsPatternKeys tells the acceptor when the command reads
 * keys it cannot name in advance (then every shard takes part).
 */
import { arg, command as c } from './define.js';
import type { KeyRef } from './key-specs.js';
import type { KeySpec } from './spec.js';

const sortedKey: KeySpec = { flags: ['RO', 'ACCESS'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } };
const patternKeys: KeySpec = {
  notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
  flags: ['RO', 'ACCESS'],
  beginSearch: { unknown: true },
  findKeys: { unknown: true },
};
const storeKey: KeySpec = {
  notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
  flags: ['OW', 'UPDATE'],
  beginSearch: { unknown: true },
  findKeys: { unknown: true },
};

const COMPLEXITY =
  'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';

const readArgs = [
  arg.key('key', 0),
  arg.pattern('pattern', { keySpecIndex: 1, token: 'BY', optional: true }),
  arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true }),
  arg.pattern('pattern', { keySpecIndex: 1, token: 'GET', optional: true, multiple: true, multipleToken: true }),
  arg.oneof('order', [arg.token('ASC'), arg.token('DESC')], { optional: true }),
  arg.token('ALPHA', { name: 'sorting', optional: true }),
];

export const sortCommands = [
  c('sort', -2, 'write denyoom movablekeys', 'set sortedset list dangerous', 'generic', {
    keys: [1, 1, 1], route: 'shard', keySpecs: [sortedKey, patternKeys, storeKey],
    summary: 'Orders the members of a list, set or sorted set, numerically or lexicographically, optionally by external keys, and replies with them or stores them as a list.',
    complexity: COMPLEXITY,
    args: [...readArgs, arg.key('destination', 2, { token: 'STORE', optional: true })],
  }),
  c('sort_ro', -2, 'readonly movablekeys', 'set sortedset list dangerous', 'generic', {
    keys: [1, 1, 1], route: 'shard', since: '7.0.0', keySpecs: [sortedKey, patternKeys],
    summary: 'Orders the members of a list, set or sorted set like SORT, without the STORE option.',
    complexity: COMPLEXITY, args: readArgs,
  }),
];

/** An argument as C's strcasecmp sees it: up to the first NUL byte, any case. */
function word(arg: string): string {
  const nul = arg.indexOf('\0');
  return (nul < 0 ? arg : arg.slice(0, nul)).toLowerCase();
}

/** Arguments that SORT's key finder skips after an option word (sortGetKeys' skip list). */
const SKIP: Record<string, number> = { limit: 2, get: 1, by: 1 };

/**
 * The keys of a SORT command line (Redis sortGetKeys): the sorted key and
 * the last STORE destination. SORT_RO's is the sorted key (sortROGetKeys).
 */
export function sortKeys(argv: readonly string[]): KeyRef[] {
  const out = sortRoKeys();
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const w = word(argv[i]);
    if (w in SKIP) i += SKIP[w];
    // The STORE word does not skip its argument: "STORE store d" names d last.
    else if (w === 'store' && i + 1 < argv.length) store = i + 1;
  }
  if (store > 0) out.push({ pos: store, flags: ['OW', 'update'] });
  return out;
}

export function sortRoKeys(): KeyRef[] {
  return [{ pos: 1, flags: ['RO', 'access'] }];
}

/**
 * Whether a SORT line may read keys named by a BY or GET pattern (one with a
 * '*' before any NUL byte follows a BY or GET word somewhere). A superset of
 * what the command really reads: a false yes only involves more shards.
 */
export function sortReadsPatternKeys(argv: readonly string[]): boolean {
  for (let i = 2; i + 1 < argv.length; i++) {
    const w = word(argv[i]);
    if ((w === 'by' || w === 'get') && word(argv[i + 1]).includes('*')) return true;
  }
  return false;
}
