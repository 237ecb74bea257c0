/**
 * What HSCAN, SSCAN and ZSCAN share (Redis scanGenericCommand): their options,
 * COUNT n (an integer, at least 1) and MATCH pattern, in any order, each as
 * often as given (the last one wins; anything else is a syntax error), and
 * their reply, [next cursor, elements].
 */
import { ERR } from '../../src/resp/errors.js';
import { optionWord } from '../../src/util/c-string.js';
import type { ReplyWriter } from '../../src/resp/writer.js';
import type { Ctx } from '../shard/context.js';
import { parseInteger } from '../shard/value.js';

export interface ScanOptions {
  count: number;
  /** null: every element (no MATCH, or MATCH "*"). */
  pattern: string | null;
}

/** The options from argv[from] on, or null after replying the error. */
export function parseScanOptions(ctx: Ctx, argv: readonly string[], from: number): ScanOptions | null {
  const o: ScanOptions = { count: 10, pattern: null };
  for (let i = from; i < argv.length; i += 2) {
    const opt = optionWord(argv[i]);
    const hasValue = i + 1 < argv.length;
    if (opt === 'count' && hasValue) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) {
        ctx.w.error(ERR.NOT_INTEGER);
        return null;
      }
      if (n < 1) {
        ctx.w.error(ERR.SYNTAX);
        return null;
      }
      o.count = Number(n);
    } else if (opt === 'match' && hasValue) {
      // Exactly "*" matches everything: the same as no pattern.
      o.pattern = argv[i + 1] === '*' ? null : argv[i + 1];
    } else {
      ctx.w.error(ERR.SYNTAX);
      return null;
    }
  }
  return o;
}

/** The reply: the next cursor (0 when done) and the elements of this call. */
export function replyScanPage(w: ReplyWriter, next: number, elements: string[]): void {
  w.arrayLen(2);
  w.bulk(String(next));
  w.bulkArray(elements);
}
