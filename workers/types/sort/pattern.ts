/**
 * SORT's BY and GET patterns (Redis sort.c lookupKeyByPattern): "#" is the
 * element itself; otherwise the first '*' is replaced by the element to name
 * a key, whose string value is used, or, with "->field" after the '*', the
 * value of that field of the hash at the key. Anything else (no '*', a
 * missing key, a key of another type, a missing field) gives null.
 *
 * Redis reads the pattern as a C string for its searches ('#', '*', "->")
 * while taking lengths from the whole argument, so a NUL byte in a pattern
 * hides what follows it from the searches, not from the key name.
 */
import type { Ctx } from '../../shard/context.js';
import { HashValue } from '../hash/hash-value.js';

/** A pattern split once per command: where the element goes and which hash field, if any. */
export interface SortPattern {
  kind: 'self' | 'none' | 'key';
  prefix: string;
  suffix: string;
  /** The hash field to read, or null for a string key. */
  field: string | null;
}

export function parsePattern(pattern: string): SortPattern {
  const nul = pattern.indexOf('\0');
  const cEnd = nul < 0 ? pattern.length : nul;
  if (cEnd === 1 && pattern[0] === '#') return { kind: 'self', prefix: '', suffix: '', field: null };
  const star = pattern.indexOf('*');
  if (star < 0 || star >= cEnd) return { kind: 'none', prefix: '', suffix: '', field: null };
  const arrow = pattern.indexOf('->', star + 1);
  // A field needs at least one character after the arrow (before any NUL byte).
  if (arrow >= 0 && arrow + 2 < cEnd) {
    return { kind: 'key', prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1, arrow), field: pattern.slice(arrow + 2) };
  }
  return { kind: 'key', prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), field: null };
}

/** The value a pattern names for one element (Redis lookupKeyRead on the key: hits, misses, lazy expiry). */
export function lookupByPattern(ctx: Ctx, p: SortPattern, element: string): string | null {
  if (p.kind === 'self') return element;
  if (p.kind === 'none') return null;
  const value = ctx.db.read(p.prefix + element + p.suffix);
  if (value === undefined) return null;
  if (p.field !== null) return value instanceof HashValue ? (value.get(p.field) ?? null) : null;
  return typeof value === 'string' ? value : null;
}

/**
 * In a cross-shard transaction, fetches every key the patterns name for these
 * elements in one round trip per shard, instead of one per key as lookups
 * would (transaction.ts).
 */
export function prefetchPatternKeys(ctx: Ctx, patterns: readonly (SortPattern | null)[], elements: readonly string[]): void {
  const remote = ctx.db.remote;
  if (remote === null) return;
  const keys: string[] = [];
  for (const p of patterns) {
    if (p === null || p.kind !== 'key') continue;
    for (const element of elements) keys.push(p.prefix + element + p.suffix);
  }
  if (keys.length > 0) remote.prefetch(ctx.db, keys);
}
