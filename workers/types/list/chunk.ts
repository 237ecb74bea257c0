/**
 * One node of a list: its elements packed back to back in one byte buffer,
 * like Redis' listpack. Each entry is
 *
 *   [length, varint] [element bytes] [length, varint, bytes reversed]
 *
 * so it can be stepped over from either end: the leading length walks
 * forward, the trailing one (read from its last byte back) walks backward.
 * A 3-byte element costs 5 bytes; elements below 128 bytes carry 2 bytes of
 * framing. Free space is kept on both sides of the entries (start/end), so
 * pushing and popping at either end of the chunk moves no other entry.
 *
 * Elements are latin1 JS strings (one char per byte), written and read with
 * Buffer's latin1 codec.
 */

/** Bytes of the varint that holds `len` (7 bits per byte). */
export function varintSize(len: number): number {
  return len < 0x80 ? 1 : len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
}

/** Bytes an element of `len` bytes takes in a chunk, framing included. */
export function entrySize(len: number): number {
  return len + 2 * varintSize(len);
}

/** Smallest buffer a chunk gets: enough for a few short elements. */
const MIN_CAPACITY = 16;

export class Chunk {
  buf: Buffer;
  /** Offset of the first entry. */
  start: number;
  /** Offset just past the last entry. */
  end: number;
  count = 0;

  constructor(capacity: number, atEnd: boolean) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(MIN_CAPACITY, capacity));
    this.start = this.end = atEnd ? this.buf.length : 0;
  }

  /** Bytes used by entries. */
  get bytes(): number {
    return this.end - this.start;
  }

  /** A chunk holding the entries packed in a latin1 string (QuickList's small form), with room to grow. */
  static fromLatin1(packed: string, count: number): Chunk {
    const c = new Chunk(packed.length + 32, false);
    c.end = c.buf.latin1Write(packed, 0);
    c.count = count;
    return c;
  }

  /** The entries as one latin1 string. */
  toLatin1(): string {
    return this.buf.latin1Slice(this.start, this.end);
  }

  /** A chunk holding a copy of buf[from, to) with `count` entries. */
  static fromBytes(src: Uint8Array, from: number, to: number, count: number): Chunk {
    const c = new Chunk(to - from, false);
    c.buf.set(src.subarray(from, to), 0);
    c.end = to - from;
    c.count = count;
    return c;
  }

  /** Length of the entry whose header starts at p (the data starts varintSize(len) later). */
  lenAt(p: number): number {
    const buf = this.buf;
    let b = buf[p];
    let len = b & 0x7f;
    let shift = 7;
    while (b & 0x80) {
      b = buf[++p];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    return len;
  }

  /** Length of the entry that ends just before e (reading its trailer backward). */
  lenBefore(e: number): number {
    const buf = this.buf;
    let b = buf[--e];
    let len = b & 0x7f;
    let shift = 7;
    while (b & 0x80) {
      b = buf[--e];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    return len;
  }

  /** Offset of the entry after the one starting at p. */
  next(p: number): number {
    return p + entrySize(this.lenAt(p));
  }

  /** Offset of the entry before the one starting at p (p may be this.end). */
  prev(p: number): number {
    return p - entrySize(this.lenBefore(p));
  }

  /** The element of the entry starting at p. */
  elementAt(p: number): string {
    const len = this.lenAt(p);
    const data = p + varintSize(len);
    return this.buf.latin1Slice(data, data + len);
  }

  /** Whether the entry starting at p holds exactly `s`. */
  equalsAt(p: number, s: string): boolean {
    const len = this.lenAt(p);
    if (len !== s.length) return false;
    const buf = this.buf;
    let q = p + varintSize(len);
    for (let i = 0; i < len; i++, q++) if (buf[q] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** Writes the entry for `s` at p; returns the offset past it. */
  private write(p: number, s: string): number {
    const buf = this.buf;
    const len = s.length;
    const n = varintSize(len);
    let v = len;
    for (let i = 0; i < n; i++) {
      const b = (v & 0x7f) | (i < n - 1 ? 0x80 : 0);
      buf[p + i] = b;
      // The trailer holds the same bytes in reverse order.
      buf[p + n + len + n - 1 - i] = b;
      v = Math.floor(v / 128);
    }
    buf.latin1Write(s, p + n, len);
    return p + 2 * n + len;
  }

  /**
   * Makes `need` free bytes at the front (front) or back of the entries,
   * moving them within the buffer when there is room, else growing it (not
   * past `limit`, the most bytes the chunk may hold, unless one entry needs it).
   */
  private reserve(need: number, front: boolean, limit: number): void {
    const used = this.end - this.start;
    const cap = this.buf.length;
    if (front ? this.start >= need : cap - this.end >= need) return;
    const free = cap - used;
    let target: Buffer = this.buf;
    if (free < need) {
      // Grow by half at least, so a run of pushes copies each byte O(1) times.
      target = Buffer.allocUnsafeSlow(Math.max(used + need, Math.min(cap + (cap >> 1), limit), MIN_CAPACITY));
    }
    // Most of the spare room goes on the side being pushed; a quarter on the other side.
    const spare = target.length - used - need;
    const newStart = front ? need + spare - (spare >> 2) : spare >> 2;
    if (target === this.buf) this.buf.copyWithin(newStart, this.start, this.end);
    else this.buf.copy(target, newStart, this.start, this.end);
    this.buf = target;
    this.start = newStart;
    this.end = newStart + used;
  }

  pushHead(s: string, limit: number): void {
    const size = entrySize(s.length);
    this.reserve(size, true, limit);
    this.start -= size;
    this.write(this.start, s);
    this.count++;
  }

  pushTail(s: string, limit: number): void {
    this.reserve(entrySize(s.length), false, limit);
    this.end = this.write(this.end, s);
    this.count++;
  }

  popHead(): string {
    const s = this.elementAt(this.start);
    this.start += entrySize(s.length);
    this.count--;
    return s;
  }

  popTail(): string {
    const p = this.prev(this.end);
    const s = this.elementAt(p);
    this.end = p;
    this.count--;
    return s;
  }

  /** Replaces the entry at p with s, of the same length. */
  overwrite(p: number, s: string): void {
    this.write(p, s);
  }

  /** Inserts `s` as an entry starting at p (an entry boundary); the entries from p move right. */
  insertAt(p: number, s: string, limit: number): void {
    if (p === this.start) return this.pushHead(s, limit);
    if (p === this.end) return this.pushTail(s, limit);
    const size = entrySize(s.length);
    const offset = p - this.start;
    this.reserve(size, false, limit);
    p = this.start + offset;
    this.buf.copyWithin(p + size, p, this.end);
    this.end += size;
    this.write(p, s);
    this.count++;
  }

  /** Appends every entry of `other` after this chunk's entries. */
  append(other: Chunk): void {
    const n = other.bytes;
    this.reserve(n, false, this.bytes + n);
    other.buf.copy(this.buf, this.end, other.start, other.end);
    this.end += n;
    this.count += other.count;
  }

  /** Removes the bytes [from, to) holding `n` entries, moving the shorter side. */
  removeRange(from: number, to: number, n: number): void {
    if (from - this.start <= this.end - to) {
      this.buf.copyWithin(this.start + (to - from), this.start, from);
      this.start += to - from;
    } else {
      this.buf.copyWithin(from, to, this.end);
      this.end -= to - from;
    }
    this.count -= n;
    this.shrinkIfSparse();
  }

  /** Gives memory back when a chunk holds less than a quarter of its buffer. */
  shrinkIfSparse(): void {
    const used = this.end - this.start;
    if (this.buf.length > 64 && used * 4 < this.buf.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(MIN_CAPACITY, used * 2));
      const newStart = (next.length - used) >> 1;
      this.buf.copy(next, newStart, this.start, this.end);
      this.buf = next;
      this.start = newStart;
      this.end = newStart + used;
    }
  }

  /** A deep copy. */
  duplicate(): Chunk {
    return Chunk.fromBytes(this.buf, this.start, this.end, this.count);
  }
}
