/**
 * The databases of one shard. Each database is an array of per-slot
 * dictionaries (only the slots this shard owns are ever created). Expiry is
 * lazy on every lookup, plus the active cycle in expire.ts.
 */
import { keySlot, SLOT_COUNT } from '../../src/cluster/keyslot.js';
import { SlotDict } from './slot-dict.js';
import type { Value } from './value.js';

/** Seconds since server start, Redis' LRU clock for OBJECT IDLETIME. */
const startMs = Date.now();
export function lruClock(): number {
  return Math.floor((Date.now() - startMs) / 1000);
}

export interface KeyspaceStats {
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
}

export class Db {
  readonly slots: (SlotDict<Value> | undefined)[] = new Array(SLOT_COUNT);
  keyCount = 0;
  volatileCount = 0;
  /** Dictionary of the last successful find(). */
  dict!: SlotDict<Value>;

  constructor(readonly stats: KeyspaceStats) {}

  /**
   * Index of a live key in this.dict, or -1. A key found expired is deleted
   * here (lazy expiry), as Redis' expireIfNeeded does on every access.
   */
  find(key: string, slot = keySlot(key)): number {
    const d = this.slots[slot];
    if (d === undefined) return -1;
    const i = d.find(key);
    if (i < 0) return -1;
    const exp = d.exps[i];
    if (exp !== 0 && exp <= Date.now()) {
      this.removeAt(d, i);
      this.stats.expiredKeys++;
      return -1;
    }
    this.dict = d;
    return i;
  }

  /** The value of a live key (updating its access time), or undefined. */
  get(key: string, slot?: number): Value | undefined {
    const i = this.find(key, slot);
    if (i < 0) return undefined;
    this.dict.touch(i, lruClock());
    return this.dict.vals[i];
  }

  /** Like get(), counting keyspace hits and misses (for read commands). */
  read(key: string, slot?: number): Value | undefined {
    const v = this.get(key, slot);
    if (v === undefined) this.stats.keyspaceMisses++;
    else this.stats.keyspaceHits++;
    return v;
  }

  /**
   * Sets a key to a value. The TTL is cleared unless keepTtl (SET KEEPTTL,
   * and the in-place updates like APPEND and INCR); exp 0 means no TTL.
   */
  set(key: string, value: Value, exp = 0, keepTtl = false, slot = keySlot(key)): void {
    let d = this.slots[slot];
    if (d === undefined) d = this.slots[slot] = new SlotDict<Value>();
    const i = this.find(key, slot);
    if (i < 0) {
      d.add(key, value, exp, lruClock());
      this.keyCount++;
      if (exp !== 0) this.volatileCount++;
      return;
    }
    d.vals[i] = value;
    d.touch(i, lruClock());
    if (!keepTtl) this.setExpireAt(d, i, exp);
  }

  /** Overwrites the value at an index found by find() (TTL kept). */
  replaceAt(i: number, value: Value): void {
    this.dict.vals[i] = value;
  }

  delete(key: string, slot?: number): boolean {
    const i = this.find(key, slot);
    if (i < 0) return false;
    this.removeAt(this.dict, i);
    return true;
  }

  removeAt(d: SlotDict<Value>, i: number): void {
    if (d.exps[i] !== 0) this.volatileCount--;
    d.removeAt(i);
    this.keyCount--;
  }

  setExpireAt(d: SlotDict<Value>, i: number, exp: number): void {
    const had = d.exps[i] !== 0;
    d.setExpire(i, exp);
    if (had && exp === 0) this.volatileCount--;
    else if (!had && exp !== 0) this.volatileCount++;
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
    this.dbs = Array.from({ length: databases }, () => new Db(this.stats));
  }

  swap(a: number, b: number): void {
    const t = this.dbs[a];
    this.dbs[a] = this.dbs[b];
    this.dbs[b] = t;
  }
}
