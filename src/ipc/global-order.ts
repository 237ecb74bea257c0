/**
 * One global order for multi-shard commands when several acceptors produce
 * (DESIGN.md, rule 4). A shard drains one ring per acceptor, so two commands
 * that each span shards 0 and 1, sent by two acceptors, could otherwise meet
 * shard 0 in one order and shard 1 in the other: a fan-out such as MSET would
 * stop being serializable, and two cross-shard transactions could each wait
 * for a shard parked on the other.
 *
 * So an acceptor that sends a multi-shard command first takes one ticket per
 * shard involved, all under one short spin lock; each shard runs the records
 * flagged REQ_ORDERED strictly in ticket order (workers/shard/request-inbox.ts),
 * while everything else in its rings goes on in ring order. Tickets are
 * assigned in lock order, which is then the order every shard sees. The lock
 * is held for a few increments; the records are written after it is released.
 * Single-shard commands, the common case, never touch this; with one acceptor
 * nothing does (its ring order already is the global order).
 */
const LOCK = 0;
/** Per-shard ticket counters start on the next cache line. */
const COUNTERS = 16;

export function createGlobalOrder(shardCount: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (COUNTERS + shardCount));
}

export class GlobalOrder {
  private readonly lock: Int32Array;
  private readonly counters: Uint32Array;

  constructor(sab: SharedArrayBuffer) {
    this.lock = new Int32Array(sab, 0, 1);
    this.counters = new Uint32Array(sab, 4 * COUNTERS);
  }

  /** Takes the next ticket of every shard in `shards` at once, writing them into `tickets` (by position). */
  take(shards: readonly number[], tickets: number[]): void {
    while (Atomics.compareExchange(this.lock, LOCK, 0, 1) !== 0) {
      // Held for a few stores by another acceptor thread: spin.
    }
    try {
      for (let i = 0; i < shards.length; i++) tickets[i] = Atomics.add(this.counters, shards[i], 1);
    } finally {
      Atomics.store(this.lock, LOCK, 0);
    }
  }
}
