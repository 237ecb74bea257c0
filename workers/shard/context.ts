/**
 * What a command handler running on a shard sees: its database, the reply
 * writer, and the request's argument vector (argv[0] is the command name).
 */
import type { ReplyWriter } from '../../src/resp/writer.js';
import type { ShardConfig } from '../../src/config/shard-config.js';
import type { Db, Keyspace } from './keyspace.js';

export interface Ctx {
  ks: Keyspace;
  db: Db;
  dbIndex: number;
  w: ReplyWriter;
  /** Slot of the first key, computed by the acceptor for routing. */
  slot: number;
  /** True when this request is one part of a command split across shards. */
  part: boolean;
  config: ShardConfig;
}

export type Handler = (ctx: Ctx, argv: string[]) => void;
