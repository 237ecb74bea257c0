/**
 * The command table is the single source of truth: every entry must be
 * executable where its route says it runs, and documented.
 */
import { describe, expect, it } from 'vitest';
import { allCommands, commandTable } from '../../src/commands/table.js';
import { localHandlers } from '../../src/server/local-commands.js';
import { handlersByName } from '../../workers/shard/handlers.js';

describe('command table', () => {
  it('has a shard handler for every command routed to shards', () => {
    const missing = allCommands.filter((s) => s.route !== 'acceptor' && handlersByName[s.name] === undefined).map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it('has an acceptor handler for every command the acceptor answers (containers excepted)', () => {
    const missing = allCommands
      .filter((s) => s.route === 'acceptor' && !(s.subcommands && s.subcommands.length > 0 && s.name !== 'command'))
      .filter((s) => localHandlers[s.name] === undefined)
      .map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it('has no handler that the table does not route to it', () => {
    const names = new Set(allCommands.map((s) => s.name));
    expect(Object.keys(handlersByName).filter((n) => !names.has(n))).toEqual([]);
    expect(Object.keys(localHandlers).filter((n) => !names.has(n))).toEqual([]);
  });

  it('gives every command a summary, a group, a since version and consistent key positions', () => {
    for (const spec of allCommands) {
      expect(spec.summary, spec.name).not.toBe('');
      expect(spec.since, spec.name).toMatch(/^\d+\.\d+\.\d+$/);
      if (spec.route === 'shard' || spec.route === 'keys-fanout') {
        // Commands with a numkeys argument (LMPOP ...) may have no fixed first key: routing reads their key specs.
        if (!spec.flags.includes('movablekeys')) expect(spec.firstKey, spec.name).toBeGreaterThan(0);
        expect(spec.keySpecs.length, spec.name).toBeGreaterThan(0);
      }
      if (spec.route === 'keys-fanout' || spec.route === 'all-shards') expect(spec.merge, spec.name).toBeDefined();
    }
  });

  it('assigns ids that index allCommands, and names top-level commands in lower case', () => {
    allCommands.forEach((spec, i) => expect(spec.id).toBe(i));
    for (const name of commandTable.keys()) expect(name).toBe(name.toLowerCase());
    expect(allCommands.length).toBeLessThan(65536); // ids travel in 16 bits of the ring header
  });
});
