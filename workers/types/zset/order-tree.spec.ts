/**
 * The counted B+tree against a sorted array model: random inserts and
 * deletes (appending, prepending and random runs, so splits and merges of
 * both leaves and inner nodes happen), then rank, access by rank, slices and
 * prefix counts checked after every batch.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/differential.js';
import { OrderTree } from './order-tree.js';

type Entry = [score: number, member: string];
const cmp = (a: Entry, b: Entry) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

function check(tree: OrderTree, model: Entry[], rnd: () => number): void {
  expect(tree.size).toBe(model.length);
  for (let k = 0; k < 30 && model.length > 0; k++) {
    const i = Math.floor(rnd() * model.length);
    expect(tree.rank(model[i][0], model[i][1])).toBe(i);
    expect(tree.at(i)).toEqual({ score: model[i][0], member: model[i][1] });
    const bound = Math.floor(rnd() * 60) - 5;
    expect(tree.countBefore((s) => s < bound)).toBe(model.filter((e) => e[0] < bound).length);
  }
  const a = Math.floor(rnd() * (model.length + 1));
  const b = Math.min(model.length - 1, a + Math.floor(rnd() * 300));
  const members: string[] = [];
  const scores: number[] = [];
  tree.slice(a, b, members, scores);
  expect(members).toEqual(model.slice(a, b + 1).map((e) => e[1]));
  expect(scores).toEqual(model.slice(a, b + 1).map((e) => e[0]));
}

describe('OrderTree', () => {
  for (const seed of [1, 2, 3]) {
    it(`matches a sorted array through inserts and deletes (seed ${seed})`, () => {
      const rnd = prng(seed);
      const tree = new OrderTree();
      let model: Entry[] = [];
      const present = new Map<string, number>();
      let next = 0;
      for (let round = 0; round < 40; round++) {
        const mode = round % 4;
        for (let k = 0; k < 400; k++) {
          if (mode !== 3 || present.size === 0) {
            // Ascending, descending or random scores.
            const score = mode === 0 ? next : mode === 1 ? -next : Math.floor(rnd() * 50);
            const member = `m${next++}`;
            tree.insert(score, member);
            present.set(member, score);
            model.push([score, member]);
          } else {
            const keys = [...present.keys()];
            const member = keys[Math.floor(rnd() * keys.length)];
            expect(tree.delete(present.get(member)!, member)).toBe(true);
            expect(tree.delete(present.get(member)!, member)).toBe(false);
            present.delete(member);
            model = model.filter((e) => e[1] !== member);
          }
        }
        model.sort(cmp);
        check(tree, model, rnd);
      }
      // Empty it completely.
      for (const [s, m] of model) expect(tree.delete(s, m)).toBe(true);
      expect(tree.size).toBe(0);
    });
  }
});
