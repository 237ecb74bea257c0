/**
 * Blocking commands on a shard (Redis blocked.c): BLPOP, BRPOP, BLMOVE,
 * BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP ... whose keys all live on this shard.
 *
 * A handler that finds nothing calls ctx.block(keys, type, deadline); the
 * client is queued, FIFO, on each of its keys. When a key is given a value
 * (Db.insert: a list or sorted set is created where a client waits), the key
 * is queued as ready; after the command that did it, the shard re-runs the
 * blocked commands on that key in FIFO order, each replying or blocking again.
 * Deadlines are kept here; the acceptor tells the shard when a blocked client
 * disconnects.
 */
import type { Ctx } from './context.js';
import type { Keyspace } from './keyspace.js';

const LLONG_MAX = 9223372036854775807;

/**
 * Redis' getTimeoutFromObjectOrReply for timeouts in seconds (a float): the
 * absolute deadline in ms (0: wait for ever), or null after replying the
 * error. Values a C cast to long long cannot hold come out negative on x86
 * (LLONG_MIN), so they are "negative" there too.
 */
export function parseTimeout(ctx: Ctx, arg: string): number | null {
  const seconds = parseTimeoutSeconds(arg);
  if (seconds === null) {
    ctx.w.error('ERR timeout is not a float or out of range');
    return null;
  }
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || ms >= 2 ** 63 || ms < -(2 ** 63) || Math.trunc(ms) < 0) {
    ctx.w.error('ERR timeout is negative');
    return null;
  }
  const tval = Math.trunc(ms);
  if (tval === 0) return 0;
  const now = Date.now();
  if (tval > LLONG_MAX - now) {
    ctx.w.error('ERR timeout is out of range');
    return null;
  }
  return tval + now;
}

/** strtold's view of a timeout, as getLongDoubleFromObject checks it: no leading space, all consumed, not NaN. */
function parseTimeoutSeconds(s: string): number | null {
  if (s.length === 0 || s.length > 5000) return null;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/.test(s)) {
    const v = s.includes('x') || s.includes('X') ? parseHexFloat(s) : Number(s);
    return Number.isNaN(v) ? null : v;
  }
  return null;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s)!;
  const frac = m[3] ?? '';
  const mant = parseInt(`${m[2]}${frac}` || '0', 16);
  const v = mant * 2 ** (Number(m[4] ?? 0) - 4 * frac.length);
  return m[1] === '-' ? -v : v;
}

/** A client waiting in a blocking command, with what it takes to run that command again. */
export interface BlockedClient {
  /** The acceptor that owns the client: its reply goes into that acceptor's ring. */
  acceptor: number;
  clientId: number;
  seq: number;
  /** The request's command word (command id, database, RESP3 flag), as in the ring header. */
  cmdWord: number;
  slot: number;
  argv: string[];
  db: number;
  keys: string[];
  type: string;
  /** Absolute ms, 0 for ever. */
  deadline: number;
}

/** What the shard does for the blocker: run a blocked command again, send its reply, reply null, flush replies. */
export interface BlockingHost {
  /** Runs the command again (its reply, if it writes one, is left in the shard's writer). */
  rerun(bc: BlockedClient): void;
  /** Sends the reply the re-run wrote. */
  emit(bc: BlockedClient): void;
  /** Sends the timeout reply (a null array) to a blocked client. */
  replyTimeout(bc: BlockedClient): void;
  /** Sends an error reply to a blocked client (CLIENT UNBLOCK ... ERROR). */
  replyError(bc: BlockedClient, message: string): void;
  /** Publishes the replies written outside a ring batch (timeouts) and wakes the acceptor. */
  flush(): void;
  /** Tells acceptor `acceptor` that a key it watches for a client blocked across shards may be ready. */
  notifyWatch(token: number, acceptor: number): void;
}


export class Blocker {
  /** Per database index: key → clients blocked on it, oldest first. */
  private readonly waiting: Map<string, BlockedClient[]>[];
  private readonly byClient = new Map<number, BlockedClient>();
  /** Keys given a value while clients wait on them, in signal order (Redis' ready_keys). */
  private ready: { db: number; key: string }[] = [];
  private readonly readySet = new Set<string>();
  /**
   * The request being executed, overwritten by the shard before each command
   * (one object for all of them: block() copies what it keeps); null until the shard sets it.
   */
  request: Omit<BlockedClient, 'keys' | 'type' | 'deadline' | 'db'> | null = null;
  private rerunning: BlockedClient | null = null;
  private reblocked = false;
  /** True once the current request called block(): the shard must not reply to it now. */
  blockedNow = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(
    private readonly ks: Keyspace,
    private readonly host: BlockingHost,
  ) {
    this.waiting = ks.dbs.map(() => new Map());
    ks.onSwap = (a, b) => {
      this.scanForReady(a);
      this.scanForReady(b);
    };
  }

  get blockedCount(): number {
    return this.byClient.size;
  }

  /** Blocked clients with a deadline (INFO clients_in_timeout_table), kept as they come and go: stats are published after every batch. */
  withTimeoutCount = 0;

  /** Set by a cross-shard transaction's block(): the executor answers WOULD_BLOCK_PREFIX instead. */
  transactionBlock: { type: string; deadline: number } | null = null;
  inTransaction = false;

  /** ctx.block(): queue the requesting client on its keys, or keep a re-run client where it is. */
  block(dbIndex: number, keys: string[], type: string, deadline: number): void {
    if (this.inTransaction) {
      this.transactionBlock = { type, deadline };
      return;
    }
    if (this.rerunning !== null) {
      this.reblocked = true;
      return;
    }
    const r = this.request;
    if (r === null) throw new Error('block() outside a request');
    const bc: BlockedClient = { ...r, db: dbIndex, keys: [...new Set(keys)], type, deadline };
    this.blockedNow = true;
    this.byClient.set(bc.clientId, bc);
    if (deadline !== 0) this.withTimeoutCount++;
    const waiting = this.waiting[dbIndex];
    for (const key of bc.keys) {
      const queue = waiting.get(key);
      if (queue === undefined) waiting.set(key, [bc]);
      else queue.push(bc);
    }
    if (deadline !== 0) this.armTimer(deadline);
  }

  /** Acceptor watches for clients blocked across shards: "db\0key" → tokens, and token → its keys. */
  private readonly watchedKeys = new Map<string, Set<number>>();
  private readonly watches = new Map<number, { acceptor: number; db: number; keys: string[]; type: string }>();

  /*
   * Watches for waits across shards are served FIFO per key, whichever
   * acceptor keeps them: when a key becomes ready only its oldest watcher (of
   * the value's type) is told; when that one stops watching (served, timed
   * out, gone), the next is told if the key is still ready. Telling them all
   * at once would let the fastest acceptor's retry win.
   */

  /** Watches keys for an acceptor; tells it at once when it is first in line on a key that already holds a value of `type`. */
  watch(token: number, acceptor: number, db: number, type: string, keys: string[]): void {
    this.watches.set(token, { acceptor, db, keys, type });
    let ready = false;
    for (const key of keys) {
      const id = `${db}\0${key}`;
      let tokens = this.watchedKeys.get(id);
      if (tokens === undefined) this.watchedKeys.set(id, (tokens = new Set()));
      tokens.add(token);
      if (this.firstInLine(db, key, tokens) === token) ready = true;
    }
    if (ready) this.host.notifyWatch(token, acceptor);
  }

  unwatch(token: number): void {
    const w = this.watches.get(token);
    if (w === undefined) return;
    this.watches.delete(token);
    for (const key of w.keys) {
      const id = `${w.db}\0${key}`;
      const tokens = this.watchedKeys.get(id);
      if (tokens === undefined) continue;
      tokens.delete(token);
      if (tokens.size === 0) this.watchedKeys.delete(id);
      else this.tellFirst(w.db, key, tokens);
    }
  }

  /** The oldest watcher of a key that waits for the type the key holds now; -1 when the key holds nothing such. */
  private firstInLine(db: number, key: string, tokens: Set<number>): number {
    const v = this.ks.dbs[db].get(key);
    if (v === undefined || typeof v === 'string') return -1;
    for (const t of tokens) if (this.watches.get(t)?.type === v.type) return t;
    return -1;
  }

  private tellFirst(db: number, key: string, tokens: Set<number>): void {
    const t = this.firstInLine(db, key, tokens);
    if (t >= 0) this.host.notifyWatch(t, this.watches.get(t)!.acceptor);
  }

  keyAdded(dbIndex: number, key: string, type: string): void {
    if (this.watchedKeys.size > 0) {
      const tokens = this.watchedKeys.get(`${dbIndex}\0${key}`);
      if (tokens !== undefined) {
        for (const t of tokens) {
          const w = this.watches.get(t);
          if (w === undefined || w.type !== type) continue;
          this.host.notifyWatch(t, w.acceptor);
          break;
        }
      }
    }
    const waiting = this.waiting[dbIndex];
    if (waiting === undefined || waiting.size === 0 || !waiting.has(key)) return;
    const id = `${dbIndex}\0${key}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push({ db: dbIndex, key });
  }

  hasReady(): boolean {
    return this.ready.length > 0;
  }

  /**
   * Serves the clients blocked on ready keys (Redis' handleClientsBlockedOnKeys):
   * key by key in signal order, clients of a key oldest first, while the key
   * holds a value of the type they wait for. Commands run here may make more
   * keys ready (BLMOVE pushing to a key others wait on): they are served in the
   * same loop.
   */
  serve(): void {
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      this.readySet.clear();
      for (const { db, key } of batch) {
        const queue = this.waiting[db].get(key);
        if (queue === undefined) continue;
        for (const bc of [...queue]) {
          if (!this.byClient.has(bc.clientId)) continue; // served through another key meanwhile
          const v = this.ks.dbs[db].get(key);
          if (v === undefined || typeof v === 'string' || v.type !== bc.type) break;
          this.rerunning = bc;
          this.reblocked = false;
          try {
            this.host.rerun(bc);
          } finally {
            this.rerunning = null;
          }
          if (this.reblocked) continue;
          this.remove(bc);
          this.host.emit(bc);
        }
      }
    }
  }

  /** The client disconnected (or was unblocked): forget it without a reply. */
  clientGone(clientId: number): void {
    const bc = this.byClient.get(clientId);
    if (bc !== undefined) this.remove(bc);
  }

  /** CLIENT UNBLOCK: a client waiting here gets its timeout reply, or `error`'s; false when it does not wait here. */
  unblock(clientId: number, error: string | null): boolean {
    const bc = this.byClient.get(clientId);
    if (bc === undefined) return false;
    this.remove(bc);
    if (error === null) this.host.replyTimeout(bc);
    else this.host.replyError(bc, error);
    return true;
  }

  /** Replies null to the clients whose deadline has passed. */
  expire(now = Date.now()): void {
    if (this.byClient.size === 0) return;
    let next = Infinity;
    let replied = false;
    for (const bc of [...this.byClient.values()]) {
      if (bc.deadline === 0) continue;
      if (bc.deadline <= now) {
        this.remove(bc);
        this.host.replyTimeout(bc);
        replied = true;
      } else if (bc.deadline < next) {
        next = bc.deadline;
      }
    }
    if (replied) this.host.flush();
    this.timerAt = Infinity;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (next !== Infinity) this.armTimer(next);
  }

  private remove(bc: BlockedClient): void {
    this.byClient.delete(bc.clientId);
    if (bc.deadline !== 0) this.withTimeoutCount--;
    const waiting = this.waiting[bc.db];
    for (const key of bc.keys) {
      const queue = waiting.get(key);
      if (queue === undefined) continue;
      const i = queue.indexOf(bc);
      if (i >= 0) queue.splice(i, 1);
      if (queue.length === 0) waiting.delete(key);
    }
  }

  /** SWAPDB: keys waited on in a swapped database may now exist (Redis' scanDatabaseForReadyKeys). */
  private scanForReady(dbIndex: number): void {
    const db = this.ks.dbs[dbIndex];
    for (const key of this.waiting[dbIndex].keys()) {
      const v = db.get(key);
      if (v !== undefined && typeof v !== 'string') this.keyAdded(dbIndex, key, v.type);
    }
  }

  private armTimer(deadline: number): void {
    if (deadline >= this.timerAt) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.expire();
    }, Math.max(0, deadline - Date.now()));
  }
}
