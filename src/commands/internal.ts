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
  c('shardis|client-gone', 2, '', '', 'server', { route: 'all-shards', merge: 'ok', summary: 'Forgets a disconnected blocked client.' }),
];
