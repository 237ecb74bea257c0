/**
 * Finding a command's keys from its key specs (Redis getKeysUsingKeySpecs):
 * COMMAND GETKEYS, and the acceptor's routing of commands whose keys depend
 * on their arguments (numkeys: LMPOP, ZUNIONSTORE, SINTERCARD ...).
 */
import { sortKeys, sortRoKeys } from './sort.js';
import type { CommandSpec } from './spec.js';

/** Key spec flags in Redis' order and spelling (addReplyFlagsForKeyArgs). */
export const KEY_SPEC_FLAGS = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'];

/** The members of `order` that `have` contains (case-insensitively), in `order`'s order and spelling. */
export function ordered(order: readonly string[], have: readonly string[]): string[] {
  const set = new Set(have.map((f) => f.toLowerCase()));
  return order.filter((f) => set.has(f.toLowerCase()));
}

/** Redis string2ll for numkeys: "0" or an optional '-' without leading zeros. */
export function parseStrictInt(s: string): number | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

export interface KeyRef {
  /** Position in the command's argv (0 is the command name). */
  pos: number;
  flags: string[];
}

/**
 * The keys of a command by its key specs (Redis getKeysUsingKeySpecs): index
 * or keyword begin-search, range or keynum find-keys. Null when the arguments
 * do not fit a spec (a keyword's keys run past the end, a bad numkeys ...).
 */
export function keysFromSpecs(spec: CommandSpec, argv: string[]): KeyRef[] | null {
  const argc = argv.length;
  const out: KeyRef[] = [];
  for (const ks of spec.keySpecs) {
    if (ks.flags.some((f) => f.toLowerCase() === 'not_key')) continue;
    // An unknown spec makes the whole search invalid, as in Redis (a key finder takes over).
    if ('unknown' in ks.beginSearch || 'unknown' in ks.findKeys) return null;
    let first = 0;
    if ('index' in ks.beginSearch) {
      first = ks.beginSearch.index;
    } else {
      const from = ks.beginSearch.startFrom;
      const start = from > 0 ? from : argc + from;
      const end = from > 0 ? argc - 1 : 1;
      const keyword = ks.beginSearch.keyword.toLowerCase();
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toLowerCase() === keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // keyword absent: no keys from this spec
    }
    let last: number;
    let step: number;
    if ('range' in ks.findKeys) {
      const r = ks.findKeys.range;
      step = r.step;
      if (r.lastKey >= 0) last = first + r.lastKey;
      else if (r.limit === 0) last = argc + r.lastKey;
      else last = first + (Math.trunc((argc - first) / r.limit) + r.lastKey);
    } else {
      const k = ks.findKeys.keynum;
      step = k.step;
      if (k.keyNumIdx >= argc) return null;
      const n = parseStrictInt(argv[first + k.keyNumIdx] ?? '');
      if (n === null || n < 0) return null;
      first += k.firstKey;
      last = first + n - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: ordered(KEY_SPEC_FLAGS, ks.flags) });
    if (ks.flags.some((f) => f.toLowerCase() === 'incomplete')) return null;
  }
  return out;
}

/**
 * Redis' getkeys_proc: the key finders of commands whose key specs cannot
 * name every key (an 'unknown' spec), used when keysFromSpecs gives up.
 */
export const keyFinders: Record<string, (argv: readonly string[]) => KeyRef[]> = {
  sort: sortKeys,
  sort_ro: sortRoKeys,
};

/** A command's keys as Redis' getKeysFromCommandWithSpecs finds them: key specs first, then the command's key finder. */
export function commandKeys(spec: CommandSpec, argv: string[]): KeyRef[] {
  return keysFromSpecs(spec, argv) ?? keyFinders[spec.name]?.(argv) ?? [];
}
