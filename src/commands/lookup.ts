/**
 * Finds a top-level command from its name bytes in the request buffer,
 * case-insensitively and without allocating a string (the hot path runs this
 * for every command). A hash of the lower-cased bytes picks candidates; the
 * bytes are then compared with the table name.
 */
import type { CommandSpec } from './spec.js';
import { commandTable } from './table.js';

/** Candidates by hash & BUCKET_MASK: an array index instead of a Map lookup per command. */
const BUCKET_MASK = 2047;
const buckets: (CommandSpec[] | undefined)[] = new Array(BUCKET_MASK + 1).fill(undefined);

function lowerByte(c: number): number {
  return c >= 65 && c <= 90 ? c | 0x20 : c;
}

function hashName(buf: Uint8Array, start: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ lowerByte(buf[start + i]), 0x01000193);
  return h >>> 0;
}

for (const spec of commandTable.values()) {
  const name = Buffer.from(spec.name, 'latin1');
  const h = hashName(name, 0, name.length) & BUCKET_MASK;
  const list = buckets[h];
  if (list) list.push(spec);
  else buckets[h] = [spec];
}

export function lookupCommand(buf: Uint8Array, start: number, len: number): CommandSpec | undefined {
  const candidates = buckets[hashName(buf, start, len) & BUCKET_MASK];
  if (candidates === undefined) return undefined;
  outer: for (const spec of candidates) {
    const name = spec.name;
    if (name.length !== len) continue;
    for (let i = 0; i < len; i++) if (lowerByte(buf[start + i]) !== name.charCodeAt(i)) continue outer;
    return spec;
  }
  return undefined;
}
