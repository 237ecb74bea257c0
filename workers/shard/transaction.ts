/**
 * Cross-shard transactions (DESIGN.md, "Ordering and atomicity across
 * shards", rule 2): a command whose keys live on several shards (RENAME,
 * SMOVE, SUNIONSTORE, LMOVE ... across shards) runs whole on one shard, the
 * executor, while the other shards involved wait parked at a marker the
 * acceptor put in their rings in the same step as the command.
 *
 * The executor runs the command's ordinary handler. When a lookup misses on
 * a slot this shard does not own, the key is fetched from its owner (parked,
 * so it answers at once) and inserted here for the duration of the command.
 * When the command ends, the final state of every such key (its value, TTL
 * and access clock, or its absence) goes back to its owner, the copies are
 * dropped here, and the parked shards are released.
 *
 * Shards talk over a MessagePort per pair, read synchronously with
 * receiveMessageOnPort, and wake each other through one Int32 word per shard
 * in a shared mailbox (Atomics.wait / notify). Deadlock is impossible: every
 * shard meets the markers in the acceptor's global order, and an executor
 * only waits for shards parked for its own transaction.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { keySlot } from '../../src/cluster/keyslot.js';
import type { Db, Keyspace, RemoteKeys } from './keyspace.js';
import { reviveValue, type TransferredCollection, type Value } from './value.js';

/** A key's state as it travels between shards. value null: the key does not exist. */
interface KeyState {
  db: number;
  key: string;
  slot: number;
  value: string | TransferredCollection | null;
  exp: number | bigint;
  /** SlotDict's raw clock word: access clock and string form. */
  clock: number;
}

type PeerMessage =
  | { op: 'fetch'; db: number; key: string; slot: number }
  | { op: 'state'; state: KeyState }
  | { op: 'fetch-many'; db: number; keys: { key: string; slot: number }[] }
  | { op: 'states'; states: KeyState[] }
  | { op: 'dirty?'; clientId: number }
  | { op: 'dirty'; value: boolean }
  | { op: 'done'; writes: KeyState[] };

export class Transactions implements RemoteKeys {
  /** Keys fetched (or created) here during the running transaction, by "db\0key". */
  private touched = new Map<string, { db: Db; key: string; slot: number }>();
  private active = false;

  constructor(
    private readonly ks: Keyspace,
    private readonly shardIndex: number,
    private readonly shardCount: number,
    /** peers[i]: the port to shard i (undefined for this shard). */
    private readonly peers: (MessagePort | undefined)[],
    /** mailbox[i] is bumped to wake shard i. */
    private readonly mailbox: Int32Array,
    /** Participant side: is a client's WATCH here dirty (EXEC), and a key written back here (touches watches). */
    private readonly hooks: { isDirty(clientId: number): boolean; written(db: number, key: string): void },
  ) {}

  /** EXEC across shards: whether any participant saw one of the client's watched keys change. */
  anyDirty(participants: number[], clientId: number): boolean {
    let dirty = false;
    for (const p of participants) {
      this.post(p, { op: 'dirty?', clientId });
      const msg = this.receive(p);
      if (msg.op !== 'dirty') throw new Error(`transaction: expected a dirty flag from shard ${p}, got ${msg.op}`);
      dirty ||= msg.value;
    }
    return dirty;
  }

  private owner(slot: number): number {
    return slot % this.shardCount;
  }

  /** Starts a transaction on this shard as its executor: remote lookups are fetched from now on. */
  begin(): void {
    this.active = true;
    for (const db of this.ks.dbs) db.remote = this;
  }

  /**
   * Ends it: sends every remote key's final state back to its owner (when
   * `write`), drops the local copies, and releases every participant.
   */
  end(write: boolean, participants: number[]): void {
    for (const db of this.ks.dbs) db.remote = null;
    this.active = false;
    const writes = new Map<number, KeyState[]>(participants.map((p) => [p, []]));
    for (const { db, key, slot } of this.touched.values()) {
      const d = db.slots[slot];
      const i = d === undefined ? -1 : d.find(key);
      if (write) {
        const state: KeyState = { db: db.index, key, slot, value: null, exp: 0, clock: 0 };
        if (i >= 0) {
          const v = d!.val(i);
          state.value = typeof v === 'string' ? v : v.toTransfer();
          state.exp = d!.expireExact(i);
          state.clock = d!.rawClock(i);
        }
        writes.get(this.owner(slot))?.push(state);
      }
      if (i >= 0) db.removeAt(d!, i);
    }
    this.touched.clear();
    for (const [p, list] of writes) this.post(p, { op: 'done', writes: list });
  }

  /** RemoteKeys: a lookup missed on a slot owned elsewhere; fetch the key once. True when it was inserted here. */
  fetch(db: Db, key: string, slot: number): boolean {
    const owner = this.claim(db, key, slot);
    if (owner < 0) return false;
    this.post(owner, { op: 'fetch', db: db.index, key, slot });
    const msg = this.receive(owner);
    if (msg.op !== 'state') throw new Error(`transaction: expected a key state from shard ${owner}, got ${msg.op}`);
    return this.insertCopy(db, msg.state);
  }

  /** RemoteKeys: fetches the keys owned elsewhere and not fetched yet, one message each way per owner. */
  prefetch(db: Db, keys: readonly string[]): void {
    const byOwner = new Map<number, { key: string; slot: number }[]>();
    for (const key of keys) {
      const slot = keySlot(key);
      const owner = this.claim(db, key, slot);
      if (owner < 0) continue;
      let list = byOwner.get(owner);
      if (list === undefined) byOwner.set(owner, (list = []));
      list.push({ key, slot });
    }
    // Ask every owner first, then collect: the owners answer in parallel.
    for (const [owner, list] of byOwner) this.post(owner, { op: 'fetch-many', db: db.index, keys: list });
    for (const owner of byOwner.keys()) {
      const msg = this.receive(owner);
      if (msg.op !== 'states') throw new Error(`transaction: expected key states from shard ${owner}, got ${msg.op}`);
      for (const state of msg.states) this.insertCopy(db, state);
    }
  }

  /**
   * The shard to fetch a key from, noting it as fetched; -1 when there is
   * nothing to fetch (this shard owns it, or it was fetched already).
   */
  private claim(db: Db, key: string, slot: number): number {
    const owner = this.owner(slot);
    const id = `${db.index}\0${key}`;
    if (owner === this.shardIndex || this.touched.has(id)) return -1;
    this.touched.set(id, { db, key, slot });
    return owner;
  }

  /** Inserts a fetched key's copy here; false when it does not exist. */
  private insertCopy(db: Db, s: KeyState): boolean {
    if (s.value === null) return false;
    db.remote = null; // an insert of our own must not note the key again
    try {
      const i = db.insert(s.key, reviveValue(s.value), s.exp, 0, s.slot, true);
      db.dict.setRawClock(i, s.clock);
    } finally {
      db.remote = this;
    }
    return true;
  }

  /** RemoteKeys: a key inserted here on a slot owned elsewhere, without a lookup first. */
  noteInsert(db: Db, key: string, slot: number): void {
    if (this.owner(slot) === this.shardIndex) return;
    const id = `${db.index}\0${key}`;
    if (!this.touched.has(id)) this.touched.set(id, { db, key, slot });
  }

  /**
   * Parks this shard for another shard's transaction: answers its fetches and
   * applies its writes until it says done.
   */
  park(executor: number): void {
    for (;;) {
      const msg = this.receive(executor);
      if (msg.op === 'fetch') {
        this.post(executor, { op: 'state', state: this.stateOf(this.ks.dbs[msg.db], msg.key, msg.slot) });
      } else if (msg.op === 'fetch-many') {
        const db = this.ks.dbs[msg.db];
        this.post(executor, { op: 'states', states: msg.keys.map((k) => this.stateOf(db, k.key, k.slot)) });
      } else if (msg.op === 'dirty?') {
        this.post(executor, { op: 'dirty', value: this.hooks.isDirty(msg.clientId) });
      } else if (msg.op === 'done') {
        for (const w of msg.writes) this.apply(w);
        return;
      } else {
        throw new Error(`transaction: unexpected ${msg.op} while parked`);
      }
    }
  }

  private stateOf(db: Db, key: string, slot: number): KeyState {
    const state: KeyState = { db: db.index, key, slot, value: null, exp: 0, clock: 0 };
    const i = db.find(key, slot);
    if (i < 0) return state;
    const v: Value = db.dict.val(i);
    state.value = typeof v === 'string' ? v : v.toTransfer();
    state.exp = db.dict.expireExact(i);
    state.clock = db.dict.rawClock(i);
    return state;
  }

  private apply(s: KeyState): void {
    const db = this.ks.dbs[s.db];
    const i = db.find(s.key, s.slot);
    // WATCH: a string rewritten with the same value and TTL is no change; a collection always is.
    const old = i >= 0 ? db.dict.val(i) : undefined;
    const same = (old === undefined && s.value === null) || (old === s.value && db.dict.expireExact(i) === s.exp);
    if (!same || (old !== undefined && typeof old !== 'string')) this.hooks.written(s.db, s.key);
    if (s.value === null) {
      if (i >= 0) db.removeAt(db.dict, i);
      return;
    }
    const value = reviveValue(s.value);
    if (i >= 0) {
      const d = db.dict;
      d.setVal(i, value);
      d.setRawClock(i, s.clock);
      db.setExpireAt(d, i, s.exp);
    } else {
      const j = db.insert(s.key, value, s.exp, 0, s.slot, true);
      db.dict.setRawClock(j, s.clock);
    }
  }

  private post(shard: number, msg: PeerMessage): void {
    this.peers[shard]!.postMessage(msg);
    Atomics.add(this.mailbox, shard, 1);
    Atomics.notify(this.mailbox, shard);
  }

  /** Waits for the next message from a shard (it is always coming: see the deadlock note above). */
  private receive(shard: number): PeerMessage {
    const port = this.peers[shard]!;
    for (;;) {
      const seen = Atomics.load(this.mailbox, this.shardIndex);
      const msg = receiveMessageOnPort(port);
      if (msg !== undefined) return msg.message as PeerMessage;
      Atomics.wait(this.mailbox, this.shardIndex, seen, 1000);
    }
  }

  get running(): boolean {
    return this.active;
  }
}
