/**
 * Redis' parseScanCursorOrReply: strtoul over a C string (a NUL byte ends
 * it), refusing leading spaces; a negative number wraps around 2^64 as C's
 * conversion does. Null when invalid (the caller replies "ERR invalid cursor").
 */
export function parseScanCursor(s: string): bigint | null {
  if (s.length > 0 && /^\s/.test(s)) return null;
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (s === '') return 0n;
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]);
  if (v > 18446744073709551615n) return null;
  if (m[1] === '-' && v !== 0n) return 18446744073709551616n - v;
  return v;
}
