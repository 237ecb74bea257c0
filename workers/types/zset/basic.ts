/**
 * Sorted-set commands on single members: ZADD, ZINCRBY, ZSCORE, ZMSCORE,
 * ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK, ZREM, ZRANDMEMBER, ZSCAN
 * (Redis t_zset.c, db.c for ZSCAN), each in its Redis order of checks.
 */
import { parseScanOptions, replyScanPage } from '../scan-options.js';
import { parseScanCursor } from '../../../src/util/scan-cursor.js';
import { ERR } from '../../../src/resp/errors.js';
import { globMatch } from '../../../src/util/glob.js';
import type { Ctx, Handler } from '../../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../../../src/server/notify-flags.js';
import { parseInteger } from '../../shard/value.js';
import { isWord, readZset, writeZset } from './common.js';
import { d2string, parseLexRange, parseScore, parseScoreRange } from './number.js';
import { formatDouble } from '../../../src/resp/number-format.js';
import { SortedSet } from './sorted-set.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const INCR = 16;

/** ZADD and ZINCRBY (zaddGenericCommand): options, then score/member pairs. */
function zaddGeneric(ctx: Ctx, argv: string[], incrCommand: boolean): void {
  const w = ctx.w;
  let flags = incrCommand ? INCR : 0;
  let ch = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const a = argv[idx];
    if (isWord(a, 'nx')) flags |= NX;
    else if (isWord(a, 'xx')) flags |= XX;
    else if (isWord(a, 'ch')) ch = true;
    else if (isWord(a, 'incr')) flags |= INCR;
    else if (isWord(a, 'gt')) flags |= GT;
    else if (isWord(a, 'lt')) flags |= LT;
    else break;
  }
  const incr = (flags & INCR) !== 0;
  const nx = (flags & NX) !== 0;
  const xx = (flags & XX) !== 0;
  const gt = (flags & GT) !== 0;
  const lt = (flags & LT) !== 0;
  const rest = argv.length - idx;
  if (rest % 2 !== 0 || rest === 0) return w.error(ERR.SYNTAX);
  const elements = rest / 2;
  if (nx && xx) return w.error(ERR.ZSET_XX_NX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return w.error(ERR.GT_LT_NX);
  if (incr && elements > 1) return w.error(ERR.ZSET_INCR_PAIR);

  const scores: number[] = new Array(elements);
  for (let j = 0; j < elements; j++) {
    const s = parseScore(argv[idx + j * 2]);
    if (s === null) return w.error(ERR.NOT_FLOAT);
    scores[j] = s;
  }

  const key = argv[1];
  let z = writeZset(ctx, key, ctx.slot);
  if (z === null) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  if (z === undefined) {
    if (xx) return incr ? w.nil() : w.int(0);
    const cfg = ctx.config;
    z = SortedSet.create(cfg.zsetMaxListpackEntries === 0 || cfg.zsetMaxListpackValue < argv[idx + 1].length);
    ctx.db.set(key, z, 0, false, ctx.slot);
  }
  for (let j = 0; j < elements; j++) {
    const member = argv[idx + 1 + j * 2];
    let score = scores[j];
    const cur = z.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) return w.error(ERR.ZSET_NAN);
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      lastScore = score;
      if (score !== cur) {
        z.update(member, cur, score);
        updated++;
      }
    } else {
      if (xx) continue;
      z.insert(member, score, ctx.config);
      added++;
      processed++;
      lastScore = score;
    }
  }
  if (added || updated) ctx.notify(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key);
  if (incr) {
    if (processed) w.double(lastScore);
    else w.nil();
  } else {
    w.int(ch ? added + updated : added);
  }
}

/** Deletes the key of a sorted set that became empty. */
export function deleteIfEmpty(ctx: Ctx, key: string, z: SortedSet, slot?: number): boolean {
  if (z.size !== 0) return false;
  ctx.db.delete(key, slot);
  return true;
}

function zscore(ctx: Ctx, argv: string[]): void {
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  const s = z?.score(argv[2]);
  if (s === undefined) ctx.w.nil();
  else ctx.w.double(s);
}

function zmscore(ctx: Ctx, argv: string[]): void {
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  ctx.w.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = z?.score(argv[i]);
    if (s === undefined) ctx.w.nil();
    else ctx.w.double(s);
  }
}

function zcard(ctx: Ctx, argv: string[]): void {
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  ctx.w.int(z?.size ?? 0);
}

function zcount(ctx: Ctx, argv: string[]): void {
  const r = parseScoreRange(argv[2], argv[3]);
  if (r === null) return ctx.w.error(ERR.ZSET_MINMAX_FLOAT);
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  if (z === undefined) return ctx.w.int(0);
  const lo = z.countScoreBelow(r.min, r.minex);
  const hi = z.countScoreBelow(r.max, !r.maxex);
  ctx.w.int(Math.max(0, hi - lo));
}

function zlexcount(ctx: Ctx, argv: string[]): void {
  const r = parseLexRange(argv[2], argv[3]);
  if (r === null) return ctx.w.error(ERR.ZSET_MINMAX_LEX);
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  if (z === undefined) return ctx.w.int(0);
  const span = z.lexSpan(r);
  ctx.w.int(span === null ? 0 : span[1] - span[0] + 1);
}

function zrankGeneric(ctx: Ctx, argv: string[], reverse: boolean): void {
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  if (z === undefined) return ctx.w.nil();
  const rank = z.rank(argv[2]);
  if (rank < 0) return ctx.w.nil();
  ctx.w.int(reverse ? z.size - 1 - rank : rank);
}

function zrem(ctx: Ctx, argv: string[]): void {
  const key = argv[1];
  const z = writeZset(ctx, key, ctx.slot);
  if (z === null) return;
  if (z === undefined) return ctx.w.int(0);
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (z.remove(argv[i])) deleted++;
    if (deleteIfEmpty(ctx, key, z, ctx.slot)) break;
  }
  if (deleted > 0) ctx.notify(NOTIFY_ZSET, 'zrem', key);
  if (z.size === 0) ctx.notify(NOTIFY_GENERIC, 'del', key);
  ctx.w.int(deleted);
}

const LONG_MAX = 9223372036854775807n;

/** ZRANDMEMBER key [count [WITHSCORES]] (zrandmemberCommand). */
function zrandmember(ctx: Ctx, argv: string[]): void {
  const w = ctx.w;
  if (argv.length >= 3) {
    const n = parseInteger(argv[2]);
    if (n === null) return w.error(ERR.NOT_INTEGER);
    if (BigInt(n) < -LONG_MAX) return w.error(ERR.ZSET_RANDMEMBER_RANGE);
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !isWord(argv[3], 'withscores'))) return w.error(ERR.SYNTAX);
    if (argv.length === 4) {
      withScores = true;
      if (BigInt(n) < -LONG_MAX / 2n || BigInt(n) > LONG_MAX / 2n) return w.error(ERR.ZSET_OUT_OF_RANGE);
    }
    return zrandmemberWithCount(ctx, argv[1], Number(n), withScores);
  }
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  if (z === undefined) return w.nil();
  w.bulk(z.randomEntry().member);
}

function zrandmemberWithCount(ctx: Ctx, key: string, l: number, withScores: boolean): void {
  const w = ctx.w;
  const z = readZset(ctx, key, ctx.slot);
  if (z === null) return;
  if (z === undefined) return w.arrayLen(0);
  const size = z.size;
  const unique = l >= 0;
  let count = Math.abs(l);
  if (count === 0) return w.arrayLen(0);
  const nested = withScores && w.proto === 3;
  const pair = (m: string, s: number) => {
    if (nested) w.arrayLen(2);
    w.bulk(m);
    if (withScores) w.double(s);
  };
  // Repeats allowed (or one member): independent picks.
  if (!unique || count === 1) {
    w.arrayLen(withScores && !nested ? count * 2 : count);
    if (z.isListpack()) {
      const all = z.slice(0, size - 1);
      while (count-- > 0) {
        const i = Math.floor(Math.random() * size);
        pair(all.members[i], all.scores[i]);
      }
    } else {
      while (count-- > 0) {
        const e = z.randomEntry();
        pair(e.member, e.score);
      }
    }
    return;
  }
  const n = Math.min(count, size);
  w.arrayLen(withScores && !nested ? n * 2 : n);
  // The whole set, highest first (Redis' zset iterator walks from the tail).
  if (count >= size) {
    const all = z.slice(0, size - 1);
    for (let i = size - 1; i >= 0; i--) pair(all.members[i], all.scores[i]);
    return;
  }
  if (z.isListpack() || count * 3 > size) {
    // Distinct picks from a copy: a partial Fisher-Yates shuffle of the ranks.
    const all = z.slice(0, size - 1);
    const idx = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    const chosen = idx.slice(0, count);
    // Listpack picks come in set order (lpRandomPairsUnique); others in no defined order.
    if (z.isListpack()) chosen.sort((a, b) => a - b);
    for (const i of chosen) pair(all.members[i], all.scores[i]);
    return;
  }
  // Few members of a large set: random picks, skipping repeats.
  const seen = new Set<string>();
  while (seen.size < count) {
    const e = z.randomEntry();
    if (seen.has(e.member)) continue;
    seen.add(e.member);
    pair(e.member, e.score);
  }
}


/** ZSCAN key cursor [MATCH pattern] [COUNT count] (zscanCommand + scanGenericCommand). */
function zscan(ctx: Ctx, argv: string[]): void {
  const w = ctx.w;
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) return w.error(ERR.INVALID_CURSOR);
  const z = readZset(ctx, argv[1], ctx.slot);
  if (z === null) return;
  if (z === undefined) return replyScanPage(w, 0, []);
  const options = parseScanOptions(ctx, argv, 3);
  if (options === null) return;
  const { count, pattern } = options;
  const out: string[] = [];
  // A listpack holds each score as d2string wrote it; the hashtable's doubles print as ld2string's %.17Lg (scanCallback).
  const format = z.isListpack() ? d2string : formatDouble;
  const keep = (m: string, s: number) => {
    if (pattern === null || globMatch(pattern, m)) out.push(m, format(s));
  };
  let next = 0;
  if (z.isListpack()) {
    const all = z.slice(0, z.size - 1);
    for (let i = 0; i < all.members.length; i++) keep(all.members[i], all.scores[i]);
  } else {
    const d = z.dict!;
    const start = cursor > BigInt(d.size) ? d.size + 1 : Number(cursor);
    // Redis visits up to 10 * COUNT buckets to fill COUNT elements; positions here are never empty.
    next = d.scan(start, count, (i) => keep(d.keys[i], d.vals[i]));
  }
  replyScanPage(w, next, out);
}

export const basicHandlers: Record<string, Handler> = {
  zadd: (ctx, argv) => zaddGeneric(ctx, argv, false),
  zincrby: (ctx, argv) => zaddGeneric(ctx, argv, true),
  zscore,
  zmscore,
  zcard,
  zcount,
  zlexcount,
  zrank: (ctx, argv) => zrankGeneric(ctx, argv, false),
  zrevrank: (ctx, argv) => zrankGeneric(ctx, argv, true),
  zrem,
  zrandmember,
  zscan,
};
