import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DenseDict } from './dense-dict.js';

describe('DenseDict', () => {
  it('behaves like a Map under random operations', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }))), (ops) => {
        const d = new DenseDict<number>();
        const m = new Map<string, number>();
        ops.forEach(([add, k], n) => {
          const key = `k${k}`;
          if (add) expect(d.set(key, n)).toBe(!m.has(key)), m.set(key, n);
          else expect(d.delete(key)).toBe(m.delete(key));
        });
        expect(d.size).toBe(m.size);
        for (const [k, v] of m) expect(d.get(k)).toBe(v);
      }),
    );
  });

  it('scan returns every entry present for the whole iteration, with deletes and adds between steps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 400 }))), fc.integer({ min: 1, max: 20 }), (n, churn, count) => {
        const d = new DenseDict();
        for (let i = 0; i < n; i++) d.add(`m${i}`, undefined);
        const removed = new Set<string>();
        const seen = new Set<string>();
        let cursor = 0;
        let step = 0;
        do {
          cursor = d.scan(cursor, count, (i) => seen.add(d.keys[i]));
          const op = churn[step++];
          if (op !== undefined) {
            const key = `m${op[1]}`;
            if (op[0]) d.set(key, undefined);
            else if (d.delete(key)) removed.add(key);
          }
        } while (cursor !== 0);
        for (let i = 0; i < n; i++) if (!removed.has(`m${i}`)) expect(seen.has(`m${i}`)).toBe(true);
      }),
    );
  });
});
