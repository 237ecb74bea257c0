/**
 * Redis' intset: a sorted array of distinct 64-bit integers, every entry
 * stored with the width the widest one needs (2, 4 or 8 bytes), upgraded when
 * a wider value arrives. Here the array is ONE latin1 string (one char per
 * byte, big-endian two's complement), so a small set costs a string header
 * plus its bytes. Lookups are binary searches over the string; changes
 * rebuild it through a scratch buffer (Redis reallocs and memmoves likewise).
 *
 * Values are numbers when they are safe integers and bigints beyond 2^53,
 * as parseInteger() returns them, so int64 values stay exact.
 */

export type IntValue = number | bigint;

const TWO32 = 4294967296;
/** |hi| below this keeps hi * 2^32 + lo within Number.MAX_SAFE_INTEGER. */
const SAFE_HI = 2097152;

/** Shared scratch space for rebuilding the packed strings. */
let scratch = Buffer.allocUnsafe(4096);

function scratchFor(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
  return scratch;
}

/** Bytes per entry a value needs (Redis' _intsetValueEncoding). */
export function widthOf(v: IntValue): 2 | 4 | 8 {
  if (typeof v === 'bigint') return 8;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** The high (signed) and low (unsigned) 32-bit halves of a 64-bit value. */
function halves(v: IntValue): [number, number] {
  if (typeof v === 'bigint') return [Number(BigInt.asIntN(32, v >> 32n)), Number(BigInt.asUintN(32, v))];
  const hi = Math.floor(v / TWO32);
  return [hi, v - hi * TWO32];
}

function writeEntry(buf: Buffer, off: number, width: number, v: IntValue): void {
  if (width === 2) buf.writeInt16BE(v as number, off);
  else if (width === 4) buf.writeInt32BE(v as number, off);
  else {
    const [hi, lo] = halves(v);
    buf.writeInt32BE(hi, off);
    buf.writeUInt32BE(lo, off + 4);
  }
}

export class IntSet {
  constructor(
    /** 2, 4 or 8 bytes per entry. */
    public width: number = 2,
    /** The entries, ascending, `width` latin1 chars each. */
    public data: string = '',
  ) {}

  get size(): number {
    return this.data.length / this.width;
  }

  /** The entry at position i. */
  get(i: number): IntValue {
    const s = this.data;
    const p = i * this.width;
    if (this.width === 2) return ((s.charCodeAt(p) << 24) | (s.charCodeAt(p + 1) << 16)) >> 16;
    const hi = (s.charCodeAt(p) << 24) | (s.charCodeAt(p + 1) << 16) | (s.charCodeAt(p + 2) << 8) | s.charCodeAt(p + 3);
    if (this.width === 4) return hi;
    const lo = ((s.charCodeAt(p + 4) << 24) | (s.charCodeAt(p + 5) << 16) | (s.charCodeAt(p + 6) << 8) | s.charCodeAt(p + 7)) >>> 0;
    if (hi >= -SAFE_HI && hi < SAFE_HI) return hi * TWO32 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** The entry at position i as Redis prints it (ll2string). */
  text(i: number): string {
    return String(this.get(i));
  }

  /**
   * Binary search: the position of v, or -(insertion point) - 1 when absent.
   * Values wider than the current width are never present.
   */
  search(v: IntValue): number {
    const n = this.size;
    if (widthOf(v) > this.width) return typeof v === 'bigint' ? (v < 0n ? -1 : -n - 1) : v < 0 ? -1 : -n - 1;
    let lo = 0;
    let hi = n - 1;
    if (this.width === 8) {
      const [th, tl] = halves(v);
      const s = this.data;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = mid * 8;
        const eh = (s.charCodeAt(p) << 24) | (s.charCodeAt(p + 1) << 16) | (s.charCodeAt(p + 2) << 8) | s.charCodeAt(p + 3);
        let cmp = eh - th;
        if (cmp === 0) {
          const el = ((s.charCodeAt(p + 4) << 24) | (s.charCodeAt(p + 5) << 16) | (s.charCodeAt(p + 6) << 8) | s.charCodeAt(p + 7)) >>> 0;
          cmp = el - tl;
        }
        if (cmp === 0) return mid;
        if (cmp < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return -lo - 1;
    }
    const t = v as number;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.get(mid) as number;
      if (e === t) return mid;
      if (e < t) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  has(v: IntValue): boolean {
    return this.search(v) >= 0;
  }

  /** Adds v; false when it was already there. A wider value upgrades every entry (intsetUpgradeAndAdd). */
  add(v: IntValue): boolean {
    const need = widthOf(v);
    if (need > this.width) {
      this.upgradeAndAdd(v, need);
      return true;
    }
    const at = this.search(v);
    if (at >= 0) return false;
    const pos = -at - 1;
    const w = this.width;
    const len = this.data.length;
    const buf = scratchFor(len + w);
    buf.latin1Write(this.data, 0);
    buf.copyWithin((pos + 1) * w, pos * w, len);
    writeEntry(buf, pos * w, w, v);
    this.data = buf.latin1Slice(0, len + w);
    return true;
  }

  /** Removes v; false when it was not there. The width never shrinks (as in Redis). */
  remove(v: IntValue): boolean {
    const at = this.search(v);
    if (at < 0) return false;
    this.removeAt(at);
    return true;
  }

  removeAt(pos: number): void {
    const w = this.width;
    const len = this.data.length;
    const buf = scratchFor(len);
    buf.latin1Write(this.data, 0);
    buf.copyWithin(pos * w, (pos + 1) * w, len);
    this.data = buf.latin1Slice(0, len - w);
  }

  /** A value wider than all entries is smaller or larger than every one of them: it goes first or last. */
  private upgradeAndAdd(v: IntValue, width: number): void {
    const n = this.size;
    const buf = scratchFor((n + 1) * width);
    const first = typeof v === 'bigint' ? v < 0n : v < 0;
    const shift = first ? 1 : 0;
    for (let i = 0; i < n; i++) writeEntry(buf, (i + shift) * width, width, this.get(i));
    writeEntry(buf, first ? 0 : n * width, width, v);
    this.width = width;
    this.data = buf.latin1Slice(0, (n + 1) * width);
  }

  /** A uniformly random position (the set must not be empty). */
  randomIndex(): number {
    return Math.floor(Math.random() * this.size);
  }

  duplicate(): IntSet {
    return new IntSet(this.width, this.data);
  }
}
