/**
 * A shard's reply rings, one per acceptor, with each acceptor's doorbell.
 *
 * A reply goes to the ring of the acceptor that owns the client (the one
 * whose request ring the command came from, or, for a blocked client served
 * later, the one recorded when it blocked). Rings written since the last
 * publish() are published together and their doorbells rung once.
 */
import type { MessagePort } from 'node:worker_threads';
import { Doorbell } from '../../src/ipc/doorbell.js';
import { FLAG_BIG, REPLY_HEADER_BYTES, type BigPayload } from '../../src/ipc/frame.js';
import { align4, HEAD, Ring } from '../../src/ipc/ring.js';
import { copyBytes } from '../../src/util/bytes.js';

export class ReplyOutbox {
  readonly rings: Ring[];
  private readonly doorbells: Doorbell[];
  /** Rings with records not yet published, and whether there is any. */
  private readonly unpublished: Uint8Array;
  private anyUnpublished = false;

  constructor(
    ringBuffers: SharedArrayBuffer[],
    doorbells: SharedArrayBuffer[],
    /** Side channel of each ring, for replies too large for it. */
    private readonly bigOut: MessagePort[],
  ) {
    this.rings = ringBuffers.map((sab) => new Ring(sab));
    this.doorbells = doorbells.map((sab) => new Doorbell(sab));
    this.unpublished = new Uint8Array(ringBuffers.length);
  }

  get count(): number {
    return this.rings.length;
  }

  /** Writes a record of bytes[start, start + len) for (client, seq) into acceptor a's ring. */
  emit(a: number, clientId: number, seq: number, bytes: Uint8Array, start: number, len: number): void {
    const size = align4(REPLY_HEADER_BYTES + len);
    const ring = this.rings[a];
    if (size > ring.maxRecord) {
      const copy = new Uint8Array(len);
      copy.set(bytes.subarray(start, start + len));
      this.emitBig(a, clientId, seq, copy);
      return;
    }
    const off = this.reserve(a, clientId, seq, 0, len, size);
    copyBytes(bytes, start, ring.bytes, off + REPLY_HEADER_BYTES, len);
  }

  /** A record too large for the ring: its bytes (given away, transferred) go on the side channel. */
  emitBig(a: number, clientId: number, seq: number, bytes: Uint8Array): void {
    const payload: BigPayload = { clientId, seq, bytes };
    this.bigOut[a].postMessage(payload, [bytes.buffer as ArrayBuffer]);
    this.reserve(a, clientId, seq, FLAG_BIG, 0, REPLY_HEADER_BYTES);
  }

  /** Whether a record of `len` bytes fits acceptor a's ring (else it must go by emitBig). */
  fits(a: number, len: number): boolean {
    return align4(REPLY_HEADER_BYTES + len) <= this.rings[a].maxRecord;
  }

  /** Writes a record header into ring a, waiting for room if needed; returns its offset. */
  private reserve(a: number, clientId: number, seq: number, flags: number, len: number, size: number): number {
    const ring = this.rings[a];
    let off = ring.reserve(size);
    while (off < 0) {
      // Ring full: let the acceptor drain it, then retry.
      ring.publish();
      this.doorbells[a].ring();
      Atomics.wait(ring.control, HEAD, Atomics.load(ring.control, HEAD), 1);
      off = ring.reserve(size);
    }
    const w = off >>> 2;
    ring.words[w] = size;
    ring.words[w + 1] = clientId;
    ring.words[w + 2] = seq;
    ring.words[w + 3] = flags;
    ring.words[w + 4] = len;
    ring.advance(off, size);
    if (this.unpublished[a] === 0) {
      this.unpublished[a] = 1;
      this.anyUnpublished = true;
    }
    return off;
  }

  /**
   * Makes every record written so far visible and rings the doorbells of the
   * acceptors concerned; acceptor `last`'s ring (the one whose requests ran,
   * -1: none) last of all. So what a command sent to other acceptors (keyspace
   * events, a woken client's reply) is visible before its own reply is: a
   * client that got the reply and then asks another acceptor finds it there.
   */
  publish(last = -1): void {
    if (!this.anyUnpublished) return;
    this.anyUnpublished = false;
    for (let a = 0; a < this.rings.length; a++) if (a !== last) this.publishRing(a);
    if (last >= 0) this.publishRing(last);
  }

  private publishRing(a: number): void {
    if (this.unpublished[a] === 0) return;
    this.unpublished[a] = 0;
    this.rings[a].publish();
    this.doorbells[a].ring();
  }
}
