/**
 * Internal commands: the acceptor sends them through the rings so that they
 * take effect in order with the clients' commands. They are not in the public
 * command table (COMMAND does not list them; clients cannot call them).
 */
import { command as c } from './define.js';

export const internalCommands = [
  // CONFIG SET's new shard configuration (JSON in argv[1]); every shard applies it before the next command in its ring.
  c('shardis|apply-config', 2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Applies a configuration change on a shard.' }),
  // A client with a blocking command outstanding disconnected (argv[1]: its id); sent with client id 0, so no reply is awaited.
  // Parks a shard for a cross-shard transaction executed by shard argv[1] (workers/shard/transaction.ts); client id 0.
  c('shardis|txn-park', 2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Parks a shard for a cross-shard transaction.' }),
  // Watch / unwatch keys for a client blocked on keys of several shards (argv: token db type key...; token); client id 0.
  c('shardis|watch-keys', -5, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Watches keys for a client blocked across shards.' }),
  c('shardis|unwatch-keys', 2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Stops watching keys for a blocked client.' }),
  // WATCH / UNWATCH on the shard that owns the keys (argv: client id db key...; client id); client id 0.
  c('shardis|watch', -4, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Watches keys for a client (WATCH).' }),
  c('shardis|unwatch', 2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Forgets the keys a client watches.' }),
  // A MULTI block for one executor (workers/shard/exec.ts has the argument layout).
  c('shardis|exec', -3, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Runs the commands of a MULTI block.' }),
  // DEBUG OBJECT / SET-ACTIVE-EXPIRE on the shards (argv: sub args...; workers/shard/introspect.ts).
  c('shardis|debug', -2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Runs a DEBUG subcommand on a shard.' }),
  // CONFIG RESETSTAT: a shard zeroes its per-command statistics.
  c('shardis|resetstat', 1, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Resets per-command statistics on a shard.' }),
  c('shardis|client-gone', 2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Forgets a disconnected blocked client.' }),
  // CLIENT UNBLOCK of a client blocked on this shard (argv: client id, 'timeout' | 'error'); answers 1 or 0 (summed across shards).
  c('shardis|unblock', 3, '', '', 'server', { route: 'all-shards', merge: 'sum', summary: 'Ends a blocked client\'s wait as a timeout or an error.' }),
];
