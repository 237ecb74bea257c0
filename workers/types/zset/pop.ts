/**
 * Popping: ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX,
 * BZMPOP (Redis genericZpopCommand, blockingGenericZpopCommand,
 * zmpopGenericCommand).
 */
import { ERR } from '../../../src/resp/errors.js';
import { parseTimeout } from '../../shard/blocking.js';
import type { Ctx, Handler } from '../../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../../../src/server/notify-flags.js';
import { deleteIfEmpty } from './basic.js';
import { isWord, LONG_MAX, positiveLongArg, rangeLongArg, writeZset } from './common.js';

const MIN = 0;
const MAX = 1;

/**
 * Pops from the first existing key among `keys`. count -1 is the plain
 * single pop; `emitKey` puts the key first; `nested` makes [member, score]
 * pairs; `nilWhenEmpty` answers a null array rather than an empty one when no
 * key exists.
 */
function genericZpop(ctx: Ctx, keys: string[], where: number, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean): void {
  const w = ctx.w;
  let key = '';
  let z;
  for (const k of keys) {
    const v = writeZset(ctx, k);
    if (v === null) return;
    if (v === undefined) continue;
    key = k;
    z = v;
    break;
  }
  if (z === undefined) return nilWhenEmpty ? w.nilArray() : w.arrayLen(0);
  if (count === 0) return w.arrayLen(0);
  if (count === -1) count = 1;
  const n = Math.min(count, z.size);
  if (!nested && !emitKey) w.arrayLen(n * 2);
  else if (nested && !emitKey) w.arrayLen(n);
  else if (!nested && emitKey) {
    w.arrayLen(n * 2 + 1);
    w.bulk(key);
  } else {
    w.arrayLen(2);
    w.bulk(key);
    w.arrayLen(n);
  }
  const e = where === MIN ? z.slice(0, n - 1) : z.slice(z.size - n, z.size - 1);
  z.removeRanks(where === MIN ? 0 : z.size - n, where === MIN ? n - 1 : z.size - 1);
  for (let k = 0; k < n; k++) {
    const i = where === MIN ? k : n - 1 - k;
    if (nested) w.arrayLen(2);
    w.bulk(e.members[i]);
    w.double(e.scores[i]);
  }
  ctx.notify(NOTIFY_ZSET, where === MIN ? 'zpopmin' : 'zpopmax', key);
  if (deleteIfEmpty(ctx, key, z)) ctx.notify(NOTIFY_GENERIC, 'del', key);
}

function zpopMinMax(ctx: Ctx, argv: string[], where: number): void {
  if (argv.length > 3) return ctx.w.error(ERR.SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const c = positiveLongArg(ctx, argv[2]);
    if (c === null) return;
    count = c;
  }
  genericZpop(ctx, [argv[1]], where, false, count, ctx.w.proto === 3 && count !== -1, false);
}

function blockingZpop(ctx: Ctx, argv: string[], keys: string[], where: number, timeoutIdx: number, count: number, nested: boolean, nilWhenEmpty: boolean): void {
  const deadline = parseTimeout(ctx, argv[timeoutIdx]);
  if (deadline === null) return;
  for (const key of keys) {
    const z = writeZset(ctx, key);
    if (z === null) return;
    if (z === undefined || z.size === 0) continue;
    return genericZpop(ctx, [key], where, true, count, nested, nilWhenEmpty);
  }
  if (!ctx.canBlock) return ctx.w.nilArray();
  ctx.block(keys, 'zset', deadline);
}

/** ZMPOP / BZMPOP: numkeys, keys, MIN|MAX, [COUNT n]. */
function zmpopGeneric(ctx: Ctx, argv: string[], numkeysIdx: number, blocking: boolean): void {
  const w = ctx.w;
  const numkeys = rangeLongArg(ctx, argv[numkeysIdx], 1, LONG_MAX, ERR.ZSET_NUMKEYS);
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) return w.error(ERR.SYNTAX);
  let where: number;
  if (isWord(argv[whereIdx], 'min')) where = MIN;
  else if (isWord(argv[whereIdx], 'max')) where = MAX;
  else return w.error(ERR.SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && isWord(argv[j], 'count') && more > 0) {
      j++;
      const c = rangeLongArg(ctx, argv[j], 1, LONG_MAX, ERR.ZSET_COUNT);
      if (c === null) return;
      count = c;
    } else {
      return w.error(ERR.SYNTAX);
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, whereIdx);
  if (blocking) blockingZpop(ctx, argv, keys, where, 1, count, true, true);
  else genericZpop(ctx, keys, where, true, count, true, true);
}

export const popHandlers: Record<string, Handler> = {
  zpopmin: (ctx, argv) => zpopMinMax(ctx, argv, MIN),
  zpopmax: (ctx, argv) => zpopMinMax(ctx, argv, MAX),
  zmpop: (ctx, argv) => zmpopGeneric(ctx, argv, 1, false),
  bzmpop: (ctx, argv) => zmpopGeneric(ctx, argv, 2, true),
  bzpopmin: (ctx, argv) => blockingZpop(ctx, argv, argv.slice(1, -1), MIN, argv.length - 1, -1, false, false),
  bzpopmax: (ctx, argv) => blockingZpop(ctx, argv, argv.slice(1, -1), MAX, argv.length - 1, -1, false, false),
};
