/**
 * SORT's numeric weights: Redis converts each value with C's strtod and
 * refuses it when characters are left over, when errno says ERANGE, or when
 * it is NaN. This is glibc's strtod in the C locale, so the same strings are
 * accepted: leading white space, a sign, decimal or hexadecimal (0x, with a
 * binary p exponent) digits, "inf", "infinity" and "nan(...)", and the value
 * ends at the first NUL byte (Redis passes the string as a C string).
 */

/** The weight of `s`, or null when Redis would reply "One or more scores can't be converted into double". */
export function sortWeight(s: string): number | null {
  if (isShortInteger(s)) return Number(s);
  const nul = s.indexOf('\0');
  const text = nul < 0 ? s : s.slice(0, nul);
  const r = strtod(text);
  // Nothing converted: strtod points back at the start, which must be the string's end.
  if (r === null) return text.length === 0 ? 0 : null;
  if (r.end !== text.length || r.range || Number.isNaN(r.value)) return null;
  return r.value;
}

/** The common case, an optional '-' and up to 15 digits: exact as a double, and strtod agrees with Number(). */
function isShortInteger(s: string): boolean {
  const n = s.length;
  const from = n > 1 && s.charCodeAt(0) === 45 ? 1 : 0;
  if (n === 0 || n - from > 15) return false;
  for (let i = from; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

interface Parsed {
  value: number;
  /** Index just past the converted characters. */
  end: number;
  /** errno would be ERANGE: overflow, or an inexact result below DBL_MIN. */
  range: boolean;
}

const DBL_MIN = 2.2250738585072014e-308;
const DECIMAL = /^(\d*)(?:\.(\d*))?/;
const EXPONENT = /^[eE][+-]?\d+/;
const HEX = /^([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/;
const BINARY_EXPONENT = /^[pP]([+-]?\d+)/;

/** glibc strtod on a string without NUL bytes: null when no conversion is performed. */
function strtod(s: string): Parsed | null {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest.startsWith('inf')) {
    return { value: sign * Infinity, end: i + (rest.startsWith('infinity') ? 8 : 3), range: false };
  }
  if (rest.startsWith('nan')) {
    const paren = /^nan\([0-9a-z_]*\)/.exec(rest);
    return { value: NaN, end: i + (paren ? paren[0].length : 3), range: false };
  }
  if (rest.startsWith('0x')) {
    const hex = parseHex(s, i + 2, sign);
    // "0x" without hex digits converts the "0" alone.
    return hex ?? { value: sign * 0, end: i + 1, range: false };
  }
  return parseDecimal(s, i, sign);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function parseDecimal(s: string, start: number, sign: number): Parsed | null {
  const m = DECIMAL.exec(s.slice(start))!;
  const intDigits = m[1];
  const fracDigits = m[2] ?? '';
  if (intDigits.length + fracDigits.length === 0) return null;
  let end = start + m[0].length;
  const exp = EXPONENT.exec(s.slice(end));
  if (exp !== null) end += exp[0].length;
  // JS parses this grammar (digits, optional point, optional exponent) with correct rounding.
  const magnitude = Number(s.slice(start, end));
  const nonZero = /[1-9]/.test(intDigits + fracDigits);
  const range = (magnitude === Infinity) || (nonZero && magnitude < DBL_MIN);
  return { value: sign * magnitude, end, range };
}

/** Hex digits after "0x" at `start`: null when there are none. */
function parseHex(s: string, start: number, sign: number): Parsed | null {
  const m = HEX.exec(s.slice(start))!;
  const intDigits = m[1];
  const fracDigits = m[2] ?? '';
  if (intDigits.length + fracDigits.length === 0) return null;
  let end = start + m[0].length;
  let exp = -4 * fracDigits.length;
  const bin = BINARY_EXPONENT.exec(s.slice(end));
  if (bin !== null) {
    end += bin[0].length;
    // Beyond any double either way; keeps the arithmetic finite.
    exp += Math.max(-100000, Math.min(100000, Number(bin[1])));
  }
  const mantissa = BigInt(`0x${intDigits}${fracDigits}`);
  const { value, range } = scaleBinary(mantissa, exp);
  return { value: sign * value, end, range };
}

/** mantissa * 2^exp rounded to a double (ties to even), with glibc's ERANGE rules. */
function scaleBinary(mantissa: bigint, exp: number): { value: number; range: boolean } {
  if (mantissa === 0n) return { value: 0, range: false };
  const top = mantissa.toString(2).length - 1 + exp; // exponent of the leading bit
  if (top > 1023) return { value: Infinity, range: true };
  if (top < -1100) return { value: 0, range: true };
  // The lowest bit a double keeps here: 53 bits of precision, or fewer below DBL_MIN.
  const low = Math.max(top - 52, -1074);
  let q = mantissa;
  let inexact = false;
  if (exp < low) {
    const shift = BigInt(low - exp);
    q = mantissa >> shift;
    const rem = mantissa - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    inexact = rem !== 0n;
  } else {
    q = mantissa << BigInt(exp - low);
  }
  const value = Number(q) * 2 ** low;
  return { value, range: value === Infinity || (inexact && value < DBL_MIN) };
}
