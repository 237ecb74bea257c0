/**
 * The acceptor's doorbell: one Int32 counter in shared memory that every shard
 * bumps after publishing replies. The acceptor waits on it with
 * Atomics.waitAsync, so it sleeps in its event loop instead of polling; shards
 * call Atomics.notify only while the acceptor says it is waiting.
 */
const COUNTER = 0;
const WAITING = 1;

export function createDoorbell(): SharedArrayBuffer {
  return new SharedArrayBuffer(16);
}

export class Doorbell {
  private readonly words: Int32Array;

  constructor(sab: SharedArrayBuffer) {
    this.words = new Int32Array(sab);
  }

  /** Shard side: announce new replies. */
  ring(): void {
    Atomics.add(this.words, COUNTER, 1);
    if (Atomics.load(this.words, WAITING) === 1) Atomics.notify(this.words, COUNTER);
  }

  /** Acceptor side: current counter value, read before draining. */
  value(): number {
    return Atomics.load(this.words, COUNTER);
  }

  /**
   * Acceptor side: resolves when the counter differs from `seen` (at once if it
   * already does). The caller drains after reading `seen`, so nothing is missed.
   */
  async wait(seen: number): Promise<void> {
    Atomics.store(this.words, WAITING, 1);
    const r = Atomics.waitAsync(this.words, COUNTER, seen);
    if (r.async) await r.value;
    Atomics.store(this.words, WAITING, 0);
  }
}
