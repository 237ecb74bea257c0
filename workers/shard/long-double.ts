/**
 * INCRBYFLOAT arithmetic. Redis computes it in C long double and stores
 * printf("%.17Lf") with trailing zeros removed (util.c ld2string, LD_STR_HUMAN).
 * First version: JS doubles; see the strings work for the exact emulation.
 */
export function parseLongDouble(s: string): number | null {
  if (s.length === 0 || /^\s/.test(s)) return null;
  const v = Number(s);
  if (Number.isNaN(v)) return null;
  return v;
}

export function formatLongDoubleHuman(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  let s = v.toFixed(17);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

export function incrByFloat(current: string, incr: string): string | 'not-float' | 'nan-or-inf' {
  const a = parseLongDouble(current);
  const b = parseLongDouble(incr);
  if (a === null || b === null) return 'not-float';
  const sum = a + b;
  if (!Number.isFinite(sum)) return 'nan-or-inf';
  return formatLongDoubleHuman(sum);
}
