/**
 * Compact constructor for table entries: the facts (arity, flags, keys, ACL
 * categories) first, docs and routing in the options.
 */
import type { ArgSpec, CommandSpec, KeySpec, Merge, Route } from './spec.js';

export interface DefineOptions {
  keys?: [first: number, last: number, step: number];
  route?: Route;
  merge?: Merge;
  since?: string;
  summary?: string;
  complexity?: string;
  args?: ArgSpec[];
  keySpecs?: KeySpec[];
  /** Flags of the derived key spec when keySpecs is not given (default from the command flags). */
  keyFlags?: string[];
  history?: [string, string][];
  tips?: string[];
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  subcommands?: CommandSpec[];
}

export function command(
  name: string,
  arity: number,
  flags: string,
  acl: string,
  group: CommandSpec['group'],
  opts: DefineOptions = {},
): CommandSpec {
  const [firstKey, lastKey, step] = opts.keys ?? [0, 0, 0];
  const flagList = flags.split(' ').filter(Boolean);
  return {
    name,
    arity,
    flags: flagList,
    firstKey,
    lastKey,
    step,
    acl: acl.split(' ').filter(Boolean),
    group,
    since: opts.since ?? '1.0.0',
    summary: opts.summary ?? '',
    complexity: opts.complexity,
    args: opts.args ?? [],
    keySpecs: opts.keySpecs ?? (firstKey > 0 ? [derivedKeySpec(firstKey, lastKey, step, opts.keyFlags ?? defaultKeyFlags(flagList))] : []),
    history: opts.history,
    tips: opts.tips,
    docFlags: opts.docFlags,
    deprecatedSince: opts.deprecatedSince,
    replacedBy: opts.replacedBy,
    route: opts.route ?? (firstKey > 0 ? 'shard' : 'acceptor'),
    merge: opts.merge,
    subcommands: opts.subcommands,
    id: -1,
  };
}

function derivedKeySpec(first: number, last: number, step: number, flags: string[]): KeySpec {
  return {
    flags,
    beginSearch: { index: first },
    findKeys: { range: { lastKey: last < 0 ? last : last - first, step, limit: 0 } },
  };
}

function defaultKeyFlags(flags: string[]): string[] {
  if (flags.includes('readonly')) return ['RO', 'ACCESS'];
  return ['RW', 'ACCESS', 'UPDATE'];
}

/** Shorthand for argument docs (COMMAND DOCS "arguments"); `extra` holds token, optional, multiple, since ... */
type Extra = Partial<ArgSpec>;
export const arg = {
  key: (name: string, keySpecIndex: number, extra: Extra = {}): ArgSpec => ({ name, type: 'key', keySpecIndex, ...extra }),
  str: (name: string, extra: Extra = {}): ArgSpec => ({ name, type: 'string', ...extra }),
  int: (name: string, extra: Extra = {}): ArgSpec => ({ name, type: 'integer', ...extra }),
  dbl: (name: string, extra: Extra = {}): ArgSpec => ({ name, type: 'double', ...extra }),
  pattern: (name: string, extra: Extra = {}): ArgSpec => ({ name, type: 'pattern', ...extra }),
  time: (name: string, extra: Extra = {}): ArgSpec => ({ name, type: 'unix-time', ...extra }),
  /** A pure token; its name is the token in lower case unless `extra.name` says otherwise. */
  token: (token: string, extra: Extra = {}): ArgSpec => ({ name: token.toLowerCase(), type: 'pure-token', token, ...extra }),
  oneof: (name: string, args: ArgSpec[], extra: Extra = {}): ArgSpec => ({ name, type: 'oneof', args, ...extra }),
  block: (name: string, args: ArgSpec[], extra: Extra = {}): ArgSpec => ({ name, type: 'block', args, ...extra }),
};
