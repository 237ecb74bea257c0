/**
 * globMatch against the behaviour of Redis 7.0.15's stringmatchlen. The
 * expected values were produced by that C function compiled on x86-64 (signed
 * char, glibc tolower in the C locale) and are pinned here; the differential
 * KEYS and SCAN MATCH tests (test/unit/keyspace.test.ts, scan.test.ts) check
 * the same against a running redis-server.
 */
import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.js';

/** [pattern, string, matches] with nocase off. */
const CASES: [string, string, boolean][] = [
  // '*' and '?': note that no non-empty pattern matches the empty string.
  ['*', '', false],
  ['*', 'a', true],
  ['**', '', false],
  ['', '', true],
  ['', 'a', false],
  ['a', '', false],
  ['?', 'a', true],
  ['?', '', false],
  ['?', 'ab', false],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['*c', 'abc', true],
  ['*b*', 'abc', true],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['foo*', 'foo', true],
  ['foo*bar', 'foobar', true],
  ['foo*bar', 'fooXbar', true],
  ['foo*bar', 'fooXbarX', false],
  ['h*llo', 'heeeello', true],
  ['a*b*c*', 'abc', true],
  ['a*b*c*', 'acb', false],
  ['*a*a*a*a*a*a*b', 'a'.repeat(31), false],
  // Classes, negation, ranges (backwards too), escapes inside classes.
  ['[abc]', 'b', true],
  ['[abc]', 'd', false],
  ['[^abc]', 'd', true],
  ['[^abc]', 'a', false],
  ['[!a]', 'b', false],
  ['h[^e]llo', 'hallo', true],
  ['h[^e]llo', 'hello', false],
  ['[a-c]', 'b', true],
  ['[c-a]', 'b', true],
  ['[a-c]', '-', false],
  ['[-a]', '-', true],
  ['[a-]', '-', false],
  ['k[0-9]?', 'k5x', true],
  ['[]]', ']', false],
  ['[]a]', 'a', false],
  ['[^]]', 'a', false],
  ['[\\]]', ']', true],
  ['[\\\\]', '\\', true],
  ['[\\-]', '-', true],
  // An unterminated '[' closes at the end of the pattern.
  ['[a', 'a', true],
  ['[a', 'b', false],
  ['[a', '[', false],
  ['[', '[', false],
  ['[', 'a', false],
  ['[^', 'a', true],
  ['[^', '^', true],
  ['[^]', '^', true],
  ['[^]', ']', true],
  ['[ab', 'b', true],
  ['[a-', 'a', true],
  ['[a-', '-', true],
  ['[a-', 'b', false],
  ['*[', 'a[', false],
  ['*[', 'a', false],
  // Escapes outside classes; a trailing backslash matches itself.
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['\\?', '?', true],
  ['\\[a]', '[a]', true],
  ['a\\', 'a\\', true],
  ['\\', '\\', true],
  ['\\\\', '\\', true],
  ['\\a', 'a', true],
  // Bytes >= 0x80 are negative C chars in ranges; NUL is an ordinary byte.
  ['[a-\xff]', '\x80', false],
  ['[a-\xff]', '0', true],
  ['[a-\xff]', '\xff', true],
  ['[a-\xff]', 'b', false],
  ['[\x80-\xff]', '\x90', true],
  ['[\x00-\x7f]', '\x80', false],
  ['[\x7f-\x80]', 'A', true],
  ['a\x00b', 'a\x00b', true],
  ['a*\x00', 'ab\x00', true],
  ['[\x00]', '\x00', true],
  ['*', '\x00', true],
];

/** [pattern, string, matches] with nocase on (used by CONFIG GET-style matching). */
const NOCASE: [string, string, boolean][] = [
  ['[a-\xff]', '\x80', false],
  ['[a-\xff]', '0', true],
  ['[A-Z]', 'q', true],
  ['[a-z]', 'Q', true],
  ['HELLO', 'hello', true],
  ['[^a]', 'A', false],
  // Only ASCII letters fold, as in the C locale.
  ['\xc0', '\xe0', false],
  // tolower() turns a negative char other than EOF (0xff) into its unsigned byte.
  ['[\x80-\xfe]', '\xff', false],
  ['[\x80-\xfe]', '\xa0', true],
  ['[a-\xfe]', '\xff', false],
];

describe('globMatch (Redis stringmatchlen)', () => {
  it.each(CASES)('%j against %j: %s', (pattern, str, expected) => {
    expect(globMatch(pattern, str)).toBe(expected);
  });

  it.each(NOCASE)('nocase %j against %j: %s', (pattern, str, expected) => {
    expect(globMatch(pattern, str, true)).toBe(expected);
  });

  it('gives up early on patterns with many stars (the skipLongerMatches fix)', () => {
    const t0 = performance.now();
    expect(globMatch('a*'.repeat(20) + 'b', 'a'.repeat(40))).toBe(false);
    expect(globMatch('*a'.repeat(30) + '*b', 'a'.repeat(200))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('matches patterns with thousands of stars without exhausting the stack', () => {
    const pattern = 'a*'.repeat(50_000);
    expect(globMatch(pattern, 'a'.repeat(50_000))).toBe(true);
    expect(globMatch(pattern, 'a'.repeat(49_999))).toBe(false);
    expect(globMatch(`${'*a'.repeat(20_000)}b`, `${'a'.repeat(20_000)}b`)).toBe(true);
  });
});
