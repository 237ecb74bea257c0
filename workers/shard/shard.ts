/**
 * One shard: the keyspace of the slots `slot % shardCount === shardIndex`,
 * and the services around it (blocked clients, WATCH, keyspace events,
 * cross-shard transactions, statistics). Requests come from one ring per
 * acceptor (request-inbox.ts) and run one at a time, like Redis' main
 * thread: no locks inside a shard. Each reply goes to the ring of the
 * acceptor that owns the client (reply-outbox.ts).
 *
 * Loop (run()): take a batch from each ring in turn, executing each command
 * and writing its RESP reply; publish the replies and ring the doorbells;
 * spin briefly when nothing can run; then park on the shard's bell (an idle
 * shard costs no CPU, and timers such as active expiry still run).
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { allCommands } from '../../src/commands/table.js';
import { keysFromSpecs } from '../../src/commands/key-specs.js';
import { keyPositions } from '../../src/commands/spec.js';
import type { ShardConfig } from '../../src/config/shard-config.js';
import { FLAG_BIG, INTROSPECT_CLIENT, KEYSPACE_EVENT_CLIENT, REQUEST_HEADER_BYTES, REQ_PART, REQ_RESP3, REQ_TXN, WATCH_NOTIFY_CLIENT, WOULD_BLOCK_PREFIX } from '../../src/ipc/frame.js';
import { ServerRegistry } from '../../src/ipc/server-registry.js';
import { ShardBell } from '../../src/ipc/shard-bell.js';
import { ShardStats } from '../../src/ipc/shard-stats.js';
import { ReplyWriter } from '../../src/resp/writer.js';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from '../../src/server/notify-flags.js';
import { readU32 } from '../../src/util/bytes.js';
import { decodeArgs } from './args.js';
import { Blocker } from './blocking.js';
import type { Ctx, ShardControl } from './context.js';
import { runExec, type ExecHost } from './exec.js';
import { ActiveExpirer } from './expire.js';
import { handlersById } from './handlers.js';
import { activeExpire, afterCommand, configureIntrospection, initIntrospection, latencyEvent } from './introspect.js';
import { Keyspace, refreshLruClock, type KeyWatcher } from './keyspace.js';
import { KeyspaceNotifier } from './notify.js';
import { ReplyOutbox } from './reply-outbox.js';
import { RequestInbox } from './request-inbox.js';
import { Transactions } from './transaction.js';
import { Watches } from './watch.js';

/** One acceptor's end of this shard, as the pool hands it over. */
export interface AcceptorPair {
  requestRing: SharedArrayBuffer;
  replyRing: SharedArrayBuffer;
  /** The acceptor's doorbell, rung after publishing replies into its ring. */
  doorbell: SharedArrayBuffer;
  /** Side channel for payloads too large for the rings, one port per direction. */
  bigIn: MessagePort;
  bigOut: MessagePort;
}

export interface ShardWorkerData {
  config: ShardConfig;
  /** By acceptor index. */
  acceptors: AcceptorPair[];
  /** Parked flag and wake word, shared by the acceptors (src/ipc/shard-bell.ts). */
  bell: SharedArrayBuffer;
  /** Server-wide counters (src/ipc/server-registry.ts): which acceptors have subscribers. */
  registry: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  /** Ports to the other shards by index (undefined for this one) and their wake-up words: transaction.ts. */
  peers: (MessagePort | undefined)[];
  mailbox: SharedArrayBuffer;
}

/** Commands that write, by id: a transaction sends their remote keys back to their owners; WATCH notes their keys. */
const WRITES = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('write') ? 1 : 0));
const EXEC_ID = allCommands.findIndex((spec) => spec.name === 'shardis|exec');
const SORT_ID = allCommands.findIndex((spec) => spec.name === 'sort');

/**
 * During a long batch, replies are published (and ring space given back)
 * every PUBLISH_EVERY requests, and the next ring gets its turn. Each publish
 * lets the acceptor write the replies so far, one socket write per client,
 * and every such round of writes wakes the client side again: at pipeline 16,
 * 256 against 64 gave 5–10% more GET, SET and LPUSH throughput and 0.25 µs
 * less CPU per operation (docs/decisions.md). Batches at pipeline 1 are
 * smaller than this.
 */
const PUBLISH_EVERY = 256;

/**
 * While requests came within this long, an empty inbox is waited on with a
 * blocking Atomics.wait, in slices of at most WAIT_SLICE_MS with the event
 * loop (timers) run between them: the acceptor's notify wakes a thread
 * blocked on the futex in a few µs, where waking the event loop of a worker
 * parked in Atomics.waitAsync takes tens of µs (docs/decisions.md). After
 * that, the shard parks in waitAsync and costs nothing.
 */
const ACTIVE_MS = 100;
const WAIT_SLICE_MS = 4;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Whether a cross-shard command may have changed the other shards' keys it
 * fetched, so their final state must go back to their owners. SORT is a
 * write command only with STORE: its BY/GET lookups on their own must not
 * look like writes to the owners (that would touch WATCHed keys).
 */
function writesRemoteKeys(cmdId: number, argv: string[]): boolean {
  if (cmdId === EXEC_ID) return true;
  if (cmdId === SORT_ID) return argv.some((a, i) => i > 1 && a.toLowerCase() === 'store');
  return WRITES[cmdId] === 1;
}

/** The keys a write command names (null: it names none, like FLUSHALL), for WATCH. */
function writtenKeys(cmdId: number, argv: string[]): string[] | null {
  const spec = allCommands[cmdId];
  const positions = spec.flags.includes('movablekeys') ? (keysFromSpecs(spec, argv)?.map((k) => k.pos) ?? []) : keyPositions(spec, argv.length);
  if (positions.length === 0) return null;
  return positions.map((p) => argv[p]);
}

export class Shard implements ShardControl {
  private config: ShardConfig;
  private readonly inbox: RequestInbox;
  private readonly outbox: ReplyOutbox;
  private readonly registry: ServerRegistry;
  private readonly stats: ShardStats;
  private readonly ks: Keyspace;
  private readonly writer = new ReplyWriter();
  private readonly ctx: Ctx;
  private readonly expirer: ActiveExpirer;
  private readonly notifier: KeyspaceNotifier;
  private readonly blocker: Blocker;
  private readonly watches: Watches;
  private readonly transactions: Transactions;
  private readonly execHost: ExecHost;
  /** The request being executed: one object, rewritten per request (the blocker copies what it keeps). */
  private readonly current = { acceptor: 0, clientId: 0, seq: 0, cmdWord: 0, slot: 0, argv: [] as string[] };
  /** Participants of the transaction being executed here (EXEC asks them about WATCH). */
  private currentParticipants: number[] = [];
  private commandsProcessed = 0;
  /** Time spent in active expiry cycles (INFO expire_cycle_cpu_milliseconds). */
  private expireCycleMs = 0;
  private cronTicks = 0;
  private cronTimer: NodeJS.Timeout;
  /**
   * End of the last timed command (or start of the batch): a command's time runs from there, so
   * each command costs one clock read (148 ns on the development VM) instead of two; it includes
   * decoding the command's arguments from the ring.
   */
  private clock = 0;
  /**
   * Where the current request's command name is (still in the ring: space is
   * given back only after the command ran), for the slow log, which shows it
   * as the client sent it.
   */
  private nameBytes: Buffer;
  private nameAt = 0;

  constructor(data: ShardWorkerData) {
    this.config = data.config;
    this.inbox = new RequestInbox(
      data.acceptors.map((a) => a.requestRing),
      data.acceptors.map((a) => a.bigIn),
      new ShardBell(data.bell),
    );
    this.outbox = new ReplyOutbox(
      data.acceptors.map((a) => a.replyRing),
      data.acceptors.map((a) => a.doorbell),
      data.acceptors.map((a) => a.bigOut),
    );
    this.registry = new ServerRegistry(data.registry, data.acceptors.length);
    this.stats = new ShardStats(data.stats);
    this.nameBytes = this.inbox.rings[0].bytes;
    const ks = (this.ks = new Keyspace(this.config.databases));
    const ownedSlots: number[] = [];
    for (let s = this.config.shardIndex; s < 16384; s += this.config.shardCount) ownedSlots.push(s);
    this.expirer = new ActiveExpirer(ks, ownedSlots);

    this.ctx = {
      ks,
      db: ks.dbs[0],
      dbIndex: 0,
      w: this.writer,
      slot: 0,
      part: false,
      config: this.config,
      canBlock: true,
      shard: this,
      block: (keys, type, deadline) => this.blocker.block(this.ctx.dbIndex, keys, type, deadline),
      notify: (type, event, key, db = this.ctx.dbIndex) => this.notifier.notify(type, event, key, db),
    };

    // Keyspace events go to the acceptors with subscribers, ahead of the raising command's reply.
    this.notifier = new KeyspaceNotifier((originClient, payload) => this.emitKeyspaceEvent(originClient, payload));
    this.notifier.flags = this.config.notifyKeyspaceEvents;

    const writer = this.writer;
    this.blocker = new Blocker(ks, {
      rerun: (bc) => {
        this.notifier.originClient = bc.clientId;
        this.notifier.originSeq = bc.seq;
        this.prepare(bc.cmdWord, bc.slot);
        this.runHandler(bc.cmdWord & 0xffff, bc.argv);
      },
      emit: (bc) => this.emitReply(bc.acceptor, bc.clientId, bc.seq),
      replyTimeout: (bc) => {
        writer.reset((bc.cmdWord >>> 24) & REQ_RESP3 ? 3 : 2);
        writer.nilArray();
        this.emitReply(bc.acceptor, bc.clientId, bc.seq);
      },
      replyError: (bc, message) => {
        writer.reset((bc.cmdWord >>> 24) & REQ_RESP3 ? 3 : 2);
        writer.error(message);
        this.emitReply(bc.acceptor, bc.clientId, bc.seq);
      },
      flush: () => {
        this.publishStats();
        this.outbox.publish();
      },
      notifyWatch: (token, acceptor) => {
        writer.reset(2);
        this.emitReply(acceptor, WATCH_NOTIFY_CLIENT, token);
        this.outbox.publish();
      },
    });
    this.blocker.request = this.current;

    const watches = (this.watches = new Watches(ks));
    // Key events others wait on: collections created (blocked clients), keys expired (WATCH).
    const keyEvents: KeyWatcher = {
      keyAdded: (db, key, type) => this.blocker.keyAdded(db, key, type),
      keyExpired: (db, key) => {
        watches.touch(db, key);
        this.notifier.notify(NOTIFY_EXPIRED, 'expired', key, db);
      },
      keyCreated: (db, key) => this.notifier.notify(NOTIFY_NEW, 'new', key, db),
      keyMissed: (db, key) => this.notifier.notify(NOTIFY_KEY_MISS, 'keymiss', key, db),
    };
    for (const db of ks.dbs) db.watcher = keyEvents;

    this.transactions = new Transactions(ks, this.config.shardIndex, this.config.shardCount, data.peers, new Int32Array(data.mailbox), {
      isDirty: (clientId) => watches.isDirty(clientId),
      written: (db, key) => watches.touch(db, key),
    });
    this.execHost = {
      dirty: (clientId) => watches.isDirty(clientId) || this.transactions.anyDirty(this.currentParticipants, clientId),
      run: (cmdId, argv) => {
        // Each queued command is a call of its own (Redis' execCommand runs call() for each).
        const mark = writer.len;
        const t0 = performance.now();
        try {
          this.callHandler(cmdId, argv);
        } finally {
          afterCommand(cmdId, argv, performance.now() - t0, writer.len > mark && writer.buf[mark] === 45, false, false, this.current.clientId, false);
        }
      },
      unwatch: (clientId) => watches.unwatch(clientId),
    };

    initIntrospection(this.stats.commands, (payload) => this.emitIntrospection(payload), () => this.originalName(), this.config);
    this.publishStats();
    this.publishHeap();
    this.cronTimer = setInterval(() => this.cron(), 1000 / this.config.hz);
  }

  // ---- ShardControl: the internal commands' effects (control.ts) ------------

  /** Applies a configuration change (CONFIG SET), in ring order with the commands around it. */
  applyConfig(next: ShardConfig): void {
    const hzChanged = next.hz !== this.config.hz;
    this.config = this.ctx.config = next;
    configureIntrospection(next);
    this.notifier.flags = next.notifyKeyspaceEvents;
    if (hzChanged) {
      clearInterval(this.cronTimer);
      this.cronTimer = setInterval(() => this.cron(), 1000 / next.hz);
    }
  }

  clientGone(clientId: number): void {
    this.blocker.clientGone(clientId);
  }

  watchForWait(token: number, db: number, type: string, keys: string[]): void {
    this.blocker.watch(token, this.current.acceptor, db, type, keys);
  }

  unwatchForWait(token: number): void {
    this.blocker.unwatch(token);
  }

  watch(clientId: number, db: number, keys: string[]): void {
    this.watches.watch(clientId, db, keys);
  }

  unwatch(clientId: number): void {
    this.watches.unwatch(clientId);
  }

  exec(ctx: Ctx, argv: string[]): void {
    runExec(ctx, argv, this.execHost);
  }

  parkForTransaction(executor: number): void {
    this.transactions.park(executor);
  }

  unblock(clientId: number, error: boolean): boolean {
    return this.blocker.unblock(clientId, error ? 'UNBLOCKED client unblocked via CLIENT UNBLOCK' : null);
  }

  // ---- executing commands ---------------------------------------------------

  /** Points the context and the writer at a request: its database, slot and protocol. */
  private prepare(cmdWord: number, slot: number): void {
    const db = (cmdWord >>> 16) & 0xff;
    const flags = cmdWord >>> 24;
    this.writer.reset(flags & REQ_RESP3 ? 3 : 2);
    this.ctx.db = this.ks.dbs[db];
    this.ctx.dbIndex = db;
    this.ctx.slot = slot;
    this.ctx.part = (flags & REQ_PART) !== 0;
  }

  /** Runs a handler; a write command's effect on watched keys is noted (WATCH). Throws what the handler throws. */
  private callHandler(cmdId: number, argv: string[]): void {
    const handler = handlersById[cmdId];
    if (handler === undefined) throw new Error(`no shard handler for ${allCommands[cmdId]?.name}`);
    const watches = this.watches;
    if (!watches.active || WRITES[cmdId] !== 1) return handler(this.ctx, argv);
    const keys = writtenKeys(cmdId, argv);
    const noted = watches.before(this.ctx.dbIndex, keys);
    try {
      handler(this.ctx, argv);
    } finally {
      watches.after(noted, keys !== null);
    }
  }

  private runHandler(cmdId: number, argv: string[]): void {
    try {
      this.callHandler(cmdId, argv);
    } catch (err) {
      // A bug must not take the shard down with every other client's data: answer with an error and go on.
      this.writer.reset(this.writer.proto);
      this.writer.error(`ERR internal error in '${allCommands[cmdId]?.name}': ${(err as Error).message}`);
      console.error(err);
    }
  }

  private execute(cmdWord: number, slot: number, argv: string[]): void {
    this.prepare(cmdWord, slot);
    // Per-command statistics, slow log and latency events (introspect.ts).
    this.runHandler(cmdWord & 0xffff, argv);
    const now = performance.now();
    const ms = now - this.clock;
    this.clock = now;
    this.commandsProcessed++;
    const blocked = this.blocker.blockedNow;
    const w = this.writer;
    afterCommand(cmdWord & 0xffff, argv, ms, !blocked && w.len > 0 && w.buf[0] === 45, ((cmdWord >>> 24) & REQ_PART) !== 0, blocked, this.current.clientId, true);
  }

  /**
   * Runs a command as a cross-shard transaction's executor. Its last argument
   * lists the parked participants. A blocking command that finds nothing
   * answers WOULD_BLOCK_PREFIX: the acceptor keeps that wait (its keys live on
   * several shards) and runs the command again when one becomes ready.
   */
  private executeTransaction(cmdWord: number, slot: number, argv: string[]): void {
    const participants = argv.pop()!.split(',').map(Number);
    const blocker = this.blocker;
    this.currentParticipants = participants;
    this.transactions.begin();
    blocker.inTransaction = true;
    blocker.transactionBlock = null;
    try {
      this.execute(cmdWord, slot, argv);
    } finally {
      blocker.inTransaction = false;
      this.currentParticipants = [];
      this.transactions.end(writesRemoteKeys(cmdWord & 0xffff, argv), participants);
    }
    const wait = blocker.transactionBlock as { type: string; deadline: number } | null; // set by ctx.block() during execute()
    if (wait !== null) {
      this.writer.reset(this.writer.proto);
      this.writer.error(`${WOULD_BLOCK_PREFIX} ${wait.type} ${wait.deadline}`);
    }
  }

  private originalName(): string {
    const len = readU32(this.nameBytes, this.nameAt);
    return this.nameBytes.latin1Slice(this.nameAt + 4, this.nameAt + 4 + len);
  }

  // ---- replies and out-of-band records ----------------------------------------

  /** Writes the reply in the writer for (client, seq) into acceptor a's ring. */
  private emitReply(a: number, clientId: number, seq: number): void {
    const w = this.writer;
    if (this.outbox.fits(a, w.len)) this.outbox.emit(a, clientId, seq, w.buf, 0, w.len);
    else this.outbox.emitBig(a, clientId, seq, w.take());
  }

  /** A slow command or a latency event: to the acceptor of the request (it knows the client's address), or acceptor 0. */
  private emitIntrospection(payload: Buffer): void {
    this.outbox.emit(this.current.clientId === 0 ? 0 : this.current.acceptor, INTROSPECT_CLIENT, 0, payload, 0, payload.length);
  }

  /** A keyspace event: every acceptor whose clients subscribe to something gets it (one acceptor: it checks itself). */
  private emitKeyspaceEvent(originClient: number, payload: Buffer): void {
    const outbox = this.outbox;
    if (outbox.count === 1) return outbox.emit(0, KEYSPACE_EVENT_CLIENT, originClient, payload, 0, payload.length);
    for (let a = 0; a < outbox.count; a++) {
      if (this.registry.subscriptions(a) > 0) outbox.emit(a, KEYSPACE_EVENT_CLIENT, originClient, payload, 0, payload.length);
    }
  }

  // ---- the loop -------------------------------------------------------------

  /** Runs up to `max` requests of ring r; returns how many ran. */
  private drainRing(r: number, max: number): number {
    const inbox = this.inbox;
    const ring = inbox.rings[r];
    const current = this.current;
    const blocker = this.blocker;
    const notifier = this.notifier;
    let n = 0;
    while (n < max) {
      const off = inbox.next(r);
      if (off < 0) break;
      const w = off >>> 2;
      const clientId = ring.words[w + 1];
      const seq = ring.words[w + 2];
      const cmdWord = ring.words[w + 3];
      const slot = ring.words[w + 4] | 0;
      const name = allCommands[cmdWord & 0xffff].name;
      let argv: string[] | null = null;
      try {
        if ((cmdWord >>> 24) & FLAG_BIG) {
          const bytes = inbox.bigPayload(r);
          this.nameBytes = bytes;
          this.nameAt = 4;
          argv = decodeArgs(bytes, 4, bytes.readUInt32LE(0), name);
        } else {
          const p = off + REQUEST_HEADER_BYTES;
          this.nameBytes = ring.bytes;
          this.nameAt = p + 4;
          argv = decodeArgs(ring.bytes, p + 4, readU32(ring.bytes, p), name);
        }
      } catch (err) {
        // An argument V8 cannot hold as a string (> 536870888 bytes): refuse this request, keep the shard.
        this.writer.reset((cmdWord >>> 24) & REQ_RESP3 ? 3 : 2);
        this.writer.error(`ERR argument too large for '${name}': ${(err as Error).message}`);
      }
      inbox.consume(r, off);
      blocker.blockedNow = false;
      current.acceptor = r;
      current.clientId = clientId;
      current.seq = seq;
      if (argv !== null) {
        current.cmdWord = cmdWord;
        current.slot = slot;
        current.argv = argv;
        notifier.originClient = clientId;
        notifier.originSeq = seq;
        if (((cmdWord >>> 24) & REQ_TXN) !== 0) this.executeTransaction(cmdWord, slot, argv);
        else this.execute(cmdWord, slot, argv);
      }
      // A command that blocked replies later (blocking.ts); one that made keys ready serves their waiters now.
      if (!blocker.blockedNow) this.emitReply(r, clientId, seq);
      if (blocker.hasReady()) blocker.serve();
      n++;
    }
    if (n > 0) inbox.release(r);
    return n;
  }

  /** Runs everything that can run, a batch of each ring in turn; returns how many requests ran. */
  private drain(): number {
    const rings = this.inbox.count;
    let total = 0;
    for (;;) {
      let round = 0;
      for (let r = 0; r < rings; r++) {
        if (total + round === 0 && this.inbox.next(r) >= 0) {
          refreshLruClock();
          this.clock = performance.now();
        }
        const n = this.drainRing(r, PUBLISH_EVERY);
        if (n === 0) continue;
        round += n;
        // The acceptors see each batch's replies, after the statistics they may read (INFO), the batch's own acceptor last (reply-outbox.ts).
        this.publishStats();
        this.outbox.publish(r);
      }
      if (round === 0) break;
      total += round;
    }
    return total;
  }

  async run(): Promise<void> {
    const inbox = this.inbox;
    const bell = inbox.bell;
    let lastYield = performance.now();
    let lastWork = lastYield;
    for (;;) {
      if (this.drain() > 0) {
        lastWork = performance.now();
        // Busy: keep draining, but let timers and control messages run every few ms.
        if (lastWork - lastYield > WAIT_SLICE_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        continue;
      }
      const spinUntil = performance.now() + this.config.shardSpinUs / 1000;
      while (!inbox.hasRunnable() && performance.now() < spinUntil);
      if (inbox.hasRunnable()) continue;
      // Park. Producers publish before they read PARKED, and we set PARKED before
      // looking at the rings, so one side always sees the other (shard-bell.ts).
      const now = performance.now();
      const seen = bell.wakeCount();
      bell.setParked(true);
      if (now - lastWork < ACTIVE_MS) {
        if (!inbox.hasRunnable()) bell.waitSync(seen, WAIT_SLICE_MS);
        bell.setParked(false);
        if (performance.now() - lastYield > WAIT_SLICE_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        continue;
      }
      if (!inbox.hasRunnable()) await bell.waitAsync(seen);
      bell.setParked(false);
      lastYield = performance.now();
    }
  }

  // ---- cron and statistics ---------------------------------------------------

  /**
   * The shard's cron, hz times a second (Redis' serverCron): the active expiry
   * cycle, at most a quarter of the period, and once a second the heap figure
   * INFO memory adds up across threads.
   */
  private cron(): void {
    refreshLruClock();
    this.current.clientId = 0;
    this.blocker.expire();
    this.notifier.originClient = 0;
    if (activeExpire.enabled) {
      const t0 = performance.now();
      const expired = this.expirer.cycle(250 / this.config.hz);
      const cycleMs = performance.now() - t0;
      this.expireCycleMs += cycleMs;
      if (expired > 0) this.publishStats();
      if (latencyEvent('expire-cycle', cycleMs)) this.outbox.publish();
    }
    if (this.notifier.pending > 0) {
      // Expired events of the active cycle: let the acceptors publish them now.
      this.notifier.pending = 0;
      this.outbox.publish();
    }
    if (this.cronTicks++ % this.config.hz === 0) this.publishHeap();
  }

  private publishStats(): void {
    const { ks, stats } = this;
    for (let i = 0; i < ks.dbs.length; i++) stats.setDb(i, ks.dbs[i].keyCount, ks.dbs[i].volatileCount);
    stats.set('commandsProcessed', this.commandsProcessed);
    stats.set('expiredKeys', ks.stats.expiredKeys);
    stats.set('keyspaceHits', ks.stats.keyspaceHits);
    stats.set('keyspaceMisses', ks.stats.keyspaceMisses);
    stats.set('blockedClients', this.blocker.blockedCount);
    stats.set('blockedWithTimeout', this.blocker.withTimeoutCount);
  }

  private publishHeap(): void {
    const h = getHeapStatistics();
    const stats = this.stats;
    stats.set('heapUsed', h.used_heap_size + h.external_memory);
    stats.set('heapTotal', h.total_heap_size + h.external_memory);
    stats.set('expireCycleMs', Math.floor(this.expireCycleMs));
    stats.set('expireTimeCapReached', this.expirer.timeCapReached);
    stats.set('expiredStalePerc', this.expirer.stalePerc);
  }
}
