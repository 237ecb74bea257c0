/**
 * SORT and SORT_RO (Redis sort.c), executed on the shard that owns the sorted
 * key. Keys named by BY and GET patterns may live on other shards: the
 * acceptor then runs the command as a cross-shard transaction with every
 * shard (src/commands/sort.ts sortReadsPatternKeys), so that ctx.db lookups
 * find them wherever they are.
 *
 * The steps follow Redis so that the same error wins and the same order
 * comes out: parse every option (syntax and LIMIT errors), look the key up
 * (WRONGTYPE), load the elements (only the LIMIT run when there is nothing
 * to sort in a list or sorted set), compute each element's weight, sort
 * (numeric ties broken by the elements' bytes), then reply or STORE.
 */
import { ERR } from '../../src/resp/errors.js';
import type { Ctx, Handler } from '../shard/context.js';
import { parseInteger } from '../shard/value.js';
import { QuickList } from './list/quicklist.js';
import { lookupByPattern, parsePattern, prefetchPatternKeys, type SortPattern } from './sort/pattern.js';
import { EMPTY_SOURCE, sortSource, type SortSource } from './sort/source.js';
import { sortWeight } from './sort/strtod.js';

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  /** BY without '*' (at any BY so far): nothing to sort, no weights to read. */
  dontSort: boolean;
  by: SortPattern | null;
  store: string | null;
  gets: SortPattern[];
}

/** An argument as C's strcasecmp sees it: up to the first NUL byte, any case. */
function word(arg: string): string {
  const nul = arg.indexOf('\0');
  return (nul < 0 ? arg : arg.slice(0, nul)).toLowerCase();
}

/** Redis getLongFromObjectOrReply, clamped to ±2^53 (LIMIT values are clamped to the length later anyway). */
function longArg(arg: string): number | null {
  const n = parseInteger(arg);
  if (n === null) return null;
  return typeof n === 'number' ? n : n > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

/** SORT's SQL-like options (sortCommandGeneric's parse loop); null after replying with an error. */
function parseOptions(ctx: Ctx, argv: string[], readonly: boolean): SortOptions | null {
  const o: SortOptions = { desc: false, alpha: false, limitStart: 0, limitCount: -1, dontSort: false, by: null, store: null, gets: [] };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const w = word(argv[j]);
    if (w === 'asc') o.desc = false;
    else if (w === 'desc') o.desc = true;
    else if (w === 'alpha') o.alpha = true;
    else if (w === 'limit' && left >= 2) {
      const start = longArg(argv[j + 1]);
      const count = start === null ? null : longArg(argv[j + 2]);
      if (start === null || count === null) {
        ctx.w.error(ERR.NOT_INTEGER);
        return null;
      }
      o.limitStart = start;
      o.limitCount = count;
      j += 2;
    } else if (!readonly && w === 'store' && left >= 1) {
      o.store = argv[++j];
    } else if (w === 'by' && left >= 1) {
      const pattern = argv[++j];
      // A constant BY pattern means no sorting, and stays so even if a later BY has a '*' (as in Redis).
      if (!word(pattern).includes('*')) o.dontSort = true;
      o.by = parsePattern(pattern);
    } else if (w === 'get' && left >= 1) {
      o.gets.push(parsePattern(argv[++j]));
    } else {
      ctx.w.error(ERR.SYNTAX);
      return null;
    }
  }
  return o;
}

/** One element being sorted, with its numeric weight or its ALPHA comparison value (null: the BY key is missing). */
interface Item {
  element: string;
  score: number;
  by: string | null;
}

/** memcmp order, then length (Redis compareStringObjects): JS compares latin1 strings this way. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale (Redis' collation when not storing): strcmp, up to the first NUL byte. */
function compareCStrings(a: string, b: string): number {
  const na = a.indexOf('\0');
  const nb = b.indexOf('\0');
  return compareBytes(na < 0 ? a : a.slice(0, na), nb < 0 ? b : b.slice(0, nb));
}

function sortGeneric(ctx: Ctx, argv: string[], readonly: boolean): void {
  const o = parseOptions(ctx, argv, readonly);
  if (o === null) return;
  const value = ctx.db.read(argv[1], ctx.slot);
  const source: SortSource | null = value === undefined ? EMPTY_SOURCE : sortSource(value);
  if (source === null) return ctx.w.error(ERR.WRONGTYPE);

  let { dontSort, alpha, by } = o;
  // A set has no order of its own: stored results are sorted lexicographically instead.
  if (dontSort && source.kind === 'set' && o.store !== null) {
    dontSort = false;
    alpha = true;
    by = null;
  }

  // LIMIT's clamping, as Redis does it.
  const len = source.length;
  let start = Math.min(Math.max(o.limitStart, 0), len);
  const count = Math.min(Math.max(o.limitCount, -1), len);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  let selected: string[];
  if (dontSort && source.kind !== 'set') {
    // Native order (reversed by DESC), loading only the LIMIT run.
    selected = end >= start ? source.run(start, end - start + 1, o.desc) : [];
  } else if (dontSort) {
    selected = source.all().slice(start, end + 1);
  } else {
    const all = source.all();
    prefetchPatternKeys(ctx, [by], all);
    const items: Item[] = all.map((element) => ({ element, score: 0, by: null }));
    let notDouble = false;
    for (const item of items) {
      const weight = by === null ? item.element : lookupByPattern(ctx, by, item.element);
      if (weight === null) continue; // a missing BY value weighs 0 (or sorts first with ALPHA)
      if (alpha) {
        if (by !== null) item.by = weight;
      } else {
        const score = sortWeight(weight);
        if (score === null) notDouble = true;
        else item.score = score;
      }
    }
    if (notDouble) return ctx.w.error(ERR.SORT_NOT_DOUBLE);
    items.sort(comparator(alpha, by !== null, o.store !== null, o.desc));
    selected = items.slice(start, end + 1).map((item) => item.element);
  }

  prefetchPatternKeys(ctx, o.gets, selected);
  if (o.store === null) return reply(ctx, selected, o.gets);
  store(ctx, o.store, selected, o.gets);
}

/** Redis sortCompare. Array.prototype.sort is stable, like glibc's qsort (a merge sort) that Redis calls. */
function comparator(alpha: boolean, byPattern: boolean, storing: boolean, desc: boolean): (a: Item, b: Item) => number {
  const sign = desc ? -1 : 1;
  const text = storing ? compareBytes : compareCStrings;
  if (!alpha) return (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element));
  if (!byPattern) return (a, b) => sign * text(a.element, b.element);
  return (a, b) => {
    if (a.by === null || b.by === null) return sign * (a.by === b.by ? 0 : a.by === null ? -1 : 1);
    return sign * text(a.by, b.by);
  };
}

function reply(ctx: Ctx, selected: string[], gets: SortPattern[]): void {
  const w = ctx.w;
  w.arrayLen(gets.length === 0 ? selected.length : gets.length * selected.length);
  for (const element of selected) {
    if (gets.length === 0) w.bulk(element);
    for (const get of gets) {
      const v = lookupByPattern(ctx, get, element);
      if (v === null) w.nil();
      else w.bulk(v);
    }
  }
}

/** STORE: the result as a new list at the destination (TTL dropped), or the destination deleted when empty. */
function store(ctx: Ctx, dest: string, selected: string[], gets: SortPattern[]): void {
  let out = selected;
  if (gets.length > 0) {
    out = [];
    for (const element of selected) for (const get of gets) out.push(lookupByPattern(ctx, get, element) ?? '');
  }
  if (out.length > 0) {
    const list = new QuickList(ctx.config.listMaxListpackSize);
    list.push(out, 0, false);
    ctx.db.set(dest, list);
  } else {
    ctx.db.delete(dest);
  }
  ctx.w.int(out.length);
}

export const sortHandlers: Record<string, Handler> = {
  sort: (ctx, argv) => sortGeneric(ctx, argv, false),
  sort_ro: (ctx, argv) => sortGeneric(ctx, argv, true),
};
