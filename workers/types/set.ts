/**
 * Set commands, executed on the shard that owns the key (Redis t_set.c).
 * Each handler follows its Redis counterpart's order of checks, so that when
 * several errors apply the same one wins. The value and its two encodings
 * live in set/set-value.ts; the multi-key algebra in set/algebra.ts.
 */
import { parseScanOptions, replyScanPage } from './scan-options.js';
import { ERR } from '../../src/resp/errors.js';
import { globMatch } from '../../src/util/glob.js';
import type { Ctx, Handler } from '../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../../src/server/notify-flags.js';
import { lruClock } from '../shard/keyspace.js';
import { parseInteger } from '../shard/value.js';
import { sinterGeneric, sunionDiffGeneric } from './set/algebra.js';
import { IntSet } from './set/intset.js';
import { parseScanCursor } from '../../src/util/scan-cursor.js';
import { optionWord } from '../../src/util/c-string.js';
import { lookupSet } from './set/lookup.js';
import { SetValue } from './set/set-value.js';

/** SPOP: when fewer than count/5 members would remain, build the remainder instead (SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER: when count*3 exceeds the size, copy the set and drop random members (SRANDMEMBER_SUB_STRATEGY_MUL). */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

const INT64_MIN = -(2n ** 63n);

/** Replies with every member of a set in its iteration order (intset: ascending). */
function replyMembers(ctx: Ctx, set: SetValue): void {
  const n = set.size;
  ctx.w.arrayLen(n);
  for (let i = 0; i < n; i++) ctx.w.bulk(set.at(i));
}

/** SPOP key count (spopWithCountCommand). */
function spopWithCount(ctx: Ctx, argv: string[]): void {
  const key = argv[1];
  // getPositiveLongFromObjectOrReply: one message for "not an integer" and "negative".
  const n = parseInteger(argv[2]);
  if (n === null || n < 0) return ctx.w.error(ERR.SET_COUNT_NOT_POSITIVE);
  const set = lookupSet(ctx, key, ctx.slot, false);
  if (set === null) return;
  if (set === undefined || n === 0) return ctx.w.setLen(0);
  const size = set.size;
  ctx.notify(NOTIFY_SET, 'spop', key);
  // Beyond 2^53 a count is a bigint: more than any set holds.
  const count = typeof n === 'bigint' ? Infinity : n;
  if (count >= size) {
    // The whole set, as SUNION of the one key replies it; then the key goes.
    sunionDiffGeneric(ctx, [key], ctx.slot, null, 'union');
    ctx.db.delete(key, ctx.slot);
    ctx.notify(NOTIFY_GENERIC, 'del', key);
    return;
  }
  ctx.w.setLen(count);
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Few to take: pop random members one by one.
    for (let k = 0; k < count; k++) {
      const m = set.randomMember();
      ctx.w.bulk(m);
      set.remove(m);
    }
    return;
  }
  // Most to take: move random members into a new set that replaces the key, reply what is left.
  const maxIntset = ctx.config.setMaxIntsetEntries;
  let kept: SetValue | null = null;
  while (remaining-- > 0) {
    const m = set.randomMember();
    kept ??= SetValue.createFor(m);
    kept.add(m, maxIntset);
    set.remove(m);
  }
  for (let i = 0; i < set.size; i++) ctx.w.bulk(set.at(i));
  const i = ctx.db.find(key, ctx.slot);
  ctx.db.replaceAt(i, kept!);
}

/** SRANDMEMBER key count (srandmemberWithCountCommand). */
function srandmemberWithCount(ctx: Ctx, argv: string[]): void {
  const n = parseInteger(argv[2]);
  if (n === null) return ctx.w.error(ERR.NOT_INTEGER);
  if (n === INT64_MIN) return ctx.w.error(ERR.SET_COUNT_OUT_OF_RANGE);
  const unique = n >= 0;
  const abs = typeof n === 'bigint' ? Number(n < 0n ? -n : n) : Math.abs(n);
  const set = lookupSet(ctx, argv[1], ctx.slot, true);
  if (set === null) return;
  if (set === undefined || abs === 0) return ctx.w.arrayLen(0);
  const size = set.size;
  // Repetition allowed (negative count), or one member: independent draws.
  if (!unique || abs === 1) {
    ctx.w.arrayLen(abs);
    for (let k = 0; k < abs; k++) ctx.w.bulk(set.randomMember());
    return;
  }
  if (abs >= size) return replyMembers(ctx, set);
  let picked: Iterable<string>;
  if (abs * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // Close to the whole set: copy it and drop random members until count remain.
    const all = set.toArray();
    while (all.length > abs) {
      const r = Math.floor(Math.random() * all.length);
      all[r] = all[all.length - 1];
      all.pop();
    }
    picked = all;
  } else {
    // Much smaller than the set: draw until count distinct members are found.
    const seen = new Set<string>();
    while (seen.size < abs) seen.add(set.randomMember());
    picked = seen;
  }
  ctx.w.arrayLen(abs);
  for (const m of picked) ctx.w.bulk(m);
}

/** SSCAN's options and iteration (Redis scanGenericCommand for a set). */
function sscan(ctx: Ctx, argv: string[], set: SetValue, cursor: bigint): void {
  const options = parseScanOptions(ctx, argv, 3);
  if (options === null) return;
  const { count, pattern } = options;
  const found: string[] = [];
  let next = 0;
  const m = set.members;
  if (m instanceof IntSet) {
    // A small encoding: everything in one call, cursor 0, as Redis does.
    for (let i = 0; i < m.size; i++) found.push(m.text(i));
  } else {
    const start = cursor > BigInt(m.size) ? m.size + 1 : Number(cursor);
    next = m.scan(start, count, (i) => found.push(m.keys[i]));
  }
  const out = pattern === null ? found : found.filter((s) => globMatch(pattern!, s));
  replyScanPage(ctx.w, next, out);
}

export const setHandlers: Record<string, Handler> = {
  sadd(ctx, argv) {
    const key = argv[1];
    let set = lookupSet(ctx, key, ctx.slot, false);
    if (set === null) return;
    if (set === undefined) {
      set = SetValue.createFor(argv[2]);
      ctx.db.insert(key, set, 0, lruClock(), ctx.slot);
    }
    const maxIntset = ctx.config.setMaxIntsetEntries;
    let added = 0;
    for (let j = 2; j < argv.length; j++) if (set.add(argv[j], maxIntset)) added++;
    if (added > 0) ctx.notify(NOTIFY_SET, 'sadd', key);
    ctx.w.int(added);
  },

  srem(ctx, argv) {
    const key = argv[1];
    const set = lookupSet(ctx, key, ctx.slot, false);
    if (set === null) return;
    if (set === undefined) return ctx.w.int(0);
    let removed = 0;
    for (let j = 2; j < argv.length; j++) {
      if (!set.remove(argv[j])) continue;
      removed++;
      if (set.size === 0) {
        ctx.db.delete(key, ctx.slot);
        break;
      }
    }
    if (removed > 0) ctx.notify(NOTIFY_SET, 'srem', key);
    if (set.size === 0) ctx.notify(NOTIFY_GENERIC, 'del', key);
    ctx.w.int(removed);
  },

  smove(ctx, argv) {
    const [, srcKey, dstKey, member] = argv;
    // Both looked up first (lookupKeyWrite), then type-checked source first.
    const src = ctx.db.get(srcKey, ctx.slot);
    const dst = ctx.db.get(dstKey);
    if (src === undefined) return ctx.w.int(0);
    if (!(src instanceof SetValue) || (dst !== undefined && !(dst instanceof SetValue))) return ctx.w.error(ERR.WRONGTYPE);
    if (src === dst) return ctx.w.int(src.has(member) ? 1 : 0);
    if (!src.remove(member)) return ctx.w.int(0);
    ctx.notify(NOTIFY_SET, 'srem', srcKey);
    if (src.size === 0) ctx.db.delete(srcKey, ctx.slot);
    if (src.size === 0) ctx.notify(NOTIFY_GENERIC, 'del', srcKey);
    let target = dst;
    if (target === undefined) {
      target = SetValue.createFor(member);
      ctx.db.insert(dstKey, target, 0, lruClock());
    }
    if (target.add(member, ctx.config.setMaxIntsetEntries)) ctx.notify(NOTIFY_SET, 'sadd', dstKey);
    ctx.w.int(1);
  },

  sismember(ctx, argv) {
    const set = lookupSet(ctx, argv[1], ctx.slot, true);
    if (set === null) return;
    ctx.w.int(set !== undefined && set.has(argv[2]) ? 1 : 0);
  },

  smismember(ctx, argv) {
    const set = lookupSet(ctx, argv[1], ctx.slot, true);
    if (set === null) return;
    ctx.w.arrayLen(argv.length - 2);
    for (let j = 2; j < argv.length; j++) ctx.w.int(set !== undefined && set.has(argv[j]) ? 1 : 0);
  },

  scard(ctx, argv) {
    const set = lookupSet(ctx, argv[1], ctx.slot, true);
    if (set === null) return;
    ctx.w.int(set === undefined ? 0 : set.size);
  },

  spop(ctx, argv) {
    if (argv.length === 3) return spopWithCount(ctx, argv);
    if (argv.length > 3) return ctx.w.error(ERR.SYNTAX);
    const key = argv[1];
    const set = lookupSet(ctx, key, ctx.slot, false);
    if (set === null) return;
    if (set === undefined) return ctx.w.nil();
    const m = set.randomMember();
    set.remove(m);
    ctx.notify(NOTIFY_SET, 'spop', key);
    ctx.w.bulk(m);
    if (set.size === 0) ctx.db.delete(key, ctx.slot);
    if (set.size === 0) ctx.notify(NOTIFY_GENERIC, 'del', key);
  },

  srandmember(ctx, argv) {
    if (argv.length === 3) return srandmemberWithCount(ctx, argv);
    if (argv.length > 3) return ctx.w.error(ERR.SYNTAX);
    const set = lookupSet(ctx, argv[1], ctx.slot, true);
    if (set === null) return;
    ctx.w.bulk(set === undefined ? null : set.randomMember());
  },

  // Redis 7.0 serves SMEMBERS with SINTER's code: a one-key intersection.
  smembers(ctx, argv) {
    sinterGeneric(ctx, [argv[1]], ctx.slot, null, false, 0);
  },

  sinter(ctx, argv) {
    sinterGeneric(ctx, argv.slice(1), ctx.slot, null, false, 0);
  },

  sintercard(ctx, argv) {
    const numkeys = parseInteger(argv[1]);
    if (numkeys === null || numkeys < 1) return ctx.w.error(ERR.SET_NUMKEYS_NOT_POSITIVE);
    if (numkeys > argv.length - 2) return ctx.w.error(ERR.SET_NUMKEYS_TOO_MANY);
    const end = 2 + Number(numkeys);
    let limit = 0;
    for (let j = end; j < argv.length; j++) {
      if (optionWord(argv[j]) === 'limit' && j + 1 < argv.length) {
        const n = parseInteger(argv[++j]);
        if (n === null || n < 0) return ctx.w.error(ERR.SET_LIMIT_NEGATIVE);
        limit = typeof n === 'bigint' ? Infinity : n;
      } else {
        return ctx.w.error(ERR.SYNTAX);
      }
    }
    // The acceptor's slot is argv[2]'s; let the keyspace compute each key's own.
    sinterGeneric(ctx, argv.slice(2, end), undefined, null, true, limit);
  },

  sinterstore(ctx, argv) {
    sinterGeneric(ctx, argv.slice(2), undefined, argv[1], false, 0);
  },

  sunion(ctx, argv) {
    sunionDiffGeneric(ctx, argv.slice(1), ctx.slot, null, 'union');
  },

  sunionstore(ctx, argv) {
    sunionDiffGeneric(ctx, argv.slice(2), undefined, argv[1], 'union');
  },

  sdiff(ctx, argv) {
    sunionDiffGeneric(ctx, argv.slice(1), ctx.slot, null, 'diff');
  },

  sdiffstore(ctx, argv) {
    sunionDiffGeneric(ctx, argv.slice(2), undefined, argv[1], 'diff');
  },

  sscan(ctx, argv) {
    const cursor = parseScanCursor(argv[2]);
    if (cursor === null) return ctx.w.error(ERR.INVALID_CURSOR);
    const set = lookupSet(ctx, argv[1], ctx.slot, true);
    if (set === null) return;
    if (set === undefined) return replyScanPage(ctx.w, 0, []);
    sscan(ctx, argv, set, cursor);
  },
};
