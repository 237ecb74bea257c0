/**
 * Argument checks for commands sent to every shard (FLUSHALL, FLUSHDB,
 * SWAPDB), done once on the acceptor so every shard sees valid input and the
 * client gets one error, not one per shard.
 */
import { parseStrictInt } from '../commands/key-specs.js';
import type { Config } from '../config/config.js';
import { ERR } from '../resp/errors.js';

export const preRouteChecks: Record<string, (argv: string[], config: Config) => string | null> = {
  flushall: flushArgs,
  flushdb: flushArgs,
  swapdb(argv, config) {
    const a = parseStrictInt(argv[1]);
    if (a === null || a < -2147483648 || a > 2147483647) return 'ERR invalid first DB index';
    const b = parseStrictInt(argv[2]);
    if (b === null || b < -2147483648 || b > 2147483647) return 'ERR invalid second DB index';
    const n = config.databases;
    if (a < 0 || a >= n || b < 0 || b >= n) return ERR.DB_INDEX_OUT_OF_RANGE;
    return null;
  },
};

function flushArgs(argv: string[]): string | null {
  if (argv.length > 2) return ERR.SYNTAX;
  if (argv.length === 2 && !['sync', 'async'].includes(argv[1].toLowerCase())) return ERR.SYNTAX;
  return null;
}
