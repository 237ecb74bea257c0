/**
 * IntSet (workers/types/set/intset.ts) against a model: a sorted array of
 * bigints. Values cover every width (int16, int32, int64 beyond 2^53, the
 * int64 limits), so upgrades happen in both directions of insertion.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntSet, widthOf, type IntValue } from './set/intset.js';

/** As parseInteger() hands values over: numbers when safe, bigints beyond. */
const asValue = (b: bigint): IntValue => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b);

const int64 = fc.oneof(
  fc.bigInt({ min: -40n, max: 40n }),
  fc.bigInt({ min: -32769n, max: 32768n }),
  fc.bigInt({ min: -(2n ** 31n) - 2n, max: 2n ** 31n + 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 32n, -(2n ** 32n), 4294967295n),
);

describe('IntSet', () => {
  it('behaves like a sorted set of int64 under random adds and removes, at the narrowest width that fits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), int64), { maxLength: 80 }), (ops) => {
        const s = new IntSet();
        const model = new Set<bigint>();
        let width = 2;
        for (const [add, b] of ops) {
          const v = asValue(b);
          if (add) {
            expect(s.add(v)).toBe(!model.has(b));
            model.add(b);
            width = Math.max(width, widthOf(v));
          } else {
            expect(s.remove(v)).toBe(model.delete(b));
          }
          expect(s.has(v)).toBe(model.has(b));
        }
        const sorted = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(s.size).toBe(sorted.length);
        expect(s.width).toBe(width); // upgrades never shrink back, as in Redis
        expect(s.data.length).toBe(sorted.length * width);
        for (let i = 0; i < sorted.length; i++) {
          expect(s.text(i)).toBe(String(sorted[i]));
          expect(BigInt(s.get(i))).toBe(sorted[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps values beyond 2^53 exact', () => {
    const s = new IntSet();
    for (const t of ['9007199254740993', '9223372036854775807', '-9223372036854775808', '-9007199254740993']) s.add(BigInt(t));
    expect([0, 1, 2, 3].map((i) => s.text(i))).toEqual(['-9223372036854775808', '-9007199254740993', '9007199254740993', '9223372036854775807']);
    expect(s.has(9007199254740992)).toBe(false);
    expect(s.has(9007199254740993n)).toBe(true);
  });
});
