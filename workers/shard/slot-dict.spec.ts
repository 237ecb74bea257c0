/**
 * The per-slot dictionary and the database over it, against a plain Map as
 * the model: any sequence of adds, removals, TTL changes and lookups leaves
 * the same keys, values and TTLs, the dense arrays stay dense, and the
 * counters (keyCount, volatileCount, minExp) stay exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keySlot } from '../../src/cluster/keyslot.js';
import { Db, Keyspace } from './keyspace.js';
import { SlotDict } from './slot-dict.js';

type Op =
  | { kind: 'add'; key: string; exp: number }
  | { kind: 'remove'; key: string }
  | { kind: 'expire'; key: string; exp: number }
  | { kind: 'expireDue'; now: number };

const key = fc.oneof(fc.constantFrom('a', 'b', '', '\0', 'k\xff'), fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 300 }).map((n) => `key:${n}`));
const exp = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), key, exp }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), key, exp }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expireDue' as const), now: fc.integer({ min: 0, max: 1000 }) }) },
);

function checkAgainstModel(d: SlotDict<string>, model: Map<string, { value: string; exp: number }>): void {
  expect(d.size).toBe(model.size);
  let volatile = 0;
  let min = Infinity;
  for (const [k, { value, exp }] of model) {
    const i = d.find(k);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(d.key(i)).toBe(k);
    expect(d.val(i)).toBe(value);
    expect(d.expireAt(i)).toBe(exp);
    if (exp !== 0) {
      volatile++;
      min = Math.min(min, exp);
    }
  }
  expect(d.volatileCount).toBe(volatile);
  // minExp is a lower bound of the earliest TTL, never later than it.
  expect(d.minExp).toBeLessThanOrEqual(min);
  expect(new Set(d.keys()).size).toBe(d.size);
}

describe('SlotDict', () => {
  it('behaves like a Map of key -> (value, expire) under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const d = new SlotDict<string>(0);
        const model = new Map<string, { value: string; exp: number }>();
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            if (model.has(o.key)) continue;
            const value = `v${n++}`;
            d.add(o.key, value, o.exp, 0);
            model.set(o.key, { value, exp: o.exp });
          } else if (o.kind === 'remove') {
            const i = d.find(o.key);
            expect(i >= 0).toBe(model.has(o.key));
            if (i >= 0) d.removeAt(i);
            model.delete(o.key);
          } else if (o.kind === 'expire') {
            const i = d.find(o.key);
            if (i < 0) continue;
            d.setExpire(i, o.exp);
            model.get(o.key)!.exp = o.exp;
          } else {
            const removed: string[] = [];
            d.expireDue(o.now, (i) => {
              removed.push(d.key(i));
              d.removeAt(i);
            });
            for (const [k, e] of model) if (e.exp !== 0 && e.exp <= o.now) expect(removed).toContain(k);
            for (const k of removed) model.delete(k);
            expect(removed.length).toBe(new Set(removed).size);
            // After a pass minExp is exact.
            const rest = [...model.values()].map((e) => e.exp).filter((e) => e !== 0);
            expect(d.minExp).toBe(rest.length ? Math.min(...rest) : Infinity);
          }
          checkAgainstModel(d, model);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps int64 expire times beyond 2^53 exactly', () => {
    const d = new SlotDict<string>(0);
    const i = d.add('k', 'v', 0, 0);
    d.setExpire(i, 9223372036854770001n);
    expect(d.expireExact(i)).toBe(9223372036854770001n);
    d.add('other', 'v', 5, 0);
    d.removeAt(d.find('other'));
    expect(d.expireExact(d.find('k'))).toBe(9223372036854770001n);
    d.setExpire(d.find('k'), 1000);
    expect(d.expireExact(d.find('k'))).toBe(1000);
  });

  it('grows and shrinks: 100k keys in, all out, nothing left behind', () => {
    const d = new SlotDict<number>(0);
    for (let i = 0; i < 100_000; i++) d.add(`k${i}`, i, i % 3 === 0 ? i + 1 : 0, 0);
    expect(d.size).toBe(100_000);
    expect(d.volatileCount).toBe(33_334);
    for (let i = 0; i < 100_000; i += 2) d.removeAt(d.find(`k${i}`));
    for (let i = 1; i < 100_000; i += 2) expect(d.val(d.find(`k${i}`))).toBe(i);
    for (let i = 1; i < 100_000; i += 2) d.removeAt(d.find(`k${i}`));
    expect(d.size).toBe(0);
    expect(d.volatileCount).toBe(0);
    expect(d.find('k1')).toBe(-1);
  });

  it('samples uniformly: every key of a slot comes up', () => {
    const d = new SlotDict<number>(0);
    for (let i = 0; i < 20; i++) d.add(`k${i}`, i, 0, 0);
    const seen = new Set<number>();
    for (let n = 0; n < 2000; n++) seen.add(d.randomIndex());
    expect(seen.size).toBe(20);
  });
});

describe('Db', () => {
  it('keeps one dictionary per hash slot, so no single collection holds a whole shard', () => {
    // A shard's capacity is 16384 slot dictionaries, each with its own arrays
    // and index: 2^24 keys (the cap of one V8 Map) spread over the slots are
    // about 1024 per dictionary. This checks the split on 50k keys.
    const db = new Keyspace(1).dbs[0];
    const n = 50_000;
    for (let i = 0; i < n; i++) db.set(`key:${i}`, 'x');
    let dicts = 0;
    let total = 0;
    let largest = 0;
    for (const d of db.slots) {
      if (d === undefined) continue;
      dicts++;
      total += d.size;
      largest = Math.max(largest, d.size);
      for (const k of d.keys()) expect(keySlot(k)).toBe(d.slot);
    }
    expect(total).toBe(n);
    expect(db.keyCount).toBe(n);
    expect(dicts).toBeGreaterThan(15_000);
    expect(largest).toBeLessThan(20);
  });

  it('expires lazily on lookup, drops empty slot dictionaries, and counts', () => {
    const db: Db = new Keyspace(1).dbs[0];
    db.set('gone', 'x', Date.now() - 1);
    db.set('kept', 'y', Date.now() + 100_000);
    db.set('plain', 'z');
    expect(db.keyCount).toBe(3);
    expect(db.volatileCount).toBe(2);
    expect(db.find('gone')).toBe(-1);
    expect(db.keyCount).toBe(2);
    expect(db.volatileCount).toBe(1);
    expect(db.stats.expiredKeys).toBe(1);
    expect(db.slots[keySlot('gone')]).toBeUndefined();
    expect(db.findRead('kept')).toBeGreaterThanOrEqual(0);
    expect(db.findRead('nope')).toBe(-1);
    expect(db.stats.keyspaceHits).toBe(1);
    expect(db.stats.keyspaceMisses).toBe(1);
    // Setting a value clears the TTL unless keepTtl.
    db.set('kept', 'y2');
    expect(db.volatileCount).toBe(0);
  });
});
