/**
 * HSCAN key cursor [MATCH pattern] [COUNT count] (Redis hscanCommand and
 * scanGenericCommand). A listpack is small: everything comes back in one
 * call with cursor 0, COUNT ignored. A hashtable is walked with DenseDict's
 * stateless cursor, which returns every pair present for the whole
 * iteration at least once. MATCH filters on the field only.
 */
import { parseScanOptions, replyScanPage } from '../scan-options.js';
import { parseScanCursor } from '../../../src/util/scan-cursor.js';
import { globMatch } from '../../../src/util/glob.js';
import { ERR } from '../../../src/resp/errors.js';
import type { Ctx } from '../../shard/context.js';
import { readHashOrReply } from './lookup.js';

export function hscan(ctx: Ctx, argv: string[]): void {
  const w = ctx.w;
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) return w.error(ERR.INVALID_CURSOR);
  const h = readHashOrReply(ctx, argv[1]);
  if (h === null) return;
  if (h === undefined) return replyScanPage(w, 0, []);

  const options = parseScanOptions(ctx, argv, 3);
  if (options === null) return;
  const { count, pattern } = options;

  const out: string[] = [];
  let next = 0;
  const body = h.body;
  const keep = (f: string, v: string) => {
    if (pattern !== null && !globMatch(pattern, f)) return;
    out.push(f, v);
  };
  if (typeof body === 'string') {
    h.forEach(keep);
  } else {
    // Beyond any position, a cursor just starts from the top.
    const start = cursor > BigInt(body.size) ? body.size : Number(cursor);
    next = body.scan(start, count, (i) => keep(body.keys[i], body.vals[i]));
  }
  replyScanPage(w, next, out);
}
