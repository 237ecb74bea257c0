/**
 * String commands, executed on the shard that owns the key (Redis t_string.c).
 */
import { ERR } from '../../src/resp/errors.js';
import type { Ctx, Handler } from '../shard/context.js';
import { incrByFloat } from '../shard/long-double.js';
import { fitsInt64, parseInteger } from '../shard/value.js';

// ---------------------------------------------------------------------------
// Type API
// ---------------------------------------------------------------------------

/** The string at key (counting a keyspace hit/miss), undefined when missing, or null after replying WRONGTYPE. */
function readStringOrReply(ctx: Ctx, key: string): string | undefined | null {
  const v = ctx.db.read(key, ctx.slot);
  if (v === undefined || typeof v === 'string') return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** Redis checkStringLength: a string may not grow beyond proto-max-bulk-len. */
function checkLengthOrReply(ctx: Ctx, total: number): boolean {
  if (total > ctx.config.protoMaxBulkLen) {
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
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface StringOptions {
  flags: number;
  /** The expire argument as given, with its unit flag in `flags`. */
  expire: string | null;
}

/**
 * Redis parseExtendedStringArgumentsOrReply: SET's and GETEX's options.
 * Conflicting options are a syntax error.
 */
function parseStringOptionsOrReply(ctx: Ctx, argv: string[], isSet: boolean): StringOptions | null {
  let flags = 0;
  let expire: string | null = null;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const hasNext = j + 1 < argv.length;
    if (opt === 'nx' && isSet && !(flags & SET_XX)) flags |= SET_NX;
    else if (opt === 'xx' && isSet && !(flags & SET_NX)) flags |= SET_XX;
    else if (opt === 'get' && isSet) flags |= SET_GET;
    else if (opt === 'keepttl' && isSet && !(flags & (PERSIST | ANY_EXPIRE))) flags |= SET_KEEPTTL;
    else if (opt === 'persist' && !isSet && !(flags & (ANY_EXPIRE | SET_KEEPTTL))) flags |= PERSIST;
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
 * EX/PX/EXAT/PXAT argument, or null after replying.
 */
function expireMsOrReply(ctx: Ctx, arg: string, flags: number, cmd: string): number | null {
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
  if (ms <= 0n || ms > LLONG_MAX) {
    ctx.w.error(ERR.INVALID_EXPIRE(cmd));
    return null;
  }
  return Number(ms);
}

/** Redis setGenericCommand: serves SET, SETNX, SETEX and PSETEX with their own replies. */
function setGeneric(ctx: Ctx, key: string, value: string, opts: StringOptions, cmd: string, okReply: () => void, abortReply: () => void): void {
  const { flags } = opts;
  let exp = 0;
  if (opts.expire !== null) {
    const ms = expireMsOrReply(ctx, opts.expire, flags, cmd);
    if (ms === null) return;
    exp = ms;
  }
  if (flags & SET_GET) {
    const old = readStringOrReply(ctx, key);
    if (old === null) return;
    ctx.w.bulk(old ?? null);
  }
  const found = ctx.db.find(key, ctx.slot) >= 0;
  if ((flags & SET_NX && found) || (flags & SET_XX && !found)) {
    if (!(flags & SET_GET)) abortReply();
    return;
  }
  ctx.db.set(key, value, exp, (flags & SET_KEEPTTL) !== 0, ctx.slot);
  if (!(flags & SET_GET)) okReply();
}

/** Redis incrDecrCommand: adds `by` to the integer at key. */
function incrDecr(ctx: Ctx, key: string, by: number | bigint): void {
  const old = readStringOrReply(ctx, key);
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
  ctx.w.int(result);
}

/** Redis' GETRANGE index arithmetic; returns [start, end] inclusive, or null for the empty string. */
function rangeOf(length: number, start: number, end: number): [number, number] | null {
  if (start < 0 && end < 0 && start > end) return null;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return null;
  return [start, end];
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
    ctx.db.set(argv[1], argv[2], 0, false, ctx.slot);
    ctx.w.bulk(old ?? null);
  },

  getdel(ctx, argv) {
    const v = readStringOrReply(ctx, argv[1]);
    if (v === null) return;
    if (v !== undefined) ctx.db.delete(argv[1], ctx.slot);
    ctx.w.bulk(v ?? null);
  },

  getex(ctx, argv) {
    const opts = parseStringOptionsOrReply(ctx, argv, false);
    if (!opts) return;
    let exp = 0;
    if (opts.expire !== null) {
      const ms = expireMsOrReply(ctx, opts.expire, opts.flags, 'getex');
      if (ms === null) return;
      exp = ms;
    }
    const v = readStringOrReply(ctx, argv[1]);
    if (v === null) return;
    if (v === undefined) return ctx.w.nil();
    const i = ctx.db.find(argv[1], ctx.slot);
    if (opts.expire !== null && exp <= Date.now()) {
      // An expiry in the past deletes the key (Redis propagates it as DEL).
      ctx.db.removeAt(ctx.db.dict, i);
    } else if (opts.expire !== null) {
      ctx.db.setExpireAt(ctx.db.dict, i, exp);
    } else if (opts.flags & PERSIST) {
      ctx.db.setExpireAt(ctx.db.dict, i, 0);
    }
    ctx.w.bulk(v);
  },

  mget(ctx, argv) {
    ctx.w.arrayLen(argv.length - 1);
    for (let i = 1; i < argv.length; i++) {
      const v = ctx.db.read(argv[i]);
      ctx.w.bulk(typeof v === 'string' ? v : null);
    }
  },

  mset(ctx, argv) {
    for (let i = 1; i < argv.length; i += 2) ctx.db.set(argv[i], argv[i + 1]);
    ctx.w.ok();
  },

  append(ctx, argv) {
    const key = argv[1];
    const old = ctx.db.get(key, ctx.slot);
    if (old !== undefined && typeof old !== 'string') return ctx.w.error(ERR.WRONGTYPE);
    if (old === undefined) {
      ctx.db.set(key, argv[2], 0, false, ctx.slot);
      return ctx.w.int(argv[2].length);
    }
    if (!checkLengthOrReply(ctx, old.length + argv[2].length)) return;
    const next = old + argv[2];
    ctx.db.set(key, next, 0, true, ctx.slot);
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
    // Redis: DECRBY refuses LLONG_MIN, whose negation overflows.
    if (typeof by === 'bigint' && by === -(2n ** 63n)) return ctx.w.error('ERR decrement would overflow');
    incrDecr(ctx, argv[1], typeof by === 'bigint' ? -by : -by);
  },

  incrbyfloat(ctx, argv) {
    const key = argv[1];
    const old = readStringOrReply(ctx, key);
    if (old === null) return;
    const result = incrByFloat(old ?? '0', argv[2]);
    if (result === 'not-float') return ctx.w.error(ERR.NOT_FLOAT);
    if (result === 'nan-or-inf') return ctx.w.error(ERR.INCR_NAN_INF);
    ctx.db.set(key, result, 0, true, ctx.slot);
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
    const old = ctx.db.get(key, ctx.slot);
    if (old !== undefined && typeof old !== 'string') return ctx.w.error(ERR.WRONGTYPE);
    const off = Number(offset);
    if (old === undefined) {
      if (value.length === 0) return ctx.w.int(0);
      if (!checkLengthOrReply(ctx, off + value.length)) return;
      const next = '\0'.repeat(off) + value;
      ctx.db.set(key, next, 0, false, ctx.slot);
      return ctx.w.int(next.length);
    }
    if (value.length === 0) return ctx.w.int(old.length);
    if (!checkLengthOrReply(ctx, off + value.length)) return;
    const padded = old.length < off ? old + '\0'.repeat(off - old.length) : old;
    const next = padded.slice(0, off) + value + padded.slice(off + value.length);
    ctx.db.set(key, next, 0, true, ctx.slot);
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
  const r = rangeOf(s.length, Number(start), Number(end));
  ctx.w.bulk(r === null ? '' : s.slice(r[0], r[1] + 1));
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis lcsCommand). */
function lcs(ctx: Ctx, argv: string[]): void {
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) {
      const n = intArgOrReply(ctx, argv[++j]);
      if (n === null) return;
      minMatchLen = n < 0 ? 0 : Number(n);
    } else return ctx.w.error(ERR.SYNTAX);
  }
  const a = ctx.db.read(argv[1]);
  const b = ctx.db.read(argv[2]);
  if ((a !== undefined && typeof a !== 'string') || (b !== undefined && typeof b !== 'string')) {
    return ctx.w.error('ERR The specified keys must contain string values');
  }
  if (getIdx && getLen) return ctx.w.error('ERR If you want both the length and indexes, please just use IDX.');
  const s1 = a ?? '';
  const s2 = b ?? '';
  const n1 = s1.length;
  const n2 = s2.length;
  // Dynamic programming table, (n1+1) x (n2+1), as Redis builds it.
  const width = n2 + 1;
  const dp = new Uint32Array((n1 + 1) * width);
  for (let i = 1; i <= n1; i++) {
    for (let j = 1; j <= n2; j++) {
      dp[i * width + j] = s1.charCodeAt(i - 1) === s2.charCodeAt(j - 1)
        ? dp[(i - 1) * width + j - 1] + 1
        : Math.max(dp[(i - 1) * width + j], dp[i * width + j - 1]);
    }
  }
  const len = dp[n1 * width + n2];
  if (getLen) return ctx.w.int(len);
  // Walk back from the end, collecting the common string and, for IDX, the matching ranges.
  const chars: string[] = new Array(len);
  let idx = len;
  let i = n1;
  let j = n2;
  const matches: [number, number, number, number][] = [];
  let arange: [number, number] | null = null;
  let brange: [number, number] | null = null;
  const emit = () => {
    if (arange && brange) {
      const matchLen = arange[1] - arange[0] + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) matches.push([arange[0], arange[1], brange[0], brange[1]]);
    }
    arange = brange = null;
  };
  while (i > 0 && j > 0) {
    let emitRange = false;
    if (s1.charCodeAt(i - 1) === s2.charCodeAt(j - 1)) {
      chars[--idx] = s1[i - 1];
      if (arange === null) {
        arange = [i - 1, i - 1];
        brange = [j - 1, j - 1];
      } else if (arange[0] === i && brange![0] === j) {
        arange[0]--;
        brange![0]--;
      } else {
        emitRange = true;
      }
      if (arange[0] === 0 || brange![0] === 0) emitRange = true;
      if (emitRange && !(arange[0] === i - 1 && arange[1] === i - 1 && arange[0] !== 0 && brange![0] !== 0 && false)) {
        // fallthrough handled below
      }
      if (!emitRange) {
        i--;
        j--;
        continue;
      }
      // When the current match does not extend the range, close the range first and retry this position.
      if (!(arange[0] === i - 1 && brange![0] === j - 1)) {
        idx++;
        emit();
        continue;
      }
      i--;
      j--;
      emit();
      continue;
    }
    if (arange) emit();
    if (dp[(i - 1) * width + j] > dp[i * width + j - 1]) i--;
    else j--;
  }
  if (arange) emit();
  if (!getIdx) return ctx.w.bulk(chars.join(''));
  ctx.w.mapLen(2);
  ctx.w.bulk('matches');
  ctx.w.arrayLen(matches.length);
  for (const [a0, a1, b0, b1] of matches) {
    ctx.w.arrayLen(withMatchLen ? 3 : 2);
    ctx.w.arrayLen(2);
    ctx.w.int(a0);
    ctx.w.int(a1);
    ctx.w.arrayLen(2);
    ctx.w.int(b0);
    ctx.w.int(b1);
    if (withMatchLen) ctx.w.int(a1 - a0 + 1);
  }
  ctx.w.bulk('len');
  ctx.w.int(len);
}
