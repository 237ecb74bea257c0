/**
 * HashValue and its packed listpack form against a Map model: binary fields
 * and values, lengths on both sides of the one-byte varint limit (127/128),
 * conversions at the thresholds, duplicate() and transfer keeping the
 * encoding and the order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviveValue } from '../shard/value.js';
import { HashValue } from './hash/hash-value.js';
import * as packed from './hash/packed.js';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const text = fc.oneof(
  fc.constantFrom('', 'a', 'b', '\0', '\xff', 'f0', 'f1'),
  fc.uint8Array({ maxLength: 6 }).map(latin1),
  fc.integer({ min: 120, max: 300 }).map((n) => 'x'.repeat(n)),
);

function entries(h: HashValue): [string, string][] {
  const out: [string, string][] = [];
  h.forEach((f, v) => out.push([f, v]));
  return out;
}

describe('HashValue', () => {
  it('behaves like a Map (insertion order while a listpack) and converts as Redis does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), text, text), { maxLength: 60 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom(0, 64, 200, 1000),
        (ops, maxEntries, maxValue) => {
          const h = new HashValue();
          const m = new Map<string, string>();
          let wasHashtable = false;
          for (const [add, f, v] of ops) {
            if (add) {
              const tooLong = f.length > maxValue || v.length > maxValue;
              expect(h.set(f, v, maxEntries, maxValue)).toBe(!m.has(f));
              m.set(f, v);
              if (tooLong || m.size > maxEntries) wasHashtable = true;
            } else {
              expect(h.delete(f)).toBe(m.delete(f));
            }
            expect(h.encoding()).toBe(wasHashtable ? 'hashtable' : 'listpack');
            expect(h.size).toBe(m.size);
          }
          for (const [f, v] of m) {
            expect(h.get(f)).toBe(v);
            expect(h.has(f)).toBe(true);
          }
          const got = entries(h);
          if (h.encoding() === 'listpack') expect(got).toEqual([...m]);
          else expect(new Map(got)).toEqual(m);
          // Copies keep encoding and order.
          for (const copy of [h.duplicate(), reviveValue(structuredClone(h.toTransfer())) as HashValue]) {
            expect(copy.encoding()).toBe(h.encoding());
            expect(entries(copy)).toEqual(got);
          }
        },
      ),
    );
  });

  it('setPairs (HSET with many pairs) gives what set() pair by pair gives: content, order, encoding, added count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text), { maxLength: 8 }),
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(0, 3, 64, 1000),
        (before, pairs, maxEntries, maxValue) => {
          const a = new HashValue();
          for (const [f, v] of before) a.set(f, v, 512, 1000);
          const b = a.duplicate();
          let added = 0;
          for (const [f, v] of pairs) if (a.set(f, v, maxEntries, maxValue)) added++;
          expect(b.setPairs(['hset', 'k', ...pairs.flat()], 2, maxEntries, maxValue)).toBe(added);
          expect(b.encoding()).toBe(a.encoding());
          expect(b.size).toBe(a.size);
          if (a.encoding() === 'listpack') expect(entries(b)).toEqual(entries(a));
          else expect(new Map(entries(b))).toEqual(new Map(entries(a)));
        },
      ),
    );
  });

  it('packs lengths of 128 and beyond in more than one byte and reads them back', () => {
    for (const n of [0, 1, 127, 128, 16383, 16384, 70000]) {
      const f = 'f'.repeat(n);
      const v = 'v'.repeat(n + 1);
      const p = packed.fromArrays([f, 'x'], [v, 'y']);
      expect(packed.pairCount(p)).toBe(2);
      expect(packed.getValue(p, f)).toBe(v);
      expect(packed.getValue(p, 'x')).toBe('y');
      expect(packed.pairAt(p, 1)).toEqual(['x', 'y']);
    }
  });

  it('convertForArgs converts a listpack when one argument is longer than hash-max-listpack-value', () => {
    const h = new HashValue();
    h.convertForArgs(['hset', 'k', 'f', 'v'.repeat(64)], 2, 3, 64);
    expect(h.encoding()).toBe('listpack');
    h.convertForArgs(['hset', 'k', 'f', 'v'.repeat(65)], 2, 3, 64);
    expect(h.encoding()).toBe('hashtable');
  });
});
