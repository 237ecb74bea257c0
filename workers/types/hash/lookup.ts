/** Key lookups for hash commands, as Redis' lookupKeyRead/lookupKeyWrite + checkType. */
import { ERR } from '../../../src/resp/errors.js';
import type { Ctx } from '../../shard/context.js';
import { HashValue } from './hash-value.js';

/** A read lookup of argv's first key: the hash (counting a keyspace hit or miss), undefined when missing, or null after replying WRONGTYPE. */
export function readHashOrReply(ctx: Ctx, key: string): HashValue | undefined | null {
  const v = ctx.db.read(key, ctx.slot);
  if (v === undefined || v instanceof HashValue) return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** A write lookup: like readHashOrReply, without hit/miss counting. */
export function writeHashOrReply(ctx: Ctx, key: string): HashValue | undefined | null {
  const v = ctx.db.get(key, ctx.slot);
  if (v === undefined || v instanceof HashValue) return v;
  ctx.w.error(ERR.WRONGTYPE);
  return null;
}

/** Redis hashTypeLookupWriteOrCreate: the hash at key, a new empty listpack stored there when missing, or null after WRONGTYPE. */
export function writeOrCreateHashOrReply(ctx: Ctx, key: string): HashValue | null {
  const h = writeHashOrReply(ctx, key);
  if (h !== undefined) return h;
  const created = new HashValue();
  ctx.db.set(key, created, 0, false, ctx.slot);
  return created;
}
