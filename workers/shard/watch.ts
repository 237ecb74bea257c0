/**
 * WATCH on a shard (Redis multi.c): which clients watch which keys here, and
 * which of them saw a watched key change, so that their EXEC fails.
 *
 * Redis marks a watched key touched from inside every write (signalModifiedKey).
 * Our handlers do not signal, so a write command is seen from outside: before
 * a write command runs, the state of the watched keys it names is noted
 * (exists, value object, expire time), and after it any difference touches
 * them. Strings are immutable, so a new value is a new object; a collection
 * is changed in place, so a write command naming a watched collection counts
 * as touching it (Redis skips a few no-op writes, like SADD of a member already
 * there: EXEC fails there where Redis' would not, never the other way round).
 * Writes without keys (FLUSHDB, FLUSHALL, SWAPDB) compare every watched key,
 * which gives Redis' touchAllWatchedKeysInDb rules. Expiry touches too (Db's
 * keyExpired hook); a key already expired when watched does not (Redis'
 * watchedKey.expired).
 */
import { keySlot as slotOf } from '../../src/cluster/keyslot.js';
import type { Keyspace } from './keyspace.js';

interface WatchedKey {
  db: number;
  key: string;
  /** The key existed but was already expired when WATCH ran. */
  expiredAtWatch: boolean;
}

/** The observed state of one watched key. */
interface KeyState {
  db: number;
  key: string;
  exists: boolean;
  value: unknown;
  exp: number | bigint;
}

export class Watches {
  /** "db\0key" → client id → its watch. */
  private readonly byKey = new Map<string, Map<number, WatchedKey>>();
  private readonly byClient = new Map<number, Set<string>>();
  private readonly dirty = new Set<number>();

  constructor(private readonly ks: Keyspace) {}

  get active(): boolean {
    return this.byKey.size > 0;
  }

  watch(clientId: number, db: number, keys: string[]): void {
    if (this.dirty.has(clientId)) return; // already failed: no point watching more
    let mine = this.byClient.get(clientId);
    if (mine === undefined) this.byClient.set(clientId, (mine = new Set()));
    for (const key of keys) {
      const id = `${db}\0${key}`;
      if (mine.has(id)) continue;
      mine.add(id);
      let clients = this.byKey.get(id);
      if (clients === undefined) this.byKey.set(id, (clients = new Map()));
      clients.set(clientId, { db, key, expiredAtWatch: this.isExpired(db, key) });
    }
  }

  /** Forgets a client's watches (UNWATCH, EXEC, DISCARD, disconnect). */
  unwatch(clientId: number): void {
    this.dirty.delete(clientId);
    const mine = this.byClient.get(clientId);
    if (mine === undefined) return;
    this.byClient.delete(clientId);
    for (const id of mine) {
      const clients = this.byKey.get(id);
      clients?.delete(clientId);
      if (clients?.size === 0) this.byKey.delete(id);
    }
  }

  /** Whether EXEC must fail for this client: a watched key was touched, or has expired since WATCH (isWatchedKeyExpired). */
  isDirty(clientId: number): boolean {
    if (this.dirty.has(clientId)) return true;
    for (const id of this.byClient.get(clientId) ?? []) {
      const wk = this.byKey.get(id)!.get(clientId)!;
      if (!wk.expiredAtWatch && this.isExpired(wk.db, wk.key)) return true;
    }
    return false;
  }

  /** A key changed (or expired): every client watching it fails its EXEC. */
  touch(db: number, key: string): void {
    const clients = this.byKey.get(`${db}\0${key}`);
    if (clients === undefined) return;
    for (const [clientId, wk] of clients) {
      // Redis: an expired key that is now gone is no logical change for who watched it expired.
      if (wk.expiredAtWatch && !this.exists(db, key)) {
        wk.expiredAtWatch = false;
        continue;
      }
      this.dirty.add(clientId);
    }
  }

  /**
   * The watched keys a write command may touch, noted before it runs: the
   * named keys of `db`, or every watched key when the command names none.
   */
  before(db: number, keys: string[] | null): KeyState[] {
    const out: KeyState[] = [];
    if (keys === null) {
      for (const clients of this.byKey.values()) {
        const wk = clients.values().next().value!;
        out.push(this.state(wk.db, wk.key));
      }
      return out;
    }
    for (const key of keys) if (this.byKey.has(`${db}\0${key}`)) out.push(this.state(db, key));
    return out;
  }

  /** After the write: touches what changed (a named collection always counts as changed). */
  after(noted: KeyState[], named: boolean): void {
    for (const s of noted) {
      const now = this.state(s.db, s.key);
      const collection = s.exists && typeof s.value !== 'string';
      if (now.exists !== s.exists || now.value !== s.value || now.exp !== s.exp || (named && collection)) this.touch(s.db, s.key);
    }
  }

  private state(db: number, key: string): KeyState {
    const d = this.ks.dbs[db];
    const dict = d.slots[slotOf(key)];
    const i = dict === undefined ? -1 : dict.find(key);
    if (i < 0) return { db, key, exists: false, value: undefined, exp: 0 };
    return { db, key, exists: true, value: dict!.val(i), exp: dict!.expireExact(i) };
  }

  private exists(db: number, key: string): boolean {
    const dict = this.ks.dbs[db].slots[slotOf(key)];
    return dict !== undefined && dict.find(key) >= 0;
  }

  /** Present in the dictionary but past its expire time (Redis keyIsExpired). */
  private isExpired(db: number, key: string): boolean {
    const dict = this.ks.dbs[db].slots[slotOf(key)];
    const i = dict === undefined ? -1 : dict.find(key);
    if (i < 0) return false;
    const exp = dict!.expireAt(i);
    return exp !== 0 && exp <= Date.now();
  }
}
