/**
 * The reply pump of one acceptor: takes replies out of its reply rings (one
 * per shard) when the doorbell rings, merges the parts of commands split
 * across shards, puts every reply in its client's request order, and writes
 * each client once per event-loop turn (Redis' beforeSleep), so many
 * clients' writes go out together. Replies of the commands the acceptor runs
 * itself go the same way (replyLocal).
 *
 * Out-of-band records from the shards (keyspace events, slow commands,
 * key-ready notices for cross-shard waits) are handed to their owners.
 */
import type { Client } from './client.js';
import { INTROSPECT_CLIENT, KEYSPACE_EVENT_CLIENT, QUERY_CLIENT, WATCH_NOTIFY_CLIENT, WOULD_BLOCK_PREFIX } from '../ipc/frame.js';
import type { Doorbell } from '../ipc/doorbell.js';
import { ReplyWriter } from '../resp/writer.js';
import type { AcceptorStats, Replies } from '../server/host.js';
import type { Introspection } from '../server/introspect/state.js';
import { copyBytes } from '../util/bytes.js';
import { mergeParts } from './merge.js';
import type { ShardLink } from './shard-link.js';

/** What the pump hands on: records that are not replies, and the turn's end. */
export interface PumpHooks {
  /** The executor of a cross-shard blocking command found nothing (cross-waits.ts). */
  onWouldBlock(client: Client, seq: number, text: string): void;
  /** A key watched for a cross-shard wait may be ready (its token). */
  onWatchNotify(token: number): void;
  /** A keyspace event raised on a shard. */
  onKeyspaceEvent(originClient: number, bytes: Buffer, start: number): void;
  /** A blocked client got its reply. */
  unblocked(client: Client): void;
  /** SCAN's part reply turned into the client's cursor reply. */
  scanReply(shard: number, part: Buffer): Buffer;
  /** End of an event-loop turn, before writing: run released clients, wake parked shards. */
  beforeFlush(): void;
}

const WOULD_BLOCK = Buffer.from(`-${WOULD_BLOCK_PREFIX} `, 'latin1');

/** Whether a reply is a transaction executor's "would block" answer (never a reply a client sees). */
function isWouldBlock(bytes: Buffer, start: number, len: number): boolean {
  if (len < WOULD_BLOCK.length) return false;
  for (let i = 0; i < WOULD_BLOCK.length; i++) if (bytes[start + i] !== WOULD_BLOCK[i]) return false;
  return true;
}

export class ReplyPump implements Replies {
  private readonly writer = new ReplyWriter();
  /** Clients with replies to write at the end of the current step (each once: Client.dirty). */
  private readonly dirty: Client[] = [];
  /** The client of the last reply taken from a ring: a pipeline's replies come in a row. */
  private lastReplyClient: Client | null = null;
  private turnEndScheduled = false;
  private running = true;
  /** Set while paused because shards are not keeping up (rings and overflow full). */
  private readPaused = false;
  hooks!: PumpHooks;
  /** The acceptor's own queries to the shards (Router.queryShards), by id. */
  private readonly queries = new Map<number, { remaining: number; parts: Buffer[]; done: (parts: Buffer[]) => void }>();
  private nextQuery = 1;

  constructor(
    private readonly links: ShardLink[],
    private readonly doorbell: Doorbell,
    private readonly clients: Map<number, Client>,
    private readonly stats: AcceptorStats,
    private readonly introspect: Introspection,
  ) {}

  /** Starts waiting on the doorbell. */
  start(): void {
    void this.loop();
  }

  stop(): void {
    this.running = false;
  }

  /** Waits on the doorbell and drains every reply ring each time it rings. */
  private async loop(): Promise<void> {
    while (this.running) {
      const seen = this.doorbell.value();
      this.collectReplies();
      this.flushClients();
      await this.doorbell.wait(seen);
    }
  }

  /**
   * Before a socket read: replies and events the shards published already are
   * taken first, so a request read now is answered after them (a client that
   * saw a write's reply on another connection, then asks here, finds its
   * keyspace event delivered first, as in Redis).
   */
  beforeRead(): void {
    for (const link of this.links) {
      if (link.replies.isEmpty()) continue;
      this.collectReplies();
      return;
    }
  }

  /** After a socket read: publish requests to shards, collect replies already there, schedule the writes. */
  endOfStep(): void {
    let backlog = 0;
    let repliesWaiting = false;
    for (const link of this.links) {
      if (link.publish()) this.scheduleTurnEnd();
      backlog += link.overflowBytes;
      if (!link.replies.isEmpty()) repliesWaiting = true;
    }
    // Replies already there (a busy shard answers within microseconds) are collected now,
    // without waiting for the doorbell's wake-up.
    if (repliesWaiting) this.collectReplies();
    // Like Redis' beforeSleep: replies are written once every socket read of this event-loop
    // turn has been handled, so many clients' writes go out together.
    if (this.dirty.length > 0) this.scheduleTurnEnd();
    // Back-pressure: stop reading sockets while shards have a large backlog waiting for ring space.
    if (backlog > 64 * 1024 * 1024 && !this.readPaused) {
      this.readPaused = true;
      for (const c of this.clients.values()) c.conn.pause();
    }
  }

  scheduleTurnEnd(): void {
    if (this.turnEndScheduled) return;
    this.turnEndScheduled = true;
    setImmediate(this.turnEnd);
  }

  /** End of an event-loop turn: the hooks' work (wake parked shards ...), then write the replies completed meanwhile. */
  private readonly turnEnd = (): void => {
    this.turnEndScheduled = false;
    this.hooks.beforeFlush();
    this.flushClients();
  };

  private flushClients(): void {
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) {
      const client = dirty[i];
      if (!client.dirty) continue; // closed meanwhile
      client.dirty = false;
      const written = client.flush();
      if (written > 0) {
        this.stats.netOutputBytes += written;
        this.stats.writesProcessed++;
      }
    }
    dirty.length = 0;
  }

  /** Queues a client for the next flushClients(), once. */
  markForFlush(client: Client): void {
    if (client.dirty) return;
    client.dirty = true;
    this.dirty.push(client);
  }

  /** A closed client: no more writes, and no longer the last reply's client. */
  forget(client: Client): void {
    client.dirty = false;
    if (this.lastReplyClient === client) this.lastReplyClient = null;
  }

  /** Takes every reply out of the rings (completing clients' replies), refills request rings from overflow. */
  private collectReplies(): void {
    for (const link of this.links) {
      link.drainReplies((clientId, seq, bytes, start, len) => this.onReply(link.index, clientId, seq, bytes, start, len));
    }
    let backlog = 0;
    for (const link of this.links) {
      if (link.publish()) this.scheduleTurnEnd();
      backlog += link.overflowBytes;
    }
    if (this.readPaused && backlog < 16 * 1024 * 1024) {
      this.readPaused = false;
      for (const c of this.clients.values()) c.conn.resume();
    }
  }

  private onReply(shard: number, clientId: number, seq: number, bytes: Buffer, start: number, len: number): void {
    let client = this.lastReplyClient;
    if (client === null || client.id !== clientId) {
      client = this.clients.get(clientId) ?? null;
      this.lastReplyClient = client;
    }
    if (client === null) {
      if (clientId === WATCH_NOTIFY_CLIENT) this.hooks.onWatchNotify(seq);
      else if (clientId === INTROSPECT_CLIENT) this.introspect.onShardRecord(bytes, start, len);
      else if (clientId === KEYSPACE_EVENT_CLIENT) this.hooks.onKeyspaceEvent(seq, bytes, start);
      else if (clientId === QUERY_CLIENT) this.onQueryReply(seq, bytes, start, len);
      return; // disconnected meanwhile, or an internal command's reply
    }
    if (len > 0 && bytes[start] === 45) {
      if (seq === client.blockedSeq && isWouldBlock(bytes, start, len)) return this.hooks.onWouldBlock(client, seq, bytes.latin1Slice(start + 1, start + len - 2));
      this.stats.errorReplies++;
      this.introspect.errorReply(bytes, start, len);
    }
    if (client.fanouts.size > 0) {
      const fanout = client.fanouts.get(seq);
      if (fanout !== undefined) {
        const part = Buffer.allocUnsafe(len);
        copyBytes(bytes, start, part, 0, len);
        fanout.parts[shard] = part;
        if (--fanout.remaining > 0) return;
        client.fanouts.delete(seq);
        this.complete(client, seq, fanout.merge === 'scan' ? this.hooks.scanReply(fanout.scanShard!, part) : mergeParts(fanout, client.proto));
        return;
      }
    }
    this.completeFrom(client, seq, bytes, start, len);
  }

  /** A query awaiting `parts` replies: its id, for the records' seq field. */
  registerQuery(parts: number, done: (parts: Buffer[]) => void): number {
    const id = this.nextQuery++;
    this.queries.set(id, { remaining: parts, parts: [], done });
    return id;
  }

  private onQueryReply(id: number, bytes: Buffer, start: number, len: number): void {
    const q = this.queries.get(id);
    if (q === undefined) return;
    q.parts.push(Buffer.from(bytes.subarray(start, start + len)));
    if (--q.remaining > 0) return;
    this.queries.delete(id);
    q.done(q.parts);
  }

  markDirty(client: Client): void {
    this.markForFlush(client);
    this.scheduleTurnEnd();
  }

  complete(client: Client, seq: number, reply: Buffer): void {
    if (client.complete(seq, reply)) this.markForFlush(client);
    if (seq === client.blockedSeq) this.hooks.unblocked(client);
  }

  /** complete() for a reply that is borrowed (a ring, the writer): copied only if it must wait its turn. */
  private completeFrom(client: Client, seq: number, bytes: Buffer, start: number, len: number): void {
    if (client.completeFrom(seq, bytes, start, len)) this.markForFlush(client);
    if (seq === client.blockedSeq) this.hooks.unblocked(client);
  }

  replyLocal(client: Client, seq: number, write: (w: ReplyWriter) => void): void {
    const w = this.writer;
    w.reset(client.proto);
    write(w);
    this.countError(w.buf, w.len);
    // Straight from the writer into the client's output (a copy only if it must wait its turn).
    this.completeFrom(client, seq, w.buf, 0, w.len);
  }

  render(client: Client, write: (w: ReplyWriter) => void, countError = true): Buffer {
    const w = this.writer;
    w.reset(client.proto);
    write(w);
    if (countError) this.countError(w.buf, w.len);
    return w.take();
  }

  noteError(bytes: Buffer): void {
    this.countError(bytes, bytes.length);
  }

  private countError(bytes: Buffer, len: number): void {
    if (len > 0 && bytes[0] === 45) {
      this.stats.errorReplies++;
      this.introspect.errorReply(bytes, 0, len);
    }
  }

  partDone(client: Client, seq: number): void {
    const fanout = client.fanouts.get(seq);
    if (fanout === undefined || --fanout.remaining > 0) return;
    client.fanouts.delete(seq);
    this.complete(client, seq, mergeParts(fanout, client.proto));
  }
}
