/**
 * What a command handler running on a shard sees: its database, the reply
 * writer, and the request's argument vector (argv[0] is the command name).
 */
import type { ReplyWriter } from '../../src/resp/writer.js';
import type { ShardConfig } from '../../src/config/shard-config.js';
import type { Db, Keyspace } from './keyspace.js';

/** What the internal commands (control.ts) ask of the shard they run on (shard.ts). */
export interface ShardControl {
  /** CONFIG SET: the new configuration, in ring order with the commands around it. */
  applyConfig(config: ShardConfig): void;
  /** A client with a blocking command outstanding disconnected. */
  clientGone(clientId: number): void;
  /** Watch keys for an acceptor's client blocked on keys of several shards (the request's acceptor is told when one is ready). */
  watchForWait(token: number, db: number, type: string, keys: string[]): void;
  unwatchForWait(token: number): void;
  /** WATCH / UNWATCH for a client. */
  watch(clientId: number, db: number, keys: string[]): void;
  unwatch(clientId: number): void;
  /** EXEC of a MULTI block (exec.ts). */
  exec(ctx: Ctx, argv: string[]): void;
  /** Waits here, serving the executor of a cross-shard transaction, until it is done (transaction.ts). */
  parkForTransaction(executor: number): void;
  /** CLIENT UNBLOCK: true when the client waited here (it then got its reply). */
  unblock(clientId: number, error: boolean): boolean;
}

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
  /** The shard's services for internal commands. */
  shard: ShardControl;
  /**
   * False where a blocking command must answer at once as if its timeout had
   * passed (inside MULTI or a script: Redis' CLIENT_DENY_BLOCKING).
   */
  canBlock: boolean;
  /**
   * Blocks the requesting client on `keys` until one of them is given a value
   * of `type` (workers/shard/blocking.ts). The handler writes no reply now:
   * it runs again, with the same argv, each time one of the keys becomes
   * ready, in FIFO order among the clients blocked on that key, and replies
   * then, or calls block() again to keep waiting at its place in line. When
   * the deadline passes the client gets a null array (Redis 7.0 replies so
   * for every list and sorted-set blocking command). deadline: absolute
   * milliseconds on Date.now()'s scale, 0 for ever (see parseTimeout()).
   */
  block(keys: string[], type: 'list' | 'zset', deadline: number): void;
  /**
   * Raises a keyspace event (Redis' notifyKeyspaceEvent): type is a NOTIFY_*
   * class (src/server/notify-flags.ts), event its name ('set', 'del' ...), db
   * the database (default: the request's). Call it where Redis does, after the change.
   */
  notify(type: number, event: string, key: string, db?: number): void;
}

export type Handler = (ctx: Ctx, argv: string[]) => void;
