/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP over the options shardis has
 * (config/config.ts), with Redis 7.0's semantics (config.c): GET takes
 * several names or glob patterns; SET takes several pairs and changes all of
 * them or none, with Redis' error replies.
 */
import { Config } from '../config/config.js';
import { rewriteConfigFile } from '../config/rewrite.js';
import { setLogLevel } from '../log.js';
import { globMatch } from '../util/glob.js';
import { resetStats } from './info.js';
import type { Host } from './host.js';
import { reply, type LocalHandler } from './local-ctx.js';

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

/** CONFIG SET's checks before anything changes (configSetCommand): the first problem found is the error reply, or null. */
function checkSetArgs(argv: string[]): string | null {
  if (argv.length % 2 !== 0) return 'ERR syntax error';
  const seen = new Set<string>();
  for (let j = 2; j < argv.length; j += 2) {
    const name = argv[j];
    const canonical = Config.canonical(name);
    if (canonical === undefined) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
    if (!Config.mutable(name)) return `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
    if (seen.has(canonical)) return `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
    seen.add(canonical);
  }
  return null;
}

/** What this acceptor does for the others' CONFIG SET and CONFIG RESETSTAT (src/server/peer-ops.ts). */
export function registerConfigPeerOps(host: Host): void {
  host.peers.handle('config-set', (pairs, _from, answer) => {
    // Checked on the asking acceptor, where every value was accepted: the same values are taken here.
    for (const [name, value] of pairs as [string, string][]) host.config.setFromValue(name, value);
    setLogLevel(host.log, host.config.loglevel);
    answer(null);
  });
  host.peers.handle('resetstat', (_args, _from, answer) => {
    resetStats(host, false);
    answer(null);
  });
}

export const configCommands: Record<string, LocalHandler> = {
  'config|get'(ctx, argv) {
    const config = ctx.host.config;
    // Keyed by the name matched, lower case (an option and its alias are both listed when both are named, as in Redis).
    const found = new Map<string, string>();
    for (const pattern of argv.slice(2)) {
      if (!/[[*?]/.test(pattern)) {
        const lower = pattern.toLowerCase();
        if (Config.canonical(pattern) !== undefined && !found.has(lower)) found.set(lower, pattern);
        continue;
      }
      for (const name of config.namesAndAliases()) {
        // configGetCommand skips a name whose option is already listed under its own name.
        if (found.has(name) || found.has(Config.canonical(name)!)) continue;
        if (globMatch(pattern, name, true)) found.set(name, name);
      }
    }
    reply(ctx, (w) => {
      w.mapLen(found.size);
      for (const [name, shown] of found) {
        w.bulk(shown);
        w.bulk(config.get(name)!);
      }
    });
  },

  'config|set'(ctx, argv) {
    const config = ctx.host.config;
    const invalid = checkSetArgs(argv);
    if (invalid !== null) return reply(ctx, (w) => w.error(invalid));
    // All or nothing: on the first bad value, every option gets its old value back.
    const before = config.snapshot();
    for (let j = 2; j < argv.length; j += 2) {
      const error = config.setFromValue(argv[j], argv[j + 1]);
      if (error !== null) {
        config.restore(before);
        const name = Config.canonical(argv[j]);
        return reply(ctx, (w) => w.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${error}`));
      }
    }
    setLogLevel(ctx.host.log, config.loglevel);
    // The shards take it now, in ring order (commands sent after it see it); every other acceptor
    // takes the same values; +OK once all of them have.
    ctx.host.shards.applyConfig(ctx.client, ctx.seq, ctx.host.peers.count > 1);
    const pairs: [string, string][] = [];
    for (let j = 2; j < argv.length; j += 2) pairs.push([argv[j], argv[j + 1]]);
    if (ctx.host.peers.count > 1) ctx.host.peers.ask('config-set', pairs, () => ctx.host.replies.partDone(ctx.client, ctx.seq));
  },

  'config|resetstat'(ctx) {
    resetStats(ctx.host, true);
    ctx.host.peers.ask('resetstat', null, () => reply(ctx, (w) => w.ok()));
  },

  'config|rewrite'(ctx) {
    const config = ctx.host.config;
    if (config.configFile === null) return reply(ctx, (w) => w.error('ERR The server is running without a config file'));
    const error = rewriteConfigFile(config);
    if (error !== null) {
      ctx.host.log.warn({ error }, `CONFIG REWRITE failed: ${error}`);
      return reply(ctx, (w) => w.error(`ERR Rewriting config file: ${error}`));
    }
    ctx.host.log.warn('CONFIG REWRITE executed with success.');
    reply(ctx, (w) => w.ok());
  },

  'config|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(CONFIG_HELP.length);
      for (const line of CONFIG_HELP) w.simple(line);
    });
  },
};
