/**
 * INCRBYFLOAT arithmetic, bit for bit as Redis 7.0 does it on x86-64.
 *
 * Redis parses both operands with strtold (util.c string2ld), adds them in C
 * `long double` — the x87 80-bit extended format: a 64-bit significand with
 * an explicit leading bit, exponents down to 2^-16382 (and subnormals below,
 * down to 2^-16445) — and prints the sum with printf("%.17Lf"), trailing
 * zeros and point removed (util.c ld2string, LD_STR_HUMAN).
 *
 * JS has no such type, so a value is kept exactly as sign · mant · 2^exp with
 * BigInt significands, and every step rounds exactly like the hardware and
 * glibc: to nearest, ties to even, on the exact value.
 */

/** A C long double (never NaN: the one operation that makes NaN returns null instead). */
export interface LongDouble {
  neg: boolean;
  /** Significand: below 2^64 (0 for zero); meaningless when inf. */
  mant: bigint;
  /** Power of two of the significand's last bit. */
  exp: number;
  inf: boolean;
}

/** Bits of the significand. */
const PRECISION = 64;
/** Exponent of the last bit of the smallest subnormal: 2^-16445. */
const MIN_LSB_EXP = -16382 - (PRECISION - 1);
/** Every finite value is below 2^16384. */
const MAX_EXP = 16384;
/** Redis' MAX_LONG_DOUBLE_CHARS: string2ld refuses strings this long or longer. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0, inf: false };

function infinity(neg: boolean): LongDouble {
  return { neg, mant: 0n, exp: 0, inf: true };
}

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** Number of bits of a non-negative bigint (0 for 0). */
function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const x = Number(n);
  if (x === Infinity) {
    const hex = n.toString(16);
    return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
  }
  // The double's exponent, except when rounding carried up to the next power of two.
  f64[0] = x;
  const bits = ((f64Words[1] >>> 20) & 0x7ff) - 1022;
  const powerOfTwo = (f64Words[1] & 0xfffff) === 0 && f64Words[0] === 0;
  return powerOfTwo && n < BigInt(x) ? bits - 1 : bits;
}

/**
 * Rounds (q + f)·2^e, where 0 <= f < 1 and sticky says whether f > 0, to a
 * long double: round to nearest, ties to even, with gradual underflow; inf on
 * overflow. With sticky set, q must carry at least PRECISION + 2 bits.
 */
function roundToLongDouble(neg: boolean, q: bigint, e: number, sticky: boolean): LongDouble {
  if (q === 0n) return { neg, mant: 0n, exp: 0, inf: false };
  let lsb = Math.max(e + bitLength(q) - PRECISION, MIN_LSB_EXP);
  let mant = q;
  if (lsb > e) {
    const shift = BigInt(lsb - e);
    mant = q >> shift;
    const rest = q & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (sticky || (mant & 1n) === 1n))) mant += 1n;
    if (mant === 1n << BigInt(PRECISION)) {
      mant >>= 1n;
      lsb++;
    }
  } else {
    lsb = e;
  }
  if (mant !== 0n && bitLength(mant) + lsb > MAX_EXP) return infinity(neg);
  return { neg, mant, exp: lsb, inf: false };
}

/** Rounds (num / den)·2^e to a long double (num, den > 0). */
function roundQuotient(neg: boolean, num: bigint, den: bigint, e: number): LongDouble {
  // Scale so that the quotient has at least PRECISION + 2 bits; the remainder is the sticky bit.
  const shift = Math.max(0, PRECISION + 2 - (bitLength(num) - bitLength(den)));
  const scaled = num << BigInt(shift);
  return roundToLongDouble(neg, scaled / den, e - shift, scaled % den !== 0n);
}

/** An exponent written in the string, clamped far beyond any finite result so it stays a safe number. */
function exponentOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  return Math.max(-1e9, Math.min(1e9, n));
}

/**
 * glibc's strtold, rounding a hex float to a subnormal, forgets the bit just
 * below the 64-bit significand when it shifts (round_and_return): a value
 * just above a tie rounds as the tie. Clearing that bit before rounding does
 * the same. Decimal strings cannot meet this: a subnormal dyadic needs more
 * digits than string2ld accepts, so their sticky bit never relies on it.
 */
function subnormalHexQuirk(h: bigint, e: number): bigint {
  const bits = bitLength(h);
  if (bits + e - 1 >= -16382 || bits <= PRECISION) return h;
  return h & ~(1n << BigInt(bits - PRECISION - 1));
}

const tenPowers: bigint[] = [1n];
/** 10^k, cached: INCRBYFLOAT mostly sees the same few exponents. */
function tenTo(k: number): bigint {
  if (k < 400) {
    for (let i = tenPowers.length; i <= k; i++) tenPowers.push(tenPowers[i - 1] * 10n);
    return tenPowers[k];
  }
  return 10n ** BigInt(k);
}

const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const INF = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Redis' string2ld: the whole string must be what strtold reads (decimal or
 * hex float, "inf"/"infinity", optional sign, no spaces); NaN, and values
 * that overflow or underflow to zero (ERANGE), are refused. Returns null when
 * the string is not a valid float.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  let m = DECIMAL.exec(s);
  if (m !== null) {
    const intDigits = m[2];
    const fracDigits = m[3] ?? '';
    if (intDigits.length + fracDigits.length === 0) return null;
    const neg = m[1] === '-';
    const digits = (intDigits + fracDigits).replace(/^0+/, '');
    if (digits.length === 0) return { ...ZERO, neg };
    // value = digits · 10^k
    const k = exponentOf(m[4]) - fracDigits.length;
    // Far out of range either way: the largest long double is about 1.19e4932, the smallest subnormal 3.6e-4951.
    if (digits.length - 1 + k > 4933) return null;
    if (digits.length + k < -4952) return null;
    const d = BigInt(digits);
    const v = k >= 0 ? roundToLongDouble(neg, d * tenTo(k), 0, false) : roundQuotient(neg, d, tenTo(-k), 0);
    return v.inf || v.mant === 0n ? null : v;
  }
  m = HEX.exec(s);
  if (m !== null) {
    const intDigits = m[2];
    const fracDigits = m[3] ?? '';
    if (intDigits.length + fracDigits.length === 0) return null;
    const neg = m[1] === '-';
    const h = BigInt(`0x${intDigits}${fracDigits}`);
    if (h === 0n) return { ...ZERO, neg };
    // value = h · 2^e
    const e = exponentOf(m[4]) - 4 * fracDigits.length;
    const top = bitLength(h) + e;
    if (top > MAX_EXP) return null;
    if (top <= MIN_LSB_EXP - 1) return null;
    const v = roundToLongDouble(neg, subnormalHexQuirk(h, e), e, false);
    return v.inf || v.mant === 0n ? null : v;
  }
  m = INF.exec(s);
  if (m !== null) return infinity(m[1] === '-');
  return null;
}

/** a + b in long double arithmetic; null when the sum is NaN (inf + -inf). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return null;
    return a.inf ? a : b;
  }
  // Exact sum on a common exponent, then one rounding, as the FPU does.
  const e = Math.min(a.exp, b.exp);
  const x = a.mant << BigInt(a.exp - e);
  const y = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -x : x) + (b.neg ? -y : y);
  if (sum === 0n) return { ...ZERO, neg: a.neg && b.neg };
  return roundToLongDouble(sum < 0n, sum < 0n ? -sum : sum, e, false);
}

const TEN_POW_17 = 10n ** 17n;

/**
 * printf("%.17Lf") with trailing zeros (and then the point) removed, and "-0"
 * printed as "0" (ld2string LD_STR_HUMAN). glibc rounds the exact binary
 * value to 17 decimals, ties to even.
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? '-inf' : 'inf';
  let scaled: bigint; // round(|v| · 10^17)
  if (v.exp >= 0) {
    scaled = (v.mant << BigInt(v.exp)) * TEN_POW_17;
  } else {
    const n = v.mant * TEN_POW_17;
    const shift = BigInt(-v.exp);
    scaled = n >> shift;
    const rest = n & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const digits = scaled.toString().padStart(18, '0');
  let s = `${digits.slice(0, -17)}.${digits.slice(-17)}`.replace(/0+$/, '');
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (v.neg) s = `-${s}`;
  return s === '-0' ? '0' : s;
}

/**
 * INCRBYFLOAT's arithmetic: the stored string (undefined when the key is
 * missing, read as 0) plus the increment, formatted as Redis stores it.
 */
export function incrByFloat(current: string | undefined, incr: string): string | 'not-float' | 'nan-or-inf' {
  const a = current === undefined ? ZERO : parseLongDouble(current);
  if (a === null) return 'not-float';
  const b = parseLongDouble(incr);
  if (b === null) return 'not-float';
  const sum = addLongDouble(a, b);
  if (sum === null || sum.inf) return 'nan-or-inf';
  return formatLongDoubleHuman(sum);
}
