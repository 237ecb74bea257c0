import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuickList } from './list/quicklist.js';

/** Elements of every framing size: empty, short, past 127 bytes (2-byte length), past 16383 (3-byte length). */
const element = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 6 }).map((s) => Buffer.from(s).toString('latin1')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 300 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('', '\0\xff', 'y'.repeat(17000)) },
);

type Op =
  | ['pushHead' | 'pushTail', string]
  | ['popHead' | 'popTail']
  | ['set' | 'insert', number, string]
  | ['removeAt', number]
  | ['removeRange', number, number]
  | ['removeMatches', string, number]
  | ['insertAround', string, string, boolean];

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('pushHead' as const, 'pushTail' as const), element) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('popHead' as const, 'popTail' as const)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('set' as const, 'insert' as const), fc.nat(), element) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('removeAt' as const), fc.nat()) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('removeRange' as const), fc.nat(), fc.nat({ max: 30 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('removeMatches' as const), element, fc.integer({ min: -3, max: 3 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('insertAround' as const), element, element, fc.boolean()) },
);

function apply(list: QuickList, model: string[], o: Op): void {
  const n = model.length;
  switch (o[0]) {
    case 'pushHead': list.pushHead(o[1]); model.unshift(o[1]); break;
    case 'pushTail': list.pushTail(o[1]); model.push(o[1]); break;
    case 'popHead': if (n) expect(list.popHead()).toBe(model.shift()); break;
    case 'popTail': if (n) expect(list.popTail()).toBe(model.pop()); break;
    case 'set': if (n) { list.set(o[1] % n, o[2]); model[o[1] % n] = o[2]; } break;
    case 'insert': { const i = o[1] % (n + 1); list.insertIndex(i, o[2]); model.splice(i, 0, o[2]); break; }
    case 'removeAt': if (n) { list.removeRange(o[1] % n, 1); model.splice(o[1] % n, 1); } break;
    case 'removeRange': { const s = n ? o[1] % n : 0; const k = Math.min(o[2], n - s); list.removeRange(s, k); model.splice(s, k); break; }
    case 'insertAround': {
      const i = model.indexOf(o[1]);
      expect(list.insertAround(o[1], o[2], o[3])).toBe(i >= 0);
      if (i >= 0) model.splice(o[3] ? i + 1 : i, 0, o[2]);
      break;
    }
    case 'removeMatches': {
      const [, s, limit] = o;
      const idx = model.flatMap((e, i) => (e === s ? [i] : []));
      const pick = limit === 0 ? idx : limit > 0 ? idx.slice(0, limit) : idx.slice(Math.max(0, idx.length + limit));
      expect(list.removeMatches(s, limit)).toBe(pick.length);
      for (const i of pick.reverse()) model.splice(i, 1);
      break;
    }
  }
}

describe('QuickList', () => {
  for (const fill of [-2, -1, 1, 3, 128]) {
    it(`behaves like an array under random operations (fill ${fill})`, () => {
      fc.assert(
        fc.property(fc.array(element, { maxLength: 60 }), fc.array(op, { maxLength: 80 }), (seed, ops) => {
          const list = new QuickList(fill);
          const model: string[] = [];
          for (const s of seed) apply(list, model, ['pushTail', s]);
          for (const o of ops) apply(list, model, o);
          expect(list.length).toBe(model.length);
          expect(list.toArray()).toEqual(model);
          expect(list.chunks.every((c) => c.count > 0)).toBe(true);
          // Chunks stay within their limit (a single oversized element aside), merges included.
          const limit = fill < 0 ? [4096, 8192][-fill - 1] : 8192;
          for (const c of list.chunks) {
            if (c.count > 1) expect(c.bytes).toBeLessThanOrEqual(limit);
            if (fill > 0) expect(c.count).toBeLessThanOrEqual(fill);
          }
          for (let i = 0; i < model.length; i += 7) expect(list.get(i)).toBe(model[i]);
          const back: string[] = [];
          list.range(model.length - 1, model.length, true, (s) => back.push(s));
          expect(back).toEqual([...model].reverse());
          expect(list.duplicate().toArray()).toEqual(model);
          expect(QuickList.revive(structuredClone(list.toTransfer())).toArray()).toEqual(model);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('keeps chunks within the size class and the entry count', () => {
    const bySize = new QuickList(-1);
    for (let i = 0; i < 5000; i++) bySize.pushTail(`element-${i}`);
    expect(bySize.chunks.length).toBeGreaterThan(1);
    for (const c of bySize.chunks) expect(c.bytes).toBeLessThanOrEqual(4096);
    const byCount = new QuickList(5);
    for (let i = 0; i < 23; i++) byCount.pushHead(String(i));
    expect(byCount.chunks.map((c) => c.count)).toEqual([3, 5, 5, 5, 5]);
  });
});
