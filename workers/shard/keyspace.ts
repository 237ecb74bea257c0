/**
 * The databases of one shard. Each database is an array of per-slot
 * dictionaries (slot-dict.ts); only the slots this shard owns are ever
 * created, and a slot's dictionary is dropped when its last key goes. Expiry
 * is lazy on every lookup (Redis' expireIfNeeded), plus the active cycle in
 * expire.ts.
 *
 * Lookups follow Redis' lookupKey flags: find() is a write lookup (no
 * keyspace hit/miss counted), findRead() a read lookup that does not touch
 * the access clock (EXISTS, TYPE, TTL, OBJECT), read() a read lookup that does
 * (GET, TOUCH, COPY's source).
 */
import { keySlot, SLOT_COUNT } from '../../src/cluster/keyslot.js';
import { SlotDict } from './slot-dict.js';
import type { Value } from './value.js';

/** Redis' LRU_CLOCK_MAX: the access clock has 24 bits of seconds, like robj.lru. */
const LRU_CLOCK_MAX = 0xffffff;

let cachedClock = Math.floor(Date.now() / 1000) & LRU_CLOCK_MAX;

/**
 * Redis' LRU clock: Unix time in seconds, modulo 2^24 (INFO lru_clock shows
 * the same value). Cached like Redis' server.lruclock: the shard refreshes it
 * before each batch of commands and in its cron, so a key access costs no
 * clock read.
 */
export function lruClock(): number {
  return cachedClock;
}

export function refreshLruClock(): void {
  cachedClock = Math.floor(Date.now() / 1000) & LRU_CLOCK_MAX;
}

/** Seconds since an access clock value, across the 2^24 wrap (Redis' estimateObjectIdleTime). */
export function idleSeconds(clock: number): number {
  const now = lruClock();
  return now >= clock ? now - clock : now + (LRU_CLOCK_MAX - clock);
}

export interface KeyspaceStats {
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
}

/** Told of key events others wait on: a collection created (blocking.ts), a key expired (watch.ts). */
export interface KeyWatcher {
  keyAdded(dbIndex: number, key: string, type: string): void;
  keyExpired(dbIndex: number, key: string): void;
  /** A key was created (Redis' dbAdd: the 'new' keyspace event). */
  keyCreated(dbIndex: number, key: string): void;
  /** A read lookup found nothing (Redis' lookupKeyRead: the 'keymiss' keyspace event). */
  keyMissed(dbIndex: number, key: string): void;
}

/**
 * Keys of other shards, reachable while this shard executes a cross-shard
 * transaction (transaction.ts): a lookup that misses on a slot owned
 * elsewhere fetches the key from its owner.
 */
export interface RemoteKeys {
  /** Fetches a key of another shard into db; true when it exists (and was inserted). */
  fetch(db: Db, key: string, slot: number): boolean;
  /** Notes a key inserted on a slot owned elsewhere, to send it to its owner at the end. */
  noteInsert(db: Db, key: string, slot: number): void;
  /** Fetches many keys at once, one round trip per owning shard (SORT's BY/GET keys). */
  prefetch(db: Db, keys: readonly string[]): void;
}

export class Db {
  readonly slots: (SlotDict<Value> | undefined)[] = new Array(SLOT_COUNT);
  /** Position in Keyspace.dbs (SWAPDB moves Db objects, and blocked clients stay with the index). */
  index = 0;
  /** Redis' signalKeyAsReady hook in dbAdd: blocked clients belong to the database index, not to the data. */
  watcher: KeyWatcher | null = null;
  /** Set only while this shard executes a cross-shard transaction. */
  remote: RemoteKeys | null = null;
  keyCount = 0;
  volatileCount = 0;
  /** Dictionary of the last successful find(). */
  dict!: SlotDict<Value>;

  constructor(readonly stats: KeyspaceStats) {}

  /**
   * Position of a live key in this.dict, or -1. A key found expired is
   * deleted here (lazy expiry), as Redis' expireIfNeeded does on every access.
   */
  find(key: string, slot = keySlot(key)): number {
    const d = this.slots[slot];
    if (d === undefined) return this.remote === null ? -1 : this.findRemote(key, slot);
    const i = d.find(key);
    if (i < 0) return this.remote === null ? -1 : this.findRemote(key, slot);
    if (d.volatileCount !== 0) {
      const exp = d.expireAt(i);
      if (exp !== 0 && exp <= Date.now()) {
        this.expire(d, i);
        this.stats.expiredKeys++;
        return -1;
      }
    }
    this.dict = d;
    return i;
  }

  /** A miss during a cross-shard transaction: the key may live on another shard. */
  private findRemote(key: string, slot: number): number {
    return this.remote!.fetch(this, key, slot) ? this.find(key, slot) : -1;
  }

  /** A read lookup that leaves the access clock alone: counts a keyspace hit or miss (notifyMiss false: no 'keymiss' event, as OBJECT's LOOKUP_NONOTIFY). */
  findRead(key: string, slot?: number, notifyMiss = true): number {
    const i = this.find(key, slot);
    if (i < 0) this.stats.keyspaceMisses++;
    else this.stats.keyspaceHits++;
    if (i < 0 && notifyMiss && this.watcher !== null) this.watcher.keyMissed(this.index, key);
    return i;
  }

  /** The value of a live key (updating its access time), or undefined. No hit/miss counted. */
  get(key: string, slot?: number): Value | undefined {
    const i = this.find(key, slot);
    if (i < 0) return undefined;
    this.dict.touch(i, lruClock());
    return this.dict.val(i);
  }

  /** Like get(), counting keyspace hits and misses (for read commands). */
  read(key: string, slot?: number): Value | undefined {
    const v = this.get(key, slot);
    if (v === undefined) this.stats.keyspaceMisses++;
    else this.stats.keyspaceHits++;
    if (v === undefined && this.watcher !== null) this.watcher.keyMissed(this.index, key);
    return v;
  }

  /**
   * Sets a key to a value and returns its position in this.dict. The TTL is
   * cleared unless keepTtl (SET KEEPTTL, and the in-place updates like APPEND
   * and INCR); exp 0 means no TTL, and an expire time beyond 2^53 ms should
   * come as a bigint to stay exact.
   */
  set(key: string, value: Value, exp: number | bigint = 0, keepTtl = false, slot = keySlot(key)): number {
    // Look up first: lazy expiry may drop the slot's dictionary.
    const i = this.find(key, slot);
    if (i < 0) return this.insert(key, value, exp, lruClock(), slot);
    const d = this.dict;
    d.setVal(i, value);
    d.touch(i, lruClock());
    d.setStringForm(i, 0); // a new value: encoded afresh, as Redis' tryObjectEncoding does
    if (!keepTtl) this.setExpireAt(d, i, exp);
    return i;
  }

  /**
   * Adds a key known to be absent, with its expire time (0: none, a bigint
   * beyond 2^53 ms) and access clock; leaves this.dict on its dictionary and
   * returns its position. `moved`: the key exists elsewhere and moves here
   * (a cross-shard transaction's copy, or its final state coming home), so it
   * is not a new key for keyspace notifications.
   */
  insert(key: string, value: Value, exp: number | bigint, clock: number, slot = keySlot(key), moved = false): number {
    if (this.remote !== null) this.remote.noteInsert(this, key, slot);
    let d = this.slots[slot];
    if (d === undefined) d = this.slots[slot] = new SlotDict<Value>(slot);
    const i = d.add(key, value, 0, clock);
    this.keyCount++;
    if (exp !== 0 && exp !== 0n) this.setExpireAt(d, i, exp);
    this.dict = d;
    if (this.watcher !== null && typeof value !== 'string') this.watcher.keyAdded(this.index, key, value.type);
    if (this.watcher !== null && !moved) this.watcher.keyCreated(this.index, key);
    return i;
  }

  /** Overwrites the value at a position found by find() (TTL kept). */
  replaceAt(i: number, value: Value): void {
    this.dict.setVal(i, value);
  }

  delete(key: string, slot?: number): boolean {
    const i = this.find(key, slot);
    if (i < 0) return false;
    this.removeAt(this.dict, i);
    return true;
  }

  /** Removes an expired key (lazily or by the active cycle), telling the watcher. */
  expire(d: SlotDict<Value>, i: number): void {
    const key = d.key(i);
    this.removeAt(d, i);
    if (this.watcher !== null) this.watcher.keyExpired(this.index, key);
  }

  removeAt(d: SlotDict<Value>, i: number): void {
    if (d.expireAt(i) !== 0) this.volatileCount--;
    d.removeAt(i);
    this.keyCount--;
    if (d.size === 0 && this.slots[d.slot] === d) this.slots[d.slot] = undefined;
  }

  /** Sets (exp > 0, a bigint beyond 2^53 ms) or removes (0) the TTL of a key found by find(). */
  setExpireAt(d: SlotDict<Value>, i: number, exp: number | bigint): void {
    const had = d.expireAt(i) !== 0;
    d.setExpire(i, exp);
    const has = d.expireAt(i) !== 0;
    if (had && !has) this.volatileCount--;
    else if (!had && has) this.volatileCount++;
  }

  /** Removes every key. */
  clear(): void {
    this.slots.fill(undefined);
    this.keyCount = 0;
    this.volatileCount = 0;
  }
}

export class Keyspace {
  dbs: Db[];
  readonly stats: KeyspaceStats = { expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0 };

  constructor(databases: number) {
    this.dbs = Array.from({ length: databases }, (_, i) => {
      const db = new Db(this.stats);
      db.index = i;
      return db;
    });
  }

  /** Called after SWAPDB with both indexes, so clients blocked in either database can be served (blocking.ts). */
  onSwap: (a: number, b: number) => void = () => {};

  swap(a: number, b: number): void {
    const t = this.dbs[a];
    this.dbs[a] = this.dbs[b];
    this.dbs[b] = t;
    this.dbs[a].index = a;
    this.dbs[b].index = b;
    this.onSwap(a, b);
  }
}
