/**
 * List commands, executed on the shard that owns the keys (Redis t_list.c).
 * Each handler follows its Redis counterpart's order of checks, so that when
 * several errors apply the same one wins. The value is a QuickList
 * (list/quicklist.ts); a list that becomes empty is deleted.
 */
import { ERR } from '../../src/resp/errors.js';
import { parseTimeout } from '../shard/blocking.js';
import type { Ctx, Handler } from '../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../../src/server/notify-flags.js';
import { lruClock } from '../shard/keyspace.js';
import { parseInteger } from '../shard/value.js';
import { QuickList } from './list/quicklist.js';
import { writeEntryBulk } from './list/reply.js';

// ---------------------------------------------------------------------------
// Lookups and argument parsing
// ---------------------------------------------------------------------------

/**
 * Redis lookupKeyRead (read) or lookupKeyWrite + checkType: the list at key,
 * undefined when missing, or null after replying WRONGTYPE. `slot` is given
 * only for argv[1] (the acceptor computed it); other keys compute their own.
 */
function lookupListOrReply(ctx: Ctx, key: string, read: boolean, slot?: number): QuickList | undefined | null {
  const v = read ? ctx.db.read(key, slot) : ctx.db.get(key, slot);
  if (v === undefined || v instanceof QuickList) return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** A new empty list stored at a key known to be absent (Redis createQuicklistObject + dbAdd). */
function createList(ctx: Ctx, key: string, slot?: number): QuickList {
  const list = new QuickList(ctx.config.listMaxListpackSize);
  ctx.db.insert(key, list, 0, lruClock(), slot);
  return list;
}

/** Deletes the key when its list has become empty. */
function deleteIfEmpty(ctx: Ctx, key: string, list: QuickList, slot?: number): void {
  if (list.length === 0) ctx.db.delete(key, slot);
  if (list.length === 0) ctx.notify(NOTIFY_GENERIC, 'del', key);
}

/** Redis getLongFromObjectOrReply: an integer argument as a number, or null after replying. */
function longOrReply(ctx: Ctx, arg: string, error: string = ERR.NOT_INTEGER): number | null {
  const n = parseInteger(arg);
  if (n === null) {
    ctx.w.error(error);
    return null;
  }
  return Number(n);
}

/** Redis getRangeLongFromObjectOrReply with its own message for both failures. */
function rangeLongOrReply(ctx: Ctx, arg: string, min: number, error: string): number | null {
  const n = longOrReply(ctx, arg, error);
  if (n === null) return null;
  if (n < min) {
    ctx.w.error(error);
    return null;
  }
  return n;
}

/** A word as C's strcasecmp sees it: up to the first NUL byte, in lower case. */
function cword(arg: string): string {
  const nul = arg.indexOf('\0');
  return (nul < 0 ? arg : arg.slice(0, nul)).toLowerCase();
}

const HEAD = 0;
const TAIL = 1;
type End = typeof HEAD | typeof TAIL;

/** Redis getListPositionFromObjectOrReply: LEFT or RIGHT, else a syntax error. */
function endOrReply(ctx: Ctx, arg: string): End | null {
  const w = cword(arg);
  if (w === 'right') return TAIL;
  if (w === 'left') return HEAD;
  ctx.w.error(ERR.SYNTAX);
  return null;
}

// ---------------------------------------------------------------------------
// Replies shared by several commands
// ---------------------------------------------------------------------------

/**
 * Redis addListRangeReply: the elements between start and end (inclusive,
 * negative from the tail), reversed when asked, as an array.
 */
function replyRange(ctx: Ctx, list: QuickList, start: number, end: number, reverse: boolean): void {
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return ctx.w.arrayLen(0);
  if (end >= len) end = len - 1;
  let n = end - start + 1;
  const w = ctx.w;
  w.arrayLen(n);
  list.scan(reverse ? end : start, reverse, (c, p) => {
    writeEntryBulk(w, c, p);
    return --n > 0;
  });
}

/** Pops up to count elements from one end, replying with them as an array (in pop order). */
function popRangeReply(ctx: Ctx, list: QuickList, where: End, count: number): void {
  const n = Math.min(count, list.length);
  if (where === HEAD) {
    replyRange(ctx, list, 0, n - 1, false);
    list.removeRange(0, n);
  } else {
    replyRange(ctx, list, -n, -1, true);
    list.removeRange(list.length - n, n);
  }
}

/** Redis listPopRangeAndReplyWithKey: [key, [elements]], for LMPOP and BLMPOP. */
function popRangeWithKeyReply(ctx: Ctx, key: string, list: QuickList, where: End, count: number): void {
  ctx.w.arrayLen(2);
  ctx.w.bulk(key);
  popRangeReply(ctx, list, where, count);
  ctx.notify(NOTIFY_LIST, where === HEAD ? 'lpop' : 'rpop', key);
  deleteIfEmpty(ctx, key, list);
}

// ---------------------------------------------------------------------------
// Command bodies shared by several commands
// ---------------------------------------------------------------------------

/** LPUSH RPUSH LPUSHX RPUSHX (Redis pushGenericCommand). */
function push(ctx: Ctx, argv: string[], where: End, onlyIfExists: boolean): void {
  const key = argv[1];
  let list = lookupListOrReply(ctx, key, false, ctx.slot);
  if (list === null) return;
  if (list === undefined) {
    if (onlyIfExists) return ctx.w.int(0);
    list = createList(ctx, key, ctx.slot);
  }
  list.push(argv, 2, where === HEAD);
  ctx.notify(NOTIFY_LIST, where === HEAD ? 'lpush' : 'rpush', key);
  ctx.w.int(list.length);
}

/** LPOP RPOP with an optional count (Redis popGenericCommand). */
function pop(ctx: Ctx, argv: string[], where: End): void {
  if (argv.length > 3) return ctx.w.error(ERR.wrongArity(argv[0].toLowerCase()));
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = rangeLongOrReply(ctx, argv[2], 0, ERR.MUST_BE_POSITIVE);
    if (n === null) return;
    count = n;
  }
  const key = argv[1];
  const list = lookupListOrReply(ctx, key, false, ctx.slot);
  if (list === null) return;
  if (list === undefined) return hasCount ? ctx.w.nilArray() : ctx.w.nil();
  if (hasCount && count === 0) return ctx.w.arrayLen(0);
  if (!hasCount) ctx.w.bulk(where === HEAD ? list.popHead() : list.popTail());
  else popRangeReply(ctx, list, where, count);
  ctx.notify(NOTIFY_LIST, where === HEAD ? 'lpop' : 'rpop', key);
  deleteIfEmpty(ctx, key, list, ctx.slot);
}

/**
 * Redis lmoveGenericCommand: pops from argv[1]'s end `from` and pushes on
 * argv[2]'s end `to`, replying with the element; a missing source replies a
 * null. Source and destination may be the same list (a rotation).
 */
function move(ctx: Ctx, argv: string[], from: End, to: End): void {
  const srcKey = argv[1];
  const dstKey = argv[2];
  const src = lookupListOrReply(ctx, srcKey, false, ctx.slot);
  if (src === null) return;
  if (src === undefined) return ctx.w.nil();
  let dst = lookupListOrReply(ctx, dstKey, false);
  if (dst === null) return;
  const value = from === HEAD ? src.popHead() : src.popTail();
  if (dst === undefined) dst = createList(ctx, dstKey);
  if (to === HEAD) dst.pushHead(value);
  else dst.pushTail(value);
  ctx.notify(NOTIFY_LIST, to === HEAD ? 'lpush' : 'rpush', dstKey);
  ctx.notify(NOTIFY_LIST, from === HEAD ? 'lpop' : 'rpop', srcKey);
  ctx.w.bulk(value);
  deleteIfEmpty(ctx, srcKey, src, ctx.slot);
}

/**
 * BLPOP BRPOP BLMPOP (Redis blockingPopGenericCommand): pops from the first
 * non-empty list among keys; when all are empty, blocks (or, where blocking
 * is denied, replies a null array as a timeout would). count -1: one element
 * as [key, element]; otherwise [key, [elements]].
 */
function blockingPop(ctx: Ctx, keys: string[], firstKeySlot: number | undefined, where: End, timeoutArg: string, count: number): void {
  const deadline = parseTimeout(ctx, timeoutArg);
  if (deadline === null) return;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j];
    const slot = j === 0 ? firstKeySlot : undefined;
    const list = lookupListOrReply(ctx, key, false, slot);
    if (list === null) return;
    if (list === undefined || list.length === 0) continue;
    if (count !== -1) return popRangeWithKeyReply(ctx, key, list, where, count);
    ctx.w.arrayLen(2);
    ctx.w.bulk(key);
    ctx.w.bulk(where === HEAD ? list.popHead() : list.popTail());
    ctx.notify(NOTIFY_LIST, where === HEAD ? 'lpop' : 'rpop', key);
    deleteIfEmpty(ctx, key, list, slot);
    return;
  }
  if (!ctx.canBlock) return ctx.w.nilArray();
  ctx.block(keys, 'list', deadline);
}

/** BLMOVE BRPOPLPUSH after their arguments are parsed (Redis blmoveGenericCommand). */
function blockingMove(ctx: Ctx, argv: string[], from: End, to: End, deadline: number): void {
  const src = lookupListOrReply(ctx, argv[1], false, ctx.slot);
  if (src === null) return;
  if (src !== undefined) return move(ctx, argv, from, to);
  // Redis answers a null bulk here (not the null array a timeout gets).
  if (!ctx.canBlock) return ctx.w.nil();
  ctx.block([argv[1]], 'list', deadline);
}

/**
 * LMPOP BLMPOP (Redis lmpopGenericCommand): numkeys at argv[numkeysAt], the
 * keys, LEFT|RIGHT, then an optional COUNT. Keys are not argv[1], so each
 * computes its own slot.
 */
function mpop(ctx: Ctx, argv: string[], numkeysAt: number, blocking: boolean): void {
  const numkeys = rangeLongOrReply(ctx, argv[numkeysAt], 1, ERR.NUMKEYS_NOT_POSITIVE);
  if (numkeys === null) return;
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) return ctx.w.error(ERR.SYNTAX);
  const where = endOrReply(ctx, argv[whereAt]);
  if (where === null) return;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && cword(argv[j]) === 'count' && j + 1 < argv.length) {
      const n = rangeLongOrReply(ctx, argv[++j], 1, ERR.COUNT_NOT_POSITIVE);
      if (n === null) return;
      count = n;
    } else {
      return ctx.w.error(ERR.SYNTAX);
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysAt + 1, whereAt);
  if (blocking) return blockingPop(ctx, keys, undefined, where, argv[1], count);
  for (const key of keys) {
    const list = lookupListOrReply(ctx, key, false);
    if (list === null) return;
    if (list === undefined || list.length === 0) continue;
    return popRangeWithKeyReply(ctx, key, list, where, count);
  }
  ctx.w.nilArray();
}

const LONG_MIN = -(2n ** 63n);

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] (Redis lposCommand). */
function lpos(ctx: Ctx, argv: string[]): void {
  const element = argv[2];
  let rank = 1;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  let wrapped = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = cword(argv[j]);
    const more = j + 1 < argv.length;
    if (opt === 'rank' && more) {
      const n = parseInteger(argv[++j]);
      if (n === null) return ctx.w.error(ERR.NOT_INTEGER);
      if (n === 0) return ctx.w.error(ERR.LPOS_RANK_ZERO);
      wrapped = n === LONG_MIN;
      // A rank beyond 2^53 can never be reached by a list's matches.
      rank = typeof n === 'number' ? n : n < 0n ? -Infinity : Infinity;
    } else if (opt === 'count' && more) {
      const n = rangeLongOrReply(ctx, argv[++j], 0, ERR.LPOS_COUNT_NEGATIVE);
      if (n === null) return;
      count = n;
    } else if (opt === 'maxlen' && more) {
      const n = rangeLongOrReply(ctx, argv[++j], 0, ERR.LPOS_MAXLEN_NEGATIVE);
      if (n === null) return;
      maxlen = n;
    } else {
      return ctx.w.error(ERR.SYNTAX);
    }
  }
  const fromTail = rank < 0;
  // Redis negates a negative rank in a C long: LONG_MIN stays negative, so
  // every match satisfies it and a COUNT never stops the scan.
  if (fromTail && !wrapped) rank = -rank;
  const list = lookupListOrReply(ctx, argv[1], true, ctx.slot);
  if (list === null) return;
  if (list === undefined) return count !== -1 ? ctx.w.arrayLen(0) : ctx.w.nil();
  const len = list.length;
  const found: number[] = [];
  let index = 0;
  let matches = 0;
  list.scan(fromTail ? len - 1 : 0, fromTail, (c, p) => {
    if (maxlen !== 0 && index >= maxlen) return false;
    if (c.equalsAt(p, element)) {
      matches++;
      if (wrapped || matches >= rank) {
        found.push(fromTail ? len - index - 1 : index);
        if (count === -1) return false;
        if (count !== 0 && !wrapped && matches - rank + 1 >= count) return false;
      }
    }
    index++;
    return true;
  });
  if (count !== -1) {
    ctx.w.arrayLen(found.length);
    for (const i of found) ctx.w.int(i);
  } else if (found.length > 0) {
    ctx.w.int(found[0]);
  } else {
    ctx.w.nil();
  }
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

export const listHandlers: Record<string, Handler> = {
  lpush: (ctx, argv) => push(ctx, argv, HEAD, false),
  rpush: (ctx, argv) => push(ctx, argv, TAIL, false),
  lpushx: (ctx, argv) => push(ctx, argv, HEAD, true),
  rpushx: (ctx, argv) => push(ctx, argv, TAIL, true),
  lpop: (ctx, argv) => pop(ctx, argv, HEAD),
  rpop: (ctx, argv) => pop(ctx, argv, TAIL),

  llen(ctx, argv) {
    const list = lookupListOrReply(ctx, argv[1], true, ctx.slot);
    if (list !== null) ctx.w.int(list === undefined ? 0 : list.length);
  },

  lrange(ctx, argv) {
    const start = longOrReply(ctx, argv[2]);
    if (start === null) return;
    const end = longOrReply(ctx, argv[3]);
    if (end === null) return;
    const list = lookupListOrReply(ctx, argv[1], true, ctx.slot);
    if (list === null) return;
    if (list === undefined) return ctx.w.arrayLen(0);
    replyRange(ctx, list, start, end, false);
  },

  lindex(ctx, argv) {
    const list = lookupListOrReply(ctx, argv[1], true, ctx.slot);
    if (list === null) return;
    if (list === undefined) return ctx.w.nil();
    let index = longOrReply(ctx, argv[2]);
    if (index === null) return;
    if (index < 0) index += list.length;
    ctx.w.bulk(index >= 0 && index < list.length ? list.get(index) : null);
  },

  lset(ctx, argv) {
    const list = lookupListOrReply(ctx, argv[1], false, ctx.slot);
    if (list === null) return;
    if (list === undefined) return ctx.w.error(ERR.NO_SUCH_KEY);
    let index = longOrReply(ctx, argv[2]);
    if (index === null) return;
    if (index < 0) index += list.length;
    if (index < 0 || index >= list.length) return ctx.w.error(ERR.OUT_OF_RANGE);
    list.set(index, argv[3]);
    ctx.notify(NOTIFY_LIST, 'lset', argv[1]);
    ctx.w.ok();
  },

  linsert(ctx, argv) {
    const where = cword(argv[2]);
    if (where !== 'after' && where !== 'before') return ctx.w.error(ERR.SYNTAX);
    const list = lookupListOrReply(ctx, argv[1], false, ctx.slot);
    if (list === null) return;
    if (list === undefined) return ctx.w.int(0);
    if (!list.insertAround(argv[3], argv[4], where === 'after')) return ctx.w.int(-1);
    ctx.notify(NOTIFY_LIST, 'linsert', argv[1]);
    ctx.w.int(list.length);
  },

  lrem(ctx, argv) {
    const limit = longOrReply(ctx, argv[2]);
    if (limit === null) return;
    const list = lookupListOrReply(ctx, argv[1], false, ctx.slot);
    if (list === null) return;
    if (list === undefined) return ctx.w.int(0);
    const removed = list.removeMatches(argv[3], limit);
    if (removed > 0) ctx.notify(NOTIFY_LIST, 'lrem', argv[1]);
    deleteIfEmpty(ctx, argv[1], list, ctx.slot);
    ctx.w.int(removed);
  },

  ltrim(ctx, argv) {
    let start = longOrReply(ctx, argv[2]);
    if (start === null) return;
    let end = longOrReply(ctx, argv[3]);
    if (end === null) return;
    const list = lookupListOrReply(ctx, argv[1], false, ctx.slot);
    if (list === null) return;
    if (list === undefined) return ctx.w.ok();
    const len = list.length;
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      list.removeRange(0, len);
    } else {
      if (end >= len) end = len - 1;
      list.removeRange(end + 1, len - end - 1);
      list.removeRange(0, start);
    }
    ctx.notify(NOTIFY_LIST, 'ltrim', argv[1]);
    deleteIfEmpty(ctx, argv[1], list, ctx.slot);
    ctx.w.ok();
  },

  lpos,

  lmove(ctx, argv) {
    const from = endOrReply(ctx, argv[3]);
    if (from === null) return;
    const to = endOrReply(ctx, argv[4]);
    if (to === null) return;
    move(ctx, argv, from, to);
  },

  rpoplpush: (ctx, argv) => move(ctx, argv, TAIL, HEAD),

  lmpop: (ctx, argv) => mpop(ctx, argv, 1, false),

  blpop: (ctx, argv) => blockingPop(ctx, argv.slice(1, -1), ctx.slot, HEAD, argv[argv.length - 1], -1),
  brpop: (ctx, argv) => blockingPop(ctx, argv.slice(1, -1), ctx.slot, TAIL, argv[argv.length - 1], -1),

  blmove(ctx, argv) {
    const from = endOrReply(ctx, argv[3]);
    if (from === null) return;
    const to = endOrReply(ctx, argv[4]);
    if (to === null) return;
    const deadline = parseTimeout(ctx, argv[5]);
    if (deadline === null) return;
    blockingMove(ctx, argv, from, to, deadline);
  },

  brpoplpush(ctx, argv) {
    const deadline = parseTimeout(ctx, argv[3]);
    if (deadline === null) return;
    blockingMove(ctx, argv, TAIL, HEAD, deadline);
  },

  blmpop: (ctx, argv) => mpop(ctx, argv, 2, true),
};
