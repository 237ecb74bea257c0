/**
 * The keys of one hash slot in one database: dense parallel arrays (keys,
 * values, access clocks, expire times) and an open-addressing hash index from
 * key to dense position.
 *
 * Why not a Map per slot: a Map cannot pick a random entry (RANDOMKEY, active
 * expiry and eviction need O(1) sampling), and a Map entry costs about 37
 * bytes where this index costs 4–11 bytes per key (bench/memory.ts measures the
 * whole keyspace against redis-server). Why per slot: SCAN walks whole slots
 * with a plain number as cursor, CLUSTER COUNTKEYSINSLOT/GETKEYSINSLOT and
 * resharding move whole slots, and no structure is shared by all the keys of
 * a shard, so V8's limits on one collection (2^24 Map entries, ~2^27 array
 * elements) apply per slot: a shard holds 16384 × that many keys, far more
 * than 2^24 (slot-dict.spec.ts checks the per-slot split).
 *
 * Deletion moves the last entry into the freed position, so the arrays stay
 * dense and a uniformly random position is a uniformly random key.
 */

import { lfu, lfuInit, lfuTouch } from './lfu.js';

/** Index entry of a deleted key (open addressing needs a marker to keep probe chains intact). */
const TOMBSTONE = -1;
const MIN_TABLE = 16;
/**
 * Up to this many keys a slot has no hash index: find() scans its keys. An
 * Int32Array costs ~150 bytes of V8 objects, and with 100k keys a slot holds
 * about 6 (measured: bench/memory.ts).
 */
const LINEAR_MAX = 8;
const MIN_CLOCKS = 4;
const LLONG_MAX = 9223372036854775807n;

/** Random per process, so clients cannot choose keys that collide (Redis seeds SipHash the same way). */
const SEED = (Math.random() * 0x100000000) | 0;

/** 32-bit hash of a latin1 string: FNV-1a over the chars, then murmur3's finaliser. */
export function hashKey(s: string): number {
  let h = SEED ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * An open-addressing index over dense keys: a power-of-two Int32Array of
 * positions + 1 (0 empty, -1 tombstone), probed linearly. Shared by SlotDict
 * and DenseDict (dense-dict.ts).
 */
export function buildIndex(keys: readonly string[], n: number, minSize: number): Int32Array<ArrayBuffer> {
  let cap = minSize;
  while (cap < n * 2) cap *= 2;
  const t = new Int32Array(cap);
  const mask = cap - 1;
  for (let i = 0; i < keys.length; i++) {
    let b = hashKey(keys[i]) & mask;
    while (t[b] !== 0) b = (b + 1) & mask;
    t[b] = i + 1;
  }
  return t;
}

/** Index position that holds `key` (its dense position is t[b] - 1), or -1 when it is absent. */
export function findBucket(t: Int32Array, keys: readonly string[], key: string): number {
  const mask = t.length - 1;
  let b = hashKey(key) & mask;
  for (;;) {
    const e = t[b];
    if (e === 0) return -1;
    if (e > 0 && keys[e - 1] === key) return b;
    b = (b + 1) & mask;
  }
}

/** Index position that holds dense position i (whose key is `key`). */
export function indexBucketOf(t: Int32Array, key: string, i: number): number {
  const mask = t.length - 1;
  let b = hashKey(key) & mask;
  while (t[b] !== i + 1) b = (b + 1) & mask;
  return b;
}

export class SlotDict<V> {
  readonly keys: string[] = [];
  readonly vals: V[] = [];
  /**
   * Hash index: a power-of-two table of positions + 1 (0 = empty, -1 =
   * tombstone), probed linearly. At most 3/4 full counting tombstones, so a
   * probe always reaches an empty entry.
   */
  private table: Int32Array | null = null;
  private used = 0;
  private tombstones = 0;
  /** Table position of the last key found by find(), so removeAt() need not probe again. */
  private lastBucket = -1;
  /** Access clock per key (OBJECT IDLETIME); same capacity as exps. */
  /**
   * Access clock words, a plain array of small integers: 24 bits of clock (or
   * LFU state) and the string form above them, which stays below 2^30, so V8
   * keeps them unboxed, 4 bytes each, with none of a typed array's ~150 bytes
   * of objects per slot (most slots hold a handful of keys).
   */
  private readonly clocks: number[] = [];
  /**
   * Absolute expire time in ms per key, 0 for none. Allocated only while the
   * slot holds a key with a TTL: most slots of most datasets never pay for it.
   */
  private exps: Float64Array | null = null;
  /** Exact int64 expire times beyond 2^53 ms (PEXPIREAT 9223372036854770000), which doubles cannot hold. */
  private bigExps: Map<string, bigint> | null = null;
  /** Number of keys with a TTL. */
  volatileCount = 0;
  /**
   * A lower bound of the earliest expire time here (Infinity when none):
   * active expiry skips the slot while it is in the future. Exact after
   * expireDue(); removals and PERSIST can leave it early, never late.
   */
  minExp = Infinity;

  constructor(readonly slot: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** Dense position of key, or -1. */
  find(key: string): number {
    const t = this.table;
    if (t === null) return this.keys.indexOf(key);
    const b = findBucket(t, this.keys, key);
    if (b < 0) return -1;
    this.lastBucket = b;
    return t[b] - 1;
  }

  /** Adds a key that is not present (exp 0: no TTL); returns its position. */
  add(key: string, value: V, exp: number, clock: number): number {
    const i = this.keys.length;
    this.keys.push(key);
    this.vals.push(value);
    this.used++;
    const t = this.table;
    if (t === null) {
      if (this.used > LINEAR_MAX) this.rebuild(this.used);
    } else if ((this.used + this.tombstones) * 4 > t.length * 3) {
      this.rebuild(this.used);
    } else {
      const mask = t.length - 1;
      let b = hashKey(key) & mask;
      while (t[b] > 0) b = (b + 1) & mask;
      if (t[b] === TOMBSTONE) this.tombstones--;
      t[b] = i + 1;
    }
    this.clocks.push(lfu.on ? lfuInit() : clock);
    if (this.exps !== null) {
      if (i >= this.exps.length) this.resizeExps(this.exps.length * 2);
      this.exps[i] = 0;
    }
    if (exp !== 0) this.setExpire(i, exp);
    return i;
  }

  /** Removes the entry at position i, moving the last entry into its place. */
  removeAt(i: number): void {
    const key = this.keys[i];
    const last = this.keys.length - 1;
    if (this.expireAt(i) !== 0) this.setExpire(i, 0);
    const t = this.table;
    if (t !== null) {
      t[this.bucketOf(key, i)] = TOMBSTONE;
      this.tombstones++;
      if (i !== last) t[this.bucketOf(this.keys[last], last)] = i + 1;
    }
    this.used--;
    if (i !== last) {
      const moved = this.keys[last];
      this.keys[i] = moved;
      this.vals[i] = this.vals[last];
      this.clocks[i] = this.clocks[last];
      if (this.exps !== null) this.exps[i] = this.exps[last];
    }
    this.clocks.pop();
    this.keys.pop();
    this.vals.pop();
    this.lastBucket = -1;
    // Give memory back when a slot shrinks a lot (FLUSH-like deletes, expiry).
    if (t !== null) {
      if (this.used <= LINEAR_MAX / 2) this.table = null;
      else if (this.used * 8 < t.length && t.length > MIN_TABLE) this.rebuild(this.used);
    }
    if (this.exps !== null && last * 4 < this.exps.length && this.exps.length > MIN_CLOCKS) this.resizeExps(this.exps.length >>> 1);
  }

  /** Expire time of position i in ms since the epoch (0 when none); beyond 2^53 see expireExact(). */
  expireAt(i: number): number {
    return this.exps === null ? 0 : this.exps[i];
  }

  /** The exact expire time: a bigint for values beyond 2^53 ms, otherwise the number. */
  expireExact(i: number): number | bigint {
    const exp = this.expireAt(i);
    if (exp > Number.MAX_SAFE_INTEGER && this.bigExps !== null) return this.bigExps.get(this.keys[i]) ?? exp;
    return exp;
  }

  /** Sets (exp > 0) or removes (exp 0) the TTL of position i. */
  setExpire(i: number, exp: number | bigint): void {
    const key = this.keys[i];
    const old = this.expireAt(i);
    if (old > Number.MAX_SAFE_INTEGER) this.bigExps?.delete(key);
    const ms = Number(exp);
    if (ms > Number.MAX_SAFE_INTEGER) {
      // A number this large has already lost its low digits; at least never report past LLONG_MAX.
      const exact = typeof exp === 'bigint' ? exp : BigInt(exp) > LLONG_MAX ? LLONG_MAX : BigInt(exp);
      (this.bigExps ??= new Map()).set(key, exact);
    }
    if (ms === 0) {
      if (old === 0) return;
      this.exps![i] = 0;
      if (--this.volatileCount === 0) {
        // The last TTL is gone: drop the array until a TTL comes back.
        this.exps = null;
        this.bigExps = null;
        this.minExp = Infinity;
      }
      return;
    }
    if (this.exps === null) {
      let cap = MIN_CLOCKS;
      while (cap <= this.keys.length) cap *= 2;
      this.exps = new Float64Array(cap);
    }
    if (old === 0) this.volatileCount++;
    this.exps[i] = ms;
    if (ms < this.minExp) this.minExp = ms;
  }

  /**
   * The access clock has 24 bits (Redis' LRU clock); the 8 bits above it hold
   * how a string value was produced (value.ts StringForm), which decides its
   * OBJECT ENCODING. touch() keeps them.
   */
  touch(i: number, clock: number): void {
    // Under an LFU maxmemory-policy the same 24 bits hold Redis' LFU counter (lfu.ts).
    if (lfu.on) clock = lfuTouch(this.clocks[i] & 0xffffff);
    this.clocks[i] = (this.clocks[i] & 0xff000000) | clock;
  }

  /** The whole clock word (access clock and string form), to move a key between shards unchanged. */
  rawClock(i: number): number {
    return this.clocks[i];
  }

  setRawClock(i: number, word: number): void {
    this.clocks[i] = word;
  }

  accessClock(i: number): number {
    return this.clocks[i] & 0xffffff;
  }

  stringForm(i: number): number {
    return this.clocks[i] >>> 24;
  }

  setStringForm(i: number, form: number): void {
    this.clocks[i] = (this.clocks[i] & 0xffffff) | (form << 24);
  }

  /** A uniformly random position (the dict must not be empty). */
  randomIndex(): number {
    return Math.floor(Math.random() * this.keys.length);
  }

  /**
   * Removes the keys whose expire time is <= now, calling onExpired(position)
   * for each before it goes (the caller keeps its counters and removes it);
   * recomputes minExp exactly. Walks positions downwards, so the entry that a
   * removal moves into a freed position has already been looked at.
   */
  expireDue(now: number, remove: (i: number) => void): number {
    let expired = 0;
    let min = Infinity;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const exp = this.expireAt(i);
      if (exp === 0) continue;
      if (exp <= now) {
        remove(i);
        expired++;
      } else if (exp < min) {
        min = exp;
      }
    }
    this.minExp = min;
    return expired;
  }

  /** Table position that holds entry i (the key is present). */
  private bucketOf(key: string, i: number): number {
    const t = this.table!;
    if (this.lastBucket >= 0 && t[this.lastBucket] === i + 1) return this.lastBucket;
    return indexBucketOf(t, key, i);
  }

  /** Builds a fresh index at most half full for n keys (drops tombstones). */
  private rebuild(n: number): void {
    this.table = buildIndex(this.keys, n, MIN_TABLE);
    this.tombstones = 0;
    this.lastBucket = -1;
  }

  /** Resizes the expire times to `capacity` entries (callers keep it above the key count). */
  private resizeExps(capacity: number): void {
    const exps = new Float64Array(capacity);
    exps.set(this.exps!.subarray(0, Math.min(this.exps!.length, capacity)));
    this.exps = exps;
  }
}
