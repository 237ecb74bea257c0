/**
 * Range commands: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES), ZRANGESTORE,
 * ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX and
 * ZREMRANGEBYRANK/SCORE/LEX (Redis zrangeGenericCommand, zremrangeGenericCommand).
 * Every range becomes a span of ascending ranks, then a slice.
 */
import { ERR } from '../../../src/resp/errors.js';
import type { Ctx, Handler } from '../../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../../../src/server/notify-flags.js';
import { deleteIfEmpty } from './basic.js';
import { isWord, longArg, readZset, replyEntries, storeZset, writeZset } from './common.js';
import { parseLexRange, parseScoreRange, type LexRange, type ScoreRange } from './number.js';
import type { Entries } from './packed.js';
import { SortedSet } from './sorted-set.js';

const AUTO = 0;
const RANK = 1;
const SCORE = 2;
const LEX = 3;
const FORWARD = 1;
const REVERSE = 2;

/** Ascending ranks [first, last] of a rank range given as Redis indexes (negative from the end), or null when empty. */
function rankSpan(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function scoreSpan(z: SortedSet, r: ScoreRange): [number, number] | null {
  const first = z.countScoreBelow(r.min, r.minex);
  const end = z.countScoreBelow(r.max, !r.maxex);
  return first < end ? [first, end - 1] : null;
}

/**
 * The entries of a span (ascending) that LIMIT keeps in emission order: `offset` entries
 * skipped (a negative offset skips everything, as Redis' `while (offset--)`
 * does), then at most `limit` (negative: no limit).
 */
function limitedSlice(z: SortedSet, span: [number, number] | null, reverse: boolean, offset: number, limit: number): Entries {
  if (span === null || offset < 0 || limit === 0) return { members: [], scores: [] };
  let [first, last] = span;
  if (reverse) last -= offset;
  else first += offset;
  if (limit > 0) {
    if (reverse) first = Math.max(first, last - limit + 1);
    else last = Math.min(last, first + limit - 1);
  }
  if (first > last) return { members: [], scores: [] };
  return z.slice(first, last);
}

/** Stores a range result (ascending entries) at dst (zrangeResultFinalizeStore), in the encoding Redis' zsetAdd calls would end with. */
function storeRange(ctx: Ctx, dst: string, e: Entries | null): void {
  const n = e?.members.length ?? 0;
  if (n === 0) {
    ctx.w.int(0);
    if (ctx.db.delete(dst, ctx.slot)) ctx.notify(NOTIFY_GENERIC, 'del', dst);
    return;
  }
  const ordered = e!;
  const cfg = ctx.config;
  const skiplist = n > cfg.zsetMaxListpackEntries || ordered.members.some((m) => m.length > cfg.zsetMaxListpackValue);
  storeZset(ctx, dst, SortedSet.fromSorted(ordered, skiplist), ctx.slot);
  ctx.w.int(n);
  ctx.notify(NOTIFY_ZSET, 'zrangestore', dst);
}

function zrangeGeneric(ctx: Ctx, argv: string[], argStart: number, store: boolean, rangeType: number, direction: number): void {
  const w = ctx.w;
  const key = argv[argStart];
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && isWord(a, 'withscores')) withScores = true;
    else if (isWord(a, 'limit') && left >= 2) {
      const o = longArg(ctx, argv[j + 1]);
      if (o === null) return;
      const l = longArg(ctx, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === AUTO && isWord(a, 'rev')) direction = REVERSE;
    else if (rangeType === AUTO && isWord(a, 'bylex')) rangeType = LEX;
    else if (rangeType === AUTO && isWord(a, 'byscore')) rangeType = SCORE;
    else return w.error(ERR.SYNTAX);
  }
  if (direction === AUTO) direction = FORWARD;
  if (rangeType === AUTO) rangeType = RANK;
  if (limit !== -1 && rangeType === RANK) return w.error(ERR.ZSET_LIMIT_NEEDS_BY);
  if (withScores && rangeType === LEX) return w.error(ERR.ZSET_WITHSCORES_BYLEX);
  const reverse = direction === REVERSE;
  if (reverse && rangeType !== RANK) [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (rangeType === RANK) {
    const s = longArg(ctx, argv[minIdx]);
    if (s === null) return;
    const e = longArg(ctx, argv[maxIdx]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (rangeType === SCORE) {
    scoreRange = parseScoreRange(argv[minIdx], argv[maxIdx]);
    if (scoreRange === null) return w.error(ERR.ZSET_MINMAX_FLOAT);
  } else {
    lexRange = parseLexRange(argv[minIdx], argv[maxIdx]);
    if (lexRange === null) return w.error(ERR.ZSET_MINMAX_LEX);
  }

  const z = readZset(ctx, key, store ? undefined : ctx.slot);
  if (z === undefined) {
    if (store) return storeRange(ctx, argv[1], null);
    return w.arrayLen(0);
  }
  if (z === null) return;

  let result: Entries;
  if (rangeType === RANK) {
    const len = z.size;
    const span = rankSpan(start, end, len);
    if (span === null) result = { members: [], scores: [] };
    else if (reverse) result = limitedSlice(z, [len - 1 - span[1], len - 1 - span[0]], true, 0, -1);
    else result = z.slice(span[0], span[1]);
  } else if (offset > 0 && offset >= z.size) {
    result = { members: [], scores: [] };
  } else if (rangeType === SCORE) {
    result = limitedSlice(z, scoreSpan(z, scoreRange!), reverse, offset, limit);
  } else {
    result = limitedSlice(z, reverse ? z.lexSpanReverse(lexRange!) : z.lexSpan(lexRange!), reverse, offset, limit);
  }
  if (store) return storeRange(ctx, argv[1], result);
  replyEntries(ctx, result, withScores, reverse);
}

function zremrangeGeneric(ctx: Ctx, argv: string[], rangeType: number): void {
  const w = ctx.w;
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (rangeType === RANK) {
    const s = longArg(ctx, argv[2]);
    if (s === null) return;
    const e = longArg(ctx, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (rangeType === SCORE) {
    scoreRange = parseScoreRange(argv[2], argv[3]);
    if (scoreRange === null) return w.error(ERR.ZSET_MINMAX_FLOAT);
  } else {
    lexRange = parseLexRange(argv[2], argv[3]);
    if (lexRange === null) return w.error(ERR.ZSET_MINMAX_LEX);
  }
  const key = argv[1];
  const z = writeZset(ctx, key, ctx.slot);
  if (z === null) return;
  if (z === undefined) return w.int(0);
  let span: [number, number] | null;
  if (rangeType === RANK) span = rankSpan(start, end, z.size);
  else if (rangeType === SCORE) span = scoreSpan(z, scoreRange!);
  else span = z.lexSpan(lexRange!);
  const deleted = span === null ? 0 : z.removeRanks(span[0], span[1]);
  if (deleted > 0) ctx.notify(NOTIFY_ZSET, rangeType === RANK ? 'zremrangebyrank' : rangeType === SCORE ? 'zremrangebyscore' : 'zremrangebylex', key);
  if (deleteIfEmpty(ctx, key, z, ctx.slot)) ctx.notify(NOTIFY_GENERIC, 'del', key);
  w.int(deleted);
}

export const rangeHandlers: Record<string, Handler> = {
  zrange: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, AUTO, AUTO),
  zrangestore: (ctx, argv) => zrangeGeneric(ctx, argv, 2, true, AUTO, AUTO),
  zrevrange: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RANK, REVERSE),
  zrangebyscore: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, SCORE, FORWARD),
  zrevrangebyscore: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, SCORE, REVERSE),
  zrangebylex: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, LEX, FORWARD),
  zrevrangebylex: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, LEX, REVERSE),
  zremrangebyrank: (ctx, argv) => zremrangeGeneric(ctx, argv, RANK),
  zremrangebyscore: (ctx, argv) => zremrangeGeneric(ctx, argv, SCORE),
  zremrangebylex: (ctx, argv) => zremrangeGeneric(ctx, argv, LEX),
};
