/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis
 * zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets
 * (every member scoring 1). Scores are combined in Redis' order (inputs by
 * ascending size, stable) so that floating-point sums come out the same.
 */
import { ERR } from '../../../src/resp/errors.js';
import type { Ctx, Handler } from '../../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../../../src/server/notify-flags.js';
import type { Value } from '../../shard/value.js';
import { isWord, longArg, positiveLongArg, replyEntries, sortEntries, storeZset } from './common.js';
import { parseScore } from './number.js';
import type { Entries } from './packed.js';
import { SetValue } from '../set/set-value.js';
import { SortedSet } from './sorted-set.js';

const UNION = 0;
const INTER = 1;
const DIFF = 2;
const SUM = 0;
const MIN = 1;
const MAX = 2;

/** One input: its members and scores, and a lookup by member. */
interface Source {
  value: Value | undefined;
  size: number;
  weight: number;
  entries(): Entries;
  score(member: string): number | undefined;
}

function sourceOf(v: Value | undefined): Source {
  if (v === undefined) return { value: v, size: 0, weight: 1, entries: () => ({ members: [], scores: [] }), score: () => undefined };
  if (v instanceof SortedSet) return { value: v, size: v.size, weight: 1, entries: () => v.slice(0, v.size - 1), score: (m) => v.score(m) };
  const set = v as SetValue;
  return {
    value: v,
    size: set.size,
    weight: 1,
    entries: () => {
      const members = set.toArray();
      return { members, scores: members.map(() => 1) };
    },
    score: (m) => (set.has(m) ? 1 : undefined),
  };
}

function aggregate(target: number, value: number, how: number): number {
  if (how === SUM) {
    const r = target + value;
    return Number.isNaN(r) ? 0 : r;
  }
  if (how === MIN) return value < target ? value : target;
  return value > target ? value : target;
}

function combine(ctx: Ctx, argv: string[], dst: string | null, numkeysIndex: number, op: number, cardinalityOnly: boolean): void {
  const w = ctx.w;
  const setnum = longArg(ctx, argv[numkeysIndex]);
  if (setnum === null) return;
  if (setnum < 1) return w.error(ERR.ZSET_AT_LEAST_ONE_KEY(argv[0].toLowerCase()));
  if (setnum > argv.length - (numkeysIndex + 1)) return w.error(ERR.SYNTAX);

  const sources: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = ctx.db.read(argv[j]);
    if (v !== undefined && !(v instanceof SortedSet) && !(v instanceof SetValue)) return w.error(ERR.WRONGTYPE);
    sources.push(sourceOf(v));
  }

  let how = SUM;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const a = argv[j];
    if (op !== DIFF && !cardinalityOnly && remaining >= setnum + 1 && isWord(a, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const weight = parseScore(argv[j]);
        if (weight === null) return w.error(ERR.ZSET_WEIGHT_NOT_FLOAT);
        sources[i].weight = weight;
      }
    } else if (op !== DIFF && !cardinalityOnly && remaining >= 2 && isWord(a, 'aggregate')) {
      j++;
      remaining--;
      if (isWord(argv[j], 'sum')) how = SUM;
      else if (isWord(argv[j], 'min')) how = MIN;
      else if (isWord(argv[j], 'max')) how = MAX;
      else return w.error(ERR.SYNTAX);
      j++;
      remaining--;
    } else if (remaining >= 1 && dst === null && !cardinalityOnly && isWord(a, 'withscores')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && isWord(a, 'limit')) {
      j++;
      remaining--;
      const l = positiveLongArg(ctx, argv[j], ERR.ZSET_LIMIT_NEGATIVE);
      if (l === null) return;
      limit = l;
      j++;
      remaining--;
    } else {
      return w.error(ERR.SYNTAX);
    }
  }

  // Smallest inputs first (a stable sort, like glibc's merge-sort qsort).
  if (op !== DIFF) sources.sort((a, b) => a.size - b.size);

  const members: string[] = [];
  const scores: number[] = [];
  let cardinality = 0;
  if (op === INTER) {
    if (sources[0].size > 0) {
      const first = sources[0].entries();
      for (let k = 0; k < first.members.length; k++) {
        const m = first.members[k];
        let score = sources[0].weight * first.scores[k];
        if (Number.isNaN(score)) score = 0;
        let i = 1;
        for (; i < sources.length; i++) {
          const src = sources[i];
          const s = src.value === sources[0].value ? first.scores[k] : src.score(m);
          if (s === undefined) break;
          score = aggregate(score, s * src.weight, how);
        }
        if (i < sources.length) continue;
        if (cardinalityOnly) {
          cardinality++;
          if (limit && cardinality >= limit) break;
        } else {
          members.push(m);
          scores.push(score);
        }
      }
    }
  } else if (op === UNION) {
    const acc = new Map<string, number>();
    for (const src of sources) {
      if (src.size === 0) continue;
      const e = src.entries();
      for (let k = 0; k < e.members.length; k++) {
        let score = src.weight * e.scores[k];
        if (Number.isNaN(score)) score = 0;
        const prev = acc.get(e.members[k]);
        acc.set(e.members[k], prev === undefined ? score : aggregate(prev, score, how));
      }
    }
    for (const [m, s] of acc) {
      members.push(m);
      scores.push(s);
    }
  } else {
    const first = sources[0].entries();
    for (let k = 0; k < first.members.length; k++) {
      const m = first.members[k];
      if (sources.slice(1).some((src) => src.score(m) !== undefined)) continue;
      members.push(m);
      scores.push(first.scores[k]);
    }
  }

  if (cardinalityOnly) return w.int(cardinality);
  const result = sortEntries({ members, scores });
  if (dst === null) return replyEntries(ctx, result, withScores);
  const n = result.members.length;
  if (n === 0) {
    w.int(0);
    if (ctx.db.delete(dst, ctx.slot)) ctx.notify(NOTIFY_GENERIC, 'del', dst);
    return;
  }
  const cfg = ctx.config;
  const maxLen = result.members.reduce((a, m) => Math.max(a, m.length), 0);
  const listpack = n <= cfg.zsetMaxListpackEntries && maxLen <= cfg.zsetMaxListpackValue;
  storeZset(ctx, dst, SortedSet.fromSorted(result, !listpack), ctx.slot);
  w.int(n);
  ctx.notify(NOTIFY_ZSET, op === UNION ? 'zunionstore' : op === INTER ? 'zinterstore' : 'zdiffstore', dst);
}

export const combineHandlers: Record<string, Handler> = {
  zunionstore: (ctx, argv) => combine(ctx, argv, argv[1], 2, UNION, false),
  zinterstore: (ctx, argv) => combine(ctx, argv, argv[1], 2, INTER, false),
  zdiffstore: (ctx, argv) => combine(ctx, argv, argv[1], 2, DIFF, false),
  zunion: (ctx, argv) => combine(ctx, argv, null, 1, UNION, false),
  zinter: (ctx, argv) => combine(ctx, argv, null, 1, INTER, false),
  zdiff: (ctx, argv) => combine(ctx, argv, null, 1, DIFF, false),
  zintercard: (ctx, argv) => combine(ctx, argv, null, 1, INTER, true),
};
