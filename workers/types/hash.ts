/**
 * Hash commands, executed on the shard that owns the key (Redis t_hash.c).
 * Each handler follows its Redis counterpart's order of checks, so that when
 * several errors apply the same one wins. The value and its two encodings:
 * hash/hash-value.ts; HRANDFIELD: hash/hrandfield.ts; HSCAN: hash/hscan.ts.
 */
import { ERR } from '../../src/resp/errors.js';
import type { Ctx, Handler } from '../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_HASH } from '../../src/server/notify-flags.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../shard/long-double.js';
import { fitsInt64, parseInteger } from '../shard/value.js';
import type { HashValue } from './hash/hash-value.js';
import { hrandfield } from './hash/hrandfield.js';
import { hscan } from './hash/hscan.js';
import { readHashOrReply, writeHashOrReply, writeOrCreateHashOrReply } from './hash/lookup.js';

/** HSET and HMSET: the same work, different replies. */
function hsetGeneric(ctx: Ctx, argv: string[], name: string): HashValue | null {
  if (argv.length % 2 === 1) {
    ctx.w.error(ERR.wrongArity(name));
    return null;
  }
  const h = writeOrCreateHashOrReply(ctx, argv[1]);
  if (h === null) return null;
  h.convertForArgs(argv, 2, argv.length - 1, ctx.config.hashMaxListpackValue);
  return h;
}

function hsetPairs(ctx: Ctx, h: HashValue, argv: string[]): number {
  return h.setPairs(argv, 2, ctx.config.hashMaxListpackEntries, ctx.config.hashMaxListpackValue);
}

/** Writes one field's value, or the null bulk when absent (Redis addHashFieldToReply). */
function replyField(ctx: Ctx, h: HashValue | undefined, field: string): void {
  ctx.w.bulk(h === undefined ? null : h.get(field) ?? null);
}

const KEYS = 1;
const VALUES = 2;

/** Redis genericHgetallCommand: HKEYS, HVALS, HGETALL (a map when both). */
function hgetallGeneric(ctx: Ctx, key: string, what: number): void {
  const h = readHashOrReply(ctx, key);
  if (h === null) return;
  const both = what === (KEYS | VALUES);
  const w = ctx.w;
  const n = h === undefined ? 0 : h.size;
  if (both) w.mapLen(n);
  else w.arrayLen(n);
  if (h === undefined) return;
  h.forEach((f, v) => {
    if (what & KEYS) w.bulk(f);
    if (what & VALUES) w.bulk(v);
  });
}

export const hashHandlers: Record<string, Handler> = {
  hset(ctx, argv) {
    const h = hsetGeneric(ctx, argv, 'hset');
    if (h === null) return;
    const added = hsetPairs(ctx, h, argv);
    ctx.notify(NOTIFY_HASH, 'hset', argv[1]);
    ctx.w.int(added);
  },

  hmset(ctx, argv) {
    const h = hsetGeneric(ctx, argv, 'hmset');
    if (h === null) return;
    hsetPairs(ctx, h, argv);
    ctx.notify(NOTIFY_HASH, 'hset', argv[1]);
    ctx.w.ok();
  },

  hsetnx(ctx, argv) {
    const h = writeOrCreateHashOrReply(ctx, argv[1]);
    if (h === null) return;
    if (h.has(argv[2])) return ctx.w.int(0);
    const { hashMaxListpackEntries: maxEntries, hashMaxListpackValue: maxValue } = ctx.config;
    h.convertForArgs(argv, 2, 3, maxValue);
    h.set(argv[2], argv[3], maxEntries, maxValue);
    ctx.notify(NOTIFY_HASH, 'hset', argv[1]);
    ctx.w.int(1);
  },

  hget(ctx, argv) {
    const h = readHashOrReply(ctx, argv[1]);
    if (h === null) return;
    replyField(ctx, h, argv[2]);
  },

  hmget(ctx, argv) {
    // A missing key is an empty hash: one null per field.
    const h = readHashOrReply(ctx, argv[1]);
    if (h === null) return;
    ctx.w.arrayLen(argv.length - 2);
    for (let i = 2; i < argv.length; i++) replyField(ctx, h, argv[i]);
  },

  hdel(ctx, argv) {
    const key = argv[1];
    const h = writeHashOrReply(ctx, key);
    if (h === null) return;
    if (h === undefined) return ctx.w.int(0);
    let deleted = 0;
    for (let j = 2; j < argv.length; j++) {
      if (!h.delete(argv[j])) continue;
      deleted++;
      if (h.size === 0) {
        ctx.db.delete(key, ctx.slot);
        break;
      }
    }
    if (deleted > 0) ctx.notify(NOTIFY_HASH, 'hdel', key);
    if (h.size === 0) ctx.notify(NOTIFY_GENERIC, 'del', key);
    ctx.w.int(deleted);
  },

  hlen(ctx, argv) {
    const h = readHashOrReply(ctx, argv[1]);
    if (h === null) return;
    ctx.w.int(h === undefined ? 0 : h.size);
  },

  hstrlen(ctx, argv) {
    const h = readHashOrReply(ctx, argv[1]);
    if (h === null) return;
    ctx.w.int(h === undefined ? 0 : h.get(argv[2])?.length ?? 0);
  },

  hexists(ctx, argv) {
    const h = readHashOrReply(ctx, argv[1]);
    if (h === null) return;
    ctx.w.int(h !== undefined && h.has(argv[2]) ? 1 : 0);
  },

  hkeys(ctx, argv) {
    hgetallGeneric(ctx, argv[1], KEYS);
  },

  hvals(ctx, argv) {
    hgetallGeneric(ctx, argv[1], VALUES);
  },

  hgetall(ctx, argv) {
    hgetallGeneric(ctx, argv[1], KEYS | VALUES);
  },

  hincrby(ctx, argv) {
    const incr = parseInteger(argv[3]);
    if (incr === null) return ctx.w.error(ERR.NOT_INTEGER);
    const h = writeHashOrReply(ctx, argv[1]);
    if (h === null) return;
    const field = argv[2];
    const current = h?.get(field);
    let old: number | bigint = 0;
    if (current !== undefined) {
      const parsed = parseInteger(current);
      if (parsed === null) return ctx.w.error(ERR.HASH_VALUE_NOT_INTEGER);
      old = parsed;
    }
    // Exact in doubles while both are safe integers and so is the sum; bigints past that.
    let result: number | bigint = typeof old === 'number' && typeof incr === 'number' ? old + incr : NaN;
    if (!Number.isSafeInteger(result)) {
      result = BigInt(old) + BigInt(incr);
      if (!fitsInt64(result)) return ctx.w.error(ERR.OVERFLOW);
    }
    const target = h ?? writeOrCreateHashOrReply(ctx, argv[1])!;
    const { hashMaxListpackEntries: maxEntries, hashMaxListpackValue: maxValue } = ctx.config;
    target.set(field, String(result), maxEntries, maxValue);
    ctx.notify(NOTIFY_HASH, 'hincrby', argv[1]);
    ctx.w.int(result);
  },

  hincrbyfloat(ctx, argv) {
    const incr = parseLongDouble(argv[3]);
    if (incr === null) return ctx.w.error(ERR.NOT_FLOAT);
    if (incr.inf) return ctx.w.error(ERR.HASH_INCR_NAN_INF);
    const h = writeHashOrReply(ctx, argv[1]);
    if (h === null) return;
    const field = argv[2];
    const current = h?.get(field);
    let sum = incr;
    if (current !== undefined) {
      const old = parseLongDouble(current);
      if (old === null) return ctx.w.error(ERR.HASH_VALUE_NOT_FLOAT);
      const added = addLongDouble(old, incr);
      if (added === null || added.inf) return ctx.w.error(ERR.INCR_NAN_INF);
      sum = added;
    }
    const text = formatLongDoubleHuman(sum);
    const target = h ?? writeOrCreateHashOrReply(ctx, argv[1])!;
    const { hashMaxListpackEntries: maxEntries, hashMaxListpackValue: maxValue } = ctx.config;
    target.set(field, text, maxEntries, maxValue);
    ctx.notify(NOTIFY_HASH, 'hincrbyfloat', argv[1]);
    ctx.w.bulk(text);
  },

  hrandfield(ctx, argv) {
    hrandfield(ctx, argv);
  },

  hscan(ctx, argv) {
    hscan(ctx, argv);
  },
};
