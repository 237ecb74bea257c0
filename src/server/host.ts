/**
 * What the commands the acceptor runs itself (src/server/*) see of the
 * acceptor thread they run on: a handful of small services, each with one
 * owner in src/net/. Modules here depend on these interfaces, never on the
 * Acceptor class that wires them (src/net/acceptor.ts).
 */
import type { SlotMap } from '../cluster/slot-map.js';
import type { CommandSpec } from '../commands/spec.js';
import type { Config } from '../config/config.js';
import type { Peers } from '../ipc/peers.js';
import type { ServerRegistry } from '../ipc/server-registry.js';
import type { ShardStats } from '../ipc/shard-stats.js';
import type { Logger } from '../log.js';
import type { ArgSource } from '../net/arg-source.js';
import type { Client } from '../net/client.js';
import type { SocketIoMode } from '../net/connection.js';
import type { ReplyWriter } from '../resp/writer.js';
import type { Introspection } from './introspect/state.js';
import type { PubSub } from './pubsub.js';

/** One acceptor's counters (INFO stats sums them over the acceptors). */
export interface AcceptorStats {
  startedAt: number;
  totalConnections: number;
  rejectedConnections: number;
  totalCommands: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
  /** Commands run as cross-shard transactions (INFO shardis: shardis_cross_shard_commands). */
  crossShardCommands: number;
  /** Socket reads and writes (INFO total_reads_processed / total_writes_processed). */
  readsProcessed: number;
  writesProcessed: number;
}

/** Replies to this acceptor's clients, in request order (src/net/reply-pump.ts). */
export interface Replies {
  /** Replies to `seq` with what `write` puts in the acceptor's writer. */
  replyLocal(client: Client, seq: number, write: (w: ReplyWriter) => void): void;
  /** Records a finished reply (the client gets it after every earlier one). */
  complete(client: Client, seq: number, reply: Buffer): void;
  /** A client got output outside a reply (pub/sub, MONITOR): write it at the end of this turn. */
  markDirty(client: Client): void;
  /** A reply rendered into bytes of its own, not sent (EXEC's queued acceptor commands), errors counted. */
  render(client: Client, write: (w: ReplyWriter) => void, countError?: boolean): Buffer;
  /** Counts an error reply made elsewhere (errorstats, total_error_replies). */
  noteError(bytes: Buffer): void;
  /** One part of the split reply to (client, seq) arrived outside the rings (EXEC's late acceptor replies). */
  partDone(client: Client, seq: number): void;
}

/** The shards as this acceptor reaches them (src/net/router.ts). */
export interface Shards {
  readonly count: number;
  readonly slots: SlotMap;
  /** Shard i's published statistics. */
  stats(shard: number): ShardStats;
  /** An internal command to one shard, or to all, with client id 0 (no reply awaited). */
  sendInternalTo(shard: number, name: string, ...args: string[]): void;
  sendInternal(name: string, ...args: string[]): void;
  /** The acceptor's own question to every shard: an internal command whose replies go to `done`, not to a client. */
  queryShards(name: string, args: string[], done: (parts: Buffer[]) => void): void;
  /** A command to one shard, or as a cross-shard transaction when `involved` names several (EXEC). */
  sendAcross(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number, slot: number, involved: number[]): void;
  /**
   * CONFIG SET: the new shard configuration to every shard; +OK to (client, seq) once all applied it,
   * and, with `morePart`, one more part done (partDone: the other acceptors took it too).
   */
  applyConfig(client: Client, seq: number, morePart: boolean): void;
  /** Makes every written request visible to the shards. */
  publishAll(): void;
}

/** How commands flow for this acceptor's clients (src/net/dispatch.ts, cross-waits.ts, listener.ts). */
export interface ClientFlow {
  /** The end of processCommand: queue inside MULTI, or route and run the command. */
  proceed(client: Client, seq: number, spec: CommandSpec, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void;
  /** Runs one of the acceptor's own commands (EXEC runs its queued ones so, their replies captured). */
  runLocal(client: Client, seq: number, spec: CommandSpec, argv: string[], capture?: (reply: Buffer) => void): void;
  /** A blocked (or paused) client got its reply: run the commands it sent meanwhile. */
  unblocked(client: Client): void;
  /** Commands take the slow path (specialCommand) while clients are paused or monitors attached. */
  special: boolean;
  closeClient(client: Client): void;
  /** CLIENT UNBLOCK of a client blocked on keys of several shards. */
  unblockCrossWait(client: Client, error: boolean): void;
  /** Clients blocked on keys of several shards, and how many of them have a deadline. */
  crossWaitCounts(): { blocked: number; withTimeout: number };
}

export interface Host {
  /** This acceptor's index (0 is the main thread's). */
  readonly index: number;
  readonly config: Config;
  readonly log: Logger;
  readonly stats: AcceptorStats;
  /** This acceptor's clients by id (the others' are reached through peers). */
  readonly clients: Map<number, Client>;
  readonly registry: ServerRegistry;
  readonly peers: Peers;
  readonly pubsub: PubSub;
  readonly introspect: Introspection;
  readonly replies: Replies;
  readonly shards: Shards;
  readonly flow: ClientFlow;
  /** The port listened on, and how client sockets are driven. */
  readonly port: number;
  readonly socketIo: SocketIoMode;
  /** Stops the whole server (SHUTDOWN): every acceptor, every shard. */
  shutdown(reason: string): void;
}
