/**
 * Single-producer single-consumer byte ring in a SharedArrayBuffer.
 *
 * Layout: 192 bytes of Int32 control words (head and tail on cache lines of
 * their own, so the producer's and the consumer's writes do not invalidate
 * each other's reads), then `capacity` bytes of records. How a parked
 * consumer is woken is not the ring's business: a shard's bell
 * (shard-bell.ts) for request rings, an acceptor's doorbell for reply rings.
 * A record starts on a 4-byte boundary with its own size (u32, including
 * itself, rounded up to 4). When a record does not fit before the end, the
 * producer writes a WRAP marker and starts again at 0. Head and tail are byte
 * offsets; head === tail means empty, and the producer never lets the tail
 * catch up with the head.
 *
 * The producer may write several records and publish them with one
 * Atomics.store of the tail; the consumer frees space with one store of the head.
 */
export const CONTROL_BYTES = 192;
/** Control word indexes (Int32), 64 bytes apart. */
export const HEAD = 0;
export const TAIL = 16;

const WRAP = 0xffffffff;

export function createRingBuffer(capacity: number): SharedArrayBuffer {
  if (capacity % 4 !== 0 || capacity < 1024) throw new Error(`ring capacity must be a multiple of 4 and >= 1024: ${capacity}`);
  return new SharedArrayBuffer(CONTROL_BYTES + capacity);
}

export class Ring {
  readonly control: Int32Array;
  /** Record area as bytes and as u32 words (records are 4-aligned). */
  readonly bytes: Buffer;
  readonly words: Uint32Array;
  readonly capacity: number;
  /** Largest record that goes through the ring; larger ones take the side channel. */
  readonly maxRecord: number;
  private tailLocal: number;
  private headLocal: number;
  private tailSeen = 0;
  /** The producer's last read of HEAD: free space is at least what it implies (the head only moves on). */
  private headSeen: number;

  constructor(readonly sab: SharedArrayBuffer) {
    this.control = new Int32Array(sab, 0, CONTROL_BYTES / 4);
    this.capacity = sab.byteLength - CONTROL_BYTES;
    this.bytes = Buffer.from(sab, CONTROL_BYTES, this.capacity);
    this.words = new Uint32Array(sab, CONTROL_BYTES, this.capacity / 4);
    this.maxRecord = Math.floor(this.capacity / 4) & ~3;
    this.tailLocal = Atomics.load(this.control, TAIL);
    this.headLocal = Atomics.load(this.control, HEAD);
    this.headSeen = this.headLocal;
  }

  // ---- producer side -------------------------------------------------------

  /**
   * Reserves `size` bytes (a multiple of 4, at most maxRecord) and returns the
   * byte offset to write the record at, or -1 when the ring is full. The record
   * becomes visible to the consumer only at publish().
   */
  reserve(size: number): number {
    const off = this.fit(size, this.headSeen);
    if (off >= 0) return off;
    this.headSeen = Atomics.load(this.control, HEAD);
    return this.fit(size, this.headSeen);
  }

  /** reserve() against head position h. */
  private fit(size: number, h: number): number {
    const t = this.tailLocal;
    if (t >= h) {
      if (t + size + 4 <= this.capacity) return t;
      if (size < h) {
        this.words[t >>> 2] = WRAP;
        this.tailLocal = 0;
        return 0;
      }
      return -1;
    }
    return t + size < h ? t : -1;
  }

  /** Marks the reserved record at `offset` of `size` bytes as written. */
  advance(offset: number, size: number): void {
    this.tailLocal = offset + size;
  }

  /** Makes every advanced record visible to the consumer. */
  publish(): void {
    Atomics.store(this.control, TAIL, this.tailLocal);
  }

  // ---- consumer side -------------------------------------------------------

  /** Offset of the next record, or -1 when the ring is empty. */
  next(): number {
    let h = this.headLocal;
    if (h === this.tailSeen) {
      this.tailSeen = Atomics.load(this.control, TAIL);
      if (h === this.tailSeen) return -1;
    }
    if (this.words[h >>> 2] === WRAP) {
      h = this.headLocal = 0;
      if (h === this.tailSeen) return -1;
    }
    return h;
  }

  /** Consumes the record at the head (whose size is in its first word). */
  consume(offset: number): void {
    this.headLocal = offset + this.words[offset >>> 2];
  }

  /** Returns the consumed space to the producer. */
  release(): void {
    Atomics.store(this.control, HEAD, this.headLocal);
  }

  isEmpty(): boolean {
    return this.headLocal === Atomics.load(this.control, TAIL);
  }
}

export function align4(n: number): number {
  return (n + 3) & ~3;
}
