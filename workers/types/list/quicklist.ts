/**
 * A list value: Redis 7.0's quicklist, a deque of chunks (chunk.ts) that
 * each pack many elements into one byte buffer. Pushing and popping at
 * either end touch only the end chunk (O(1)); an index is reached by
 * skipping whole chunks by their counts from the nearer end, then entries
 * inside one chunk (O(chunks + chunk size)).
 *
 * A small list (one chunk of at most SMALL_BYTES) rests as a single latin1
 * string in the same entry format: a Buffer and its objects cost some 400
 * bytes, a string 16. Each public method opens it into a chunk and packs it
 * again when done (O(size), and size is small).
 *
 * How full a chunk may get is list-max-listpack-size (`fill`), read when the
 * list is created as Redis does: negative values are byte size classes
 * (-1: 4 KB ... -5: 64 KB), positive ones a number of entries (with an 8 KB
 * safety limit). list-compress-depth is accepted by CONFIG but ignored: the
 * chunks are never compressed (it changes no reply).
 */
import { registerReviver, type CollectionValue, type TransferredCollection } from '../../shard/value.js';
import { Chunk, entrySize } from './chunk.js';

const SIZE_CLASSES = [4096, 8192, 16384, 32768, 65536];
/** Redis' SIZE_SAFETY_LIMIT: a count-limited chunk still stops at 8 KB. */
const SAFETY_LIMIT = 8192;
/** Largest list kept packed in a string between commands. */
const SMALL_BYTES = 512;
/** The chunk array of a packed list (never modified: open() replaces it). */
const NO_CHUNKS: Chunk[] = [];

/** A position: chunk index and the byte offset of an entry in it. */
interface Position {
  ci: number;
  p: number;
}

interface TransferredList {
  fill: number;
  packed: string | null;
  chunks: Uint8Array[];
  counts: number[];
}

export class QuickList implements CollectionValue {
  chunks: Chunk[] = NO_CHUNKS;
  /** The entries of a small list between commands (then chunks is empty), else null. */
  private packed: string | null = null;
  length = 0;

  constructor(readonly fill: number) {}

  get type(): 'list' {
    return 'list';
  }

  encoding(): string {
    return 'quicklist';
  }

  /** Most bytes one chunk may hold. */
  private get maxBytes(): number {
    return this.fill < 0 ? SIZE_CLASSES[Math.min(-this.fill, SIZE_CLASSES.length) - 1] : SAFETY_LIMIT;
  }

  /** Whether chunk c may take one more entry of `size` bytes (Redis' _quicklistNodeAllowInsert). */
  private allowInsert(c: Chunk, size: number): boolean {
    if (c.count === 0) return true;
    const after = c.bytes + size;
    if (this.fill < 0) return after <= this.maxBytes;
    return after <= SAFETY_LIMIT && c.count < this.fill;
  }

  /** A new chunk's buffer: small for a short list, roomier once the list spans chunks. */
  private newChunk(size: number, atEnd: boolean): Chunk {
    return new Chunk(this.chunks.length === 0 ? size : Math.max(size, 256), atEnd);
  }

  /** Unpacks a small list into a chunk before working on it. */
  private open(): void {
    if (this.packed === null) return;
    this.chunks = [Chunk.fromLatin1(this.packed, this.length)];
    this.packed = null;
  }

  /** Packs a small list back into a string. */
  private settle(): void {
    if (this.chunks.length === 1 && this.chunks[0].bytes <= SMALL_BYTES) {
      this.packed = this.chunks[0].toLatin1();
      this.chunks = NO_CHUNKS;
    } else if (this.chunks.length === 0) {
      this.chunks = NO_CHUNKS;
    }
  }

  // -------------------------------------------------------------------------
  // Public operations: each opens a packed list and settles it again.
  // -------------------------------------------------------------------------

  /** Pushes elements one by one at the head (each becomes the new first) or the tail. */
  push(elements: readonly string[], from: number, atHead: boolean): void {
    this.open();
    for (let j = from; j < elements.length; j++) {
      if (atHead) this.addHead(elements[j]);
      else this.addTail(elements[j]);
    }
    this.settle();
  }

  pushHead(s: string): void {
    this.push([s], 0, true);
  }

  pushTail(s: string): void {
    this.push([s], 0, false);
  }

  popHead(): string {
    this.open();
    const c = this.chunks[0];
    const s = c.popHead();
    if (c.count === 0) this.chunks.shift();
    this.length--;
    this.settle();
    return s;
  }

  popTail(): string {
    this.open();
    const c = this.chunks[this.chunks.length - 1];
    const s = c.popTail();
    if (c.count === 0) this.chunks.pop();
    this.length--;
    this.settle();
    return s;
  }

  /** The element at index (0 <= index < length). */
  get(index: number): string {
    this.open();
    const { ci, p } = this.locate(index);
    const s = this.chunks[ci].elementAt(p);
    this.settle();
    return s;
  }

  /** Replaces the element at index (0 <= index < length). */
  set(index: number, s: string): void {
    this.open();
    const { ci, p } = this.locate(index);
    const c = this.chunks[ci];
    if (c.lenAt(p) === s.length) c.overwrite(p, s);
    else {
      this.removeAt(ci, p);
      this.insertAtIndex(index, s);
    }
    this.settle();
  }

  /** Inserts s so that it becomes element `index` (0 <= index <= length). */
  insertIndex(index: number, s: string): void {
    this.open();
    this.insertAtIndex(index, s);
    this.settle();
  }

  /** LINSERT: inserts s before or after the first element equal to pivot; false when there is none. */
  insertAround(pivot: string, s: string, after: boolean): boolean {
    this.open();
    const pos = this.find(pivot);
    if (pos !== null) this.insertAt(pos.ci, after ? this.chunks[pos.ci].next(pos.p) : pos.p, s);
    this.settle();
    return pos !== null;
  }

  /** Removes n elements from index start on (0 <= start, start + n <= length). */
  removeRange(start: number, n: number): void {
    if (n <= 0) return;
    this.open();
    this.length -= n;
    const chunks = this.chunks;
    let ci = 0;
    while (start >= chunks[ci].count) start -= chunks[ci++].count;
    let firstDropped = -1;
    let dropped = 0;
    while (n > 0) {
      const c = chunks[ci];
      const k = Math.min(n, c.count - start);
      if (start === 0 && k === c.count) {
        if (firstDropped < 0) firstDropped = ci;
        dropped++;
      } else {
        let from = c.start;
        for (let j = 0; j < start; j++) from = c.next(from);
        let to = from;
        if (start + k === c.count) to = c.end;
        else for (let j = 0; j < k; j++) to = c.next(to);
        c.removeRange(from, to, k);
      }
      n -= k;
      start = 0;
      ci++;
    }
    if (dropped > 0) chunks.splice(firstDropped, dropped);
    this.mergeNeighbours();
    this.settle();
  }

  /**
   * Calls visit(chunk, offset) for each element from index `from` on, towards
   * the tail (or the head when reverse), until it returns false. The chunk
   * may only be read.
   */
  scan(from: number, reverse: boolean, visit: (c: Chunk, p: number) => boolean): void {
    if (from < 0 || from >= this.length) return;
    this.open();
    const chunks = this.chunks;
    let { ci, p } = this.locate(from);
    if (!reverse) {
      outer: for (; ci < chunks.length; ci++) {
        const c = chunks[ci];
        if (p < 0) p = c.start;
        for (; p < c.end; p = c.next(p)) if (!visit(c, p)) break outer;
        p = -1;
      }
    } else {
      outer: for (; ci >= 0; ci--) {
        const c = chunks[ci];
        if (p < 0) p = c.prev(c.end);
        for (;;) {
          if (!visit(c, p)) break outer;
          if (p === c.start) break;
          p = c.prev(p);
        }
        p = -1;
      }
    }
    this.settle();
  }

  /** Calls emit with `count` elements from index `from` on (count <= elements available). */
  range(from: number, count: number, reverse: boolean, emit: (s: string) => void): void {
    if (count <= 0) return;
    this.scan(from, reverse, (c, p) => {
      emit(c.elementAt(p));
      return --count > 0;
    });
  }

  /**
   * LREM: removes elements equal to s — the first `limit` from the head
   * (limit > 0), the last -limit from the tail (limit < 0), or all (0).
   * Returns how many were removed.
   */
  removeMatches(s: string, limit: number): number {
    this.open();
    let skip = 0;
    let budget = limit === 0 ? Infinity : Math.abs(limit);
    if (limit < 0) {
      // From the tail: count the matches, then remove those after the first (total - budget).
      let total = 0;
      for (const c of this.chunks) for (let p = c.start; p < c.end; p = c.next(p)) if (c.equalsAt(p, s)) total++;
      skip = Math.max(0, total - budget);
      budget = total - skip;
    }
    let removed = 0;
    for (let ci = 0; ci < this.chunks.length && budget > 0; ) {
      const c = this.chunks[ci];
      let p = c.start;
      while (p < c.end && budget > 0) {
        const next = c.next(p);
        if (!c.equalsAt(p, s)) p = next;
        else if (skip > 0) {
          skip--;
          p = next;
        } else {
          const offset = p - c.start;
          c.removeRange(p, next, 1);
          // removeRange may shift entries or reallocate: resume at the same distance from start.
          p = c.start + offset;
          removed++;
          budget--;
        }
      }
      if (c.count === 0) this.chunks.splice(ci, 1);
      else ci++;
    }
    this.length -= removed;
    if (removed > 0) this.mergeNeighbours();
    this.settle();
    return removed;
  }

  /** Every element, head to tail (tests and transfers). */
  toArray(): string[] {
    const out: string[] = [];
    this.range(0, this.length, false, (s) => out.push(s));
    return out;
  }

  duplicate(): QuickList {
    const copy = new QuickList(this.fill);
    copy.packed = this.packed; // strings are immutable: sharing is a copy
    copy.chunks = this.chunks.length === 0 ? NO_CHUNKS : this.chunks.map((c) => c.duplicate());
    copy.length = this.length;
    return copy;
  }

  toTransfer(): TransferredCollection {
    const data: TransferredList = {
      fill: this.fill,
      packed: this.packed,
      // Copies (Buffer#slice would be a view sharing the chunk's memory).
      chunks: this.chunks.map((c) => new Uint8Array(c.buf.subarray(c.start, c.end))),
      counts: this.chunks.map((c) => c.count),
    };
    return { type: 'list', encoding: 'quicklist', data };
  }

  static revive(t: TransferredCollection): QuickList {
    const data = t.data as TransferredList;
    const list = new QuickList(data.fill);
    if (data.packed !== null) {
      list.packed = data.packed;
      let n = 0;
      const c = Chunk.fromLatin1(data.packed, 0);
      for (let p = c.start; p < c.end; p = c.next(p)) n++;
      list.length = n;
      return list;
    }
    list.chunks = data.chunks.map((bytes, i) => Chunk.fromBytes(bytes, 0, bytes.length, data.counts[i]));
    list.length = data.counts.reduce((a, b) => a + b, 0);
    return list;
  }

  // -------------------------------------------------------------------------
  // Inside an open list
  // -------------------------------------------------------------------------

  private addHead(s: string): void {
    const size = entrySize(s.length);
    let head = this.chunks[0];
    if (head === undefined || !this.allowInsert(head, size)) {
      head = this.newChunk(size, true);
      if (this.chunks === NO_CHUNKS) this.chunks = [];
      this.chunks.unshift(head);
    }
    head.pushHead(s, this.maxBytes);
    this.length++;
  }

  private addTail(s: string): void {
    const size = entrySize(s.length);
    let tail = this.chunks[this.chunks.length - 1];
    if (tail === undefined || !this.allowInsert(tail, size)) {
      tail = this.newChunk(size, false);
      if (this.chunks === NO_CHUNKS) this.chunks = [];
      this.chunks.push(tail);
    }
    tail.pushTail(s, this.maxBytes);
    this.length++;
  }

  /** The position of element `index` (0 <= index < length), walking from the nearer end. */
  private locate(index: number): Position {
    const chunks = this.chunks;
    let ci: number;
    let local: number;
    if (index < this.length / 2) {
      ci = 0;
      while (index >= chunks[ci].count) index -= chunks[ci++].count;
      local = index;
    } else {
      let fromEnd = this.length - 1 - index;
      ci = chunks.length - 1;
      while (fromEnd >= chunks[ci].count) fromEnd -= chunks[ci--].count;
      local = chunks[ci].count - 1 - fromEnd;
    }
    const c = chunks[ci];
    let p: number;
    if (local < c.count / 2) {
      p = c.start;
      for (let k = 0; k < local; k++) p = c.next(p);
    } else {
      p = c.end;
      for (let k = c.count; k > local; k--) p = c.prev(p);
    }
    return { ci, p };
  }

  private insertAtIndex(index: number, s: string): void {
    if (index === 0) return this.addHead(s);
    if (index === this.length) return this.addTail(s);
    const { ci, p } = this.locate(index);
    this.insertAt(ci, p, s);
  }

  /** Position of the first element equal to s from the head, or null. */
  private find(s: string): Position | null {
    const chunks = this.chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const c = chunks[ci];
      for (let p = c.start; p < c.end; p = c.next(p)) if (c.equalsAt(p, s)) return { ci, p };
    }
    return null;
  }

  /**
   * Inserts s before the entry at position (ci, p), or at the chunk's end
   * when p is its end offset. A full chunk hands the element to a neighbour
   * when it goes at an edge, or splits in two (Redis' _quicklistInsert).
   */
  private insertAt(ci: number, p: number, s: string): void {
    const chunks = this.chunks;
    const c = chunks[ci];
    const size = entrySize(s.length);
    const limit = this.maxBytes;
    this.length++;
    if (this.allowInsert(c, size)) return c.insertAt(p, s, limit);
    if (p === c.start) {
      const prev = chunks[ci - 1];
      if (prev !== undefined && this.allowInsert(prev, size)) return prev.pushTail(s, limit);
      const fresh = this.newChunk(size, false);
      fresh.pushTail(s, limit);
      chunks.splice(ci, 0, fresh);
      return;
    }
    if (p === c.end) {
      const next = chunks[ci + 1];
      if (next !== undefined && this.allowInsert(next, size)) return next.pushHead(s, limit);
      const fresh = this.newChunk(size, false);
      fresh.pushTail(s, limit);
      chunks.splice(ci + 1, 0, fresh);
      return;
    }
    // Split at p: c keeps the entries before p, `right` takes the rest.
    let rightCount = 0;
    for (let q = p; q < c.end; q = c.next(q)) rightCount++;
    const right = Chunk.fromBytes(c.buf, p, c.end, rightCount);
    c.end = p;
    c.count -= rightCount;
    c.shrinkIfSparse();
    chunks.splice(ci + 1, 0, right);
    if (this.allowInsert(c, size)) c.pushTail(s, limit);
    else if (this.allowInsert(right, size)) right.pushHead(s, limit);
    else {
      const fresh = this.newChunk(size, false);
      fresh.pushTail(s, limit);
      chunks.splice(ci + 1, 0, fresh);
    }
  }

  /**
   * After removals in the middle: joins neighbouring chunks that fit in one
   * (as Redis merges quicklist nodes), so a thinned list does not keep
   * paying a buffer per few elements.
   */
  private mergeNeighbours(): void {
    const chunks = this.chunks;
    for (let i = 0; i + 1 < chunks.length; ) {
      const a = chunks[i];
      const b = chunks[i + 1];
      const fits = this.fill < 0 ? a.bytes + b.bytes <= this.maxBytes : a.bytes + b.bytes <= SAFETY_LIMIT && a.count + b.count <= this.fill;
      if (fits) {
        a.append(b);
        chunks.splice(i + 1, 1);
      } else {
        i++;
      }
    }
  }

  /** Removes the entry at (ci, p). */
  private removeAt(ci: number, p: number): void {
    const c = this.chunks[ci];
    c.removeRange(p, c.next(p), 1);
    if (c.count === 0) this.chunks.splice(ci, 1);
    this.length--;
  }
}

registerReviver('list', QuickList.revive);
