/**
 * Number formatting exactly as Redis 7.0 prints numbers.
 */

/**
 * C's printf("%.17g", d), which Redis 7.0 uses for doubles in replies
 * (addReplyDouble: ZSCORE, ZINCRBY, RESP3 doubles ...), with "inf"/"-inf"/"nan".
 */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isSafeInteger(d)) return String(d);
  // toExponential gives the correctly rounded 17 significant digits; its exponent is authoritative.
  const e = d.toExponential(16);
  const ePos = e.indexOf('e');
  const realExp = Number(e.slice(ePos + 1));
  if (realExp < -4 || realExp >= 17) {
    const mantissa = stripZeros(e.slice(0, ePos));
    const sign = realExp < 0 ? '-' : '+';
    const digits = String(Math.abs(realExp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return stripZeros(d.toFixed(16 - realExp));
}

/** Removes trailing zeros after a decimal point, and the point itself if nothing follows. */
function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
