/**
 * Generic keyspace commands, executed on the shard(s) that own the keys
 * (Redis db.c, expire.c, object.c). Commands the acceptor splits across
 * shards (DEL, EXISTS, KEYS, DBSIZE, FLUSHALL ...) answer for this shard's part;
 * the acceptor merges the parts. Each handler follows its Redis counterpart's
 * order of checks, so that when several errors apply the same one wins, and
 * its kind of lookup (write, read, read without touching the access clock),
 * so keyspace_hits/misses and OBJECT IDLETIME agree with Redis.
 */
import { cString, optionWord } from '../../src/util/c-string.js';
import { keySlot } from '../../src/cluster/keyslot.js';
import { ERR } from '../../src/resp/errors.js';
import { globMatch } from '../../src/util/glob.js';
import type { Ctx, Handler } from '../shard/context.js';
import { NOTIFY_GENERIC } from '../../src/server/notify-flags.js';
import { idleSeconds, lruClock } from '../shard/keyspace.js';
import { lfu, lfuDecrAndReturn } from '../shard/lfu.js';
import { isSharedInteger, parseInteger, stringEncoding, StringForm, typeName, type Value } from '../shard/value.js';
import { intArgOrReply } from './string.js';

// ---------------------------------------------------------------------------
// Type API
// ---------------------------------------------------------------------------

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;



/** Copies a value so that two keys never share a mutable collection. */
function duplicate(v: Value): Value {
  if (typeof v === 'string') return v;
  const dup = (v as unknown as { duplicate?: () => Value }).duplicate;
  if (!dup) throw new Error(`cannot duplicate a ${v.type}`);
  return dup.call(v);
}

/** An expire time for Db.insert/setExpireAt: a number when exact as a double, else the bigint. */
function expireValue(when: bigint): number | bigint {
  return when > BigInt(Number.MAX_SAFE_INTEGER) ? when : Number(when);
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Redis expireGenericCommand: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX XX GT LT. */
function expireGeneric(ctx: Ctx, argv: string[], basetime: number, seconds: boolean): void {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = optionWord(argv[j]);
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else return ctx.w.error(`ERR Unsupported option ${cString(argv[j])}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) return ctx.w.error(ERR.NX_XX_GT_LT);
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) return ctx.w.error('ERR GT and LT options at the same time are not compatible');
  const n = intArgOrReply(ctx, argv[2]);
  if (n === null) return;
  let when = BigInt(n);
  const cmd = argv[0];
  // Negative times are allowed (they delete the key); only int64 overflow is an error.
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return ctx.w.error(ERR.INVALID_EXPIRE(cmd));
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(basetime)) return ctx.w.error(ERR.INVALID_EXPIRE(cmd));
  when += BigInt(basetime);
  const db = ctx.db;
  const i = db.find(argv[1], ctx.slot);
  if (i < 0) return ctx.w.int(0);
  const d = db.dict;
  d.touch(i, lruClock());
  if (flags) {
    const exp = d.expireExact(i);
    const current = exp === 0 ? -1n : BigInt(exp);
    if (flags & EXPIRE_NX && current !== -1n) return ctx.w.int(0);
    if (flags & EXPIRE_XX && current === -1n) return ctx.w.int(0);
    // No TTL counts as an infinite one: GT never wins against it, LT always does.
    if (flags & EXPIRE_GT && (when <= current || current === -1n)) return ctx.w.int(0);
    if (flags & EXPIRE_LT && current !== -1n && when >= current) return ctx.w.int(0);
  }
  const past = when <= BigInt(Date.now());
  if (past) db.removeAt(d, i);
  else db.setExpireAt(d, i, expireValue(when));
  ctx.notify(NOTIFY_GENERIC, past ? 'del' : 'expire', argv[1]);
  ctx.w.int(1);
}

/** Redis ttlGenericCommand: TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttlGeneric(ctx: Ctx, key: string, ms: boolean, absolute: boolean): void {
  const i = ctx.db.findRead(key, ctx.slot);
  if (i < 0) return ctx.w.int(-2);
  const exp = ctx.db.dict.expireExact(i);
  if (exp === 0) return ctx.w.int(-1);
  if (typeof exp === 'number') {
    const ttl = Math.max(0, absolute ? exp : exp - Date.now());
    return ctx.w.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
  }
  let ttl = absolute ? exp : exp - BigInt(Date.now());
  if (ttl < 0n) ttl = 0n;
  // (ttl+500)/1000 overflows a long long near LLONG_MAX in C, yet redis-server 7.0.15
  // answers the exact quotient (EXPIRETIME after PEXPIREAT 9223372036854775807 is 9223372036854776).
  ctx.w.int(ms ? ttl : (ttl + 500n) / 1000n);
}

/** Redis getIntFromObjectOrReply + selectDb for MOVE and COPY ... DB: the index, or null after replying. */
function dbIndexOrReply(ctx: Ctx, arg: string): number | null {
  const n = parseInteger(arg);
  if (n === null) {
    ctx.w.error(ERR.NOT_INTEGER);
    return null;
  }
  if (typeof n !== 'number' || n < INT_MIN || n > INT_MAX) {
    ctx.w.error(ERR.OUT_OF_INT_RANGE);
    return null;
  }
  if (n < 0 || n >= ctx.ks.dbs.length) {
    ctx.w.error(ERR.DB_INDEX_OUT_OF_RANGE);
    return null;
  }
  return n;
}

/** Owned slots of this shard in ascending order: slot ≡ shard index (mod shard count). */
function ownedSlot(ctx: Ctx, local: number): number {
  return ctx.config.shardIndex + local * ctx.config.shardCount;
}

function ownedSlotCount(ctx: Ctx): number {
  return Math.ceil((16384 - ctx.config.shardIndex) / ctx.config.shardCount);
}


// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

export const keyHandlers: Record<string, Handler> = {
  del(ctx, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) {
      if (!ctx.db.delete(argv[i])) continue;
      n++;
      ctx.notify(NOTIFY_GENERIC, 'del', argv[i]);
    }
    ctx.w.int(n);
  },

  /** Values are freed by the garbage collector either way, so UNLINK is DEL. */
  unlink(ctx, argv) {
    keyHandlers.del(ctx, argv);
  },

  exists(ctx, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (ctx.db.findRead(argv[i]) >= 0) n++;
    ctx.w.int(n);
  },

  touch(ctx, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (ctx.db.read(argv[i]) !== undefined) n++;
    ctx.w.int(n);
  },

  type(ctx, argv) {
    const i = ctx.db.findRead(argv[1], ctx.slot);
    ctx.w.simple(i < 0 ? 'none' : typeName(ctx.db.dict.val(i)));
  },

  expire(ctx, argv) {
    expireGeneric(ctx, argv, Date.now(), true);
  },
  pexpire(ctx, argv) {
    expireGeneric(ctx, argv, Date.now(), false);
  },
  expireat(ctx, argv) {
    expireGeneric(ctx, argv, 0, true);
  },
  pexpireat(ctx, argv) {
    expireGeneric(ctx, argv, 0, false);
  },

  ttl(ctx, argv) {
    ttlGeneric(ctx, argv[1], false, false);
  },
  pttl(ctx, argv) {
    ttlGeneric(ctx, argv[1], true, false);
  },
  expiretime(ctx, argv) {
    ttlGeneric(ctx, argv[1], false, true);
  },
  pexpiretime(ctx, argv) {
    ttlGeneric(ctx, argv[1], true, true);
  },

  persist(ctx, argv) {
    const i = ctx.db.find(argv[1], ctx.slot);
    if (i < 0) return ctx.w.int(0);
    const d = ctx.db.dict;
    d.touch(i, lruClock());
    if (d.expireAt(i) === 0) return ctx.w.int(0);
    ctx.db.setExpireAt(d, i, 0);
    ctx.notify(NOTIFY_GENERIC, 'persist', argv[1]);
    ctx.w.int(1);
  },

  /** KEYS part: this shard's matching keys. Expired keys are skipped, not deleted (Redis' keyIsExpired). */
  keys(ctx, argv) {
    const pattern = argv[1];
    const all = pattern === '*';
    const now = Date.now();
    const out: string[] = [];
    for (const d of ctx.db.slots) {
      if (d === undefined) continue;
      for (let i = 0; i < d.size; i++) {
        const key = d.key(i);
        if (!all && !globMatch(pattern, key)) continue;
        const exp = d.expireAt(i);
        if (exp !== 0 && exp <= now) continue;
        out.push(key);
      }
    }
    ctx.w.bulkArray(out);
  },

  /**
   * SCAN part: argv[1] is the position among this shard's slots to start at
   * (the acceptor maps the client's cursor to a shard and a position). Whole
   * slots are returned until COUNT keys have been looked at (before
   * filtering, like Redis' dictScan loop); the reply is [next position, or
   * "-1" when this shard is done, keys]. Every key present in a slot when the
   * call reaches it is considered, so a key that exists during the whole
   * iteration is returned, whatever is added or deleted meanwhile.
   */
  scan(ctx, argv) {
    let count = 10;
    let pattern: string | null = null;
    let type: string | null = null;
    for (let j = 2; j < argv.length; j += 2) {
      const opt = optionWord(argv[j]);
      const hasValue = j + 1 < argv.length;
      if (opt === 'count' && hasValue) {
        const n = intArgOrReply(ctx, argv[j + 1]);
        if (n === null) return;
        if (n < 1) return ctx.w.error(ERR.SYNTAX);
        count = Number(n);
      } else if (opt === 'match' && hasValue) {
        // Exactly "*" matches everything: the same as no pattern.
        pattern = argv[j + 1] === '*' ? null : argv[j + 1];
      } else if (opt === 'type' && hasValue) {
        type = optionWord(argv[j + 1]);
      } else {
        return ctx.w.error(ERR.SYNTAX);
      }
    }
    const db = ctx.db;
    const total = ownedSlotCount(ctx);
    let local = Number(argv[1]);
    let examined = 0;
    const out: string[] = [];
    while (local < total && examined < count) {
      const slot = ownedSlot(ctx, local++);
      const d = db.slots[slot];
      if (d === undefined) continue;
      // A copy: the filters below may delete expired keys from the slot.
      const keys = d.keys();
      examined += keys.length;
      // Redis' filter order: pattern, then type (a read lookup), then expiry.
      for (const key of keys) {
        if (pattern !== null && !globMatch(pattern, key)) continue;
        if (type !== null) {
          const i = db.findRead(key, slot);
          if ((i < 0 ? 'none' : typeName(db.dict.val(i))) !== type) continue;
          // Redis quirk: TYPE none keeps a key its own lookup just expired.
          if (i < 0) {
            out.push(key);
            continue;
          }
        }
        if (db.find(key, slot) < 0) continue;
        out.push(key);
      }
    }
    ctx.w.arrayLen(2);
    ctx.w.bulk(local >= total ? '-1' : String(local));
    ctx.w.bulkArray(out);
  },

  /**
   * RANDOMKEY part: [number of keys in this shard's db, a random live key or
   * nil]; the acceptor picks a shard in proportion to the counts. An expired
   * key drawn is deleted and another drawn, as Redis' dbRandomKey does.
   */
  randomkey(ctx) {
    const db = ctx.db;
    ctx.w.arrayLen(2);
    while (db.keyCount > 0) {
      let r = Math.floor(Math.random() * db.keyCount);
      for (const d of db.slots) {
        if (d === undefined) continue;
        if (r >= d.size) {
          r -= d.size;
          continue;
        }
        const key = d.key(r);
        if (db.find(key, d.slot) >= 0) {
          ctx.w.int(db.keyCount);
          return ctx.w.bulk(key);
        }
        break;
      }
    }
    ctx.w.int(0);
    ctx.w.nil();
  },

  dbsize(ctx) {
    ctx.w.int(ctx.db.keyCount);
  },

  /** FLUSHDB [SYNC|ASYNC]: the acceptor checked the arguments; memory goes back to the GC either way. */
  flushdb(ctx) {
    ctx.db.clear();
    ctx.w.ok();
  },

  flushall(ctx) {
    for (const db of ctx.ks.dbs) db.clear();
    ctx.w.ok();
  },

  /** SWAPDB a b: the acceptor has validated both indexes. */
  swapdb(ctx, argv) {
    ctx.ks.swap(Number(argv[1]), Number(argv[2]));
    ctx.w.ok();
  },

  move(ctx, argv) {
    const target = dbIndexOrReply(ctx, argv[2]);
    if (target === null) return;
    if (target === ctx.dbIndex) return ctx.w.error(ERR.SAME_OBJECT);
    const key = argv[1];
    const src = ctx.db;
    const i = src.find(key, ctx.slot);
    if (i < 0) return ctx.w.int(0);
    const value = src.dict.val(i);
    const exp = src.dict.expireExact(i);
    const form = src.dict.stringForm(i);
    const dst = ctx.ks.dbs[target];
    if (dst.find(key, ctx.slot) >= 0) return ctx.w.int(0);
    src.delete(key, ctx.slot);
    // The write lookup touched the key: it arrives with the current access clock, and the same object.
    const j = dst.insert(key, value, exp, lruClock(), ctx.slot);
    dst.dict.setStringForm(j, form);
    ctx.notify(NOTIFY_GENERIC, 'move_from', key);
    ctx.notify(NOTIFY_GENERIC, 'move_to', key, target);
    ctx.w.int(1);
  },

  rename(ctx, argv) {
    renameGeneric(ctx, argv, false);
  },

  renamenx(ctx, argv) {
    renameGeneric(ctx, argv, true);
  },

  copy(ctx, argv) {
    let replace = false;
    let dstIndex = ctx.dbIndex;
    for (let j = 3; j < argv.length; j++) {
      const opt = optionWord(argv[j]);
      if (opt === 'replace') {
        replace = true;
      } else if (opt === 'db' && j + 1 < argv.length) {
        const n = dbIndexOrReply(ctx, argv[++j]);
        if (n === null) return;
        dstIndex = n;
      } else {
        return ctx.w.error(ERR.SYNTAX);
      }
    }
    const [srcKey, dstKey] = [argv[1], argv[2]];
    if (dstIndex === ctx.dbIndex && srcKey === dstKey) return ctx.w.error(ERR.SAME_OBJECT);
    const src = ctx.db;
    const i = src.findRead(srcKey, ctx.slot);
    if (i < 0) return ctx.w.int(0);
    src.dict.touch(i, lruClock());
    const value = src.dict.val(i);
    const exp = src.dict.expireExact(i);
    const form = src.dict.stringForm(i);
    const dst = ctx.ks.dbs[dstIndex];
    const dstSlot = keySlot(dstKey);
    const existing = dst.find(dstKey, dstSlot) >= 0;
    if (existing && !replace) return ctx.w.int(0);
    const copy = duplicate(value);
    if (existing) dst.delete(dstKey, dstSlot);
    const j = dst.insert(dstKey, copy, exp, lruClock(), dstSlot);
    // dupStringObject keeps the encoding, but a copied integer is no longer the shared one.
    dst.dict.setStringForm(j, form === StringForm.ENCODED ? StringForm.INT_UNSHARED : form);
    ctx.notify(NOTIFY_GENERIC, 'copy_to', dstKey, dstIndex);
    ctx.w.int(1);
  },

  'object|encoding'(ctx, argv) {
    const i = ctx.db.findRead(argv[2], ctx.slot, false); // OBJECT raises no keymiss
    if (i < 0) return ctx.w.nil();
    const v = ctx.db.dict.val(i);
    ctx.w.bulk(typeof v === 'string' ? stringEncoding(v, ctx.db.dict.stringForm(i)) : v.encoding());
  },

  'object|refcount'(ctx, argv) {
    const i = ctx.db.findRead(argv[2], ctx.slot, false); // OBJECT raises no keymiss
    if (i < 0) return ctx.w.nil();
    const v = ctx.db.dict.val(i);
    ctx.w.int(typeof v === 'string' && isSharedInteger(v, ctx.db.dict.stringForm(i)) ? INT_MAX : 1);
  },

  'object|idletime'(ctx, argv) {
    const i = ctx.db.findRead(argv[2], ctx.slot, false); // OBJECT raises no keymiss
    if (i < 0) return ctx.w.nil();
    if (lfu.on) {
      return ctx.w.error(
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
    }
    ctx.w.int(idleSeconds(ctx.db.dict.accessClock(i)));
  },

  /** Access frequency is tracked only under an LFU maxmemory-policy (workers/shard/lfu.ts). */
  'object|freq'(ctx, argv) {
    const i = ctx.db.findRead(argv[2], ctx.slot, false); // OBJECT raises no keymiss
    if (i < 0) return ctx.w.nil();
    if (lfu.on) return ctx.w.int(lfuDecrAndReturn(ctx.db.dict.accessClock(i)));
    ctx.w.error(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  },
};

/** Redis renameGenericCommand (both keys on this shard). */
function renameGeneric(ctx: Ctx, argv: string[], nx: boolean): void {
  const [srcKey, dstKey] = [argv[1], argv[2]];
  const db = ctx.db;
  const i = db.find(srcKey, ctx.slot);
  if (i < 0) return ctx.w.error(ERR.NO_SUCH_KEY);
  if (srcKey === dstKey) return nx ? ctx.w.int(0) : ctx.w.ok();
  const value = db.dict.val(i);
  const exp = db.dict.expireExact(i);
  const form = db.dict.stringForm(i);
  const dstSlot = keySlot(dstKey);
  const j = db.find(dstKey, dstSlot);
  if (j >= 0) {
    if (nx) return ctx.w.int(0);
    db.removeAt(db.dict, j);
  }
  db.delete(srcKey, ctx.slot);
  // The value moves with its TTL; the write lookup touched it, so its access clock is now.
  const k = db.insert(dstKey, value, exp, lruClock(), dstSlot);
  db.dict.setStringForm(k, form);
  ctx.notify(NOTIFY_GENERIC, 'rename_from', srcKey);
  ctx.notify(NOTIFY_GENERIC, 'rename_to', dstKey);
  if (nx) ctx.w.int(1);
  else ctx.w.ok();
}
