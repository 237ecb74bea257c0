/**
 * Shard worker entry point. Owns the keyspace of the slots `slot % shardCount
 * === shardIndex`, and runs requests one at a time, in ring order, like Redis'
 * main thread: no locks inside a shard.
 *
 * Loop: drain the request ring, executing each command and writing its RESP
 * reply into the reply ring; publish the replies and ring the acceptor's
 * doorbell; spin briefly on an empty ring; then park in Atomics.waitAsync (so
 * an idle shard costs no CPU, and timers such as active expiry still run).
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { allCommands } from '../../src/commands/table.js';
import type { ShardConfig } from '../../src/config/shard-config.js';
import { Doorbell } from '../../src/ipc/doorbell.js';
import { FLAG_BIG, HEADER_BYTES, INTROSPECT_CLIENT, REQ_PART, REQ_RESP3, REQ_TXN, WATCH_NOTIFY_CLIENT, WOULD_BLOCK_PREFIX, type BigPayload } from '../../src/ipc/frame.js';
import { align4, HEAD, PARKED, Ring, TAIL } from '../../src/ipc/ring.js';
import { ReplyWriter } from '../../src/resp/writer.js';
import { copyBytes, readU32 } from '../../src/util/bytes.js';
import { ShardStats } from '../../src/ipc/shard-stats.js';
import type { Ctx } from './context.js';
import { ActiveExpirer } from './expire.js';
import { handlersById } from './handlers.js';
import { onApplyConfig, onClientGone, onExec, onTxnPark, onUnblock, onWatch, onWatchKeys } from './control.js';
import { runExec, type ExecHost } from './exec.js';
import { Watches } from './watch.js';
import { keysFromSpecs } from '../../src/commands/key-specs.js';
import { keyPositions } from '../../src/commands/spec.js';
import { Transactions } from './transaction.js';
import { Blocker } from './blocking.js';
import { Keyspace, refreshLruClock, type KeyWatcher } from './keyspace.js';
import { activeExpire, afterCommand, configureIntrospection, initIntrospection, latencyEvent } from './introspect.js';
import { KeyspaceNotifier } from './notify.js';
import { KEYSPACE_EVENT_CLIENT } from '../../src/ipc/frame.js';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from '../../src/server/notify-flags.js';

export interface ShardWorkerData {
  config: ShardConfig;
  requestRing: SharedArrayBuffer;
  replyRing: SharedArrayBuffer;
  doorbell: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  /** Side channel for payloads too large for the rings, one port per direction. */
  bigIn: MessagePort;
  bigOut: MessagePort;
  /** Ports to the other shards by index (undefined for this one) and their wake-up words: transaction.ts. */
  peers: (MessagePort | undefined)[];
  mailbox: SharedArrayBuffer;
}

const data = workerData as ShardWorkerData;
let config: ShardConfig = data.config;
const requests = new Ring(data.requestRing);
const replies = new Ring(data.replyRing);
const doorbell = new Doorbell(data.doorbell);
const stats = new ShardStats(data.stats);
const ks = new Keyspace(config.databases);
const writer = new ReplyWriter();
const ownedSlots: number[] = [];
for (let s = config.shardIndex; s < 16384; s += config.shardCount) ownedSlots.push(s);
const expirer = new ActiveExpirer(ks, ownedSlots);

const ctx: Ctx = {
  ks,
  db: ks.dbs[0],
  dbIndex: 0,
  w: writer,
  slot: 0,
  part: false,
  config,
  canBlock: true,
  block: (keys, type, deadline) => blocker.block(ctx.dbIndex, keys, type, deadline),
  notify: (type, event, key, db = ctx.dbIndex) => notifier.notify(type, event, key, db),
};

// Keyspace events go to the acceptor through the reply ring, ahead of the raising command's reply.
const notifier = new KeyspaceNotifier((originClient, payload) => emitBytes(KEYSPACE_EVENT_CLIENT, originClient, payload));
notifier.flags = config.notifyKeyspaceEvents;

const blocker = new Blocker(ks, {
  rerun(bc) {
    notifier.originClient = bc.clientId;
    notifier.originSeq = bc.seq;
    prepare(bc.cmdWord, bc.slot);
    runHandler(bc.cmdWord & 0xffff, bc.argv);
  },
  emit: (bc) => emitReply(bc.clientId, bc.seq),
  replyTimeout(bc) {
    writer.reset((bc.cmdWord >>> 24) & REQ_RESP3 ? 3 : 2);
    writer.nilArray();
    emitReply(bc.clientId, bc.seq);
  },
  replyError(bc, message) {
    writer.reset((bc.cmdWord >>> 24) & REQ_RESP3 ? 3 : 2);
    writer.error(message);
    emitReply(bc.clientId, bc.seq);
  },
  flush() {
    publishStats();
    replies.publish();
    doorbell.ring();
  },
  notifyWatch(token) {
    writer.reset(2);
    emitReply(WATCH_NOTIFY_CLIENT, token);
    replies.publish();
    doorbell.ring();
  },
});
onClientGone((id) => blocker.clientGone(id));
onUnblock((id, error) => blocker.unblock(id, error ? 'UNBLOCKED client unblocked via CLIENT UNBLOCK' : null));
onWatch(
  (token, db, type, keys) => blocker.watch(token, db, type, keys),
  (token) => blocker.unwatch(token),
);

const watches = new Watches(ks);
// Key events others wait on: collections created (blocked clients), keys expired (WATCH).
const keyEvents: KeyWatcher = {
  keyAdded: (db, key, type) => blocker.keyAdded(db, key, type),
  keyExpired: (db, key) => {
    watches.touch(db, key);
    notifier.notify(NOTIFY_EXPIRED, 'expired', key, db);
  },
  keyCreated: (db, key) => notifier.notify(NOTIFY_NEW, 'new', key, db),
  keyMissed: (db, key) => notifier.notify(NOTIFY_KEY_MISS, 'keymiss', key, db),
};
for (const db of ks.dbs) db.watcher = keyEvents;

const transactions = new Transactions(ks, config.shardIndex, config.shardCount, data.peers, new Int32Array(data.mailbox), {
  isDirty: (clientId) => watches.isDirty(clientId),
  written: (db, key) => watches.touch(db, key),
});
onTxnPark((executor) => transactions.park(executor));
/** Commands that write, by id: a transaction sends their remote keys back to their owners. */
const WRITES = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('write') ? 1 : 0));
const EXEC_ID = allCommands.findIndex((spec) => spec.name === 'shardis|exec');
const SORT_ID = allCommands.findIndex((spec) => spec.name === 'sort');

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

/** Participants of the transaction being executed here (EXEC asks them about WATCH). */
let currentParticipants: number[] = [];

onWatchKeys(
  (clientId, db, keys) => watches.watch(clientId, db, keys),
  (clientId) => watches.unwatch(clientId),
);
const execHost: ExecHost = {
  dirty: (clientId) => watches.isDirty(clientId) || transactions.anyDirty(currentParticipants, clientId),
  run: (cmdId, argv) => {
    // Each queued command is a call of its own (Redis' execCommand runs call() for each).
    const mark = writer.len;
    const t0 = performance.now();
    try {
      callHandler(cmdId, argv);
    } finally {
      afterCommand(cmdId, argv, performance.now() - t0, writer.len > mark && writer.buf[mark] === 45, false, false, blocker.request?.clientId ?? 0, false);
    }
  },
  unwatch: (clientId) => watches.unwatch(clientId),
};
onExec((c, argv) => runExec(c, argv, execHost));

/** The keys a write command names (null: it names none, like FLUSHALL), for WATCH. */
function writtenKeys(cmdId: number, argv: string[]): string[] | null {
  const spec = allCommands[cmdId];
  const positions = spec.flags.includes('movablekeys') ? (keysFromSpecs(spec, argv)?.map((k) => k.pos) ?? []) : keyPositions(spec, argv.length);
  if (positions.length === 0) return null;
  return positions.map((p) => argv[p]);
}

/**
 * Runs a command as a cross-shard transaction's executor. Its last argument
 * lists the parked participants. A blocking command that finds nothing
 * answers WOULD_BLOCK_PREFIX: the acceptor keeps that wait (its keys live on
 * several shards) and runs the command again when one becomes ready.
 */
function executeTransaction(cmdWord: number, slot: number, argv: string[]): void {
  const participants = argv.pop()!.split(',').map(Number);
  currentParticipants = participants;
  transactions.begin();
  blocker.inTransaction = true;
  blocker.transactionBlock = null;
  try {
    execute(cmdWord, slot, argv);
  } finally {
    blocker.inTransaction = false;
    currentParticipants = [];
    transactions.end(writesRemoteKeys(cmdWord & 0xffff, argv), participants);
  }
  const wait = blocker.transactionBlock as { type: string; deadline: number } | null; // set by ctx.block() during execute()
  if (wait !== null) {
    writer.reset(writer.proto);
    writer.error(`${WOULD_BLOCK_PREFIX} ${wait.type} ${wait.deadline}`);
  }
}

let commandsProcessed = 0;

/** Decodes the arguments of the request at `off` into latin1 strings (argv[0] is the command name). */
function decodeArgs(bytes: Buffer, p: number, argc: number, name: string): string[] {
  const argv = new Array<string>(argc);
  argv[0] = name;
  p += 4 + readU32(bytes, p); // skip the name: the command id says it
  for (let i = 1; i < argc; i++) {
    const len = readU32(bytes, p);
    argv[i] = decodeLatin1(bytes, p + 4, len);
    p += 4 + len;
  }
  return argv;
}

/**
 * A latin1 string from bytes. Up to SHORT_ARG bytes (keys, small values) with
 * one String.fromCharCode call of that many arguments: 48 ns for 16 bytes
 * against 116 ns for latin1Slice, a call into C++ (cheaper beyond that).
 * fromCharCode with the bytes as separate arguments is what makes it fast
 * (apply() or a loop of concatenations cost more than latin1Slice), hence
 * one generated function per length.
 */
const SHORT_ARG = 32;
type Decoder = (bytes: Uint8Array, at: number) => string;
const shortDecoders: Decoder[] = Array.from({ length: SHORT_ARG + 1 }, (_, len) => {
  const args = Array.from({ length: len }, (_, i) => `b[at + ${i}]`).join(', ');
  return new Function('b', 'at', `return String.fromCharCode(${args});`) as Decoder;
});

function decodeLatin1(bytes: Buffer, at: number, len: number): string {
  return len <= SHORT_ARG ? shortDecoders[len](bytes, at) : bytes.latin1Slice(at, at + len);
}

/** Points the context and the writer at a request: its database, slot and protocol. */
function prepare(cmdWord: number, slot: number): void {
  const db = (cmdWord >>> 16) & 0xff;
  const flags = cmdWord >>> 24;
  writer.reset(flags & REQ_RESP3 ? 3 : 2);
  ctx.db = ks.dbs[db];
  ctx.dbIndex = db;
  ctx.slot = slot;
  ctx.part = (flags & REQ_PART) !== 0;
}

/**
 * End of the last timed command (or start of the batch): a command's time runs from there, so
 * each command costs one clock read (148 ns on the development VM) instead of two; it includes
 * decoding the command's arguments from the ring.
 */
let clock = 0;

function execute(cmdWord: number, slot: number, argv: string[]): void {
  prepare(cmdWord, slot);
  // Per-command statistics, slow log and latency events (introspect.ts).
  runHandler(cmdWord & 0xffff, argv);
  const now = performance.now();
  const ms = now - clock;
  clock = now;
  commandsProcessed++;
  const blocked = blocker.blockedNow;
  afterCommand(cmdWord & 0xffff, argv, ms, !blocked && writer.len > 0 && writer.buf[0] === 45, ((cmdWord >>> 24) & REQ_PART) !== 0, blocked, blocker.request?.clientId ?? 0, true);
}

/**
 * Where the current request's command name is (still in the ring: space is
 * given back only after the command ran), for the slow log, which shows it
 * as the client sent it.
 */
let nameBytes: Buffer = requests.bytes;
let nameAt = 0;
function originalName(): string {
  const len = readU32(nameBytes, nameAt);
  return nameBytes.latin1Slice(nameAt + 4, nameAt + 4 + len);
}

/** Writes an out-of-band introspection record (a slow command, a latency event) into the reply ring. */
function emitIntrospection(payload: Buffer): void {
  const off = writeRecord(INTROSPECT_CLIENT, 0, 0, payload.length, align4(HEADER_BYTES + payload.length));
  copyBytes(payload, 0, replies.bytes, off + HEADER_BYTES, payload.length);
}

/** Runs a handler; a write command's effect on watched keys is noted (WATCH). Throws what the handler throws. */
function callHandler(cmdId: number, argv: string[]): void {
  const handler = handlersById[cmdId];
  if (handler === undefined) throw new Error(`no shard handler for ${allCommands[cmdId]?.name}`);
  if (!watches.active || WRITES[cmdId] !== 1) return handler(ctx, argv);
  const keys = writtenKeys(cmdId, argv);
  const noted = watches.before(ctx.dbIndex, keys);
  try {
    handler(ctx, argv);
  } finally {
    watches.after(noted, keys !== null);
  }
}

function runHandler(cmdId: number, argv: string[]): void {
  try {
    callHandler(cmdId, argv);
  } catch (err) {
    // A bug must not take the shard down with every other client's data: answer with an error and go on.
    writer.reset(writer.proto);
    writer.error(`ERR internal error in '${allCommands[cmdId]?.name}': ${(err as Error).message}`);
    console.error(err);
  }
}

/** Writes the reply in `writer` for (client, seq) into the reply ring, waiting for room if needed. */
function emitReply(clientId: number, seq: number): void {
  const len = writer.len;
  const size = align4(HEADER_BYTES + len);
  if (size > replies.maxRecord) {
    const payload: BigPayload = { clientId, seq, bytes: writer.take() };
    data.bigOut.postMessage(payload, [payload.bytes.buffer as ArrayBuffer]);
    writeRecord(clientId, seq, FLAG_BIG, 0, HEADER_BYTES);
    return;
  }
  const off = writeRecord(clientId, seq, 0, len, size);
  copyBytes(writer.buf, 0, replies.bytes, off + HEADER_BYTES, len);
}

/** Writes a record of raw bytes (a keyspace event) into the reply ring. */
function emitBytes(clientId: number, seq: number, bytes: Buffer): void {
  const size = align4(HEADER_BYTES + bytes.length);
  if (size > replies.maxRecord) {
    const copy = new Uint8Array(bytes);
    const payload: BigPayload = { clientId, seq, bytes: copy };
    data.bigOut.postMessage(payload, [copy.buffer as ArrayBuffer]);
    writeRecord(clientId, seq, FLAG_BIG, 0, HEADER_BYTES);
    return;
  }
  const off = writeRecord(clientId, seq, 0, bytes.length, size);
  copyBytes(bytes, 0, replies.bytes, off + HEADER_BYTES, bytes.length);
}

function writeRecord(clientId: number, seq: number, flags: number, len: number, size: number): number {
  let off = replies.reserve(size);
  while (off < 0) {
    // Reply ring full: let the acceptor drain it, then retry.
    replies.publish();
    doorbell.ring();
    Atomics.wait(replies.control, HEAD, Atomics.load(replies.control, HEAD), 1);
    off = replies.reserve(size);
  }
  const w = off >>> 2;
  replies.words[w] = size;
  replies.words[w + 1] = clientId;
  replies.words[w + 2] = seq;
  replies.words[w + 3] = flags;
  replies.words[w + 4] = len;
  replies.advance(off, size);
  return off;
}

/**
 * During a long batch, replies are published (and ring space given back)
 * every PUBLISH_EVERY requests. Each publish lets the acceptor write the
 * replies so far, one socket write per client, and every such round of
 * writes wakes the client side again: at pipeline 16, 256 against 64 gave
 * 5–10% more GET, SET and LPUSH throughput and 0.25 µs less CPU per
 * operation (docs/decisions.md). Batches at pipeline 1 are smaller than this.
 */
const PUBLISH_EVERY = 256;

/** The request being executed, for the blocker (blocking.ts): one object, rewritten per request. */
const current = { clientId: 0, seq: 0, cmdWord: 0, slot: 0, argv: [] as string[] };
blocker.request = current;

/** Executes everything in the request ring; returns how many requests ran. */
function drain(): number {
  let n = 0;
  for (;;) {
    const off = requests.next();
    if (off < 0) break;
    if (n === 0) {
      refreshLruClock();
      clock = performance.now();
    }
    const w = off >>> 2;
    const clientId = requests.words[w + 1];
    const seq = requests.words[w + 2];
    const cmdWord = requests.words[w + 3];
    const slot = requests.words[w + 4] | 0;
    const cmdId = cmdWord & 0xffff;
    const name = allCommands[cmdId].name;
    let argv: string[] | null = null;
    try {
      if ((cmdWord >>> 24) & FLAG_BIG) {
        const msg = receiveMessageOnPort(data.bigIn);
        if (!msg) throw new Error('big request record without its payload');
        const big = msg.message as BigPayload;
        const bytes = Buffer.from(big.bytes.buffer, big.bytes.byteOffset, big.bytes.byteLength);
        nameBytes = bytes;
        nameAt = 4;
        argv = decodeArgs(bytes, 4, bytes.readUInt32LE(0), name);
      } else {
        nameBytes = requests.bytes;
        nameAt = off + HEADER_BYTES + 4;
        argv = decodeArgs(requests.bytes, off + HEADER_BYTES + 4, readU32(requests.bytes, off + HEADER_BYTES), name);
      }
    } catch (err) {
      // An argument V8 cannot hold as a string (> 536870888 bytes): refuse this request, keep the shard.
      writer.reset((cmdWord >>> 24) & REQ_RESP3 ? 3 : 2);
      writer.error(`ERR argument too large for '${name}': ${(err as Error).message}`);
    }
    requests.consume(off);
    blocker.blockedNow = false;
    if (argv !== null) {
      current.clientId = clientId;
      current.seq = seq;
      current.cmdWord = cmdWord;
      current.slot = slot;
      current.argv = argv;
      notifier.originClient = clientId;
      notifier.originSeq = seq;
      if (((cmdWord >>> 24) & REQ_TXN) !== 0) executeTransaction(cmdWord, slot, argv);
      else execute(cmdWord, slot, argv);
    }
    // A command that blocked replies later (blocking.ts); one that made keys ready serves their waiters now.
    if (!blocker.blockedNow) emitReply(clientId, seq);
    if (blocker.hasReady()) blocker.serve();
    n++;
    // Give ring space back and let the acceptor see replies during long batches.
    if (n % PUBLISH_EVERY === 0) {
      requests.release();
      replies.publish();
      doorbell.ring();
    }
  }
  if (n > 0) {
    requests.release();
    publishStats();
    replies.publish();
    doorbell.ring();
  }
  return n;
}

function publishStats(): void {
  for (let i = 0; i < ks.dbs.length; i++) stats.setDb(i, ks.dbs[i].keyCount, ks.dbs[i].volatileCount);
  stats.set('commandsProcessed', commandsProcessed);
  stats.set('expiredKeys', ks.stats.expiredKeys);
  stats.set('keyspaceHits', ks.stats.keyspaceHits);
  stats.set('keyspaceMisses', ks.stats.keyspaceMisses);
  stats.set('blockedClients', blocker.blockedCount);
  stats.set('blockedWithTimeout', blocker.withTimeoutCount);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * While requests came within this long, an empty ring is waited on with a
 * blocking Atomics.wait, in slices of at most WAIT_SLICE_MS with the event
 * loop (timers) run between them: the acceptor's notify wakes a thread
 * blocked on the futex in a few µs, where waking the event loop of a worker
 * parked in Atomics.waitAsync takes tens of µs (docs/scaling.md, "Waking a
 * shard"). After that, the shard parks in waitAsync and costs nothing.
 */
const ACTIVE_MS = 100;
const WAIT_SLICE_MS = 4;

async function run(): Promise<void> {
  let lastYield = performance.now();
  let lastWork = lastYield;
  for (;;) {
    if (drain() > 0) {
      lastWork = performance.now();
      // Busy: keep draining, but let timers and control messages run every few ms.
      if (lastWork - lastYield > WAIT_SLICE_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      continue;
    }
    const spinUntil = performance.now() + config.shardSpinUs / 1000;
    while (requests.isEmpty() && performance.now() < spinUntil);
    if (!requests.isEmpty()) continue;
    // Park. The acceptor stores the tail before it reads PARKED, and we set PARKED
    // before reading the tail, so one of us always sees the other.
    const now = performance.now();
    Atomics.store(requests.control, PARKED, 1);
    const seen = requests.publishedTail();
    if (now - lastWork < ACTIVE_MS) {
      if (requests.isEmpty()) Atomics.wait(requests.control, TAIL, seen, WAIT_SLICE_MS);
      Atomics.store(requests.control, PARKED, 0);
      if (performance.now() - lastYield > WAIT_SLICE_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      continue;
    }
    if (requests.isEmpty()) {
      const wait = Atomics.waitAsync(requests.control, TAIL, seen);
      if (wait.async) await wait.value;
    }
    Atomics.store(requests.control, PARKED, 0);
    lastYield = performance.now();
  }
}

/**
 * The shard's cron, hz times a second (Redis' serverCron): the active expiry
 * cycle, at most a quarter of the period, and once a second the heap figure
 * INFO memory adds up across threads.
 */
let cronTicks = 0;
function cron(): void {
  refreshLruClock();
  blocker.expire();
  notifier.originClient = 0;
  if (activeExpire.enabled) {
    const t0 = performance.now();
    const expired = expirer.cycle(250 / config.hz);
    const cycleMs = performance.now() - t0;
    expireCycleMs += cycleMs;
    if (expired > 0) publishStats();
    if (latencyEvent('expire-cycle', cycleMs)) {
      replies.publish();
      doorbell.ring();
    }
  }
  if (notifier.pending > 0) {
    // Expired events of the active cycle: let the acceptor publish them now.
    notifier.pending = 0;
    replies.publish();
    doorbell.ring();
  }
  if (cronTicks++ % config.hz === 0) publishHeap();
}

/** Time spent in active expiry cycles (INFO expire_cycle_cpu_milliseconds). */
let expireCycleMs = 0;

function publishHeap(): void {
  const h = getHeapStatistics();
  stats.set('heapUsed', h.used_heap_size + h.external_memory);
  stats.set('heapTotal', h.total_heap_size + h.external_memory);
  stats.set('expireCycleMs', Math.floor(expireCycleMs));
  stats.set('expireTimeCapReached', expirer.timeCapReached);
  stats.set('expiredStalePerc', expirer.stalePerc);
}

let cronTimer = setInterval(cron, 1000 / config.hz);

/** Applies a configuration change (CONFIG SET), in ring order with the commands around it. */
function applyConfig(next: ShardConfig): void {
  const hzChanged = next.hz !== config.hz;
  config = ctx.config = next;
  configureIntrospection(next);
  notifier.flags = next.notifyKeyspaceEvents;
  if (hzChanged) {
    clearInterval(cronTimer);
    cronTimer = setInterval(cron, 1000 / config.hz);
  }
}

onApplyConfig(applyConfig);

initIntrospection(stats.commands, emitIntrospection, originalName, config);
publishStats();
publishHeap();
parentPort!.postMessage({ type: 'ready' });
void run();
