/**
 * String commands, executed on the shard that owns the key (Redis t_string.c).
 * Each handler follows its Redis counterpart's order of checks, so that when
 * several errors apply the same one wins.
 */
import { optionWord } from '../../src/util/c-string.js';
import { constants } from 'node:buffer';
import { ERR } from '../../src/resp/errors.js';
import type { Ctx, Handler } from '../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../../src/server/notify-flags.js';
import { incrByFloat } from '../shard/long-double.js';
import { fitsInt64, parseInteger, StringForm } from '../shard/value.js';

// ---------------------------------------------------------------------------
// Type API
// ---------------------------------------------------------------------------

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/**
 * Redis lookupKeyRead + checkType: the string at key (counting a keyspace
 * hit or miss), undefined when missing, or null after replying WRONGTYPE.
 */
function readStringOrReply(ctx: Ctx, key: string): string | undefined | null {
  const v = ctx.db.read(key, ctx.slot);
  if (v === undefined || typeof v === 'string') return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** Redis lookupKeyWrite + checkType: like readStringOrReply, without hit/miss counting. */
function lookupStringForWriteOrReply(ctx: Ctx, key: string): string | undefined | null {
  const v = ctx.db.get(key, ctx.slot);
  if (v === undefined || typeof v === 'string') return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/**
 * Redis checkStringLength: a string may not grow beyond proto-max-bulk-len.
 * V8 strings stop 24 bytes short of the default 512 MiB; past that the same
 * error beats an exception after a 512 MiB allocation.
 */
function checkLengthOrReply(ctx: Ctx, total: number): boolean {
  if (total > ctx.config.protoMaxBulkLen || total > MAX_STRING_LENGTH) {
    ctx.w.error(ERR.STRING_TOO_LONG);
    return false;
  }
  return true;
}

/** An integer argument (Redis getLongLongFromObjectOrReply), or null after replying. */
export function intArgOrReply(ctx: Ctx, s: string, error: string = ERR.NOT_INTEGER): number | bigint | null {
  const n = parseInteger(s);
  if (n === null) ctx.w.error(error);
  return n;
}


const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const EX = 16;
const PX = 32;
const EXAT = 64;
const PXAT = 128;
const PERSIST = 256;

interface StringOptions {
  flags: number;
  /** The expire argument as given, with its unit flag in `flags`. */
  expire: string | null;
}

/**
 * Redis parseExtendedStringArgumentsOrReply: SET's options (isSet) or
 * GETEX's. An option that conflicts with one seen before, or that lacks its
 * argument, is a syntax error; repeating the same option is allowed.
 */
function parseStringOptionsOrReply(ctx: Ctx, argv: string[], isSet: boolean): StringOptions | null {
  let flags = 0;
  let expire: string | null = null;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = optionWord(argv[j]);
    const hasNext = j + 1 < argv.length;
    if (opt === 'nx' && isSet && !(flags & SET_XX)) flags |= SET_NX;
    else if (opt === 'xx' && isSet && !(flags & SET_NX)) flags |= SET_XX;
    else if (opt === 'get' && isSet) flags |= SET_GET;
    else if (opt === 'keepttl' && isSet && !(flags & (PERSIST | EX | EXAT | PX | PXAT))) flags |= SET_KEEPTTL;
    else if (opt === 'persist' && !isSet && !(flags & (EX | EXAT | PX | PXAT | SET_KEEPTTL))) flags |= PERSIST;
    else if (opt === 'ex' && hasNext && !(flags & (SET_KEEPTTL | PERSIST | EXAT | PX | PXAT))) {
      flags |= EX;
      expire = argv[++j];
    } else if (opt === 'px' && hasNext && !(flags & (SET_KEEPTTL | PERSIST | EX | EXAT | PXAT))) {
      flags |= PX;
      expire = argv[++j];
    } else if (opt === 'exat' && hasNext && !(flags & (SET_KEEPTTL | PERSIST | EX | PX | PXAT))) {
      flags |= EXAT;
      expire = argv[++j];
    } else if (opt === 'pxat' && hasNext && !(flags & (SET_KEEPTTL | PERSIST | EX | EXAT | PX))) {
      flags |= PXAT;
      expire = argv[++j];
    } else {
      ctx.w.error(ERR.SYNTAX);
      return null;
    }
  }
  return { flags, expire };
}

const LLONG_MAX = 9223372036854775807n;

/**
 * Redis getExpireMillisecondsOrReply: the absolute expiry in ms for an
 * EX/PX/EXAT/PXAT argument, or null after replying. Zero, negative, and
 * anything that overflows a signed 64-bit millisecond time is invalid.
 */
function expireMsOrReply(ctx: Ctx, arg: string, flags: number, cmd: string): number | bigint | null {
  const n = intArgOrReply(ctx, arg);
  if (n === null) return null;
  let ms = BigInt(n);
  const seconds = (flags & (EX | EXAT)) !== 0;
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) {
    ctx.w.error(ERR.INVALID_EXPIRE(cmd));
    return null;
  }
  if (seconds) ms *= 1000n;
  if (flags & (EX | PX)) ms += BigInt(Date.now());
  // Redis sees a wrap-around past LLONG_MAX as a result <= 0.
  if (ms > LLONG_MAX) {
    ctx.w.error(ERR.INVALID_EXPIRE(cmd));
    return null;
  }
  // Times beyond 2^53 ms stay exact as bigints (the keyspace keeps them so).
  return ms > 9007199254740991n ? ms : Number(ms);
}

/** Redis setGenericCommand: serves SET, SETNX, SETEX and PSETEX with their own replies. */
function setGeneric(ctx: Ctx, key: string, value: string, opts: StringOptions, cmd: string, okReply: () => void, abortReply: () => void): void {
  const { flags } = opts;
  let exp: number | bigint = 0;
  if (opts.expire !== null) {
    const ms = expireMsOrReply(ctx, opts.expire, flags, cmd);
    if (ms === null) return;
    exp = ms;
  }
  if (flags & SET_GET) {
    // GET replies first: the old value, nil, or WRONGTYPE (which stops the SET).
    const old = readStringOrReply(ctx, key);
    if (old === null) return;
    ctx.w.bulk(old ?? null);
  }
  // Plain SET needs no existence check: Db.set looks the key up once.
  if (flags & (SET_NX | SET_XX)) {
    const found = ctx.db.find(key, ctx.slot) >= 0;
    if ((flags & SET_NX && found) || (flags & SET_XX && !found)) {
      if (!(flags & SET_GET)) abortReply();
      return;
    }
  }
  ctx.db.set(key, value, exp, (flags & SET_KEEPTTL) !== 0, ctx.slot);
  ctx.notify(NOTIFY_STRING, 'set', key);
  if (exp !== 0) ctx.notify(NOTIFY_GENERIC, 'expire', key);
  if (!(flags & SET_GET)) okReply();
}

/** Redis incrDecrCommand: adds `by` to the integer at key (0 when missing), keeping its TTL. */
function incrDecr(ctx: Ctx, key: string, by: number | bigint): void {
  const old = lookupStringForWriteOrReply(ctx, key);
  if (old === null) return;
  let current: number | bigint = 0;
  if (old !== undefined) {
    const parsed = parseInteger(old);
    if (parsed === null) return ctx.w.error(ERR.NOT_INTEGER);
    current = parsed;
  }
  let result: number | bigint;
  if (typeof current === 'number' && typeof by === 'number' && Number.isSafeInteger(current + by)) {
    result = current + by;
  } else {
    const sum = BigInt(current) + BigInt(by);
    if (!fitsInt64(sum)) return ctx.w.error(ERR.OVERFLOW);
    result = sum;
  }
  ctx.db.set(key, String(result), 0, true, ctx.slot);
  ctx.notify(NOTIFY_STRING, 'incrby', key);
  ctx.w.int(result);
}

/**
 * Redis' GETRANGE index arithmetic on a string of `length` bytes: the
 * inclusive [start, end] to return, or null for the empty string.
 */
function substringRange(length: number, start: number | bigint, end: number | bigint): [number, number] | null {
  // Compared exactly first: two different 64-bit values may be the same double.
  if (start < 0 && end < 0 && start > end) return null;
  // Beyond ±2^53 the rest only clamps, so doubles do.
  let s = Number(start);
  let e = Number(end);
  if (s < 0) s = length + s;
  if (e < 0) e = length + e;
  if (s < 0) s = 0;
  if (e < 0) e = 0;
  if (e >= length) e = length - 1;
  if (s > e || length === 0) return null;
  return [s, e];
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

const reply = {
  ok: (ctx: Ctx) => () => ctx.w.ok(),
  nil: (ctx: Ctx) => () => ctx.w.nil(),
  one: (ctx: Ctx) => () => ctx.w.int(1),
  zero: (ctx: Ctx) => () => ctx.w.int(0),
};

export const stringHandlers: Record<string, Handler> = {
  get(ctx, argv) {
    const v = readStringOrReply(ctx, argv[1]);
    if (v !== null) ctx.w.bulk(v ?? null);
  },

  set(ctx, argv) {
    const opts = parseStringOptionsOrReply(ctx, argv, true);
    if (opts) setGeneric(ctx, argv[1], argv[2], opts, 'set', reply.ok(ctx), reply.nil(ctx));
  },

  setnx(ctx, argv) {
    setGeneric(ctx, argv[1], argv[2], { flags: SET_NX, expire: null }, 'setnx', reply.one(ctx), reply.zero(ctx));
  },

  setex(ctx, argv) {
    setGeneric(ctx, argv[1], argv[3], { flags: EX, expire: argv[2] }, 'setex', reply.ok(ctx), reply.nil(ctx));
  },

  psetex(ctx, argv) {
    setGeneric(ctx, argv[1], argv[3], { flags: PX, expire: argv[2] }, 'psetex', reply.ok(ctx), reply.nil(ctx));
  },

  getset(ctx, argv) {
    const old = readStringOrReply(ctx, argv[1]);
    if (old === null) return;
    // Like SET: the TTL goes.
    ctx.db.set(argv[1], argv[2], 0, false, ctx.slot);
    ctx.notify(NOTIFY_STRING, 'set', argv[1]);
    ctx.w.bulk(old ?? null);
  },

  getdel(ctx, argv) {
    const v = readStringOrReply(ctx, argv[1]);
    if (v === null) return;
    if (v !== undefined) ctx.db.delete(argv[1], ctx.slot);
    if (v !== undefined) ctx.notify(NOTIFY_GENERIC, 'del', argv[1]);
    ctx.w.bulk(v ?? null);
  },

  getex(ctx, argv) {
    const opts = parseStringOptionsOrReply(ctx, argv, false);
    if (!opts) return;
    // Redis looks the key up before it validates the expire time: a missing key is nil, whatever the time says.
    const v = readStringOrReply(ctx, argv[1]);
    if (v === null) return;
    if (v === undefined) return ctx.w.nil();
    let exp: number | bigint = 0;
    if (opts.expire !== null) {
      const ms = expireMsOrReply(ctx, opts.expire, opts.flags, 'getex');
      if (ms === null) return;
      exp = ms;
    }
    ctx.w.bulk(v);
    const i = ctx.db.find(argv[1], ctx.slot);
    if (opts.flags & (EXAT | PXAT) && exp <= Date.now()) {
      // An absolute time already past deletes the key (Redis propagates it as DEL).
      ctx.db.removeAt(ctx.db.dict, i);
      ctx.notify(NOTIFY_GENERIC, 'del', argv[1]);
    } else if (opts.expire !== null) {
      ctx.db.setExpireAt(ctx.db.dict, i, exp);
      ctx.notify(NOTIFY_GENERIC, 'expire', argv[1]);
    } else if (opts.flags & PERSIST) {
      const had = ctx.db.dict.expireAt(i) !== 0;
      ctx.db.setExpireAt(ctx.db.dict, i, 0);
      if (had) ctx.notify(NOTIFY_GENERIC, 'persist', argv[1]);
    }
  },

  mget(ctx, argv) {
    ctx.w.arrayLen(argv.length - 1);
    for (let i = 1; i < argv.length; i++) {
      // Keys of another type read as nil, not WRONGTYPE.
      const v = ctx.db.read(argv[i]);
      ctx.w.bulk(typeof v === 'string' ? v : null);
    }
  },

  mset(ctx, argv) {
    // Redis msetGenericCommand: a key without its value is an arity error, and nothing is set.
    if (argv.length % 2 === 0) return ctx.w.error(ERR.wrongArity('mset'));
    for (let i = 1; i < argv.length; i += 2) {
      ctx.db.set(argv[i], argv[i + 1]);
      ctx.notify(NOTIFY_STRING, 'set', argv[i]);
    }
    ctx.w.ok();
  },

  append(ctx, argv) {
    const key = argv[1];
    const old = lookupStringForWriteOrReply(ctx, key);
    if (old === null) return;
    if (old === undefined) {
      ctx.db.set(key, argv[2], 0, false, ctx.slot);
      ctx.notify(NOTIFY_STRING, 'append', key);
      return ctx.w.int(argv[2].length);
    }
    if (!checkLengthOrReply(ctx, old.length + argv[2].length)) return;
    const next = old + argv[2];
    const i = ctx.db.set(key, next, 0, true, ctx.slot);
    ctx.db.dict.setStringForm(i, StringForm.RAW); // appended in place: Redis' value is now raw
    ctx.notify(NOTIFY_STRING, 'append', key);
    ctx.w.int(next.length);
  },

  strlen(ctx, argv) {
    const v = readStringOrReply(ctx, argv[1]);
    if (v !== null) ctx.w.int(v === undefined ? 0 : v.length);
  },

  incr(ctx, argv) {
    incrDecr(ctx, argv[1], 1);
  },

  decr(ctx, argv) {
    incrDecr(ctx, argv[1], -1);
  },

  incrby(ctx, argv) {
    const by = intArgOrReply(ctx, argv[2]);
    if (by !== null) incrDecr(ctx, argv[1], by);
  },

  decrby(ctx, argv) {
    const by = intArgOrReply(ctx, argv[2]);
    if (by === null) return;
    // -LLONG_MIN does not fit: Redis refuses it before looking at the key.
    if (by === -(2n ** 63n)) return ctx.w.error(ERR.DECREMENT_OVERFLOW);
    incrDecr(ctx, argv[1], -by);
  },

  incrbyfloat(ctx, argv) {
    const key = argv[1];
    const old = lookupStringForWriteOrReply(ctx, key);
    if (old === null) return;
    const result = incrByFloat(old, argv[2]);
    if (result === 'not-float') return ctx.w.error(ERR.NOT_FLOAT);
    if (result === 'nan-or-inf') return ctx.w.error(ERR.INCR_NAN_INF);
    const i = ctx.db.set(key, result, 0, true, ctx.slot);
    ctx.db.dict.setStringForm(i, StringForm.NOT_INT); // made from a long double: embstr or raw, never int
    ctx.notify(NOTIFY_STRING, 'incrbyfloat', key);
    ctx.w.bulk(result);
  },

  getrange(ctx, argv) {
    getrange(ctx, argv);
  },

  substr(ctx, argv) {
    getrange(ctx, argv);
  },

  setrange(ctx, argv) {
    const key = argv[1];
    const offset = intArgOrReply(ctx, argv[2]);
    if (offset === null) return;
    if (offset < 0) return ctx.w.error(ERR.OFFSET_OUT_OF_RANGE);
    const value = argv[3];
    const old = lookupStringForWriteOrReply(ctx, key);
    if (old === null) return;
    // Setting nothing answers the current length and creates nothing.
    if (value.length === 0) return ctx.w.int(old === undefined ? 0 : old.length);
    const off = Number(offset);
    if (!checkLengthOrReply(ctx, off + value.length)) return;
    const base = old ?? '';
    const padded = base.length < off ? base + '\0'.repeat(off - base.length) : base;
    const next = padded.slice(0, off) + value + padded.slice(off + value.length);
    const i = ctx.db.set(key, next, 0, old !== undefined, ctx.slot);
    ctx.db.dict.setStringForm(i, StringForm.RAW); // written in place (or created raw): Redis' value is raw
    ctx.notify(NOTIFY_STRING, 'setrange', key);
    ctx.w.int(next.length);
  },

  lcs(ctx, argv) {
    lcs(ctx, argv);
  },
};

function getrange(ctx: Ctx, argv: string[]): void {
  const start = intArgOrReply(ctx, argv[2]);
  if (start === null) return;
  const end = intArgOrReply(ctx, argv[3]);
  if (end === null) return;
  const v = readStringOrReply(ctx, argv[1]);
  if (v === null) return;
  const s = v ?? '';
  const r = substringRange(s.length, start, end);
  ctx.w.bulk(r === null ? '' : s.slice(r[0], r[1] + 1));
}

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis
 * lcsCommand): the classic dynamic programming table, then a walk back from
 * its end that collects the common string and, for IDX, the matching ranges
 * from the last to the first.
 */
function lcs(ctx: Ctx, argv: string[]): void {
  // Redis reads both keys before it parses the options, so a type error wins over a syntax error.
  const a = ctx.db.read(argv[1], ctx.slot);
  const b = ctx.db.read(argv[2]);
  if ((a !== undefined && typeof a !== 'string') || (b !== undefined && typeof b !== 'string')) {
    return ctx.w.error(ERR.LCS_NOT_STRINGS);
  }
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = optionWord(argv[j]);
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) {
      const n = intArgOrReply(ctx, argv[++j]);
      if (n === null) return;
      // Only compared with match lengths (below 2^32), so a huge value can stay a double.
      minMatchLen = n < 0 ? 0 : Number(n);
    } else return ctx.w.error(ERR.SYNTAX);
  }
  if (getIdx && getLen) return ctx.w.error(ERR.LCS_LEN_AND_IDX);
  const s1 = a ?? '';
  const s2 = b ?? '';
  const n1 = s1.length;
  const n2 = s2.length;
  const width = n2 + 1;
  // The table holds (n1+1)·(n2+1) 32-bit lengths; Redis caps it at proto-max-bulk-len bytes.
  if ((n1 + 1) * width * 4 > ctx.config.protoMaxBulkLen) return ctx.w.error(ERR.LCS_TOO_BIG);

  // table[i*width + j] = length of the LCS of s1[0, i) and s2[0, j).
  const table = new Uint32Array((n1 + 1) * width);
  for (let i = 1; i <= n1; i++) {
    const c = s1.charCodeAt(i - 1);
    const row = i * width;
    const up = row - width;
    for (let j = 1; j <= n2; j++) {
      if (c === s2.charCodeAt(j - 1)) table[row + j] = table[up + j - 1] + 1;
      else {
        const l1 = table[up + j];
        const l2 = table[row + j - 1];
        table[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const len = table[n1 * width + n2];
  if (getLen) return ctx.w.int(len);

  // Walk back from (n1, n2). A range [aStart, aEnd] x [bStart, bEnd] grows
  // backwards while the matches are contiguous, and is emitted when the walk
  // leaves it or reaches the start of either string.
  const chars: string[] = new Array(len);
  let idx = len;
  const ranges: number[] = [];
  const NONE = -1;
  let aStart = NONE;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = n1;
  let j = n2;
  while (i > 0 && j > 0) {
    let emit = false;
    if (s1.charCodeAt(i - 1) === s2.charCodeAt(j - 1)) {
      chars[--idx] = s1[i - 1];
      if (aStart === NONE) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (aStart !== NONE) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      aStart = NONE;
    }
  }

  if (!getIdx) return ctx.w.bulk(chars.join(''));
  ctx.w.mapLen(2);
  ctx.w.bulk('matches');
  ctx.w.arrayLen(ranges.length / 5);
  for (let k = 0; k < ranges.length; k += 5) {
    ctx.w.arrayLen(withMatchLen ? 3 : 2);
    ctx.w.arrayLen(2);
    ctx.w.int(ranges[k]);
    ctx.w.int(ranges[k + 1]);
    ctx.w.arrayLen(2);
    ctx.w.int(ranges[k + 2]);
    ctx.w.int(ranges[k + 3]);
    if (withMatchLen) ctx.w.int(ranges[k + 4]);
  }
  ctx.w.bulk('len');
  ctx.w.int(len);
}
