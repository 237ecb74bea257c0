/**
 * Generic keyspace commands, executed on the shard(s) that own the keys
 * (Redis db.c, expire.c, object.c). Commands the acceptor splits across
 * shards (DEL, EXISTS, KEYS, DBSIZE, FLUSHALL ...) answer for this shard's part;
 * the acceptor merges the parts.
 */
import { keySlot } from '../../src/cluster/keyslot.js';
import { ERR } from '../../src/resp/errors.js';
import { globMatch } from '../../src/util/glob.js';
import type { Ctx, Handler } from '../shard/context.js';
import { lruClock, type Db } from '../shard/keyspace.js';
import { stringEncoding, typeName, type Value } from '../shard/value.js';
import { intArgOrReply } from './string.js';

// ---------------------------------------------------------------------------
// Type API
// ---------------------------------------------------------------------------

/** Expire time of a live key in ms (0 when it has none), or -1 when the key is missing. */
function expireOf(db: Db, key: string): number {
  const i = db.find(key);
  return i < 0 ? -1 : db.dict.exps[i];
}

/** Copies a value so that two keys never share a mutable collection. */
function duplicate(v: Value): Value {
  if (typeof v === 'string') return v;
  const dup = (v as unknown as { duplicate?: () => Value }).duplicate;
  if (!dup) throw new Error(`cannot duplicate a ${v.type}`);
  return dup.call(v);
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** Redis expireGenericCommand: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX XX GT LT. */
function expireGeneric(ctx: Ctx, argv: string[], basetime: number, seconds: boolean): void {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else return ctx.w.error(`ERR Unsupported option ${argv[j]}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) return ctx.w.error(ERR.NX_XX_GT_LT);
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) return ctx.w.error('ERR GT and LT options at the same time are not compatible');
  const n = intArgOrReply(ctx, argv[2]);
  if (n === null) return;
  let when = BigInt(n);
  const cmd = argv[0];
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
  const current = d.exps[i] === 0 ? -1n : BigInt(d.exps[i]);
  if (flags & EXPIRE_NX && current !== -1n) return ctx.w.int(0);
  if (flags & EXPIRE_XX && current === -1n) return ctx.w.int(0);
  if (flags & EXPIRE_GT && (when <= current || current === -1n)) return ctx.w.int(0);
  if (flags & EXPIRE_LT && current !== -1n && when >= current) return ctx.w.int(0);
  if (when <= BigInt(Date.now())) {
    db.removeAt(d, i);
  } else {
    // Times beyond 2^53 ms lose precision as doubles; they are 285,000 years away.
    db.setExpireAt(d, i, Number(when));
  }
  ctx.w.int(1);
}

/** Redis ttlGenericCommand: TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttlGeneric(ctx: Ctx, key: string, ms: boolean, absolute: boolean): void {
  const exp = expireOf(ctx.db, key);
  if (exp < 0) return ctx.w.int(-2);
  if (exp === 0) return ctx.w.int(-1);
  let ttl = absolute ? exp : exp - Date.now();
  if (ttl < 0) ttl = 0;
  ctx.w.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

/** Validates a database index argument (MOVE, COPY DB); null after replying. */
function dbIndexOrReply(ctx: Ctx, arg: string): number | null {
  const n = intArgOrReply(ctx, arg);
  if (n === null) return null;
  if (typeof n !== 'number' || n < -2147483648 || n > 2147483647) {
    ctx.w.error(ERR.NOT_INTEGER);
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
    for (let i = 1; i < argv.length; i++) if (ctx.db.delete(argv[i])) n++;
    ctx.w.int(n);
  },

  unlink(ctx, argv) {
    keyHandlers.del(ctx, argv);
  },

  exists(ctx, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (ctx.db.find(argv[i]) >= 0) n++;
    ctx.w.int(n);
  },

  touch(ctx, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (ctx.db.get(argv[i]) !== undefined) n++;
    ctx.w.int(n);
  },

  type(ctx, argv) {
    const i = ctx.db.find(argv[1], ctx.slot);
    ctx.w.simple(i < 0 ? 'none' : typeName(ctx.db.dict.vals[i]));
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
    if (i < 0 || ctx.db.dict.exps[i] === 0) return ctx.w.int(0);
    ctx.db.setExpireAt(ctx.db.dict, i, 0);
    ctx.w.int(1);
  },

  keys(ctx, argv) {
    const pattern = argv[1];
    const all = pattern === '*';
    const now = Date.now();
    const out: string[] = [];
    for (const d of ctx.db.slots) {
      if (d === undefined) continue;
      for (let i = 0; i < d.keys.length; i++) {
        const exp = d.exps[i];
        if (exp !== 0 && exp <= now) continue;
        if (all || globMatch(pattern, d.keys[i])) out.push(d.keys[i]);
      }
    }
    ctx.w.bulkArray(out);
  },

  /**
   * SCAN part: argv[1] is the position among this shard's slots to start at
   * (the acceptor maps the client's cursor to a shard and a position). Whole
   * slots are returned until COUNT keys are gathered; the reply is
   * [next position or "-1" when this shard is done, keys].
   */
  scan(ctx, argv) {
    let count = 10;
    let pattern: string | null = null;
    let type: string | null = null;
    for (let j = 2; j < argv.length; j++) {
      const opt = argv[j].toLowerCase();
      const more = argv.length - j - 1;
      if (opt === 'count' && more >= 1) {
        const n = intArgOrReply(ctx, argv[++j]);
        if (n === null) return;
        if (n < 1) return ctx.w.error(ERR.SYNTAX);
        count = Number(n);
      } else if (opt === 'match' && more >= 1) {
        pattern = argv[++j];
        if (pattern === '*') pattern = null;
      } else if (opt === 'type' && more >= 1) {
        type = argv[++j].toLowerCase();
      } else {
        return ctx.w.error(ERR.SYNTAX);
      }
    }
    const total = ownedSlotCount(ctx);
    let local = Number(argv[1]);
    const now = Date.now();
    const out: string[] = [];
    while (local < total && out.length < count) {
      const d = ctx.db.slots[ownedSlot(ctx, local)];
      local++;
      if (d === undefined) continue;
      // Collect first, then filter, so lazily expired keys can be removed safely.
      const keys = d.keys.slice();
      for (const key of keys) {
        const i = d.find(key);
        if (i < 0) continue;
        const exp = d.exps[i];
        if (exp !== 0 && exp <= now) {
          ctx.db.removeAt(d, i);
          ctx.ks.stats.expiredKeys++;
          continue;
        }
        if (pattern !== null && !globMatch(pattern, key)) continue;
        if (type !== null && typeName(d.vals[i]) !== type) continue;
        out.push(key);
      }
    }
    ctx.w.arrayLen(2);
    ctx.w.bulk(local >= total ? '-1' : String(local));
    ctx.w.bulkArray(out);
  },

  /** RANDOMKEY part: [number of keys in this shard's db, a random live key or nil]. */
  randomkey(ctx) {
    const db = ctx.db;
    ctx.w.arrayLen(2);
    for (let attempt = 0; attempt < 100 && db.keyCount > 0; attempt++) {
      let r = Math.floor(Math.random() * db.keyCount);
      for (const d of db.slots) {
        if (d === undefined) continue;
        if (r >= d.size) {
          r -= d.size;
          continue;
        }
        const key = d.keys[r];
        if (db.find(key) >= 0) {
          ctx.w.int(db.keyCount);
          return ctx.w.bulk(key);
        }
        break;
      }
    }
    ctx.w.int(db.keyCount);
    ctx.w.nil();
  },

  dbsize(ctx) {
    ctx.w.int(ctx.db.keyCount);
  },

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
    const i = ctx.db.find(key, ctx.slot);
    if (i < 0) return ctx.w.int(0);
    const src = ctx.db.dict;
    const value = src.vals[i];
    const exp = src.exps[i];
    const dst = ctx.ks.dbs[target];
    if (dst.find(key, ctx.slot) >= 0) return ctx.w.int(0);
    dst.set(key, value, exp, false, ctx.slot);
    ctx.db.delete(key, ctx.slot);
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
    let dstDb = ctx.db;
    let dstIndex = ctx.dbIndex;
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j].toLowerCase();
      if (opt === 'replace') replace = true;
      else if (opt === 'db' && j + 1 < argv.length) {
        const n = dbIndexOrReply(ctx, argv[++j]);
        if (n === null) return;
        dstDb = ctx.ks.dbs[n];
        dstIndex = n;
      } else return ctx.w.error(ERR.SYNTAX);
    }
    const [src, dst] = [argv[1], argv[2]];
    if (dstIndex === ctx.dbIndex && src === dst) return ctx.w.error(ERR.SAME_OBJECT);
    const value = ctx.db.read(src);
    if (value === undefined) return ctx.w.int(0);
    const exp = expireOf(ctx.db, src);
    if (dstDb.find(dst) >= 0) {
      if (!replace) return ctx.w.int(0);
      dstDb.delete(dst);
    }
    dstDb.set(dst, duplicate(value), exp > 0 ? exp : 0);
    ctx.w.int(1);
  },

  'object|encoding'(ctx, argv) {
    const i = ctx.db.find(argv[2], ctx.slot);
    if (i < 0) return ctx.w.nil();
    const v = ctx.db.dict.vals[i];
    ctx.w.bulk(typeof v === 'string' ? stringEncoding(v) : v.encoding());
  },

  'object|refcount'(ctx, argv) {
    const i = ctx.db.find(argv[2], ctx.slot);
    if (i < 0) return ctx.w.nil();
    const v = ctx.db.dict.vals[i];
    // Redis shares the integers 0..9999 (OBJ_SHARED_INTEGERS) with an "infinite" refcount.
    const shared = typeof v === 'string' && /^(0|[1-9][0-9]{0,3})$/.test(v);
    ctx.w.int(shared ? 2147483647 : 1);
  },

  'object|idletime'(ctx, argv) {
    const i = ctx.db.find(argv[2], ctx.slot);
    if (i < 0) return ctx.w.nil();
    ctx.w.int(Math.max(0, lruClock() - ctx.db.dict.accessClock(i)));
  },

  'object|freq'(ctx, argv) {
    const i = ctx.db.find(argv[2], ctx.slot);
    if (i < 0) return ctx.w.nil();
    ctx.w.error(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  },
};

/** Redis renameGenericCommand (both keys on this shard). */
function renameGeneric(ctx: Ctx, argv: string[], nx: boolean): void {
  const [src, dst] = [argv[1], argv[2]];
  const i = ctx.db.find(src, ctx.slot);
  if (i < 0) return ctx.w.error(ERR.NO_SUCH_KEY);
  if (src === dst) return nx ? ctx.w.int(0) : ctx.w.ok();
  const value = ctx.db.dict.vals[i];
  const exp = ctx.db.dict.exps[i];
  const dstSlot = keySlot(dst);
  if (ctx.db.find(dst, dstSlot) >= 0) {
    if (nx) return ctx.w.int(0);
    ctx.db.delete(dst, dstSlot);
  }
  ctx.db.set(dst, value, exp, false, dstSlot);
  ctx.db.delete(src, ctx.slot);
  if (nx) ctx.w.int(1);
  else ctx.w.ok();
}
