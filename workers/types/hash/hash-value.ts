/**
 * A hash value in one of Redis' two encodings (t_hash.c):
 * - listpack: small hashes, one packed latin1 string (packed.ts), pairs in
 *   insertion order;
 * - hashtable: a DenseDict from field to value.
 * A listpack becomes a hashtable when it gets more pairs than
 * hash-max-listpack-entries or a field or value longer than
 * hash-max-listpack-value bytes; a hashtable never goes back.
 *
 * The encoding changes in place (`body` is replaced), so a conversion never
 * touches the keyspace.
 */
import { DenseDict } from '../../shard/dense-dict.js';
import { registerReviver, type CollectionValue, type TransferredCollection } from '../../shard/value.js';
import * as packed from './packed.js';

/** Redis' LISTPACK_MAX_SAFETY_SIZE: a listpack may not grow past 1 GiB. */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

export class HashValue implements CollectionValue {
  /** The packed listpack string, or the hashtable. One field only: every byte counts for 100k small hashes. */
  body: string | DenseDict<string>;

  constructor(body: string | DenseDict<string> = packed.EMPTY) {
    this.body = body;
  }

  get type(): 'hash' {
    return 'hash';
  }

  encoding(): string {
    return typeof this.body === 'string' ? 'listpack' : 'hashtable';
  }

  get size(): number {
    const b = this.body;
    return typeof b === 'string' ? packed.pairCount(b) : b.size;
  }

  get(field: string): string | undefined {
    const b = this.body;
    return typeof b === 'string' ? packed.getValue(b, field) : b.get(field);
  }

  has(field: string): boolean {
    const b = this.body;
    return typeof b === 'string' ? packed.findPair(b, field) >= 0 : b.has(field);
  }

  /**
   * Redis hashTypeTryConversion: before storing argv[start..end], a listpack
   * becomes a hashtable if one of them is longer than maxValue, or if their
   * total would take the listpack past its safety size.
   */
  convertForArgs(argv: readonly string[], start: number, end: number, maxValue: number): void {
    const b = this.body;
    if (typeof b !== 'string') return;
    let sum = 0;
    for (let i = start; i <= end; i++) {
      const len = argv[i].length;
      if (len > maxValue) return this.convertToHashtable();
      sum += len;
    }
    if (b.length + sum > LISTPACK_MAX_SAFETY_SIZE) this.convertToHashtable();
  }

  /**
   * Redis hashTypeSet: stores field = value; returns true when the field was
   * added, false when updated. A listpack is converted first when the field
   * or value is too long, and after when it has too many pairs.
   */
  set(field: string, value: string, maxEntries: number, maxValue: number): boolean {
    let b = this.body;
    if (typeof b === 'string' && (field.length > maxValue || value.length > maxValue)) {
      this.convertToHashtable();
      b = this.body;
    }
    if (typeof b !== 'string') return b.set(field, value);
    const valueAt = packed.findPair(b, field);
    const next = valueAt < 0 ? packed.appendPacked(b, 1, packed.packPair(field, value)) : packed.replaceValue(b, valueAt, value);
    this.body = next;
    if (packed.pairCount(next) > maxEntries) this.convertToHashtable();
    return valueAt < 0;
  }

  /**
   * set() for each pair argv[start], argv[start+1] ... (HSET, HMSET): the
   * same result, but a listpack is rebuilt once for all the new fields
   * instead of once per field. Returns how many fields were added.
   */
  setPairs(argv: readonly string[], start: number, maxEntries: number, maxValue: number): number {
    let created = 0;
    let i = start;
    const b = this.body;
    if (typeof b === 'string') {
      let p = b;
      let count = packed.pairCount(p);
      let tail = ''; // new pairs, packed, not yet in p
      let tailCount = 0;
      for (; i < argv.length; i += 2) {
        const field = argv[i];
        const value = argv[i + 1];
        // Anything set() would do differently (conversion, a field set twice): settle the tail and let set() do it.
        if (field.length > maxValue || value.length > maxValue || count + 1 > maxEntries || setBefore(argv, start, i)) break;
        const valueAt = packed.findPair(p, field);
        if (valueAt >= 0) {
          p = packed.replaceValue(p, valueAt, value);
          continue;
        }
        tail += packed.packPair(field, value);
        tailCount++;
        count++;
      }
      if (tailCount > 0) p = packed.appendPacked(p, tailCount, tail);
      this.body = p;
      created = tailCount;
    }
    for (; i < argv.length; i += 2) if (this.set(argv[i], argv[i + 1], maxEntries, maxValue)) created++;
    return created;
  }

  /** Removes a field; returns whether it was there. */
  delete(field: string): boolean {
    const b = this.body;
    if (typeof b !== 'string') return b.delete(field);
    if (packed.findPair(b, field) < 0) return false;
    this.body = packed.removeFoundPair(b);
    return true;
  }

  /** Calls visit(field, value) for every pair: insertion order for a listpack, dense order for a hashtable. */
  forEach(visit: (field: string, value: string) => void): void {
    const b = this.body;
    if (typeof b === 'string') return packed.forEachPair(b, visit);
    const { keys, vals } = b;
    for (let i = 0; i < keys.length; i++) visit(keys[i], vals[i]);
  }

  /** Every field and value, in forEach() order. */
  toArrays(): { fields: string[]; values: string[] } {
    const b = this.body;
    if (typeof b === 'string') return packed.toArrays(b);
    return { fields: b.keys.slice(), values: b.vals.slice() };
  }

  /** A uniformly random pair (the hash must not be empty). */
  randomPair(): [string, string] {
    const b = this.body;
    if (typeof b === 'string') return packed.pairAt(b, Math.floor(Math.random() * packed.pairCount(b)));
    const i = b.randomIndex();
    return [b.keys[i], b.vals[i]];
  }

  convertToHashtable(): void {
    const b = this.body;
    if (typeof b !== 'string') return;
    const dict = new DenseDict<string>();
    packed.forEachPair(b, (f, v) => dict.add(f, v));
    this.body = dict;
  }

  duplicate(): HashValue {
    const b = this.body;
    // Strings are immutable: a listpack copy can share its packed string.
    if (typeof b === 'string') return new HashValue(b);
    return new HashValue(dictOf(b.keys, b.vals));
  }

  toTransfer(): TransferredCollection {
    const b = this.body;
    if (typeof b === 'string') return { type: 'hash', encoding: 'listpack', data: b };
    return { type: 'hash', encoding: 'hashtable', data: [b.keys, b.vals] };
  }
}

/** Whether argv[i] appeared as a field before it in argv[start..i) (field positions only). */
function setBefore(argv: readonly string[], start: number, i: number): boolean {
  const field = argv[i];
  for (let j = start; j < i; j += 2) if (argv[j] === field) return true;
  return false;
}

function dictOf(keys: readonly string[], vals: readonly string[]): DenseDict<string> {
  const d = new DenseDict<string>();
  for (let i = 0; i < keys.length; i++) d.add(keys[i], vals[i]);
  return d;
}

registerReviver('hash', (t) => {
  if (t.encoding === 'listpack') return new HashValue(t.data as string);
  const [keys, vals] = t.data as [string[], string[]];
  return new HashValue(dictOf(keys, vals));
});
