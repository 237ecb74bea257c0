/** Key lookups and argument parsing shared by the set commands. */
import { ERR } from '../../../src/resp/errors.js';
import type { Ctx } from '../../shard/context.js';
import { SetValue } from './set-value.js';

/**
 * Redis lookupKeyRead (read: counts a keyspace hit or miss) or lookupKeyWrite,
 * then checkType: the set at key, undefined when missing, or null after
 * replying WRONGTYPE.
 */
export function lookupSet(ctx: Ctx, key: string, slot: number | undefined, read: boolean): SetValue | undefined | null {
  const v = read ? ctx.db.read(key, slot) : ctx.db.get(key, slot);
  if (v === undefined || v instanceof SetValue) return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}


