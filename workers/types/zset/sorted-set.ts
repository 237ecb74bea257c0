/**
 * A sorted set value in one of Redis' two encodings:
 * - "listpack": all entries packed in one string (packed.ts), while it has at
 *   most zset-max-listpack-entries members of at most zset-max-listpack-value
 *   bytes;
 * - "skiplist": a member → score DenseDict plus a counted B+tree for order
 *   (order-tree.ts), O(1) score lookup and O(log n) rank and range queries.
 * Conversions happen where Redis' t_zset.c converts (zsetAdd, the store
 * commands); a set never goes back to listpack by shrinking, as in Redis.
 */
import type { ShardConfig } from '../../../src/config/shard-config.js';
import { DenseDict } from '../../shard/dense-dict.js';
import { registerReviver, type CollectionValue, type TransferredCollection } from '../../shard/value.js';
import { cmpLex, lexGteMin, lexLteMax, lexRangeEmpty, type LexRange } from './number.js';
import { OrderTree } from './order-tree.js';
import { findPacked, forEachPacked, pack, unpack, type Entries } from './packed.js';

export type ZsetLimits = Pick<ShardConfig, 'zsetMaxListpackEntries' | 'zsetMaxListpackValue'>;

export class SortedSet implements CollectionValue {
  /** On the prototype, not a field: one word less per sorted set. */
  get type(): 'zset' {
    return 'zset';
  }
  /** Listpack form: the packed entries; null in skiplist form. */
  packed: string | null = '';
  /** Number of entries in listpack form. */
  private packedCount = 0;
  dict: DenseDict<number> | null = null;
  tree: OrderTree | null = null;

  /** An empty sorted set, listpack unless the limits say skiplist from the start. */
  static create(skiplist: boolean): SortedSet {
    const z = new SortedSet();
    if (skiplist) z.toSkiplist();
    return z;
  }

  /** From entries already sorted and distinct, in the encoding Redis would pick for a store result. */
  static fromSorted(e: Entries, skiplist: boolean): SortedSet {
    const z = new SortedSet();
    if (skiplist) {
      z.packed = null;
      z.dict = new DenseDict<number>();
      z.tree = new OrderTree();
      for (let i = 0; i < e.members.length; i++) {
        z.dict.add(e.members[i], e.scores[i]);
        z.tree.insert(e.scores[i], e.members[i]);
      }
    } else {
      z.packed = pack(e.members, e.scores);
      z.packedCount = e.members.length;
    }
    return z;
  }

  get size(): number {
    return this.packed !== null ? this.packedCount : this.dict!.size;
  }

  encoding(): string {
    return this.packed !== null ? 'listpack' : 'skiplist';
  }

  isListpack(): boolean {
    return this.packed !== null;
  }

  duplicate(): SortedSet {
    if (this.packed !== null) {
      const z = new SortedSet();
      z.packed = this.packed;
      z.packedCount = this.packedCount;
      return z;
    }
    return SortedSet.fromSorted(this.slice(0, this.size - 1), true);
  }

  toTransfer(): TransferredCollection {
    if (this.packed !== null) return { type: 'zset', encoding: 'listpack', data: { packed: this.packed, count: this.packedCount } };
    const e = this.slice(0, this.size - 1);
    return { type: 'zset', encoding: 'skiplist', data: { members: e.members, scores: Float64Array.from(e.scores) } };
  }

  static revive(t: TransferredCollection): SortedSet {
    if (t.encoding === 'listpack') {
      const d = t.data as { packed: string; count: number };
      const z = new SortedSet();
      z.packed = d.packed;
      z.packedCount = d.count;
      return z;
    }
    const d = t.data as { members: string[]; scores: Float64Array };
    return SortedSet.fromSorted({ members: d.members, scores: Array.from(d.scores) }, true);
  }

  /** Converts to the skiplist encoding (zsetConvert). */
  toSkiplist(): void {
    if (this.packed === null) return;
    const e = unpack(this.packed);
    this.packed = null;
    this.packedCount = 0;
    this.dict = new DenseDict<number>();
    this.tree = new OrderTree();
    for (let i = 0; i < e.members.length; i++) {
      // A copy: a slice of the packed string would keep the whole of it alive.
      const member = Buffer.from(e.members[i], 'latin1').latin1Slice();
      this.dict.add(member, e.scores[i]);
      this.tree.insert(e.scores[i], member);
    }
  }

  /** Converts to listpack (zsetConvertToListpackIfNeeded's conversion). */
  toListpack(): void {
    if (this.packed !== null) return;
    const e = this.slice(0, this.size - 1);
    this.dict = null;
    this.tree = null;
    this.packed = pack(e.members, e.scores);
    this.packedCount = e.members.length;
  }

  score(member: string): number | undefined {
    if (this.packed !== null) {
      const f = findPacked(this.packed, member);
      return f.index < 0 ? undefined : f.score;
    }
    return this.dict!.get(member);
  }

  /**
   * Adds a member known to be absent, converting to skiplist first when the
   * listpack would pass its limits (zsetAdd).
   */
  insert(member: string, score: number, limits: ZsetLimits): void {
    if (this.packed !== null && (this.packedCount + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)) {
      this.toSkiplist();
    }
    if (this.packed !== null) {
      const e = unpack(this.packed);
      let i = 0;
      while (i < e.scores.length && (e.scores[i] < score || (e.scores[i] === score && e.members[i] < member))) i++;
      e.members.splice(i, 0, member);
      e.scores.splice(i, 0, score);
      this.packed = pack(e.members, e.scores);
      this.packedCount++;
      return;
    }
    this.dict!.add(member, score);
    this.tree!.insert(score, member);
  }

  /** Changes the score of a present member. */
  update(member: string, oldScore: number, score: number): void {
    if (this.packed !== null) {
      const e = unpack(this.packed);
      const i = e.members.indexOf(member);
      e.members.splice(i, 1);
      e.scores.splice(i, 1);
      let j = 0;
      while (j < e.scores.length && (e.scores[j] < score || (e.scores[j] === score && e.members[j] < member))) j++;
      e.members.splice(j, 0, member);
      e.scores.splice(j, 0, score);
      this.packed = pack(e.members, e.scores);
      return;
    }
    this.tree!.delete(oldScore, member);
    this.tree!.insert(score, member);
    this.dict!.set(member, score);
  }

  /** Removes a member; returns whether it was there. */
  remove(member: string): boolean {
    if (this.packed !== null) {
      const f = findPacked(this.packed, member);
      if (f.index < 0) return false;
      const e = unpack(this.packed);
      e.members.splice(f.index, 1);
      e.scores.splice(f.index, 1);
      this.packed = pack(e.members, e.scores);
      this.packedCount--;
      return true;
    }
    const i = this.dict!.find(member);
    if (i < 0) return false;
    const score = this.dict!.vals[i];
    this.dict!.removeAt(i);
    this.tree!.delete(score, member);
    return true;
  }

  /** 0-based ascending rank of a member, -1 when absent. */
  rank(member: string): number {
    if (this.packed !== null) return findPacked(this.packed, member).index;
    const score = this.dict!.get(member);
    return score === undefined ? -1 : this.tree!.rank(score, member);
  }

  /** Number of members with score below `bound` (inclusive: at or below). */
  countScoreBelow(bound: number, inclusive: boolean): number {
    if (this.packed !== null) {
      let n = 0;
      forEachPacked(this.packed, (_m, s) => {
        if (inclusive ? s > bound : s >= bound) return false;
        n++;
      });
      return n;
    }
    return this.tree!.countBefore(inclusive ? (s) => s <= bound : (s) => s < bound);
  }

  /**
   * Ascending ranks [first, last] of the members in a lex range, or null.
   * Listpack: Redis' scans (zzlFirstInLexRange, then forward while <= max);
   * skiplist: binary search, which agrees when the scores are equal (the
   * only case where lex ranges are defined).
   */
  lexSpan(r: LexRange): [number, number] | null {
    if (lexRangeEmpty(r) || this.size === 0) return null;
    if (this.packed !== null) {
      const e = unpack(this.packed);
      const n = e.members.length;
      if (!lexGteMin(e.members[n - 1], r) || !lexLteMax(e.members[0], r)) return null;
      let first = 0;
      while (first < n && !lexGteMin(e.members[first], r)) first++;
      if (first === n || !lexLteMax(e.members[first], r)) return null;
      let last = first;
      while (last + 1 < n && lexLteMax(e.members[last + 1], r)) last++;
      return [first, last];
    }
    const first = this.tree!.countBefore((_s, m) => (r.minex ? cmpLex(m, r.min) <= 0 : cmpLex(m, r.min) < 0));
    const end = this.tree!.countBefore((_s, m) => lexLteMax(m, r));
    return first < end ? [first, end - 1] : null;
  }

  /**
   * Descending start for a reverse lex range (zzlLastInLexRange: backwards
   * from the end while > max), then backwards while >= min: [first, last]
   * ascending ranks, or null.
   */
  lexSpanReverse(r: LexRange): [number, number] | null {
    if (this.packed === null) return this.lexSpan(r);
    if (lexRangeEmpty(r) || this.size === 0) return null;
    const e = unpack(this.packed);
    const n = e.members.length;
    if (!lexGteMin(e.members[n - 1], r) || !lexLteMax(e.members[0], r)) return null;
    let last = n - 1;
    while (last >= 0 && !lexLteMax(e.members[last], r)) last--;
    if (last < 0 || !lexGteMin(e.members[last], r)) return null;
    let first = last;
    while (first - 1 >= 0 && lexGteMin(e.members[first - 1], r)) first--;
    return [first, last];
  }

  /** Entries of ascending ranks start..end (inclusive). */
  slice(start: number, end: number): Entries {
    if (this.packed !== null) {
      const e = unpack(this.packed);
      return { members: e.members.slice(start, end + 1), scores: e.scores.slice(start, end + 1) };
    }
    const out: Entries = { members: [], scores: [] };
    this.tree!.slice(start, end, out.members, out.scores);
    return out;
  }

  /** Removes the ranks start..end (inclusive); returns how many went. */
  removeRanks(start: number, end: number): number {
    if (start > end) return 0;
    if (this.packed !== null) {
      const e = unpack(this.packed);
      e.members.splice(start, end - start + 1);
      e.scores.splice(start, end - start + 1);
      this.packed = pack(e.members, e.scores);
      this.packedCount = e.members.length;
      return end - start + 1;
    }
    const e = this.slice(start, end);
    for (let i = 0; i < e.members.length; i++) {
      this.dict!.delete(e.members[i]);
      this.tree!.delete(e.scores[i], e.members[i]);
    }
    return e.members.length;
  }

  /** A uniformly random entry (the set must not be empty). */
  randomEntry(): { member: string; score: number } {
    if (this.packed !== null) {
      const i = Math.floor(Math.random() * this.packedCount);
      const e = this.slice(i, i);
      return { member: e.members[0], score: e.scores[0] };
    }
    const d = this.dict!;
    const i = d.randomIndex();
    return { member: d.keys[i], score: d.vals[i] };
  }
}

registerReviver('zset', (t) => SortedSet.revive(t));
