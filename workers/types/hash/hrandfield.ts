/**
 * HRANDFIELD key [count [WITHVALUES]] (Redis hrandfieldCommand and
 * hrandfieldWithCountCommand). With a count:
 * - negative: |count| picks, repetitions allowed, in random order;
 * - positive: distinct fields, at most the whole hash:
 *   count >= size   the whole hash, in iteration order;
 *   count*3 > size  copy everything, drop random pairs down to count;
 *   otherwise       a random sample (in listpack order for a listpack).
 * RESP3 nests each field-value pair in an array of 2; RESP2 is flat.
 */
import { optionWord } from '../../../src/util/c-string.js';
import { ERR } from '../../../src/resp/errors.js';
import type { ReplyWriter } from '../../../src/resp/writer.js';
import type { Ctx } from '../../shard/context.js';
import { parseInteger } from '../../shard/value.js';
import { readHashOrReply } from './lookup.js';
import type { HashValue } from './hash-value.js';

const LONG_MAX = 2n ** 63n - 1n;
const HALF_LONG_MAX = LONG_MAX / 2n;
/** Redis HRANDFIELD_SUB_STRATEGY_MUL. */
const SUB_STRATEGY_MUL = 3;
/**
 * Redis streams a huge reply until memory runs out; a shard cannot. Replies
 * with more elements than this are refused with Redis' range error.
 */
const MAX_REPLY_ELEMENTS = 1 << 27;


export function hrandfield(ctx: Ctx, argv: string[]): void {
  const w = ctx.w;
  if (argv.length >= 3) {
    const l = parseInteger(argv[2]);
    if (l === null) return w.error(ERR.NOT_INTEGER);
    if (BigInt(l) < -LONG_MAX) return w.error(ERR.HRANDFIELD_COUNT_RANGE);
    if (argv.length > 4 || (argv.length === 4 && optionWord(argv[3]) !== 'withvalues')) return w.error(ERR.SYNTAX);
    const withValues = argv.length === 4;
    if (withValues && (BigInt(l) < -HALF_LONG_MAX || BigInt(l) > HALF_LONG_MAX)) return w.error(ERR.HRANDFIELD_WITHVALUES_RANGE);
    return withCount(ctx, argv[1], l, withValues);
  }
  const h = readHashOrReply(ctx, argv[1]);
  if (h === null) return;
  if (h === undefined) return w.nil();
  w.bulk(h.randomPair()[0]);
}

function withCount(ctx: Ctx, key: string, l: number | bigint, withValues: boolean): void {
  const w = ctx.w;
  const h = readHashOrReply(ctx, key);
  if (h === null) return;
  if (h === undefined) return w.arrayLen(0);
  const unique = l >= 0;
  const bigCount = l < 0 ? -BigInt(l) : BigInt(l);
  if (bigCount === 0n) return w.arrayLen(0);
  const size = h.size;
  const resp2Pairs = withValues && w.proto === 2;

  // Case 1: repetitions allowed (or a single pick): independent uniform picks.
  if (!unique || bigCount === 1n) {
    if (bigCount * (resp2Pairs ? 2n : 1n) > BigInt(MAX_REPLY_ELEMENTS)) return w.error(ERR.HRANDFIELD_WITHVALUES_RANGE);
    const count = Number(bigCount);
    w.arrayLen(resp2Pairs ? count * 2 : count);
    if (typeof h.body === 'string') {
      // One pass to index the listpack, then O(1) per pick.
      const { fields, values } = h.toArrays();
      for (let i = 0; i < count; i++) {
        const j = Math.floor(Math.random() * size);
        replyPair(w, fields[j], values[j], withValues);
      }
    } else {
      for (let i = 0; i < count; i++) {
        const [f, v] = h.randomPair();
        replyPair(w, f, v, withValues);
      }
    }
    return;
  }

  const count = bigCount >= BigInt(size) ? size : Number(bigCount);
  w.arrayLen(resp2Pairs ? count * 2 : count);

  // Case 2: the whole hash.
  if (count === size) {
    h.forEach((f, v) => replyPair(w, f, v, withValues));
    return;
  }

  // Case 3: close to the whole hash: drop random pairs from a copy.
  if (count * SUB_STRATEGY_MUL > size) {
    const { fields, values } = h.toArrays();
    for (let n = size; n > count; n--) {
      const j = Math.floor(Math.random() * n);
      fields[j] = fields[n - 1];
      values[j] = values[n - 1];
    }
    for (let i = 0; i < count; i++) replyPair(w, fields[i], values[i], withValues);
    return;
  }

  // Case 4: a small sample of a large hash.
  if (typeof h.body === 'string') sampleInOrder(w, h, count, withValues);
  else sampleDistinct(w, h, count, withValues);
}

function replyPair(w: ReplyWriter, field: string, value: string, withValues: boolean): void {
  if (withValues && w.proto === 3) w.arrayLen(2);
  w.bulk(field);
  if (withValues) w.bulk(value);
}

/** Selection sampling (Knuth's algorithm S): `count` distinct pairs, uniformly, in listpack order, in one pass. */
function sampleInOrder(w: ReplyWriter, h: HashValue, count: number, withValues: boolean): void {
  let remaining = h.size;
  let needed = count;
  h.forEach((f, v) => {
    if (needed > 0 && Math.random() * remaining < needed) {
      replyPair(w, f, v, withValues);
      needed--;
    }
    remaining--;
  });
}

/** Random picks until `count` distinct fields are found (count is at most a third of the hash, so few repeats). */
function sampleDistinct(w: ReplyWriter, h: HashValue, count: number, withValues: boolean): void {
  const seen = new Set<string>();
  while (seen.size < count) {
    const [f, v] = h.randomPair();
    if (seen.has(f)) continue;
    seen.add(f);
    replyPair(w, f, v, withValues);
  }
}
