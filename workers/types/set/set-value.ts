/**
 * A set value with Redis 7.0's two encodings (t_set.c):
 * - intset: every member is an integer in canonical form (string2ll) and the
 *   count is within set-max-intset-entries; sorted ascending (intset.ts);
 * - hashtable: anything else (DenseDict, which gives O(1) random picks and a
 *   SCAN cursor with Redis' guarantee).
 * A set converts from intset to hashtable exactly where Redis' setTypeAdd
 * does, and never back.
 */
import { DenseDict } from '../../shard/dense-dict.js';
import { parseInteger, registerReviver, type CollectionValue, type TransferredCollection } from '../../shard/value.js';
import { IntSet } from './intset.js';

/** Redis caps set-max-intset-entries at 2^30 (intset internals). */
const INTSET_HARD_MAX = 1 << 30;

export class SetValue implements CollectionValue {
  /** On the prototype, not in every instance: small sets are many. */
  get type(): 'set' {
    return 'set';
  }

  constructor(
    /** The members: an IntSet (intset encoding) or a DenseDict of strings (hashtable). */
    public members: IntSet | DenseDict<undefined>,
  ) {}

  /** Redis' setTypeCreate: an intset when the first member is an integer, else a hashtable. */
  static createFor(firstMember: string): SetValue {
    return new SetValue(parseInteger(firstMember) !== null ? new IntSet() : new DenseDict<undefined>(false));
  }

  /** An empty intset, as the store commands and SUNION/SDIFF start their result (createIntsetObject). */
  static emptyIntset(): SetValue {
    return new SetValue(new IntSet());
  }

  get isIntset(): boolean {
    return this.members instanceof IntSet;
  }

  get size(): number {
    return this.members.size;
  }

  encoding(): string {
    return this.isIntset ? 'intset' : 'hashtable';
  }

  /** Redis' setTypeAdd: true when added. maxIntset is set-max-intset-entries. */
  add(member: string, maxIntset: number): boolean {
    const m = this.members;
    if (m instanceof IntSet) {
      const v = parseInteger(member);
      if (v === null) {
        this.convertToHashtable();
        (this.members as DenseDict<undefined>).add(member, undefined);
        return true;
      }
      if (!m.add(v)) return false;
      if (m.size > Math.min(maxIntset, INTSET_HARD_MAX)) this.convertToHashtable();
      return true;
    }
    if (m.find(member) >= 0) return false;
    m.add(member, undefined);
    return true;
  }

  remove(member: string): boolean {
    const m = this.members;
    if (m instanceof IntSet) {
      const v = parseInteger(member);
      return v !== null && m.remove(v);
    }
    return m.delete(member);
  }

  has(member: string): boolean {
    const m = this.members;
    if (m instanceof IntSet) {
      const v = parseInteger(member);
      return v !== null && m.has(v);
    }
    return m.find(member) >= 0;
  }

  /** The member at a position of the iteration order (intset: ascending). */
  at(i: number): string {
    const m = this.members;
    return m instanceof IntSet ? m.text(i) : m.keys[i];
  }

  /** A uniformly random member (the set must not be empty). */
  randomMember(): string {
    return this.at(Math.floor(Math.random() * this.size));
  }

  /** Every member in iteration order (intset ascending, hashtable in its dense order). */
  toArray(): string[] {
    const m = this.members;
    if (!(m instanceof IntSet)) return m.keys.slice();
    const out = new Array<string>(m.size);
    for (let i = 0; i < out.length; i++) out[i] = m.text(i);
    return out;
  }

  /** Redis' setTypeConvert to OBJ_ENCODING_HT. */
  convertToHashtable(): void {
    const m = this.members;
    if (!(m instanceof IntSet)) return;
    const d = new DenseDict<undefined>(false);
    for (let i = 0; i < m.size; i++) d.add(m.text(i), undefined);
    this.members = d;
  }

  duplicate(): SetValue {
    const m = this.members;
    if (m instanceof IntSet) return new SetValue(m.duplicate());
    const d = new DenseDict<undefined>(false);
    for (const k of m.keys) d.add(k, undefined);
    return new SetValue(d);
  }

  toTransfer(): TransferredCollection {
    const m = this.members;
    if (m instanceof IntSet) return { type: 'set', encoding: 'intset', data: { width: m.width, packed: m.data } };
    return { type: 'set', encoding: 'hashtable', data: m.keys.slice() };
  }
}

function reviveSet(t: TransferredCollection): SetValue {
  if (t.encoding === 'intset') {
    const { width, packed } = t.data as { width: number; packed: string };
    return new SetValue(new IntSet(width, packed));
  }
  const d = new DenseDict<undefined>(false);
  for (const k of t.data as string[]) d.add(k, undefined);
  return new SetValue(d);
}

registerReviver('set', reviveSet);
