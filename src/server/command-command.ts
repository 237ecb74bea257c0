/**
 * COMMAND and its subcommands, generated from the command table in the shape
 * of Redis 7.0's replies (server.c addReplyCommandInfo / addReplyCommandDocs):
 * flags, ACL categories and key spec flags come out in Redis' fixed order and
 * spelling whatever order a table entry lists them in, and each part has
 * Redis' RESP3 type (sets for flags, categories, tips and key specs).
 */
import { arityOk, type ArgSpec, type CommandSpec, type KeySpec } from '../commands/spec.js';
import { aclCategories, commandTable, findSubcommand } from '../commands/table.js';
import type { ReplyWriter } from '../resp/writer.js';
import { globMatch } from '../util/glob.js';
import { KEY_SPEC_FLAGS, keyFinders, keysFromSpecs, ordered, type KeyRef } from '../commands/key-specs.js';
import { reply, type LocalHandler } from './local-ctx.js';

/** Command flags COMMAND shows, in Redis' order; the others (sentinel, may_replicate, touches_arbitrary_keys ...) are hidden as in Redis. */
export const SHOWN_COMMAND_FLAGS = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];
export const HIDDEN_COMMAND_FLAGS = ['may_replicate', 'sentinel', 'only_sentinel', 'protected', 'touches_arbitrary_keys'];


/** ACL categories in Redis' order (acl.c ACLCommandCategories). */
export const ACL_CATEGORY_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];


function writeStatusSet(w: ReplyWriter, items: readonly string[]): void {
  w.setLen(items.length);
  for (const s of items) w.simple(s);
}

function writeKeySpec(w: ReplyWriter, ks: KeySpec): void {
  w.mapLen(ks.notes ? 4 : 3);
  if (ks.notes) {
    w.bulk('notes');
    w.bulk(ks.notes);
  }
  w.bulk('flags');
  writeStatusSet(w, ordered(KEY_SPEC_FLAGS, ks.flags));
  w.bulk('begin_search');
  w.mapLen(2);
  w.bulk('type');
  if ('unknown' in ks.beginSearch) {
    w.bulk('unknown');
    w.bulk('spec');
    w.mapLen(0);
  } else if ('index' in ks.beginSearch) {
    w.bulk('index');
    w.bulk('spec');
    w.mapLen(1);
    w.bulk('index');
    w.int(ks.beginSearch.index);
  } else {
    w.bulk('keyword');
    w.bulk('spec');
    w.mapLen(2);
    w.bulk('keyword');
    w.bulk(ks.beginSearch.keyword);
    w.bulk('startfrom');
    w.int(ks.beginSearch.startFrom);
  }
  w.bulk('find_keys');
  w.mapLen(2);
  w.bulk('type');
  if ('unknown' in ks.findKeys) {
    w.bulk('unknown');
    w.bulk('spec');
    w.mapLen(0);
  } else if ('range' in ks.findKeys) {
    w.bulk('range');
    w.bulk('spec');
    w.mapLen(3);
    w.bulk('lastkey');
    w.int(ks.findKeys.range.lastKey);
    w.bulk('keystep');
    w.int(ks.findKeys.range.step);
    w.bulk('limit');
    w.int(ks.findKeys.range.limit);
  } else {
    w.bulk('keynum');
    w.bulk('spec');
    w.mapLen(3);
    w.bulk('keynumidx');
    w.int(ks.findKeys.keynum.keyNumIdx);
    w.bulk('firstkey');
    w.int(ks.findKeys.keynum.firstKey);
    w.bulk('keystep');
    w.int(ks.findKeys.keynum.step);
  }
}

/** One COMMAND INFO entry (Redis addReplyCommandInfo); null gives Redis' null for an unknown name. */
export function writeCommandInfo(w: ReplyWriter, spec: CommandSpec | undefined): void {
  if (spec === undefined) return w.nil();
  w.arrayLen(10);
  w.bulk(spec.name);
  w.int(spec.arity);
  writeStatusSet(w, ordered(SHOWN_COMMAND_FLAGS, spec.flags));
  w.int(spec.firstKey);
  w.int(spec.lastKey);
  w.int(spec.step);
  writeStatusSet(w, ordered(ACL_CATEGORY_ORDER, aclCategories(spec)).map((c) => `@${c}`));
  const tips = spec.tips ?? [];
  w.setLen(tips.length);
  for (const t of tips) w.bulk(t);
  w.setLen(spec.keySpecs.length);
  for (const ks of spec.keySpecs) writeKeySpec(w, ks);
  // Redis: a set of 0 without subcommands, an array of them otherwise.
  const subs = spec.subcommands ?? [];
  if (subs.length === 0) return w.setLen(0);
  w.arrayLen(subs.length);
  for (const s of subs) writeCommandInfo(w, s);
}

/** Writes a map whose fields are only those present, in the given order. */
function writeMap(w: ReplyWriter, fields: [string, (() => void) | false | undefined][]): void {
  const present = fields.filter((f): f is [string, () => void] => typeof f[1] === 'function');
  w.mapLen(present.length);
  for (const [k, v] of present) {
    w.bulk(k);
    v();
  }
}

function writeArgDocs(w: ReplyWriter, a: ArgSpec): void {
  const flags = [a.optional && 'optional', a.multiple && 'multiple', a.multipleToken && 'multiple_token'].filter(Boolean) as string[];
  // Field order of Redis' addReplyCommandArgList.
  writeMap(w, [
    ['name', () => w.bulk(a.name)],
    ['type', () => w.bulk(a.type)],
    ['key_spec_index', a.keySpecIndex !== undefined && (() => w.int(a.keySpecIndex!))],
    ['token', a.token !== undefined && (() => w.bulk(a.token!))],
    ['since', a.since !== undefined && (() => w.bulk(a.since!))],
    ['deprecated_since', a.deprecatedSince !== undefined && (() => w.bulk(a.deprecatedSince!))],
    ['flags', flags.length > 0 && (() => writeStatusSet(w, flags))],
    ['arguments', (a.type === 'oneof' || a.type === 'block') && (() => writeArgList(w, a.args ?? []))],
  ]);
}

function writeArgList(w: ReplyWriter, args: ArgSpec[]): void {
  w.arrayLen(args.length);
  for (const a of args) writeArgDocs(w, a);
}

/** One COMMAND DOCS entry (Redis addReplyCommandDocs). */
export function writeCommandDocs(w: ReplyWriter, spec: CommandSpec): void {
  const subs = spec.subcommands ?? [];
  const docFlags = ordered(['deprecated', 'syscmd'], spec.docFlags ?? []);
  writeMap(w, [
    ['summary', () => w.bulk(spec.summary)],
    ['since', () => w.bulk(spec.since)],
    ['group', () => w.bulk(spec.group)],
    ['complexity', spec.complexity !== undefined && (() => w.bulk(spec.complexity!))],
    ['doc_flags', docFlags.length > 0 && (() => writeStatusSet(w, docFlags))],
    ['deprecated_since', spec.deprecatedSince !== undefined && (() => w.bulk(spec.deprecatedSince!))],
    ['replaced_by', spec.replacedBy !== undefined && (() => w.bulk(spec.replacedBy!))],
    ['history', spec.history !== undefined && spec.history.length > 0 && (() => {
      w.setLen(spec.history!.length);
      for (const [v, text] of spec.history!) {
        w.arrayLen(2);
        w.bulk(v);
        w.bulk(text);
      }
    })],
    ['arguments', spec.args.length > 0 && (() => writeArgList(w, spec.args))],
    ['subcommands', subs.length > 0 && (() => {
      w.mapLen(subs.length);
      for (const s of subs) {
        w.bulk(s.name);
        writeCommandDocs(w, s);
      }
    })],
  ]);
}

/** A command by 'name' or 'container|sub', case-insensitively (Redis lookupCommandBySds). */
export function lookupByFullName(name: string): CommandSpec | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = commandTable.get(parts[0]);
  if (parts.length === 1 || base === undefined) return base;
  return findSubcommand(base, parts[1]);
}

/** Redis lookupCommand over an argv: a container with an argument resolves to its subcommand (or nothing). */
function lookupArgv(argv: string[]): CommandSpec | undefined {
  const base = commandTable.get(argv[0].toLowerCase());
  if (base === undefined || argv.length === 1 || base.subcommands === undefined) return base;
  return findSubcommand(base, argv[1].toLowerCase());
}

const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

/**
 * Commands whose key flags depend on the arguments (key spec flag
 * VARIABLE_FLAGS) have their own key finder, as Redis' getkeys_proc.
 */
const variableFlagKeys: Record<string, (argv: string[]) => KeyRef[]> = {
  // setGetKeys: with GET the key is read as well as written.
  set(argv) {
    const withGet = argv.slice(3).some((a) => a.toLowerCase() === 'get');
    return [{ pos: 1, flags: withGet ? ['RW', 'access', 'update'] : ['OW', 'update'] }];
  },
};

/** COMMAND GETKEYS / GETKEYSANDFLAGS (Redis getKeysSubcommandImpl): keys, or an error text. */
function getKeys(cmdArgv: string[]): string | KeyRef[] {
  const spec = lookupArgv(cmdArgv);
  if (spec === undefined) return 'ERR Invalid command specified';
  const special = variableFlagKeys[spec.name] ?? keyFinders[spec.name];
  const hasKeys = special !== undefined || spec.keySpecs.some((ks) => !ks.flags.some((f) => f.toLowerCase() === 'not_key'));
  if (!hasKeys) return 'ERR The command has no key arguments';
  if (!arityOk(spec, cmdArgv.length)) return 'ERR Invalid number of arguments specified for command';
  const varFlags = spec.keySpecs.some((ks) => ks.flags.some((f) => f.toLowerCase() === 'variable_flags'));
  let keys = varFlags ? null : keysFromSpecs(spec, cmdArgv);
  if (keys === null) keys = special ? special(cmdArgv) : [];
  if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) return 'ERR Invalid arguments specified for command';
  return keys;
}

/** Every command and subcommand name, containers before their subcommands (COMMAND LIST). */
function allNames(): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of commandTable.values()) {
    out.push(spec);
    for (const s of spec.subcommands ?? []) out.push(s);
  }
  return out;
}

export const commandCommands: Record<string, LocalHandler> = {
  command(ctx) {
    const all = [...commandTable.values()];
    reply(ctx, (w) => {
      w.arrayLen(all.length);
      for (const spec of all) writeCommandInfo(w, spec);
    });
  },
  'command|count'(ctx) {
    reply(ctx, (w) => w.int(commandTable.size));
  },
  'command|info'(ctx, argv) {
    const specs = argv.length === 2 ? [...commandTable.values()] : argv.slice(2).map(lookupByFullName);
    reply(ctx, (w) => {
      w.arrayLen(specs.length);
      for (const spec of specs) writeCommandInfo(w, spec);
    });
  },
  'command|docs'(ctx, argv) {
    const specs = argv.length === 2 ? [...commandTable.values()] : (argv.slice(2).map(lookupByFullName).filter(Boolean) as CommandSpec[]);
    reply(ctx, (w) => {
      w.mapLen(specs.length);
      for (const spec of specs) {
        w.bulk(spec.name);
        writeCommandDocs(w, spec);
      }
    });
  },
  'command|list'(ctx, argv) {
    let filter: ((s: CommandSpec) => boolean) | null = null;
    // commandListCommand: only "FILTERBY <type> <arg>", and the last one given wins.
    for (let i = 2; i < argv.length; i++) {
      if (argv[i].toLowerCase() !== 'filterby' || argv.length - 1 - i !== 2) return reply(ctx, (w) => w.error('ERR syntax error'));
      const kind = argv[i + 1].toLowerCase();
      const value = argv[i + 2];
      if (kind === 'module') filter = () => false;
      else if (kind === 'aclcat') filter = (s) => aclCategories(s).includes(value.toLowerCase());
      else if (kind === 'pattern') filter = (s) => globMatch(value, s.name, true);
      else return reply(ctx, (w) => w.error('ERR syntax error'));
      i += 2;
    }
    const names = allNames().filter((s) => filter === null || filter(s)).map((s) => s.name);
    reply(ctx, (w) => w.bulkArray(names));
  },
  'command|getkeys'(ctx, argv) {
    const r = getKeys(argv.slice(2));
    if (typeof r === 'string') return reply(ctx, (w) => w.error(r));
    reply(ctx, (w) => w.bulkArray(r.map((k) => argv[k.pos + 2])));
  },
  'command|getkeysandflags'(ctx, argv) {
    const r = getKeys(argv.slice(2));
    if (typeof r === 'string') return reply(ctx, (w) => w.error(r));
    reply(ctx, (w) => {
      w.arrayLen(r.length);
      for (const k of r) {
        w.arrayLen(2);
        w.bulk(argv[k.pos + 2]);
        writeStatusSet(w, k.flags);
      }
    });
  },
  'command|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(COMMAND_HELP.length);
      for (const line of COMMAND_HELP) w.simple(line);
    });
  },
};
