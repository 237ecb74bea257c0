/**
 * The order of the large encoding of a sorted set: a counted B+tree of
 * (score, member) pairs, sorted by score, then by member bytes (memcmp).
 * Leaves hold parallel arrays (members, Float64Array scores); inner nodes
 * hold, per child, its element count and its last key, so that rank, search
 * by score or member, and access by rank are all O(log n), like Redis'
 * skiplist with span counts, with far fewer objects per element.
 */

const LEAF_CAP = 128;
const INNER_CAP = 64;
/** Below this size a node is merged with a neighbour when they fit together. */
const LEAF_MIN = LEAF_CAP / 4;
const INNER_MIN = INNER_CAP / 4;

class Leaf {
  n = 0;
  members: string[] = [];
  scores = new Float64Array(LEAF_CAP);
}

/** Position in a leaf of the first entry not ordered before (score, member): where it is, or would go. */
function leafPosition(leaf: Leaf, score: number, member: string): number {
  let lo = 0;
  let hi = leaf.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (less(leaf.scores[mid], leaf.members[mid], score, member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Inner {
  total = 0;
  children: Node[] = [];
  counts: number[] = [];
  lastScores: number[] = [];
  lastMembers: string[] = [];
}

type Node = Leaf | Inner;

function sizeOf(node: Node): number {
  return node instanceof Leaf ? node.n : node.total;
}

function lastScore(node: Node): number {
  return node instanceof Leaf ? node.scores[node.n - 1] : node.lastScores[node.lastScores.length - 1];
}

function lastMember(node: Node): string {
  return node instanceof Leaf ? node.members[node.n - 1] : node.lastMembers[node.lastMembers.length - 1];
}

/** (s1, m1) < (s2, m2) in sorted-set order. */
function less(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

/** Refreshes what `parent` knows of its child i (count and last key). */
function refresh(parent: Inner, i: number): void {
  const child = parent.children[i];
  parent.counts[i] = sizeOf(child);
  parent.lastScores[i] = lastScore(child);
  parent.lastMembers[i] = lastMember(child);
}

/** Predicate over keys that is true for a prefix of the sorted order. */
type Before = (score: number, member: string) => boolean;

export class OrderTree {
  private root: Node = new Leaf();

  get size(): number {
    return sizeOf(this.root);
  }

  insert(score: number, member: string): void {
    const sibling = this.insertInto(this.root, score, member);
    if (sibling !== null) {
      const root = new Inner();
      root.children = [this.root, sibling];
      root.total = sizeOf(this.root) + sizeOf(sibling);
      refresh(root, 0);
      refresh(root, 1);
      this.root = root;
    }
  }

  private insertInto(node: Node, score: number, member: string): Node | null {
    if (node instanceof Leaf) {
      const lo = leafPosition(node, score, member);
      node.scores.copyWithin(lo + 1, lo, node.n);
      node.scores[lo] = score;
      node.members.splice(lo, 0, member);
      node.n++;
      if (node.n < LEAF_CAP) return null;
      // Full: split. Appending (or prepending) runs fill leaves completely.
      const keep = lo === node.n - 1 ? node.n - 1 : lo === 0 ? 1 : node.n >> 1;
      const right = new Leaf();
      right.n = node.n - keep;
      right.members = node.members.slice(keep);
      right.scores.set(node.scores.subarray(keep, node.n));
      node.members.length = keep;
      node.n = keep;
      return right;
    }
    const i = this.childFor(node, score, member);
    const sibling = this.insertInto(node.children[i], score, member);
    node.total++;
    refresh(node, i);
    if (sibling === null) return null;
    node.children.splice(i + 1, 0, sibling);
    node.counts.splice(i + 1, 0, 0);
    node.lastScores.splice(i + 1, 0, 0);
    node.lastMembers.splice(i + 1, 0, '');
    refresh(node, i + 1);
    if (node.children.length <= INNER_CAP) return null;
    const len = node.children.length;
    const keep = i + 1 === len - 1 ? len - 1 : i === 0 ? 1 : len >> 1;
    const right = new Inner();
    right.children = node.children.splice(keep);
    right.counts = node.counts.splice(keep);
    right.lastScores = node.lastScores.splice(keep);
    right.lastMembers = node.lastMembers.splice(keep);
    right.total = right.counts.reduce((a, b) => a + b, 0);
    node.total -= right.total;
    return right;
  }

  /** The child whose range holds (score, member): the first whose last key is not below it. */
  private childFor(node: Inner, score: number, member: string): number {
    const last = node.children.length - 1;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (less(node.lastScores[mid], node.lastMembers[mid], score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Removes (score, member); returns whether it was there. */
  delete(score: number, member: string): boolean {
    const removed = this.deleteFrom(this.root, score, member);
    while (this.root instanceof Inner && this.root.children.length === 1) this.root = this.root.children[0];
    if (this.root instanceof Inner && this.root.children.length === 0) this.root = new Leaf();
    return removed;
  }

  private deleteFrom(node: Node, score: number, member: string): boolean {
    if (node instanceof Leaf) {
      const lo = leafPosition(node, score, member);
      if (lo === node.n || node.members[lo] !== member || node.scores[lo] !== score) return false;
      node.scores.copyWithin(lo, lo + 1, node.n);
      node.members.splice(lo, 1);
      node.n--;
      return true;
    }
    const i = this.childFor(node, score, member);
    const child = node.children[i];
    if (!this.deleteFrom(child, score, member)) return false;
    node.total--;
    if (sizeOf(child) === 0) {
      this.removeChild(node, i);
      return true;
    }
    refresh(node, i);
    this.rebalance(node, i);
    return true;
  }

  private removeChild(node: Inner, i: number): void {
    node.children.splice(i, 1);
    node.counts.splice(i, 1);
    node.lastScores.splice(i, 1);
    node.lastMembers.splice(i, 1);
  }

  /** Merges a small child into a neighbour when both fit in one node. */
  private rebalance(node: Inner, i: number): void {
    const child = node.children[i];
    const isLeaf = child instanceof Leaf;
    const width = (c: Node) => (c instanceof Leaf ? c.n : c.children.length);
    if (width(child) >= (isLeaf ? LEAF_MIN : INNER_MIN)) return;
    const cap = isLeaf ? LEAF_CAP - 1 : INNER_CAP;
    let j = -1;
    if (i > 0 && width(node.children[i - 1]) + width(child) <= cap) j = i - 1;
    else if (i + 1 < node.children.length && width(node.children[i + 1]) + width(child) <= cap) j = i + 1;
    if (j < 0) return;
    const [l, r] = j < i ? [j, i] : [i, j];
    const left = node.children[l];
    const right = node.children[r];
    if (left instanceof Leaf && right instanceof Leaf) {
      left.scores.set(right.scores.subarray(0, right.n), left.n);
      for (let k = 0; k < right.n; k++) left.members.push(right.members[k]);
      left.n += right.n;
    } else {
      const a = left as Inner;
      const b = right as Inner;
      a.children.push(...b.children);
      a.counts.push(...b.counts);
      a.lastScores.push(...b.lastScores);
      a.lastMembers.push(...b.lastMembers);
      a.total += b.total;
    }
    this.removeChild(node, r);
    refresh(node, l);
  }

  /** Number of elements for which `before` holds (it must hold for a prefix of the order). */
  countBefore(before: Before): number {
    let node = this.root;
    let rank = 0;
    while (node instanceof Inner) {
      const n = node.children.length;
      let i = 0;
      while (i < n - 1 && before(node.lastScores[i], node.lastMembers[i])) rank += node.counts[i++];
      node = node.children[i];
    }
    let lo = 0;
    let hi = node.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(node.scores[mid], node.members[mid])) lo = mid + 1;
      else hi = mid;
    }
    return rank + lo;
  }

  /** 0-based rank of (score, member), which must be present. */
  rank(score: number, member: string): number {
    return this.countBefore((s, m) => less(s, m, score, member));
  }

  /** Member and score at a 0-based rank. */
  at(rank: number): { member: string; score: number } {
    let node = this.root;
    while (node instanceof Inner) {
      let i = 0;
      while (rank >= node.counts[i]) rank -= node.counts[i++];
      node = node.children[i];
    }
    return { member: node.members[rank], score: node.scores[rank] };
  }

  /** Elements of ranks start..end (inclusive, ascending) appended to the arrays. */
  slice(start: number, end: number, members: string[], scores: number[]): void {
    if (start > end) return;
    this.collect(this.root, start, end, members, scores);
  }

  private collect(node: Node, lo: number, hi: number, members: string[], scores: number[]): void {
    if (node instanceof Leaf) {
      for (let k = lo; k <= hi; k++) {
        members.push(node.members[k]);
        scores.push(node.scores[k]);
      }
      return;
    }
    let offset = 0;
    for (let i = 0; i < node.children.length && offset <= hi; i++) {
      const c = node.counts[i];
      if (offset + c > lo) this.collect(node.children[i], Math.max(lo - offset, 0), Math.min(hi - offset, c - 1), members, scores);
      offset += c;
    }
  }
}
