/**
 * The small encoding of a sorted set ("listpack" in OBJECT ENCODING): every
 * entry in one latin1 string, in score order, each as
 *   member length (a varint, packed-varint.ts) · member bytes ·
 *   score: one tag byte, then its value. Like a listpack, integral scores
 *   take less room: tag >= 4 is the integer tag - 4 (0..251) by itself; tag 1,
 *   2, 3 an int8, int16, int32 (little endian) after it; tag 0 a double (8
 *   bytes, IEEE 754 little endian).
 * One string per sorted set costs one header instead of one per member; it
 * is scanned in O(n) and rebuilt on change, as Redis does with a listpack.
 */

import { readVarint, varint, varintEnd } from '../packed-varint.js';

const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);

/** Sorted entries: members and scores in the same order. */
export interface Entries {
  members: string[];
  scores: number[];
}

function scoreChars(score: number): string {
  // Redis stores integral scores as listpack integers (double2ll): -0 comes back as 0.
  score += 0;
  if (Number.isInteger(score)) {
    if (score >= 0 && score <= 251) return String.fromCharCode(score + 4);
    if (score >= -128 && score < 128) return String.fromCharCode(1, score & 0xff);
    if (score >= -32768 && score < 32768) return String.fromCharCode(2, score & 0xff, (score >> 8) & 0xff);
    if (score >= -2147483648 && score < 2147483648) return String.fromCharCode(3, score & 0xff, (score >> 8) & 0xff, (score >> 16) & 0xff, (score >>> 24) & 0xff);
  }
  scratch[0] = score;
  const b = scratchBytes;
  return String.fromCharCode(0, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
}

/** Bytes a score takes at p (its tag included). */
function scoreSize(data: string, p: number): number {
  const t = data.charCodeAt(p);
  return t >= 4 ? 1 : t === 0 ? 9 : t === 1 ? 2 : t === 2 ? 3 : 5;
}

function readScore(data: string, p: number): number {
  const t = data.charCodeAt(p);
  if (t >= 4) return t - 4;
  if (t === 1) return (data.charCodeAt(p + 1) << 24) >> 24;
  if (t === 2) return ((data.charCodeAt(p + 1) | (data.charCodeAt(p + 2) << 8)) << 16) >> 16;
  if (t === 3) return data.charCodeAt(p + 1) | (data.charCodeAt(p + 2) << 8) | (data.charCodeAt(p + 3) << 16) | (data.charCodeAt(p + 4) << 24);
  const b = scratchBytes;
  for (let i = 0; i < 8; i++) b[i] = data.charCodeAt(p + 1 + i);
  return scratch[0];
}

/** Packs sorted entries (members[i] with scores[i]) into one string. */
export function pack(members: readonly string[], scores: ArrayLike<number>): string {
  const parts: string[] = new Array(members.length);
  for (let i = 0; i < members.length; i++) parts[i] = varint(members[i].length) + members[i] + scoreChars(scores[i]);
  // join() makes one flat sequential string (not a rope of concatenations).
  return parts.join('');
}

/** Walks the packed entries in order; `visit` returns false to stop. */
export function forEachPacked(data: string, visit: (member: string, score: number, index: number) => boolean | void): void {
  let p = 0;
  let i = 0;
  while (p < data.length) {
    const len = readVarint(data, p);
    p = varintEnd;
    const member = data.slice(p, p + len);
    p += len;
    const score = readScore(data, p);
    p += scoreSize(data, p);
    if (visit(member, score, i++) === false) return;
  }
}

/** All entries, decoded. */
export function unpack(data: string): Entries {
  const members: string[] = [];
  const scores: number[] = [];
  forEachPacked(data, (m, s) => {
    members.push(m);
    scores.push(s);
  });
  return { members, scores };
}

/** Position and score of a member, scanning like Redis' zzlFind; index -1 when absent. */
export function findPacked(data: string, member: string): { index: number; score: number } {
  let p = 0;
  let i = 0;
  const n = member.length;
  while (p < data.length) {
    const len = readVarint(data, p);
    p = varintEnd;
    if (len === n && data.startsWith(member, p)) return { index: i, score: readScore(data, p + len) };
    p += len;
    p += scoreSize(data, p);
    i++;
  }
  return { index: -1, score: 0 };
}
