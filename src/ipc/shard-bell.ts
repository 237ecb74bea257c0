/**
 * A shard's bell: how the acceptors that produce into a shard's request rings
 * wake it when it has parked. One per shard, shared by all its producers, so
 * a shard that drains k rings waits on one word.
 *
 * Protocol (sequentially consistent atomics, so one side always sees the
 * other): a producer publishes its ring tail, then reads PARKED; the shard
 * reads WAKE, sets PARKED, then looks at every ring's tail, and waits on WAKE
 * only if all were empty. A producer that saw PARKED bumps WAKE and notifies.
 */
/** Int32 word indexes, on cache lines of their own. */
const PARKED = 0;
const WAKE = 16;

export function createShardBell(): SharedArrayBuffer {
  return new SharedArrayBuffer(128);
}

export class ShardBell {
  private readonly words: Int32Array;

  constructor(sab: SharedArrayBuffer) {
    this.words = new Int32Array(sab);
  }

  // ---- producers (acceptors) ----------------------------------------------

  /** True while the shard is parked and needs wake() to see new records. */
  parked(): boolean {
    return Atomics.load(this.words, PARKED) === 1;
  }

  /** Wakes the shard if it is parked (Atomics.notify costs a futex call: only when needed). */
  wake(): void {
    if (Atomics.load(this.words, PARKED) !== 1) return;
    Atomics.add(this.words, WAKE, 1);
    Atomics.notify(this.words, WAKE);
  }

  // ---- the shard ------------------------------------------------------------

  /** Before parking: the wake count to wait against (read before PARKED is set). */
  wakeCount(): number {
    return Atomics.load(this.words, WAKE);
  }

  setParked(on: boolean): void {
    Atomics.store(this.words, PARKED, on ? 1 : 0);
  }

  /** Blocks until a producer wakes the shard or `ms` pass (the thread's event loop does not run meanwhile). */
  waitSync(seen: number, ms: number): void {
    Atomics.wait(this.words, WAKE, seen, ms);
  }

  /** Waits in the event loop (timers keep running) until a producer wakes the shard. */
  async waitAsync(seen: number): Promise<void> {
    const r = Atomics.waitAsync(this.words, WAKE, seen);
    if (r.async) await r.value;
  }
}
