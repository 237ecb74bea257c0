/**
 * The command table: every command shardis answers, merged from the family
 * files. Ids are positions in `allCommands` (containers' subcommands included)
 * and travel in ring records; both threads import this module, so they agree.
 */
import { connectionCommands } from './connection.js';
import { hashCommands } from './hash.js';
import { internalCommands } from './internal.js';
import { keyCommands } from './keys.js';
import { listCommands } from './list.js';
import { pubsubCommands } from './pubsub.js';
import { serverCommands } from './server.js';
import { setCommands } from './set.js';
import { sortCommands } from './sort.js';
import type { CommandSpec } from './spec.js';
import { stringCommands } from './string.js';
import { transactionCommands } from './transactions.js';
import { zsetCommands } from './zset.js';

/** Top-level commands by lower-case name. */
export const commandTable = new Map<string, CommandSpec>();
/** Every command and subcommand, indexed by id. */
export const allCommands: CommandSpec[] = [];

const families = [
  stringCommands,
  keyCommands,
  listCommands,
  hashCommands,
  setCommands,
  zsetCommands,
  sortCommands,
  transactionCommands,
  pubsubCommands,
  connectionCommands,
  serverCommands,
];
for (const spec of families.flat()) {
  if (commandTable.has(spec.name)) throw new Error(`duplicate command ${spec.name}`);
  commandTable.set(spec.name, spec);
  spec.id = allCommands.push(spec) - 1;
  for (const sub of spec.subcommands ?? []) sub.id = allCommands.push(sub) - 1;
}
// Internal commands get ids too, but no entry in the public table.
for (const spec of internalCommands) spec.id = allCommands.push(spec) - 1;

/** An internal command by name (see internal.ts). */
export function internalCommand(name: string): CommandSpec {
  const spec = internalCommands.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no internal command ${name}`);
  return spec;
}

/** Finds a subcommand of a container by its lower-case name ('encoding' for OBJECT). */
export function findSubcommand(container: CommandSpec, sub: string): CommandSpec | undefined {
  const full = `${container.name}|${sub}`;
  return container.subcommands?.find((s) => s.name === full);
}

/** Redis' implicit ACL categories (setImplicitACLCategories), added to the declared ones. */
export function aclCategories(spec: CommandSpec): string[] {
  const out = [...spec.acl];
  const add = (c: string) => {
    if (!out.includes(c)) out.push(c);
  };
  if (spec.flags.includes('write')) add('write');
  if (spec.flags.includes('readonly') && !spec.acl.includes('scripting')) add('read');
  if (spec.flags.includes('admin')) {
    add('admin');
    add('dangerous');
  }
  if (spec.flags.includes('pubsub')) add('pubsub');
  if (spec.flags.includes('fast')) add('fast');
  if (spec.flags.includes('blocking')) add('blocking');
  if (!spec.flags.includes('fast')) add('slow');
  return out;
}
