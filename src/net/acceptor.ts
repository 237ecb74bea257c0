/**
 * The acceptor: owns the listening socket and every client socket, parses
 * requests, checks them against the command table (processCommand's order:
 * lookup → arity → auth → keys → slot → route) and forwards them to the shard
 * that owns their keys. Replies come back through the reply rings and are
 * written to each client in request order.
 *
 * Written as a class of which there could be several (one per I/O thread),
 * each with its own rings to every shard; today there is one.
 */
import { performance } from 'node:perf_hooks';
import type { Server } from 'node:net';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { keySlotOfBytes } from '../cluster/keyslot.js';
import { arityOk, keyPositions, type CommandSpec } from '../commands/spec.js';
import { sortReadsPatternKeys } from '../commands/sort.js';
import { lookupCommand } from '../commands/lookup.js';
import { allCommands, findSubcommand, internalCommand } from '../commands/table.js';
import type { Config } from '../config/config.js';
import { createDoorbell, Doorbell } from '../ipc/doorbell.js';
import { INTROSPECT_CLIENT, KEYSPACE_EVENT_CLIENT, REQ_PART, REQ_RESP3, REQ_TXN, WATCH_NOTIFY_CLIENT, WOULD_BLOCK_PREFIX } from '../ipc/frame.js';
import { Introspection } from '../server/introspect/state.js';
import type { Logger } from '../log.js';
import { ERR } from '../resp/errors.js';
import { ReplyWriter } from '../resp/writer.js';
import { copyBytes } from '../util/bytes.js';
import { cachedNow } from '../util/cached-clock.js';
import { parseScanCursor } from '../util/scan-cursor.js';
import { localHandlers, preRouteChecks } from '../server/local-commands.js';
import { replyModeStep, specialCommand } from '../server/client-control.js';
import { isSubscribed, PubSub, subscribedModeError } from '../server/pubsub.js';
import { refusedInMulti, RUN_INSIDE_MULTI, unwatchAll } from '../server/transactions.js';
import { Client, type FanoutState, type HeldCommand } from './client.js';
import { mergeParts, scanCursorReply } from './merge.js';
import { argSourceOf, argvOf, copyCommand, keyPositionsIn, withArgument, type ArgSource } from './arg-source.js';
import { ShardLink } from './shard-link.js';
import { createConnectionServer, type ConnectionEvents, type Connection, type SocketIoMode } from './connection.js';

const RING_BYTES = 4 * 1024 * 1024;

export interface ServerStats {
  startedAt: number;
  totalConnections: number;
  rejectedConnections: number;
  totalCommands: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
  /** Commands run as cross-shard transactions (INFO stats: shardis_cross_shard_commands). */
  crossShardCommands: number;
  /** Socket reads and writes (INFO total_reads_processed / total_writes_processed). */
  readsProcessed: number;
  writesProcessed: number;
}

export class Acceptor {
  readonly clients = new Map<number, Client>();
  readonly shards: ShardLink[] = [];
  /** Shard index of each hash slot. */
  readonly slotOwner = new Uint16Array(16384);
  readonly stats: ServerStats = {
    startedAt: Date.now(),
    totalConnections: 0,
    rejectedConnections: 0,
    totalCommands: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
    crossShardCommands: 0,
    readsProcessed: 0,
    writesProcessed: 0,
  };
  /** SLOWLOG, LATENCY, errorstats and the acceptor's own command statistics (src/server/introspect/). */
  readonly introspect = new Introspection(this);
  private server: Server | null = null;
  private readonly doorbellSab = createDoorbell();
  private readonly doorbell = new Doorbell(this.doorbellSab);
  private nextClientId = 1;
  private readonly writer = new ReplyWriter();
  /** Clients with replies to write at the end of the current step (each once: Client.dirty). */
  private readonly dirty: Client[] = [];
  /** The client of the last reply taken from a ring: a pipeline's replies come in a row. */
  private lastReplyClient: Client | null = null;
  private running = true;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Set while paused because shards are not keeping up (rings and overflow full). */
  private readPaused = false;
  private turnEndScheduled = false;
  onShutdown: (reason: string) => void = () => {};
  /** Channels, patterns and shard channels of every client (src/server/pubsub.ts). */
  readonly pubsub = new PubSub(this);

  constructor(
    readonly config: Config,
    readonly log: Logger,
  ) {}

  get shardCount(): number {
    return this.shards.length;
  }

  /** Starts the shard workers and waits until each is ready. */
  async startShards(workerUrl: URL): Promise<void> {
    const n = this.config.shards;
    for (let s = 0; s < 16384; s++) this.slotOwner[s] = s % n;
    // A port per pair of shards and a wake-up word per shard: cross-shard transactions (workers/shard/transaction.ts).
    const peers: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array(n).fill(undefined));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const channel = new MessageChannel();
        peers[i][j] = channel.port1;
        peers[j][i] = channel.port2;
      }
    }
    const mailbox = new SharedArrayBuffer(4 * n);
    for (let i = 0; i < n; i++) {
      this.shards.push(new ShardLink(i, this.config.shardConfig(i), this.doorbellSab, RING_BYTES, workerUrl, peers[i], mailbox));
    }
    await Promise.all(
      this.shards.map(
        (link) =>
          new Promise<void>((resolve, reject) => {
            link.worker.once('message', (m: { type: string }) => (m.type === 'ready' ? resolve() : undefined));
            link.worker.once('error', reject);
          }),
      ),
    );
    for (const link of this.shards) {
      link.worker.on('error', (err) => {
        this.log.fatal({ err, shard: link.index }, 'shard worker failed');
        this.onShutdown('shard failure');
      });
    }
    void this.replyLoop();
  }

  /** How client sockets are driven (src/net/connection.ts); SHARDIS_SOCKET_IO=stream forces net.Socket. */
  socketIo: SocketIoMode = 'raw';

  listen(): Promise<void> {
    const requested: SocketIoMode = process.env.SHARDIS_SOCKET_IO === 'stream' ? 'stream' : 'raw';
    const created = createConnectionServer(requested, (attach) => this.accept(attach));
    const server = created.server;
    this.server = server;
    const binds = this.config.bind;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      // One listening socket; several bind addresses would need one server each (first one used for now).
      server.listen({ port: this.config.port, host: binds[0] === '*' ? undefined : binds[0], backlog: this.config.tcpBacklog }, () => {
        server.off('error', reject);
        this.socketIo = created.mode;
        resolve();
      });
      this.idleTimer = setInterval(() => this.closeIdleClients(), 1000);
      this.idleTimer.unref();
    });
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : this.config.port;
  }

  private accept(attach: (events: ConnectionEvents) => Connection): void {
    this.stats.totalConnections++;
    let client: Client | null = null;
    const conn = attach({
      onData: (chunk, len) => this.onData(client!, chunk, len),
      onEnd: () => this.onEnd(client!),
      onClose: () => this.closeClient(client!),
    });
    if (this.clients.size >= this.config.maxclients) {
      this.stats.rejectedConnections++;
      conn.write(MAX_CLIENTS_REACHED, MAX_CLIENTS_REACHED.length);
      conn.end();
      return;
    }
    if (this.config.tcpKeepalive > 0) conn.setKeepAlive(this.config.tcpKeepalive * 1000);
    client = new Client(
      this.nextClientId++,
      conn,
      (c, buf, argc, starts, lens) => this.onCommand(c, buf, argc, starts, lens),
      (c, message) => this.onProtocolError(c, message),
      { protoMaxBulkLen: () => this.config.protoMaxBulkLen, requirePass: () => this.config.requirepass },
    );
    this.clients.set(client.id, client);
  }

  /** A socket read of `len` bytes into `chunk`, which is borrowed (the parser copies what it keeps). */
  private onData(client: Client | null, chunk: Buffer, len: number): void {
    if (client === null) return; // refused (maxclients)
    this.stats.netInputBytes += len;
    this.stats.readsProcessed++;
    client.lastInteraction = cachedNow();
    // As readQueryFromClient: unparsed bytes plus this read over client-query-buffer-limit closes
    // the client before anything in the read runs. The limit is at least 1 MB, so most reads skip reading it.
    const queryBuffer = client.parser.buffered + len;
    if (queryBuffer > 1024 * 1024 && !client.closed && queryBuffer > this.config.clientQueryBufferLimit) {
      this.log.warn({ client: client.id, addr: client.addr }, 'closing client that reached max query buffer length');
      this.closeClient(client);
      return;
    }
    client.parser.feed(chunk, len, true);
    this.endOfStep();
  }

  /**
   * End of input: as Redis, which has written the replies of everything it read before it sees
   * the EOF, answer the commands already received, then close.
   */
  private onEnd(client: Client | null): void {
    if (client === null || client.closed) return;
    // A blocked client is freed at once (Redis frees a client whose read sees EOF; only
    // replies it has already computed went out before).
    if (client.nextSeq === 0 || client.blockedSeq >= 0) return this.closeClient(client);
    // Close after the last reply owed, through the same flush that writes it (completed
    // replies may still wait for the end of this event-loop turn).
    if (client.closeAfterSeq < 0) client.closeAfterSeq = client.nextSeq - 1;
    this.markForFlush(client);
    this.scheduleTurnEnd();
  }

  closeClient(client: Client | null): void {
    if (client === null || !this.clients.delete(client.id)) return;
    // A blocked client is queued on a shard (or watched across shards): have it forgotten there.
    if (client.blockedSeq >= 0) this.sendInternal('shardis|client-gone', String(client.id));
    if (client.crossWait !== null) this.endCrossWait(client);
    if (this.pendingUnblocks.size > 0) this.pendingUnblocks.delete(client);
    unwatchAll(this, client);
    this.pubsub.removeClient(client);
    client.closed = true;
    client.dirty = false;
    if (this.lastReplyClient === client) this.lastReplyClient = null;
    client.conn.destroy();
  }

  private closeIdleClients(): void {
    const timeout = this.config.timeout;
    if (timeout <= 0) return;
    const limit = Date.now() - timeout * 1000;
    for (const client of this.clients.values()) {
      // No timeout for pub/sub clients (clientsCronHandleTimeout).
      if (client.lastInteraction < limit && client.pendingReplies === 0 && !isSubscribed(client)) this.closeClient(client);
    }
  }

  /** After handling input: publish requests to shards and write completed replies. */
  private endOfStep(): void {
    let backlog = 0;
    let repliesWaiting = false;
    for (const link of this.shards) {
      if (link.publish()) this.scheduleWake();
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

  /** Wakes parked shards once, after every socket read of this event-loop turn has been handled. */
  private scheduleWake(): void {
    this.scheduleTurnEnd();
  }

  private scheduleTurnEnd(): void {
    if (this.turnEndScheduled) return;
    this.turnEndScheduled = true;
    setImmediate(this.turnEnd);
  }

  /** End of an event-loop turn: wake parked shards, write the replies completed meanwhile. */
  private readonly turnEnd = (): void => {
    this.turnEndScheduled = false;
    if (this.released.length > 0) this.runReleased();
    for (const link of this.shards) link.wake();
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
  private markForFlush(client: Client): void {
    if (client.dirty) return;
    client.dirty = true;
    this.dirty.push(client);
  }

  /** Waits on the doorbell and drains every reply ring each time it rings. */
  private async replyLoop(): Promise<void> {
    while (this.running) {
      const seen = this.doorbell.value();
      this.drainReplies();
      await this.doorbell.wait(seen);
    }
  }

  /** Doorbell: take every reply out of the rings and write them. */
  private drainReplies(): void {
    this.collectReplies();
    this.flushClients();
  }

  /** Takes every reply out of the rings (completing clients' replies), refills request rings from overflow. */
  private collectReplies(): void {
    for (const link of this.shards) {
      link.drainReplies((clientId, seq, bytes, start, len) => this.onReply(link.index, clientId, seq, bytes, start, len));
    }
    let backlog = 0;
    for (const link of this.shards) {
      if (link.publish()) this.scheduleWake();
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
      if (clientId === WATCH_NOTIFY_CLIENT) this.onWatchNotify(seq);
      else if (clientId === INTROSPECT_CLIENT) this.introspect.onShardRecord(bytes, start, len);
      else if (clientId === KEYSPACE_EVENT_CLIENT) this.onKeyspaceEvent(seq, bytes, start);
      return; // disconnected meanwhile, or an internal command's reply
    }
    if (len > 0 && bytes[start] === 45) {
      if (seq === client.blockedSeq && isWouldBlock(bytes, start, len)) return this.onWouldBlock(client, seq, bytes.latin1Slice(start + 1, start + len - 2));
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
        this.complete(client, seq, fanout.merge === 'scan' ? scanCursorReply(this, fanout, part) : mergeParts(fanout, client.proto));
        return;
      }
    }
    this.completeFrom(client, seq, bytes, start, len);
  }

  /**
   * A keyspace event record from a shard (workers/shard/notify.ts): seq is
   * the id of the client whose request raised it (0: none, e.g. active
   * expiry); the payload is that request's seq, the db, the event and the key.
   */
  private onKeyspaceEvent(originClient: number, bytes: Buffer, start: number): void {
    const originSeq = bytes.readUInt32LE(start);
    const db = bytes.readUInt32LE(start + 4);
    const eventLen = bytes.readUInt32LE(start + 8);
    const keyLen = bytes.readUInt32LE(start + 12);
    const p = start + 16;
    const event = bytes.latin1Slice(p, p + eventLen);
    const key = bytes.latin1Slice(p + eventLen, p + eventLen + keyLen);
    this.pubsub.keyspaceEvent(db, event, key, originClient === 0 ? null : { clientId: originClient, seq: originSeq });
  }

  /** A client got output outside a reply (pub/sub): write it at the end of this turn. */
  markDirty(client: Client): void {
    this.markForFlush(client);
    this.scheduleTurnEnd();
  }

  complete(client: Client, seq: number, reply: Buffer): void {
    if (client.complete(seq, reply)) this.markForFlush(client);
    if (seq === client.blockedSeq) this.unblocked(client);
  }

  /** complete() for a reply that is borrowed (a ring, the writer): copied only if it must wait its turn. */
  private completeFrom(client: Client, seq: number, bytes: Buffer, start: number, len: number): void {
    if (client.completeFrom(seq, bytes, start, len)) this.markForFlush(client);
    if (seq === client.blockedSeq) this.unblocked(client);
  }

  /** A blocked client got its reply: run the commands it sent meanwhile, until one blocks again. */
  unblocked(client: Client): void {
    client.blockedSeq = -1;
    client.blockedCommand = null;
    if (this.pendingUnblocks.size > 0) this.pendingUnblocks.delete(client);
    if (client.crossWait !== null) this.endCrossWait(client);
    if (client.held.length === 0) return;
    this.released.push(client);
    this.scheduleTurnEnd();
  }

  private readonly released: Client[] = [];

  // -------------------------------------------------------------------------
  // Clients blocked on keys of several shards (DESIGN.md: such waits live in
  // the acceptor). The executor of the command's transaction answered
  // WOULD_BLOCK_PREFIX; the key owners watch the keys and notify; the command
  // runs again, one attempt at a time, until it replies or times out.
  // -------------------------------------------------------------------------

  private nextWatchToken = 1;
  private readonly crossWaits = new Map<number, Client>();

  /** Clients blocked on keys of several shards, and how many of them have a deadline (INFO clients). */
  crossWaitCounts(): { blocked: number; withTimeout: number } {
    let withTimeout = 0;
    for (const c of this.crossWaits.values()) if (c.crossWait?.timer != null) withTimeout++;
    return { blocked: this.crossWaits.size, withTimeout };
  }

  private onWouldBlock(client: Client, seq: number, text: string): void {
    if (this.pendingUnblocks.size > 0 && this.pendingUnblocks.has(client)) {
      const error = this.pendingUnblocks.get(client)!;
      this.pendingUnblocks.delete(client);
      return this.answerUnblocked(client, seq, error);
    }
    const wait = client.crossWait;
    if (wait !== null) {
      wait.inFlight = false;
      if (wait.timedOut) return this.replyNullArray(client, seq);
      if (wait.again) this.retryCrossWait(client);
      return;
    }
    const blocked = client.blockedCommand;
    if (blocked === null) return this.replyNullArray(client, seq);
    const [, type, deadlineText] = text.split(' ');
    const deadline = Number(deadlineText);
    const spec = allCommands[blocked.specId];
    const { buf, starts, lens, argc } = blocked.cmd;
    const src: ArgSource = { buf, starts, lens };
    const positions = keyPositionsIn(spec, src, argc);
    const byShard = new Map<number, string[]>();
    for (const p of positions) {
      const shard = this.slotOwner[keySlotOfBytes(buf, starts[p], lens[p])];
      let keys = byShard.get(shard);
      if (keys === undefined) byShard.set(shard, (keys = []));
      keys.push(buf.latin1Slice(starts[p], starts[p] + lens[p]));
    }
    const token = this.nextWatchToken++;
    const newWait = { token, shards: [...byShard.keys()], timer: null as NodeJS.Timeout | null, inFlight: false, again: false, timedOut: false };
    client.crossWait = newWait;
    this.crossWaits.set(token, client);
    if (deadline > 0) newWait.timer = setTimeout(() => this.onCrossTimeout(client), Math.max(0, deadline - Date.now()));
    for (const [shard, keys] of byShard) this.sendInternalTo(shard, 'shardis|watch-keys', String(token), String(client.db), type, ...keys);
    this.publishAll();
  }

  /** A watched key may be ready: run the command again (unless an attempt is on its way). */
  private onWatchNotify(token: number): void {
    const client = this.crossWaits.get(token);
    if (client === undefined || client.crossWait === null) return;
    if (client.crossWait.inFlight) {
      client.crossWait.again = true;
      return;
    }
    this.retryCrossWait(client);
  }

  private retryCrossWait(client: Client): void {
    const wait = client.crossWait!;
    const blocked = client.blockedCommand!;
    wait.inFlight = true;
    wait.again = false;
    const { buf, starts, lens, argc } = blocked.cmd;
    this.routeToOwner(client, client.blockedSeq, allCommands[blocked.specId], { buf, starts, lens }, argc);
    for (const link of this.shards) if (link.publish()) this.scheduleWake();
  }

  private onCrossTimeout(client: Client): void {
    const wait = client.crossWait;
    if (wait === null) return;
    wait.timer = null;
    if (wait.inFlight) {
      wait.timedOut = true;
      return;
    }
    this.replyNullArray(client, client.blockedSeq);
  }

  /** CLIENT UNBLOCK of a client blocked on keys of several shards (src/server/client-control.ts). */
  unblockCrossWait(client: Client, error: boolean): void {
    if (client.crossWait !== null && !client.crossWait.inFlight) return this.answerUnblocked(client, client.blockedSeq, error);
    // An attempt is on its way: if it finds nothing, the client is answered as unblocked (onWouldBlock).
    this.pendingUnblocks.set(client, error);
  }

  /** Clients to answer as unblocked when their attempt in flight finds nothing, with whether as an error. */
  private readonly pendingUnblocks = new Map<Client, boolean>();

  private answerUnblocked(client: Client, seq: number, error: boolean): void {
    if (error) this.replyLocal(client, seq, (w) => w.error('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
    else this.replyNullArray(client, seq);
  }

  private replyNullArray(client: Client, seq: number): void {
    this.replyLocal(client, seq, (w) => w.nilArray());
  }

  /** Stops the watches of a cross-shard wait. */
  private endCrossWait(client: Client): void {
    const wait = client.crossWait!;
    client.crossWait = null;
    this.crossWaits.delete(wait.token);
    if (wait.timer !== null) clearTimeout(wait.timer);
    for (const shard of wait.shards) this.sendInternalTo(shard, 'shardis|unwatch-keys', String(wait.token));
    this.publishAll();
  }

  private runReleased(): void {
    while (this.released.length > 0) {
      const client = this.released.shift()!;
      while (client.held.length > 0 && client.blockedSeq < 0 && !client.closed) {
        const h = client.held.shift()!;
        this.onCommand(client, h.buf, h.argc, h.starts, h.lens);
      }
    }
    for (const link of this.shards) link.publish();
  }

  /** Keeps a request of a blocked client, with its own copy of the argument bytes. */
  private hold(client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    client.held.push(copyCommand(buf, argc, starts, lens));
  }

  /** Sends an internal command to every shard with client id 0: no client waits for its replies. */
  private sendInternal(name: string, ...args: string[]): void {
    for (let shard = 0; shard < this.shards.length; shard++) this.sendInternalTo(shard, name, ...args);
    this.publishAll();
  }

  private onProtocolError(client: Client, message: string): void {
    // After QUIT Redis parses nothing more, so bad bytes behind it get no error reply.
    if (client.closeAfterSeq >= 0) return;
    const seq = client.nextSeq++;
    this.writer.reset(client.proto);
    this.writer.error(ERR.protocol(message));
    this.log.debug({ client: client.id, message }, 'protocol error');
    client.closeAfterSeq = seq;
    this.complete(client, seq, this.writer.take());
  }

  /** Replies to `seq` with what `write` puts in the acceptor's writer. */
  replyLocal(client: Client, seq: number, write: (w: ReplyWriter) => void): void {
    const w = this.writer;
    w.reset(client.proto);
    write(w);
    if (w.len > 0 && w.buf[0] === 45) {
      this.stats.errorReplies++;
      this.introspect.errorReply(w.buf, 0, w.len);
    }
    if (this.captured !== null) {
      this.captured.push(w.take());
      return;
    }
    // Straight from the writer into the client's output (a copy only if it must wait its turn).
    this.completeFrom(client, seq, w.buf, 0, w.len);
  }

  /** While set, local replies are collected here instead of sent (EXEC runs the acceptor's queued commands so). */
  private captured: Buffer[] | null = null;

  /** True while EXEC runs the acceptor's queued commands: a handler must reply at once (no shard round trip). */
  get capturing(): boolean {
    return this.captured !== null;
  }

  /** Runs `fn` and returns the local reply it made (EXEC's queued acceptor commands). */
  captureReply(fn: () => void): Buffer {
    const outer = this.captured;
    this.captured = [];
    try {
      fn();
      return this.captured.length > 0 ? this.captured[0] : Buffer.from('-ERR no reply\r\n', 'latin1');
    } finally {
      this.captured = outer;
    }
  }

  /** Sends an internal command to one shard with client id 0 (no client waits for its reply). */
  sendInternalTo(shard: number, name: string, ...args: string[]): void {
    const spec = internalCommand(name);
    this.shards[shard].send(0, 0, spec.id, 0, internalArgs(name, ...args), args.length + 1, null);
  }

  /** Makes every written request visible to the shards, waking parked ones at the end of the turn. */
  publishAll(): void {
    for (const link of this.shards) if (link.publish()) this.scheduleWake();
  }

  /** Sends a command to one shard, or as a cross-shard transaction when `involved` names several (EXEC). */
  sendAcross(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number, slot: number, involved: number[]): void {
    if (involved.length > 1) return this.routeTransaction(client, seq, spec, src, argc, slot, involved);
    this.shards[involved[0]].send(client.id, seq, this.cmdWord(spec, client, false), slot, src, argc, null);
  }

  // -------------------------------------------------------------------------
  // processCommand
  // -------------------------------------------------------------------------

  private onCommand(client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    if (client.closeAfterSeq >= 0) return; // QUIT was seen: Redis ignores the rest of the pipeline
    if (client.blockedSeq >= 0) return this.hold(client, buf, argc, starts, lens);
    if ((lens[0] === 4 || lens[0] === 5) && isCrossProtocolAttack(buf, starts[0], lens[0])) {
      this.log.warn(
        { client: client.id, addr: client.addr },
        'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
      );
      return this.closeClient(client);
    }
    const seq = client.nextSeq++;
    // CLIENT REPLY OFF / SKIP (src/server/client-control.ts): one check when never used.
    if (client.replyMode !== 0) replyModeStep(client, seq);
    let spec = lookupCommand(buf, starts[0], lens[0]);
    // Like Redis' c->lastcmd: set at lookup, so refused commands show in CLIENT LIST too.
    client.lastCommand = spec === undefined ? 'NULL' : spec.name;
    if (spec === undefined) {
      const nameRaw = buf.latin1Slice(starts[0], starts[0] + lens[0]);
      const args: string[] = [];
      for (let i = 1; i < argc; i++) args.push(buf.latin1Slice(starts[i], starts[i] + lens[i]));
      this.flagTransaction(client);
      return this.replyLocal(client, seq, (w) => w.error(unknownCommandText(nameRaw, args)));
    }
    if (spec.subcommands !== undefined && argc >= 2) {
      const subName = buf.latin1Slice(starts[1], starts[1] + lens[1]);
      const sub = findSubcommand(spec, subName.toLowerCase());
      if (sub === undefined) {
        client.lastCommand = 'NULL';
        const container = spec.name;
        this.flagTransaction(client);
        return this.replyLocal(client, seq, (w) => w.error(ERR.unknownSubcommand(subName, container)));
      }
      spec = sub;
      client.lastCommand = sub.name;
    }
    if (!arityOk(spec, argc)) {
      const name = spec.name;
      this.introspect.rejected(spec.id);
      this.flagTransaction(client);
      return this.replyLocal(client, seq, (w) => w.error(ERR.wrongArity(name)));
    }
    if (!client.authenticated && !spec.flags.includes('no_auth')) {
      this.introspect.rejected(spec.id);
      this.flagTransaction(client);
      return this.replyLocal(client, seq, (w) => w.error(ERR.NOAUTH));
    }
    // RESP2 subscribed mode: only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET (processCommand).
    if (client.pubsub !== null) {
      const refused = subscribedModeError(client, spec.name);
      if (refused !== null) {
        this.flagTransaction(client);
        return this.replyLocal(client, seq, (w) => w.error(refused));
      }
    }
    // CLIENT PAUSE in effect or MONITOR clients attached (client-control.ts, monitor.ts): one check when neither.
    if (this.special) return specialCommand(this, client, seq, spec, buf, argc, starts, lens);
    this.proceed(client, seq, spec, buf, argc, starts, lens);
  }

  /**
   * Set while clients are paused or MONITOR clients are attached: commands then
   * go through specialCommand() (src/server/client-control.ts), which may hold
   * them, and feed the monitors after they run.
   */
  special = false;

  /** The end of processCommand: queue inside MULTI, or route and run the command. */
  proceed(client: Client, seq: number, spec: CommandSpec, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    if (client.multi !== null && !RUN_INSIDE_MULTI.has(spec.name)) return this.queueInMulti(client, seq, spec, buf, argc, starts, lens);
    const src: ArgSource = { buf, starts, lens };
    if (BLOCKING[spec.id] === 1) client.blockedSeq = seq;
    switch (spec.route) {
      case 'shard':
        this.routeToOwner(client, seq, spec, src, argc);
        break;
      case 'keys-fanout':
        this.routeByKey(client, seq, spec, src, argc);
        break;
      case 'all-shards':
        this.routeToAll(client, seq, spec, src, argc);
        break;
      case 'scan':
        this.routeScan(client, seq, spec, src, argc);
        break;
      case 'acceptor':
        this.runLocal(client, seq, spec, src, argc);
        break;
    }
    // Like Redis, a command counts once it has run (INFO does not count itself; refused commands never count).
    this.stats.totalCommands++;
  }

  /** Redis' flagTransaction: a command refused inside MULTI makes EXEC fail with EXECABORT. */
  private flagTransaction(client: Client): void {
    if (client.multi !== null) client.multiAborted = true;
  }

  /** Inside MULTI: queue the command (its own copy) and answer +QUEUED, or refuse it. */
  private queueInMulti(client: Client, seq: number, spec: CommandSpec, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    const refused = spec.flags.includes('no_multi') ? 'ERR Command not allowed inside a transaction' : refusedInMulti(spec, this.shards.length);
    if (refused !== null) {
      this.introspect.rejected(spec.id);
      this.flagTransaction(client);
      return this.replyLocal(client, seq, (w) => w.error(refused));
    }
    // An aborted transaction keeps nothing (queueMultiCommand), but still answers QUEUED.
    if (!client.multiAborted) client.multi!.push({ spec, cmd: copyCommand(buf, argc, starts, lens) });
    this.replyLocal(client, seq, (w) => w.simple('QUEUED'));
    this.stats.totalCommands++;
  }

  private cmdWord(spec: CommandSpec, client: Client, part: boolean): number {
    return spec.id | (client.db << 16) | (((client.proto === 3 ? REQ_RESP3 : 0) | (part ? REQ_PART : 0)) << 24);
  }

  private runLocal(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    const argv = argvOf(src, argc);
    const handler = localHandlers[spec.name];
    if (handler === undefined) {
      return this.replyLocal(client, seq, (w) => w.error(`ERR '${spec.name}' is not available on this server`));
    }
    const errorsBefore = this.stats.errorReplies;
    const t0 = performance.now();
    handler({ acceptor: this, client, seq, spec }, argv);
    this.introspect.localCommand(client, spec.id, argv, performance.now() - t0, this.stats.errorReplies > errorsBefore);
  }

  /**
   * A command whose keys must be seen together. All on one shard (the common
   * case): one hop. On several: a cross-shard transaction (routeTransaction).
   */
  private routeToOwner(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    let positions: number[] | null = null;
    if (MOVABLE_KEYS[spec.id] === 1) {
      positions = keyPositionsIn(spec, src, argc);
      if (positions.length === 0) {
        // No keys found (a bad numkeys ...): any shard gives the command's own error reply.
        return this.shards[0].send(client.id, seq, this.cmdWord(spec, client, false), 0, src, argc, null);
      }
    } else if (spec.lastKey !== spec.firstKey && this.shards.length > 1) {
      positions = keyPositions(spec, argc);
    }
    const first = positions === null ? spec.firstKey : positions[0];
    const slot = keySlotOfBytes(src.buf, src.starts[first], src.lens[first]);
    const shard = this.slotOwner[slot];
    // SORT BY/GET patterns name keys that only the sorted values reveal: they may live on any shard, so all take part.
    if (SORTS[spec.id] === 1 && this.shards.length > 1 && sortReadsPatternKeys(argvOf(src, argc))) {
      const everyShard = [shard, ...[...this.shards.keys()].filter((s) => s !== shard)];
      return this.routeTransaction(client, seq, spec, src, argc, slot, everyShard);
    }
    if (positions !== null && this.shards.length > 1) {
      let involved: number[] | null = null;
      for (let k = 1; k < positions.length; k++) {
        const p = positions[k];
        const other = this.slotOwner[keySlotOfBytes(src.buf, src.starts[p], src.lens[p])];
        if (other !== shard) {
          involved ??= [shard];
          if (!involved.includes(other)) involved.push(other);
        }
      }
      if (involved !== null) return this.routeTransaction(client, seq, spec, src, argc, slot, involved);
    }
    this.shards[shard].send(client.id, seq, this.cmdWord(spec, client, false), slot, src, argc, null);
  }

  /**
   * DESIGN.md rule 2: the first key's shard executes the whole command while
   * the other shards involved wait parked at a marker. Markers and command
   * are enqueued in this one synchronous step, so every shard meets
   * transactions in the same order (workers/shard/transaction.ts).
   */
  private routeTransaction(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number, slot: number, involved: number[]): void {
    const executor = involved[0];
    const participants = involved.slice(1);
    for (const p of participants) this.shards[p].send(0, 0, TXN_PARK_ID, 0, internalArgs('shardis|txn-park', String(executor)), 2, null);
    // The participants travel as an extra last argument, which the executor removes.
    const withList = withArgument(src, argc, argc, Buffer.from(participants.join(','), 'latin1'));
    // A blocking command may find nothing: keep it to run again (onWouldBlock).
    if (BLOCKING[spec.id] === 1 && client.blockedCommand === null) client.blockedCommand = { specId: spec.id, cmd: copyCommand(src.buf, argc, src.starts, src.lens) };
    this.shards[executor].send(client.id, seq, this.cmdWord(spec, client, false) | (REQ_TXN << 24), slot, withList, argc + 1, null);
    this.stats.crossShardCommands++;
  }

  /** MGET, MSET, DEL, EXISTS ...: each shard gets its own keys, replies are merged. */
  private routeByKey(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    // MSET's key/value pairs: an odd count is an arity error (msetGenericCommand), checked before splitting.
    if (spec.step > 1 && (argc - spec.firstKey) % spec.step !== 0) {
      return this.replyLocal(client, seq, (w) => w.error(ERR.wrongArity(spec.name)));
    }
    const positions = keyPositions(spec, argc);
    const n = this.shards.length;
    if (n === 1) {
      const slot = keySlotOfBytes(src.buf, src.starts[1], src.lens[1]);
      return this.shards[0].send(client.id, seq, this.cmdWord(spec, client, false), slot, src, argc, null);
    }
    const picks: number[][] = Array.from({ length: n }, () => []);
    const keyOrder: number[][] = Array.from({ length: n }, () => []);
    const firstSlot = new Int32Array(n).fill(-1);
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k];
      const slot = keySlotOfBytes(src.buf, src.starts[p], src.lens[p]);
      const shard = this.slotOwner[slot];
      if (firstSlot[shard] < 0) firstSlot[shard] = slot;
      for (let j = 0; j < spec.step; j++) picks[shard].push(p + j);
      keyOrder[shard].push(k);
    }
    const involved = picks.reduce((count, p) => count + (p.length > 0 ? 1 : 0), 0);
    if (involved === 1) {
      const shard = picks.findIndex((p) => p.length > 0);
      return this.shards[shard].send(client.id, seq, this.cmdWord(spec, client, false), firstSlot[shard], src, argc, null);
    }
    const state: FanoutState = { merge: spec.merge!, remaining: involved, parts: new Array(n), keyOrder, totalKeys: positions.length };
    this.introspect.splitCall(spec.id);
    client.fanouts.set(seq, state);
    const word = this.cmdWord(spec, client, true);
    for (let s = 0; s < n; s++) {
      if (picks[s].length > 0) this.shards[s].send(client.id, seq, word, firstSlot[s], src, argc, picks[s]);
    }
  }

  /** DBSIZE, KEYS, FLUSHALL, RANDOMKEY ...: every shard runs it, replies are merged. */
  private routeToAll(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    const check = preRouteChecks[spec.name];
    if (check !== undefined) {
      const error = check(argvOf(src, argc), this);
      if (error !== null) return this.replyLocal(client, seq, (w) => w.error(error));
    }
    const n = this.shards.length;
    if (n === 1 && spec.merge !== 'random') {
      return this.shards[0].send(client.id, seq, this.cmdWord(spec, client, false), 0, src, argc, null);
    }
    client.fanouts.set(seq, { merge: spec.merge!, remaining: n, parts: new Array(n) });
    this.introspect.splitCall(spec.id);
    const word = this.cmdWord(spec, client, true);
    for (const link of this.shards) link.send(client.id, seq, word, 0, src, argc, null);
  }

  /**
   * SCAN: the client's cursor numbers the slots shard by shard (all of shard
   * 0's slots, then shard 1's ...), so it is a plain number with no server
   * state. The owning shard scans whole slots from that position.
   */
  private routeScan(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    const cursorText = src.buf.latin1Slice(src.starts[1], src.starts[1] + src.lens[1]);
    const cursor = parseScanCursor(cursorText);
    if (cursor === null) return this.replyLocal(client, seq, (w) => w.error(ERR.INVALID_CURSOR));
    const pos = this.cursorToPosition(cursor);
    if (pos === null) {
      return this.replyLocal(client, seq, (w) => {
        w.arrayLen(2);
        w.bulk('0');
        w.arrayLen(0);
      });
    }
    const [shard, local] = pos;
    // Same arguments, with the cursor replaced by the shard-local position.
    const withLocal = withArgument(src, argc, 1, Buffer.from(String(local), 'latin1'));
    client.fanouts.set(seq, { merge: 'scan', remaining: 1, parts: [], scanShard: shard });
    this.introspect.splitCall(spec.id);
    this.shards[shard].send(client.id, seq, this.cmdWord(spec, client, true), 0, withLocal, argc, null);
  }

  /** Number of slots shard i owns. */
  slotsOf(shard: number): number {
    return Math.ceil((16384 - shard) / this.shards.length);
  }

  /** Client cursor of the first slot of a shard. */
  cursorBase(shard: number): number {
    let base = 0;
    for (let i = 0; i < shard; i++) base += this.slotsOf(i);
    return base;
  }

  private cursorToPosition(cursor: bigint): [number, number] | null {
    if (cursor >= 16384n) return null;
    let c = Number(cursor);
    for (let i = 0; i < this.shards.length; i++) {
      const owned = this.slotsOf(i);
      if (c < owned) return [i, c];
      c -= owned;
    }
    return null;
  }

  /**
   * Sends the current configuration to every shard through the rings, so that
   * commands sent after it see it; replies +OK to (client, seq) once every
   * shard has applied it (CONFIG SET).
   */
  applyConfigToShards(client: Client, seq: number): void {
    const spec = internalCommand('shardis|apply-config');
    client.fanouts.set(seq, { merge: 'ok', remaining: this.shards.length, parts: new Array(this.shards.length) });
    const name = Buffer.from(spec.name, 'latin1');
    for (const link of this.shards) {
      const json = Buffer.from(JSON.stringify(this.config.shardConfig(link.index)), 'latin1');
      const src: ArgSource = { buf: Buffer.concat([name, json]), starts: Int32Array.of(0, name.length), lens: Int32Array.of(name.length, json.length) };
      link.send(client.id, seq, this.cmdWord(spec, client, true), 0, src, 2, null);
    }
  }

  /** Sends an internal command to every shard for (client, seq); the parts are merged as its table entry says (CLIENT UNBLOCK). */
  askAllShards(client: Client, seq: number, name: string, ...args: string[]): void {
    const spec = internalCommand(name);
    const n = this.shards.length;
    client.fanouts.set(seq, { merge: spec.merge!, remaining: n, parts: new Array(n) });
    const src = internalArgs(name, ...args);
    for (const link of this.shards) link.send(client.id, seq, this.cmdWord(spec, client, true), 0, src, args.length + 1, null);
  }

  /** Stops accepting, closes clients, ends the workers. */
  async close(): Promise<void> {
    this.running = false;
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const client of [...this.clients.values()]) this.closeClient(client);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await Promise.all(this.shards.map((s) => s.worker.terminate()));
  }
}

/** Commands whose keys depend on their arguments (flag 'movablekeys'), by id: routed by their key specs. */
const MOVABLE_KEYS = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('movablekeys') ? 1 : 0));
/** SORT and SORT_RO, by id: their patterns may read keys on every shard. */
const SORTS = Uint8Array.from(allCommands, (spec) => (spec.name === 'sort' || spec.name === 'sort_ro' ? 1 : 0));

const MAX_CLIENTS_REACHED = Buffer.from('-ERR max number of clients reached\r\n');

const TXN_PARK_ID = internalCommand('shardis|txn-park').id;

const WOULD_BLOCK = Buffer.from(`-${WOULD_BLOCK_PREFIX} `, 'latin1');

/** Whether a reply is a transaction executor's "would block" answer (never a reply a client sees). */
function isWouldBlock(bytes: Buffer, start: number, len: number): boolean {
  if (len < WOULD_BLOCK.length) return false;
  for (let i = 0; i < WOULD_BLOCK.length; i++) if (bytes[start + i] !== WOULD_BLOCK[i]) return false;
  return true;
}

/** The argument source of an internal command. */
function internalArgs(name: string, ...args: string[]): ArgSource {
  return argSourceOf([name, ...args]);
}

/** Commands that may block (flag 'blocking'), by id: their client's next commands wait for their reply. */
const BLOCKING = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('blocking') ? 1 : 0));

/**
 * Redis closes a connection whose first word is POST or Host: (a browser
 * tricked into talking to the server: cross-protocol scripting).
 */
function isCrossProtocolAttack(buf: Buffer, start: number, len: number): boolean {
  const word = buf.latin1Slice(start, start + len).toLowerCase();
  return word === 'post' || word === 'host:';
}

/** Redis' unknown-command error: arguments quoted, 128 bytes of them at most, newlines made spaces. */
function unknownCommandText(name: string, args: string[]): string {
  let list = '';
  for (const a of args) {
    if (list.length >= 128) break;
    list += `'${a.slice(0, 128 - list.length)}' `;
  }
  return `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`;
}

