/**
 * Sorted-set commands, executed on the shard that owns the key (Redis
 * t_zset.c). The value and its encodings live in zset/sorted-set.ts; the
 * handlers are grouped by kind under zset/.
 */
import type { Handler } from '../shard/context.js';
import { basicHandlers } from './zset/basic.js';
import { combineHandlers } from './zset/combine.js';
import { popHandlers } from './zset/pop.js';
import { rangeHandlers } from './zset/range.js';

export { SortedSet } from './zset/sorted-set.js';

export const zsetHandlers: Record<string, Handler> = {
  ...basicHandlers,
  ...rangeHandlers,
  ...combineHandlers,
  ...popHandlers,
};
