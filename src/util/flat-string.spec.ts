import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { flatString } from './flat-string.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap bytes per kept string built from 21 concatenated parts, with `finish` applied. */
function bytesPerString(finish: (s: string) => string): number {
  const n = 20000;
  const keep: string[] = [];
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) {
    let s = '\x0a';
    for (let f = 0; f < 10; f++) s += `\x02f${f}` + `\x02v${i % 7}`;
    keep.push(finish(s));
  }
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(keep.length).toBe(n);
  return (after - before) / n;
}

describe('flatString', () => {
  it('leaves one sequential string, not a tree of parts (measured on the heap)', () => {
    const tree = bytesPerString((s) => s);
    const flat = bytesPerString(flatString);
    // A 61-byte string costs ~80 bytes flat; the tree of 21 parts several hundred.
    expect(tree).toBeGreaterThan(300);
    expect(flat).toBeLessThan(150);
  });
});
