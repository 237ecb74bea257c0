/**
 * The open-addressing index shared by SlotDict (slot-dict.ts) and DenseDict
 * (dense-dict.ts): a power-of-two Int32Array of dense positions + 1 (0 empty,
 * -1 tombstone), probed linearly, over keys kept in dense arrays.
 */

/** Index entry of a deleted key (open addressing needs a marker to keep probe chains intact). */
export const TOMBSTONE = -1;

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

/** A fresh index at most half full for the n keys whose hashes hashAt(0 .. n-1) gives. */
export function buildIndex(n: number, hashAt: (i: number) => number, minSize: number): Int32Array<ArrayBuffer> {
  let cap = minSize;
  while (cap < n * 2) cap *= 2;
  const t = new Int32Array(cap);
  const mask = cap - 1;
  for (let i = 0; i < n; i++) {
    let b = hashAt(i) & mask;
    while (t[b] !== 0) b = (b + 1) & mask;
    t[b] = i + 1;
  }
  return t;
}

/** Index position that holds `key` among `keys` (its dense position is t[b] - 1), or -1 when it is absent. */
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

/** Index position that holds dense position i, whose key hashes to h. */
export function indexBucketOf(t: Int32Array, h: number, i: number): number {
  const mask = t.length - 1;
  let b = h & mask;
  while (t[b] !== i + 1) b = (b + 1) & mask;
  return b;
}

/** Puts dense position i (key hash h) into the index; returns true when it reused a tombstone. */
export function indexInsert(t: Int32Array, h: number, i: number): boolean {
  const mask = t.length - 1;
  let b = h & mask;
  while (t[b] > 0) b = (b + 1) & mask;
  const reused = t[b] === TOMBSTONE;
  t[b] = i + 1;
  return reused;
}
