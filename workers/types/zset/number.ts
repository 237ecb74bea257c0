/**
 * Scores as Redis reads and prints them (t_zset.c, util.c): C's strtod with
 * Redis' extra checks for score arguments, the range syntax of
 * ZRANGEBYSCORE ("(" for exclusive) and ZRANGEBYLEX ("[", "(", "-", "+"), and
 * d2string for scores shown as strings (ZSCAN).
 */

/** C isspace() in the "C" locale. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const INF_NAN = /^([+-]?)(infinity|inf|nan(?:\([0-9A-Za-z_]*\))?)/i;

export interface Strtod {
  value: number;
  /** Characters consumed (0: nothing parsed). */
  end: number;
  /** errno ERANGE: the value overflowed to ±inf or underflowed. */
  range: boolean;
}

/**
 * glibc strtod on `s` read as a C string (it ends at the first NUL): leading
 * white space skipped, the longest number prefix parsed, correctly rounded.
 */
export function strtod(s: string): Strtod {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let p = 0;
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  const rest = s.slice(p);
  let m = INF_NAN.exec(rest);
  if (m !== null) {
    const word = m[2].toLowerCase();
    const v = word.startsWith('nan') ? NaN : m[1] === '-' ? -Infinity : Infinity;
    return { value: v, end: p + m[0].length, range: false };
  }
  m = HEX.exec(rest);
  if (m !== null) {
    const [int, frac = ''] = m[2].split('.');
    const digits = (int + frac).replace(/^0+/, '');
    let v = 0;
    if (digits !== '') {
      // 13 hex digits (52 bits) are exact; further digits only scale (a rare, slightly imprecise case).
      const head = digits.slice(0, 13);
      const exp2 = Number(m[3] ?? 0) - 4 * frac.length + 4 * (digits.length - head.length);
      const half = Math.trunc(exp2 / 2);
      v = parseInt(head, 16) * 2 ** half * 2 ** (exp2 - half);
    }
    if (m[1] === '-') v = -v;
    return { value: v, end: p + m[0].length, range: digits !== '' && (v === 0 || !Number.isFinite(v)) };
  }
  m = DECIMAL.exec(rest);
  if (m === null) return { value: 0, end: 0, range: false };
  const text = m[0];
  const v = Number(text);
  const mantissaNonZero = /[1-9]/.test(text.replace(/[eE].*$/, ''));
  const range = !Number.isFinite(v) || (v === 0 && mantissaNonZero) || (mantissaNonZero && Math.abs(v) < 2.2250738585072014e-308);
  return { value: v, end: p + text.length, range };
}

/**
 * Redis string2d (getDoubleFromObject: ZADD's scores, ZINCRBY, WEIGHTS): the
 * whole argument must be a number, no leading space, no overflow, no
 * underflow to zero, not NaN. Null when invalid.
 */
export function parseScore(s: string): number | null {
  if (s.length === 0 || isSpace(s.charCodeAt(0))) return null;
  const fast = plainInteger(s);
  if (fast !== null) return fast;
  const r = strtod(s);
  if (r.end !== s.length) return null;
  if (r.range && (!Number.isFinite(r.value) || r.value === 0)) return null;
  if (Number.isNaN(r.value)) return null;
  return r.value;
}

/**
 * An optional '-' and 1 to 15 decimal digits: exact as a double, and what
 * strtod would give; most scores look like this, and strtod's regular
 * expressions cost a microsecond. Null for anything else.
 */
function plainInteger(s: string): number | null {
  const n = s.length;
  if (n > 16) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return null;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (n - (s.charCodeAt(0) === 45 ? 1 : 0) > 15) return null;
  return s.charCodeAt(0) === 45 ? -v : v;
}

export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** One end of a score range as zslParseRange reads it: "(" for exclusive, then strtod up to the C string's end. */
function parseRangeItem(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40; /* ( */
  const body = ex ? s.slice(1) : s;
  const r = strtod(body);
  const nul = body.indexOf('\0');
  const cEnd = nul < 0 ? body.length : nul;
  if (r.end !== cEnd || Number.isNaN(r.value)) return null;
  return { v: r.value, ex };
}

/** zslParseRange: null means "min or max is not a float". */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const a = parseRangeItem(min);
  if (a === null) return null;
  const b = parseRangeItem(max);
  if (b === null) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

export function scoreGteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

export function scoreLteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

/** zslIsInRange's emptiness test on the range alone. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Lex range ends: MIN_LEX is "-" (below everything), MAX_LEX "+" (above everything). */
export const MIN_LEX = 0;
export const MAX_LEX = 1;
export interface LexRange {
  /** A member, or MIN_LEX / MAX_LEX. */
  min: string | number;
  max: string | number;
  minex: boolean;
  maxex: boolean;
}

function parseLexItem(s: string): { v: string | number; ex: boolean } | null {
  // Redis reads the first char of the C string, then the rest by the sds length.
  switch (s.charCodeAt(0)) {
    case 43 /* + */:
      return s.length === 1 || s.charCodeAt(1) === 0 ? { v: MAX_LEX, ex: true } : null;
    case 45 /* - */:
      return s.length === 1 || s.charCodeAt(1) === 0 ? { v: MIN_LEX, ex: true } : null;
    case 40 /* ( */:
      return { v: s.slice(1), ex: true };
    case 91 /* [ */:
      return { v: s.slice(1), ex: false };
    default:
      return null;
  }
}

/** zslParseLexRange: null means "min or max not valid string range item". */
export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexItem(min);
  const b = parseLexItem(max);
  if (a === null || b === null) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

/** Compares a member with a lex range end (sdscmplex): memcmp order, with "-" and "+" as infinities. */
export function cmpLex(a: string | number, b: string | number): number {
  if (a === b) return 0;
  if (a === MIN_LEX || b === MAX_LEX) return -1;
  if (a === MAX_LEX || b === MIN_LEX) return 1;
  return (a as string) < (b as string) ? -1 : 1;
}

export function lexGteMin(member: string, r: LexRange): boolean {
  return r.minex ? cmpLex(member, r.min) > 0 : cmpLex(member, r.min) >= 0;
}

export function lexLteMax(member: string, r: LexRange): boolean {
  return r.maxex ? cmpLex(member, r.max) < 0 : cmpLex(member, r.max) <= 0;
}

/** zslIsInLexRange's emptiness test on the range alone. */
export function lexRangeEmpty(r: LexRange): boolean {
  const c = cmpLex(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

/**
 * Redis d2string: how a score looks as a string (ZSCAN, listpack storage):
 * integers within long long range without exponent, else "%.17g".
 */
export function d2string(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && d >= -9223372036854775808 && d < 9223372036854775808) return BigInt(d).toString();
  return formatG17(d);
}

import { formatDouble as formatG17 } from '../../../src/resp/number-format.js';
