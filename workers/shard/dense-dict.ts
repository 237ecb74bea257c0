/**
 * A dictionary of latin1 strings for the large encodings of collections
 * (hash fields, set members, sorted-set members): dense arrays of keys and
 * values plus an open-addressing index, like slot-dict.ts without the
 * per-key clocks and expire times.
 *
 * What a Map cannot give:
 * - O(1) uniform random picks (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER):
 *   a random position is a random entry, because deletion moves the last
 *   entry into the freed position;
 * - a stateless SCAN cursor with Redis' guarantee (scan()).
 */
import { buildIndex, findBucket, hashKey, indexBucketOf, indexInsert, TOMBSTONE } from './hash-index.js';

const MIN_TABLE = 16;
/**
 * Up to this many entries there is no index: a lookup scans the keys. A typed
 * array costs ~200 bytes of V8 objects before its first entry, more than a
 * small collection's data (Redis 7.0 keeps even 3-member string sets as
 * hashtables, so small dictionaries are common).
 */
const LINEAR_MAX = 8;

export class DenseDict<V = undefined> {
  readonly keys: string[] = [];
  readonly vals: V[] = [];
  /** Positions + 1 (0 empty, -1 tombstone), power-of-two size, linear probing, at most 3/4 full; null while small. */
  private table: Int32Array | null = null;
  private tombstones = 0;

  /** withValues false: a set of keys (set members); `vals` stays empty, saving a slot per key. */
  constructor(private readonly withValues = true) {}

  get size(): number {
    return this.keys.length;
  }

  /** Dense position of key, or -1. */
  find(key: string): number {
    const t = this.table;
    if (t === null) return this.keys.indexOf(key);
    const b = findBucket(t, this.keys, key);
    return b < 0 ? -1 : t[b] - 1;
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  get(key: string): V | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.vals[i];
  }

  /** Sets key to value; returns true when the key was added, false when it was updated. */
  set(key: string, value: V): boolean {
    const i = this.find(key);
    if (i >= 0) {
      if (this.withValues) this.vals[i] = value;
      return false;
    }
    this.add(key, value);
    return true;
  }

  /** Adds a key known to be absent; returns its position. */
  add(key: string, value: V): number {
    const i = this.keys.length;
    this.keys.push(key);
    if (this.withValues) this.vals.push(value);
    if (this.table === null) {
      if (this.size > LINEAR_MAX) this.rebuild(this.size);
      return i;
    }
    if ((this.size + this.tombstones) * 4 > this.table.length * 3) {
      this.rebuild(this.size);
      return i;
    }
    if (indexInsert(this.table, hashKey(key), i)) this.tombstones--;
    return i;
  }

  /** Removes key; returns whether it was there. */
  delete(key: string): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Removes the entry at position i, moving the last entry into its place. */
  removeAt(i: number): void {
    const last = this.keys.length - 1;
    const t = this.table;
    if (t !== null) {
      t[this.bucketOf(this.keys[i], i)] = TOMBSTONE;
      this.tombstones++;
      if (i !== last) t[this.bucketOf(this.keys[last], last)] = i + 1;
    }
    if (i !== last) {
      this.keys[i] = this.keys[last];
      if (this.withValues) this.vals[i] = this.vals[last];
    }
    this.keys.pop();
    if (this.withValues) this.vals.pop();
    if (t === null) return;
    if (this.size <= LINEAR_MAX / 2) this.table = null;
    else if (this.size * 8 < t.length && t.length > MIN_TABLE) this.rebuild(this.size);
  }

  /** A uniformly random position (the dict must not be empty). */
  randomIndex(): number {
    return Math.floor(Math.random() * this.keys.length);
  }

  /**
   * One SCAN step: visits about `count` positions and returns the next
   * cursor (0 when done). Positions are walked downwards from the top and the
   * cursor is the next position + 1. Deletion only moves the last entry down
   * into a hole, and insertion appends at the top, so an entry present for
   * the whole iteration never moves from the unvisited part (positions below
   * the cursor) to the visited part: it is returned at least once.
   */
  scan(cursor: number, count: number, visit: (i: number) => void): number {
    let p = cursor === 0 ? this.keys.length - 1 : Math.min(cursor - 1, this.keys.length - 1);
    for (let n = 0; n < count && p >= 0; n++, p--) visit(p);
    return p < 0 ? 0 : p + 1;
  }

  private bucketOf(key: string, i: number): number {
    return indexBucketOf(this.table!, hashKey(key), i);
  }

  private rebuild(n: number): void {
    const keys = this.keys;
    this.table = buildIndex(n, (i) => hashKey(keys[i]), MIN_TABLE);
    this.tombstones = 0;
  }
}
