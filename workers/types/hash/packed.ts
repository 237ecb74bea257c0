/**
 * The listpack encoding of a small hash: ONE latin1 string (one char per
 * byte) holding the number of pairs, then field and value of each pair in
 * insertion order, every string prefixed with its length:
 *
 *   [pairs][flen][field][vlen][value][flen][field][vlen][value] ...
 *
 * Numbers are varints (packed-varint.ts).
 * A JS string has ~16 bytes of header where an array of small strings would
 * pay that per element; like Redis' listpack, lookups scan in O(n) and every
 * change builds a new string.
 */

import { flatString } from '../../../src/util/flat-string.js';
import { readVarint, varint, varintEnd } from '../packed-varint.js';

export const EMPTY: string = varint(0);

export function pairCount(p: string): number {
  return readVarint(p, 0);
}

/** Offset of the first pair. */
function firstPair(p: string): number {
  readVarint(p, 0);
  return varintEnd;
}

/** Where the pair found by the last successful findPair() starts (its field's length) and ends. */
export let pairStart = 0;
export let pairEnd = 0;

/**
 * Finds the pair whose field is `field`: returns the offset of its value's
 * length (and sets pairStart/pairEnd), or -1. No allocation: HGET and HSET
 * call this on every request.
 */
export function findPair(p: string, field: string): number {
  const n = p.length;
  const flen = field.length;
  let pos = firstPair(p);
  while (pos < n) {
    const len = readVarint(p, pos);
    const fieldAt = varintEnd;
    const valueAt = fieldAt + len;
    const vlen = readVarint(p, valueAt);
    const end = varintEnd + vlen;
    if (len === flen && p.startsWith(field, fieldAt)) {
      pairStart = pos;
      pairEnd = end;
      return valueAt;
    }
    pos = end;
  }
  return -1;
}

/** The value of `field`, or undefined. */
export function getValue(p: string, field: string): string | undefined {
  const valueAt = findPair(p, field);
  if (valueAt < 0) return undefined;
  const vlen = readVarint(p, valueAt);
  return p.substring(varintEnd, varintEnd + vlen);
}

/** Calls visit(field, value) for each pair in order. */
export function forEachPair(p: string, visit: (field: string, value: string) => void): void {
  const n = p.length;
  let pos = firstPair(p);
  while (pos < n) {
    const flen = readVarint(p, pos);
    const field = p.substring(varintEnd, varintEnd + flen);
    const vlen = readVarint(p, varintEnd + flen);
    const value = p.substring(varintEnd, varintEnd + vlen);
    pos = varintEnd + vlen;
    visit(field, value);
  }
}

/** The pair at index i (0-based, i < pairCount), as [field, value]. */
export function pairAt(p: string, i: number): [string, string] {
  let pos = firstPair(p);
  for (;;) {
    const flen = readVarint(p, pos);
    const fieldAt = varintEnd;
    const vlen = readVarint(p, fieldAt + flen);
    if (i-- === 0) return [p.substring(fieldAt, fieldAt + flen), p.substring(varintEnd, varintEnd + vlen)];
    pos = varintEnd + vlen;
  }
}

/** All fields and values, in order. */
export function toArrays(p: string): { fields: string[]; values: string[] } {
  const fields: string[] = [];
  const values: string[] = [];
  forEachPair(p, (f, v) => {
    fields.push(f);
    values.push(v);
  });
  return { fields, values };
}

/** Builds the packed form of these pairs. */
export function fromArrays(fields: readonly string[], values: readonly string[]): string {
  let s = varint(fields.length);
  for (let i = 0; i < fields.length; i++) s += varint(fields[i].length) + fields[i] + varint(values[i].length) + values[i];
  return flatString(s);
}

/** One pair in packed form (to append). */
export function packPair(field: string, value: string): string {
  return varint(field.length) + field + varint(value.length) + value;
}

/** Appends `added` pairs already packed (packPair) after the existing ones. */
export function appendPacked(p: string, added: number, pairs: string): string {
  const count = readVarint(p, 0);
  return flatString(varint(count + added) + p.substring(varintEnd) + pairs);
}

/** Replaces the value of the pair found by findPair() at valueAt (its field unchanged). */
export function replaceValue(p: string, valueAt: number, value: string): string {
  return flatString(p.substring(0, valueAt) + varint(value.length) + value + p.substring(pairEnd));
}

/** Removes the pair found by the last findPair(). */
export function removeFoundPair(p: string): string {
  const count = readVarint(p, 0);
  return flatString(varint(count - 1) + p.substring(varintEnd, pairStart) + p.substring(pairEnd));
}
