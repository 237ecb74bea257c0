/**
 * Record layouts inside the rings (all fields u32, little-endian, 4-aligned).
 *
 * Request (acceptor → shard):
 *   [0] record size  [1] client id  [2] request seq
 *   [3] command id (bits 0-15) | db (bits 16-23) | flags (bits 24-31)
 *   [4] hash slot of the first key (or 0)
 *   [5] ticket of a multi-shard command (flag REQ_ORDERED; src/ipc/global-order.ts), then the payload:
 *   u32 argc, then argc × (u32 length, bytes), unaligned.
 * Reply (shard → acceptor):
 *   [0] record size  [1] client id  [2] request seq  [3] flags  [4] reply length,
 *   then the RESP bytes of the reply.
 *
 * A payload larger than the ring's maxRecord travels on the side channel
 * (a MessagePort read with receiveMessageOnPort), and the ring carries a record
 * with the BIG flag in its place, so order is kept.
 */
export const REQUEST_HEADER_BYTES = 24;
export const REPLY_HEADER_BYTES = 20;

/** Request flags. */
export const REQ_RESP3 = 1;
/** One part of a command split across shards; the shard answers in the part format of the command. */
export const REQ_PART = 2;
/** The payload is on the side channel. */
export const FLAG_BIG = 4;
/**
 * A cross-shard transaction: this shard executes the command while the
 * shards listed in its last argument (comma-separated indexes, removed before
 * the handler runs) wait parked (workers/shard/transaction.ts).
 */
export const REQ_TXN = 8;
/**
 * Part of a multi-shard command sent while several acceptors produce: the
 * shard runs it only when its ticket (header word 5) is the next one it
 * expects, so every shard meets multi-shard commands in one global order.
 */
export const REQ_ORDERED = 16;

/** Reply flags. */
export const REP_BIG = FLAG_BIG;

export interface BigPayload {
  clientId: number;
  seq: number;
  bytes: Uint8Array;
}

/**
 * Record client id of the acceptor's key-ready notifications (the seq field
 * carries the watch token). No real client has it.
 */
export const WATCH_NOTIFY_CLIENT = 0x7fffffff;

/**
 * Record client id of a shard's out-of-band introspection records: a slow
 * command for SLOWLOG or a latency event, JSON in the reply bytes
 * (workers/shard/introspect.ts, src/server/introspect/state.ts).
 */
export const INTROSPECT_CLIENT = 0x7ffffffe;

/**
 * Record client id of a keyspace event raised on a shard (workers/shard/notify.ts):
 * seq carries the id of the client whose request raised it (0 for none), the
 * payload u32 origin seq, u32 db, u32 event length, u32 key length, event, key.
 */
export const KEYSPACE_EVENT_CLIENT = 0x7ffffffd;

/**
 * Record client id of an acceptor's own query to the shards (Router.queryShards):
 * the seq field carries the query's id; the replies go to a callback, not a client.
 */
export const QUERY_CLIENT = 0x7ffffffc;

/**
 * The error reply a cross-shard transaction's executor sends instead of
 * blocking: the acceptor keeps such waits itself (DESIGN.md: timeouts and
 * multi-shard waits live in the acceptor), watching the keys on their shards.
 */
export const WOULD_BLOCK_PREFIX = 'SHARDIS-WOULD-BLOCK';
