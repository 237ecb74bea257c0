/** COMMAND and its subcommands, generated from the command table. */
import { arityOk, keyPositions, type ArgSpec, type CommandSpec, type KeySpec } from '../commands/spec.js';
import { aclCategories, commandTable, findSubcommand } from '../commands/table.js';
import type { ReplyWriter } from '../resp/writer.js';
import { globMatch } from '../util/glob.js';
import { reply, type LocalHandler } from './local-commands.js';

function writeKeySpec(w: ReplyWriter, ks: KeySpec): void {
  w.mapLen(ks.notes ? 4 : 3);
  if (ks.notes) {
    w.bulk('notes');
    w.bulk(ks.notes);
  }
  w.bulk('flags');
  w.setLen(ks.flags.length);
  for (const f of ks.flags) w.simple(f);
  w.bulk('begin_search');
  w.mapLen(2);
  w.bulk('type');
  if ('index' in ks.beginSearch) {
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
  if ('range' in ks.findKeys) {
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

/** One COMMAND INFO entry (Redis addReplyCommandInfo). */
export function writeCommandInfo(w: ReplyWriter, spec: CommandSpec): void {
  w.arrayLen(10);
  w.bulk(spec.name);
  w.int(spec.arity);
  w.setLen(spec.flags.length);
  for (const f of spec.flags) w.simple(f);
  w.int(spec.firstKey);
  w.int(spec.lastKey);
  w.int(spec.step);
  const acl = aclCategories(spec);
  w.setLen(acl.length);
  for (const c of acl) w.simple(`@${c}`);
  w.setLen(0); // tips
  w.arrayLen(spec.keySpecs.length);
  for (const ks of spec.keySpecs) writeKeySpec(w, ks);
  const subs = spec.subcommands ?? [];
  w.arrayLen(subs.length);
  for (const s of subs) writeCommandInfo(w, s);
}

function writeArgDocs(w: ReplyWriter, a: ArgSpec): void {
  const fields: [string, () => void][] = [
    ['name', () => w.bulk(a.name)],
    ['type', () => w.bulk(a.type)],
  ];
  if (a.displayText) fields.push(['display_text', () => w.bulk(a.displayText!)]);
  if (a.token) fields.push(['token', () => w.bulk(a.token!)]);
  if (a.since) fields.push(['since', () => w.bulk(a.since!)]);
  const flags = [a.optional && 'optional', a.multiple && 'multiple', a.multipleToken && 'multiple_token'].filter(Boolean) as string[];
  if (flags.length > 0) {
    fields.push(['flags', () => {
      w.setLen(flags.length);
      for (const f of flags) w.simple(f);
    }]);
  }
  if (a.args) {
    fields.push(['arguments', () => {
      w.arrayLen(a.args!.length);
      for (const sub of a.args!) writeArgDocs(w, sub);
    }]);
  }
  w.mapLen(fields.length);
  for (const [k, v] of fields) {
    w.bulk(k);
    v();
  }
}

/** One COMMAND DOCS entry (Redis addReplyCommandDocs). */
export function writeCommandDocs(w: ReplyWriter, spec: CommandSpec): void {
  const fields: [string, () => void][] = [
    ['summary', () => w.bulk(spec.summary)],
    ['since', () => w.bulk(spec.since)],
    ['group', () => w.bulk(spec.group)],
    ['complexity', () => w.bulk(spec.complexity)],
  ];
  if (spec.history && spec.history.length > 0) {
    fields.push(['history', () => {
      w.setLen(spec.history!.length);
      for (const [v, text] of spec.history!) {
        w.arrayLen(2);
        w.bulk(v);
        w.bulk(text);
      }
    }]);
  }
  if (spec.args.length > 0) {
    fields.push(['arguments', () => {
      w.arrayLen(spec.args.length);
      for (const a of spec.args) writeArgDocs(w, a);
    }]);
  }
  if (spec.subcommands && spec.subcommands.length > 0) {
    fields.push(['subcommands', () => {
      w.mapLen(spec.subcommands!.length);
      for (const s of spec.subcommands!) {
        w.bulk(s.name);
        writeCommandDocs(w, s);
      }
    }]);
  }
  w.mapLen(fields.length);
  for (const [k, v] of fields) {
    w.bulk(k);
    v();
  }
}

/** Finds a command or 'container|sub' / 'container sub' by name. */
function lookup(name: string): CommandSpec | undefined {
  const lower = name.toLowerCase();
  const bar = lower.indexOf('|');
  if (bar < 0) return commandTable.get(lower);
  const container = commandTable.get(lower.slice(0, bar));
  return container ? findSubcommand(container, lower.slice(bar + 1)) : undefined;
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
  '    Print this help.',
];

function getKeys(argv: string[]): { error: string } | { keys: number[]; spec: CommandSpec } {
  let spec = commandTable.get(argv[2].toLowerCase());
  if (spec && spec.subcommands && argv.length > 3) spec = findSubcommand(spec, argv[3].toLowerCase()) ?? spec;
  if (!spec) return { error: 'ERR Invalid command specified' };
  const cmdArgv = argv.slice(2);
  if (!arityOk(spec, cmdArgv.length)) return { error: 'ERR Invalid number of arguments specified for command' };
  const keys = keyPositions(spec, cmdArgv.length);
  if (keys.length === 0) return { error: 'ERR The command has no key arguments' };
  return { keys, spec };
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
    const specs = argv.length === 2 ? [...commandTable.values()] : argv.slice(2).map(lookup);
    reply(ctx, (w) => {
      w.arrayLen(specs.length);
      for (const spec of specs) {
        if (spec) writeCommandInfo(w, spec);
        else w.nilArray();
      }
    });
  },
  'command|docs'(ctx, argv) {
    const specs = argv.length === 2 ? [...commandTable.values()] : (argv.slice(2).map(lookup).filter(Boolean) as CommandSpec[]);
    reply(ctx, (w) => {
      w.mapLen(specs.length);
      for (const spec of specs) {
        w.bulk(spec.name);
        writeCommandDocs(w, spec);
      }
    });
  },
  'command|list'(ctx, argv) {
    let names: string[] = [];
    for (const spec of commandTable.values()) {
      names.push(spec.name);
      for (const s of spec.subcommands ?? []) names.push(s.name);
    }
    if (argv.length > 2) {
      if (argv.length !== 5 || argv[2].toLowerCase() !== 'filterby') return reply(ctx, (w) => w.error('ERR syntax error'));
      const kind = argv[3].toLowerCase();
      const value = argv[4];
      if (kind === 'pattern') names = names.filter((n) => globMatch(value, n, true));
      else if (kind === 'aclcat') names = names.filter((n) => aclCategories(lookup(n)!).includes(value.toLowerCase()));
      else if (kind === 'module') names = [];
      else return reply(ctx, (w) => w.error('ERR syntax error'));
    }
    reply(ctx, (w) => w.bulkArray(names));
  },
  'command|getkeys'(ctx, argv) {
    const r = getKeys(argv);
    if ('error' in r) return reply(ctx, (w) => w.error(r.error));
    reply(ctx, (w) => w.bulkArray(r.keys.map((p) => argv[p + 2])));
  },
  'command|getkeysandflags'(ctx, argv) {
    const r = getKeys(argv);
    if ('error' in r) return reply(ctx, (w) => w.error(r.error));
    reply(ctx, (w) => {
      w.arrayLen(r.keys.length);
      r.keys.forEach((p, i) => {
        const ks = r.spec.keySpecs[Math.min(i, r.spec.keySpecs.length - 1)];
        w.arrayLen(2);
        w.bulk(argv[p + 2]);
        w.setLen(ks?.flags.length ?? 0);
        for (const f of ks?.flags ?? []) w.simple(f);
      });
    });
  },
  'command|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(COMMAND_HELP.length);
      for (const line of COMMAND_HELP) w.simple(line);
    });
  },
};
