/**
 * The keys of one hash slot in one database: a Map from key to a dense index,
 * and parallel dense arrays of keys, values, expiry times and access times.
 *
 * Why not a plain Map of values: a Map cannot pick a random entry (RANDOMKEY,
 * active expiry and eviction need O(1) sampling) and V8 caps a Map at 2^24
 * entries, so one Map per shard would cap the keyspace. With one dictionary per
 * slot a shard holds up to 16384 × 2^24 keys, SCAN walks whole slots with a
 * plain number as cursor, and resharding moves whole slots.
 *
 * Deletion swaps the last entry into the freed index, so the arrays stay dense.
 */
export class SlotDict<V> {
  private readonly index = new Map<string, number>();
  readonly keys: string[] = [];
  readonly vals: V[] = [];
  /** Absolute expiry in ms since the epoch; 0 when the key has no TTL. */
  readonly exps: number[] = [];
  /** Access clock (seconds since server start) for OBJECT IDLETIME. */
  private lru = new Uint32Array(4);
  /** Number of keys with a TTL, so active expiry can skip slots without any. */
  volatileCount = 0;

  get size(): number {
    return this.keys.length;
  }

  /** Dense index of key, or -1. */
  find(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? -1 : i;
  }

  /** Adds a key that is not present; returns its index. */
  add(key: string, value: V, exp: number, clock: number): number {
    const i = this.keys.length;
    this.index.set(key, i);
    this.keys.push(key);
    this.vals.push(value);
    this.exps.push(exp);
    if (exp !== 0) this.volatileCount++;
    if (i >= this.lru.length) {
      const grown = new Uint32Array(this.lru.length * 2);
      grown.set(this.lru);
      this.lru = grown;
    }
    this.lru[i] = clock;
    return i;
  }

  setExpire(i: number, exp: number): void {
    const old = this.exps[i];
    if (old === 0 && exp !== 0) this.volatileCount++;
    else if (old !== 0 && exp === 0) this.volatileCount--;
    this.exps[i] = exp;
  }

  touch(i: number, clock: number): void {
    this.lru[i] = clock;
  }

  accessClock(i: number): number {
    return this.lru[i];
  }

  /** Removes the entry at index i (moving the last entry into its place). */
  removeAt(i: number): void {
    const last = this.keys.length - 1;
    const key = this.keys[i];
    if (this.exps[i] !== 0) this.volatileCount--;
    if (i !== last) {
      const movedKey = this.keys[last];
      this.keys[i] = movedKey;
      this.vals[i] = this.vals[last];
      this.exps[i] = this.exps[last];
      this.lru[i] = this.lru[last];
      this.index.set(movedKey, i);
    }
    this.keys.pop();
    this.vals.pop();
    this.exps.pop();
    this.index.delete(key);
  }

  /** A uniformly random index (the dict must not be empty). */
  randomIndex(): number {
    return Math.floor(Math.random() * this.keys.length);
  }
}
