/**
 * Blocking commands on a shard (Redis blocked.c): BLPOP, BRPOP, BLMOVE,
 * BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP ... whose keys all live on this shard.
 *
 * A handler that finds nothing calls ctx.block(keys, type, deadline); the
 * client is queued, FIFO, on each of its keys. When a key is given a value
 * (Db.insert: a list or sorted set is created where a client waits), the key
 * is queued as ready; after the command that did it, the shard re-runs the
 * blocked commands on that key in FIFO order, each replying or blocking again.
 * Deadlines are kept here; the acceptor tells the shard when a blocked client
 * disconnects.
 */
import { ERR } from '../../src/resp/errors.js';
import type { Ctx } from './context.js';

const LLONG_MAX = 9223372036854775807;

/**
 * Redis' getTimeoutFromObjectOrReply for timeouts in seconds (a float): the
 * absolute deadline in ms (0: wait for ever), or null after replying the
 * error. Values a C cast to long long cannot hold come out negative on x86
 * (LLONG_MIN), so they are "negative" there too.
 */
export function parseTimeout(ctx: Ctx, arg: string): number | null {
  const seconds = parseTimeoutSeconds(arg);
  if (seconds === null) {
    ctx.w.error('ERR timeout is not a float or out of range');
    return null;
  }
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || ms >= 2 ** 63 || ms < -(2 ** 63) || Math.trunc(ms) < 0) {
    ctx.w.error('ERR timeout is negative');
    return null;
  }
  const tval = Math.trunc(ms);
  if (tval === 0) return 0;
  const now = Date.now();
  if (tval > LLONG_MAX - now) {
    ctx.w.error('ERR timeout is out of range');
    return null;
  }
  return tval + now;
}

/** strtold's view of a timeout, as getLongDoubleFromObject checks it: no leading space, all consumed, not NaN. */
function parseTimeoutSeconds(s: string): number | null {
  if (s.length === 0 || s.length > 5000) return null;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/.test(s)) {
    const v = s.includes('x') || s.includes('X') ? parseHexFloat(s) : Number(s);
    return Number.isNaN(v) ? null : v;
  }
  return null;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s)!;
  const frac = m[3] ?? '';
  const mant = parseInt(`${m[2]}${frac}` || '0', 16);
  const v = mant * 2 ** (Number(m[4] ?? 0) - 4 * frac.length);
  return m[1] === '-' ? -v : v;
}

export { ERR };
