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
 *
 * Layout: one array of entries, four elements each (key hash, key, value,
 * clock word), instead of one array per field. A lookup in a random slot is
 * mostly cache misses (the VM's nested page tables make each one dear): with
 * the fields of an entry side by side and the hash compared before a key
 * string is touched, a lookup among 100k random keys touches fewer cache
 * lines (docs/decisions.md, "Slot dictionary layout").
 */

import { buildIndex, hashKey, indexBucketOf, indexInsert, TOMBSTONE } from './hash-index.js';
import { lfu, lfuInit, lfuTouch } from './lfu.js';

const MIN_TABLE = 16;
/**
 * Up to this many keys a slot has no hash index: find() scans the entries'
 * hashes. An Int32Array costs ~150 bytes of V8 objects, and with 100k keys a
 * slot holds about 6 (measured: bench/memory.ts).
 */
const LINEAR_MAX = 8;
const MIN_CLOCKS = 4;
const LLONG_MAX = 9223372036854775807n;

/** Elements per entry, and each field's offset in it. */
const STRIDE = 4;
const HASH = 0;
const KEY = 1;
const VAL = 2;
const WORD = 3;

export class SlotDict<V> {
  /**
   * The entries, STRIDE elements each: the key's hash (hashKey), the key, the
   * value, and the clock word: 24 bits of access clock (or LFU state) and the
   * string form above them (value.ts StringForm), a small integer V8 keeps
   * unboxed.
   */
  private readonly e: (number | string | V)[] = [];
  /**
   * Hash index: a power-of-two table of positions + 1 (0 = empty, -1 =
   * tombstone), probed linearly. At most 3/4 full counting tombstones, so a
   * probe always reaches an empty entry.
   */
  private table: Int32Array | null = null;
  private tombstones = 0;
  /** Table position of the last key found by find(), so removeAt() need not probe again. */
  private lastBucket = -1;
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
    return this.e.length / STRIDE;
  }

  /** The key at position i. */
  key(i: number): string {
    return this.e[i * STRIDE + KEY] as string;
  }

  /** The value at position i. */
  val(i: number): V {
    return this.e[i * STRIDE + VAL] as V;
  }

  setVal(i: number, value: V): void {
    this.e[i * STRIDE + VAL] = value;
  }

  /** The keys, in position order (a copy). */
  keys(): string[] {
    const out = new Array<string>(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.key(i);
    return out;
  }

  /** Dense position of key, or -1. */
  find(key: string): number {
    const e = this.e;
    const h = hashKey(key);
    const t = this.table;
    if (t === null) {
      for (let p = 0; p < e.length; p += STRIDE) if (e[p + HASH] === h && e[p + KEY] === key) return p / STRIDE;
      return -1;
    }
    const mask = t.length - 1;
    let b = h & mask;
    for (;;) {
      const x = t[b];
      if (x === 0) return -1;
      if (x > 0) {
        const p = (x - 1) * STRIDE;
        if (e[p + HASH] === h && e[p + KEY] === key) {
          this.lastBucket = b;
          return x - 1;
        }
      }
      b = (b + 1) & mask;
    }
  }

  /** Adds a key that is not present (exp 0: no TTL); returns its position. */
  add(key: string, value: V, exp: number, clock: number): number {
    const i = this.size;
    const h = hashKey(key);
    this.e.push(h, key, value, lfu.on ? lfuInit() : clock);
    const t = this.table;
    if (t === null) {
      if (this.size > LINEAR_MAX) this.rebuild(this.size);
    } else if ((this.size + this.tombstones) * 4 > t.length * 3) {
      this.rebuild(this.size);
    } else if (indexInsert(t, h, i)) {
      this.tombstones--;
    }
    if (this.exps !== null) {
      if (i >= this.exps.length) this.resizeExps(this.exps.length * 2);
      this.exps[i] = 0;
    }
    if (exp !== 0) this.setExpire(i, exp);
    return i;
  }

  /** Removes the entry at position i, moving the last entry into its place. */
  removeAt(i: number): void {
    const e = this.e;
    const last = this.size - 1;
    if (this.expireAt(i) !== 0) this.setExpire(i, 0);
    const t = this.table;
    if (t !== null) {
      t[this.bucketOf(i)] = TOMBSTONE;
      this.tombstones++;
      if (i !== last) t[this.bucketOf(last)] = i + 1;
    }
    if (i !== last) {
      const to = i * STRIDE;
      const from = last * STRIDE;
      e[to + HASH] = e[from + HASH];
      e[to + KEY] = e[from + KEY];
      e[to + VAL] = e[from + VAL];
      e[to + WORD] = e[from + WORD];
      if (this.exps !== null) this.exps[i] = this.exps[last];
    }
    e.pop();
    e.pop();
    e.pop();
    e.pop();
    this.lastBucket = -1;
    // Give memory back when a slot shrinks a lot (FLUSH-like deletes, expiry).
    if (t !== null) {
      if (this.size <= LINEAR_MAX / 2) this.table = null;
      else if (this.size * 8 < t.length && t.length > MIN_TABLE) this.rebuild(this.size);
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
    if (exp > Number.MAX_SAFE_INTEGER && this.bigExps !== null) return this.bigExps.get(this.key(i)) ?? exp;
    return exp;
  }

  /** Sets (exp > 0) or removes (exp 0) the TTL of position i. */
  setExpire(i: number, exp: number | bigint): void {
    const key = this.key(i);
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
      while (cap <= this.size) cap *= 2;
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
    const w = i * STRIDE + WORD;
    const word = this.e[w] as number;
    if (lfu.on) clock = lfuTouch(word & 0xffffff);
    this.e[w] = (word & 0xff000000) | clock;
  }

  /** The whole clock word (access clock and string form), to move a key between shards unchanged. */
  rawClock(i: number): number {
    return this.e[i * STRIDE + WORD] as number;
  }

  setRawClock(i: number, word: number): void {
    this.e[i * STRIDE + WORD] = word;
  }

  accessClock(i: number): number {
    return this.rawClock(i) & 0xffffff;
  }

  stringForm(i: number): number {
    return this.rawClock(i) >>> 24;
  }

  setStringForm(i: number, form: number): void {
    this.e[i * STRIDE + WORD] = (this.rawClock(i) & 0xffffff) | (form << 24);
  }

  /** A uniformly random position (the dict must not be empty). */
  randomIndex(): number {
    return Math.floor(Math.random() * this.size);
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
    for (let i = this.size - 1; i >= 0; i--) {
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

  /** Table position that holds entry i. */
  private bucketOf(i: number): number {
    const t = this.table!;
    if (this.lastBucket >= 0 && t[this.lastBucket] === i + 1) return this.lastBucket;
    return indexBucketOf(t, this.e[i * STRIDE + HASH] as number, i);
  }

  /** Builds a fresh index at most half full for n keys (drops tombstones). */
  private rebuild(n: number): void {
    const e = this.e;
    this.table = buildIndex(n, (i) => e[i * STRIDE + HASH] as number, MIN_TABLE);
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
