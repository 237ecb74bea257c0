/**
 * INCRBYFLOAT's long double emulation against answers from the real thing:
 * every expected value below was produced by C on x86-64 (glibc strtold,
 * x87 long double addition, printf "%.17Lf" trimmed as ld2string does) and
 * the short ones checked against redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import { addLongDouble, formatLongDoubleHuman, incrByFloat, parseLongDouble } from './long-double.js';

describe('incrByFloat', () => {
  const cases: [current: string | undefined, incr: string, expected: string][] = [
    [undefined, '0.1', '0.1'],
    ['0.1', '0.2', '0.3'],
    ['10.5', '0.1', '10.6'],
    ['0', '5.0e3', '5000'],
    ['3000', '1.1', '3001.10000000000000009'],
    // 2^-18 has exactly 18 decimals: a tie at the 17th, rounded to even.
    ['0', '0.000003814697265625', '0.00000381469726562'],
    ['0', '0.000003814697265635', '0.00000381469726563'],
    ['0', '1.5e-17', '0.00000000000000002'],
    ['0', '0.5e-17', '0'],
    ['0', '2.5e-17', '0.00000000000000002'],
    ['0', '-2.5e-17', '-0.00000000000000002'],
    // Negative results that print as zero lose their sign.
    ['0', '-1e-20', '0'],
    ['0', '-0', '0'],
    ['-0', '-0', '0'],
    ['1', '-1', '0'],
    ['5.5', '-5.5', '0'],
    // Integers beyond 64 bits are rounded to a 64-bit significand.
    ['9223372036854775807', '1', '9223372036854775808'],
    ['-9223372036854775808', '-1', '-9223372036854775809'],
    ['18446744073709551615', '0', '18446744073709551615'],
    ['18446744073709551617', '0', '18446744073709551616'],
    ['12345678901234567890123', '0.5', '12345678901234567889920'],
    ['99999999999999999999', '0.99999999999999999', '100000000000000000000'],
    // What strtold accepts.
    ['3', '+.5', '3.5'],
    ['0', '00012', '12'],
    ['0', '1.e5', '100000'],
    ['0', '0x1.8p1', '3'],
    ['0', '0X1P4', '16'],
    ['0', '0e-5000', '0'],
    // Subnormals are accepted (and print as 0) until they round to zero.
    ['0', '1e-4940', '0'],
    ['0', '0x1p-16445', '0'],
    ['0', '0x1.00000000000000001p-16446', '0'],
    ['1.18973149535723176502e+4932', '-1.18973149535723176502e+4932', '0'],
  ];
  it.each(cases)('%s + %s = %s', (current, incr, expected) => {
    expect(incrByFloat(current, incr)).toBe(expected);
  });

  const invalid: [string | undefined, string][] = [
    ['0', 'nan'],
    ['0', '1e'],
    ['0', ' 1'],
    ['0', '1 '],
    ['0', '.'],
    ['0', '0x'],
    ['0', ''],
    ['0', '1\x002'],
    ['1e', '1'],
    ['abc', '1'],
    // ERANGE: overflow, and underflow to zero.
    ['0', '1e-5000'],
    ['0', '-1e-5000'],
    ['0', '1.18973149535723176509e+4932'],
    ['0', '0x1p16384'],
    // glibc's subnormal hex rounding drops the bit below the significand: this one rounds as a tie, to zero.
    ['0', '0x1.0000000000000001p-16446'],
    // string2ld's buffer: 5120 characters or more are refused.
  ];
  it.each(invalid)('%j + %j is not a valid float', (current, incr) => {
    expect(incrByFloat(current, incr)).toBe('not-float');
  });

  it('accepts 5119 characters', () => {
    expect(incrByFloat('0', `${'0'.repeat(5118)}1`)).toBe('1');
    expect(incrByFloat('0', `${'0'.repeat(5119)}1`)).toBe('not-float');
  });

  it('refuses results that are infinite or NaN', () => {
    expect(incrByFloat('0', 'inf')).toBe('nan-or-inf');
    expect(incrByFloat('0', '-Infinity')).toBe('nan-or-inf');
    expect(incrByFloat('1e4932', '1e4932')).toBe('nan-or-inf');
    expect(incrByFloat('-1.1e4932', '-1.1e4932')).toBe('nan-or-inf');
  });

  it('prints huge values in full', () => {
    const a = incrByFloat('0', '1e4930');
    expect(a.length).toBe(4931);
    expect(a.startsWith('1000000000000000000026173784887037930572')).toBe(true);
    expect(a.endsWith('797565772915470041149975035904')).toBe(true);
    const max = incrByFloat('0', '1.18973149535723176502e+4932');
    expect(max.length).toBe(4933);
    expect(max.startsWith('1189731495357231765021263853030970205169')).toBe(true);
    expect(max.endsWith('444156604419552086811989770240')).toBe(true);
    // The printed maximum parses back to itself.
    expect(incrByFloat(max, '0')).toBe(max);
  });

  it('accumulates as Redis does, re-reading the printed value each time', () => {
    let v: string | undefined;
    for (let i = 0; i < 1000; i++) v = incrByFloat(v, '0.1');
    expect(v).toBe('100');
    let w = '0';
    for (let i = 0; i < 300; i++) w = incrByFloat(w, '-1.7e-3');
    expect(w).toBe('-0.51');
  });
});

describe('long double parts', () => {
  it('parses exactly and adds with one rounding', () => {
    const a = parseLongDouble('0.1')!;
    // 0.1 to 64 bits: 0xCCCCCCCCCCCCCCCD · 2^-67.
    expect(a).toEqual({ neg: false, mant: 0xcccccccccccccccdn, exp: -67, inf: false });
    const sum = addLongDouble(a, parseLongDouble('0.2')!)!;
    expect(formatLongDoubleHuman(sum)).toBe('0.3');
    expect(addLongDouble(parseLongDouble('inf')!, parseLongDouble('-inf')!)).toBeNull();
  });
});
