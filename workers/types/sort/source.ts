/**
 * What SORT reads from the value it sorts: its length, every element in the
 * type's iteration order, and, for the ordered types (lists, sorted sets), a
 * run of elements from a position in either direction (Redis loads only
 * that run when there is nothing to sort).
 */
import type { Value } from '../../shard/value.js';
import { QuickList } from '../list/quicklist.js';
import { SetValue } from '../set/set-value.js';
import { SortedSet } from '../zset/sorted-set.js';

export interface SortSource {
  kind: 'list' | 'set' | 'zset';
  length: number;
  /** Every element: list order, set iteration order (intset ascending), sorted set in any order. */
  all(): string[];
  /**
   * `count` elements from position `from` of the native order (list order,
   * sorted-set rank) towards its end, or, when reverse, from position `from`
   * of the reversed order towards the start. Lists and sorted sets only.
   */
  run(from: number, count: number, reverse: boolean): string[];
}

/** The source for a list, set or sorted set, or null for any other value. */
export function sortSource(v: Value): SortSource | null {
  if (v instanceof QuickList) return listSource(v);
  if (v instanceof SetValue) return setSource(v);
  if (v instanceof SortedSet) return zsetSource(v);
  return null;
}

/** Redis converts a sorted set to its skiplist encoding for good before sorting it (sort.c zsetConvert), even for SORT_RO. */
function zsetSource(zset: SortedSet): SortSource {
  zset.toSkiplist();
  const length = zset.size;
  return {
    kind: 'zset',
    length,
    all: () => zset.slice(0, length - 1).members,
    run(from, count, reverse) {
      if (!reverse) return zset.slice(from, from + count - 1).members;
      // From rank (length - 1 - from) down: the ascending ranks just below it, reversed.
      return zset.slice(length - from - count, length - from - 1).members.reverse();
    },
  };
}

/** A missing key sorts as an empty list. */
export const EMPTY_SOURCE: SortSource = { kind: 'list', length: 0, all: () => [], run: () => [] };

function listSource(list: QuickList): SortSource {
  return {
    kind: 'list',
    length: list.length,
    all: () => list.toArray(),
    run(from, count, reverse) {
      const out: string[] = [];
      list.range(reverse ? list.length - from - 1 : from, count, reverse, (s) => out.push(s));
      return out;
    },
  };
}

function setSource(set: SetValue): SortSource {
  return {
    kind: 'set',
    length: set.size,
    all: () => set.toArray(),
    run: () => {
      throw new Error('a set has no native order');
    },
  };
}
