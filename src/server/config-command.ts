/** CONFIG GET / SET / HELP over the options shardis has (config/config.ts). */
import { globMatch } from '../util/glob.js';
import { setLogLevel } from '../log.js';
import { reply, type LocalHandler } from './local-commands.js';

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'HELP',
  '    Prints this help.',
];

export const configCommands: Record<string, LocalHandler> = {
  'config|get'(ctx, argv) {
    const config = ctx.acceptor.config;
    const found = new Map<string, string>();
    for (const pattern of argv.slice(2)) {
      for (const name of config.names()) {
        if (!found.has(name) && globMatch(pattern.toLowerCase(), name, true)) found.set(name, config.get(name)!);
      }
    }
    reply(ctx, (w) => {
      w.mapLen(found.size);
      for (const [k, v] of found) {
        w.bulk(k);
        w.bulk(v);
      }
    });
  },
  'config|set'(ctx, argv) {
    if ((argv.length - 2) % 2 !== 0) return reply(ctx, (w) => w.error("ERR wrong number of arguments for 'config|set' command"));
    const config = ctx.acceptor.config;
    // All or nothing: validate every pair on a copy first, as Redis does.
    const before = new Map(config.names().map((n) => [n, config.get(n)!]));
    for (let j = 2; j < argv.length; j += 2) {
      const name = argv[j].toLowerCase();
      const error = config.set(name, [argv[j + 1]], true);
      if (error !== null) {
        for (const [n, v] of before) config.set(n, [v]);
        const text = error.startsWith('Bad directive') ? `ERR Unknown option or number of arguments for CONFIG SET - '${argv[j]}'` : `ERR CONFIG SET failed (possibly related to argument '${argv[j]}') - ${error}`;
        return reply(ctx, (w) => w.error(text));
      }
    }
    setLogLevel(ctx.acceptor.log, config.loglevel);
    // The +OK is sent once every shard has applied the change, in ring order.
    ctx.acceptor.applyConfigToShards(ctx.client, ctx.seq);
  },
  'config|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(CONFIG_HELP.length);
      for (const line of CONFIG_HELP) w.simple(line);
    });
  },
};
