/** What the sorted-set handlers share: typed lookups, integer arguments, entry replies. */
import { cString } from '../../../src/util/c-string.js';
import { ERR } from '../../../src/resp/errors.js';
import type { Ctx } from '../../shard/context.js';
import { parseInteger } from '../../shard/value.js';
import type { Entries } from './packed.js';
import { SortedSet } from './sorted-set.js';

/** lookupKeyRead + checkType: the sorted set, undefined when missing, null after replying WRONGTYPE. */
export function readZset(ctx: Ctx, key: string, slot?: number): SortedSet | undefined | null {
  const v = ctx.db.read(key, slot);
  if (v === undefined || v instanceof SortedSet) return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** lookupKeyWrite + checkType. */
export function writeZset(ctx: Ctx, key: string, slot?: number): SortedSet | undefined | null {
  const v = ctx.db.get(key, slot);
  if (v === undefined || v instanceof SortedSet) return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** Redis getLongFromObjectOrReply (64-bit long): the value, or null after replying `msg` or the integer error. */
export function longArg(ctx: Ctx, s: string, msg: string = ERR.NOT_INTEGER): number | null {
  const n = parseInteger(s);
  if (n === null) {
    ctx.w.error(msg);
    return null;
  }
  return Number(n);
}

/** Redis getRangeLongFromObjectOrReply. */
export function rangeLongArg(ctx: Ctx, s: string, min: number, max: number, msg?: string): number | null {
  const n = longArg(ctx, s, msg);
  if (n === null) return null;
  if (n < min || n > max) {
    ctx.w.error(msg ?? `ERR value is out of range, value must between ${BigInt(min)} and ${BigInt(max)}`);
    return null;
  }
  return n;
}

export const LONG_MAX = 9223372036854775807;

/** Redis getPositiveLongFromObjectOrReply. */
export function positiveLongArg(ctx: Ctx, s: string, msg: string = ERR.ZSET_MUST_BE_POSITIVE): number | null {
  const n = longArg(ctx, s, msg);
  if (n === null) return null;
  if (n < 0) {
    ctx.w.error(msg);
    return null;
  }
  return n;
}

/** strcasecmp on a C string: the argument ends at its first NUL. */
export function isWord(arg: string, word: string): boolean {
  const s = cString(arg);
  return s.length === word.length && s.toLowerCase() === word;
}

/**
 * Entries as a reply: members only, or with scores flat in RESP2 and as
 * [member, score] pairs in RESP3 (Redis 7.0's ZRANGE WITHSCORES, ZUNION ...).
 * `reverse` walks the entries backwards.
 */
export function replyEntries(ctx: Ctx, e: Entries, withScores: boolean, reverse = false): void {
  const n = e.members.length;
  const w = ctx.w;
  const nested = withScores && w.proto === 3;
  w.arrayLen(withScores && !nested ? n * 2 : n);
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    if (nested) w.arrayLen(2);
    w.bulk(e.members[i]);
    if (withScores) w.double(e.scores[i]);
  }
}

/** Stores a sorted set at a key (setKey: replaces any value, clears the TTL). */
export function storeZset(ctx: Ctx, key: string, z: SortedSet, slot?: number): void {
  ctx.db.set(key, z, 0, false, slot);
}

export function sortEntries(e: Entries): Entries {
  const idx = e.members.map((_, i) => i);
  idx.sort((a, b) => e.scores[a] - e.scores[b] || (e.members[a] < e.members[b] ? -1 : e.members[a] > e.members[b] ? 1 : 0));
  return { members: idx.map((i) => e.members[i]), scores: idx.map((i) => e.scores[i]) };
}
