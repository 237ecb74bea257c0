/**
 * A shard's request rings, one per acceptor: which record runs next.
 *
 * Rings are taken in turn, a batch from each (shard.ts), so one busy acceptor
 * cannot starve the others. Within a ring records run in order. A record
 * flagged REQ_ORDERED (a part of a multi-shard command sent while several
 * acceptors produce, src/ipc/global-order.ts) runs only when its ticket is
 * the next this shard expects; until then its ring waits and the others go
 * on. Tickets in one ring only grow, and every ticket before the expected one
 * has run, so the expected record is always at the head of its ring or on
 * its way there: the wait ends.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { REQ_ORDERED, type BigPayload } from '../../src/ipc/frame.js';
import { Ring } from '../../src/ipc/ring.js';
import type { ShardBell } from '../../src/ipc/shard-bell.js';

export class RequestInbox {
  readonly rings: Ring[];
  /** The ticket of the next ordered record to run. */
  private expected = 0;

  constructor(
    ringBuffers: SharedArrayBuffer[],
    /** Side channel of each ring, for payloads too large for it. */
    private readonly bigIn: MessagePort[],
    readonly bell: ShardBell,
  ) {
    this.rings = ringBuffers.map((sab) => new Ring(sab));
  }

  get count(): number {
    return this.rings.length;
  }

  /** Offset of the next record of ring r that may run now, or -1 (empty, or waiting for an earlier ticket). */
  next(r: number): number {
    const ring = this.rings[r];
    const off = ring.next();
    if (off < 0) return -1;
    const w = off >>> 2;
    if ((ring.words[w + 3] >>> 24) & REQ_ORDERED && ring.words[w + 5] !== this.expected) return -1;
    return off;
  }

  /** Marks the record at `off` of ring r as taken (its space is given back at release()). */
  consume(r: number, off: number): void {
    const ring = this.rings[r];
    if ((ring.words[(off >>> 2) + 3] >>> 24) & REQ_ORDERED) this.expected = (this.expected + 1) >>> 0;
    ring.consume(off);
  }

  /** Gives ring r's consumed space back to its acceptor. */
  release(r: number): void {
    this.rings[r].release();
  }

  /** The payload of a BIG record of ring r (posted before the record was published, so it is there). */
  bigPayload(r: number): Buffer {
    const msg = receiveMessageOnPort(this.bigIn[r]);
    if (!msg) throw new Error('big request record without its payload');
    const big = msg.message as BigPayload;
    return Buffer.from(big.bytes.buffer, big.bytes.byteOffset, big.bytes.byteLength);
  }

  /** Whether any ring has a record that may run now. */
  hasRunnable(): boolean {
    for (let r = 0; r < this.rings.length; r++) if (this.next(r) >= 0) return true;
    return false;
  }
}
