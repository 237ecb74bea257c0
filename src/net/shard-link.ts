/**
 * An acceptor's end of one shard: the request ring it produces into, the
 * reply ring it consumes, the shard's bell and statistics, and the side
 * channel for payloads too large for a ring. Each acceptor thread has its
 * own link to every shard (src/threads/shard-pool.ts makes them).
 *
 * Order is everything: records reach the shard in exactly the order the
 * acceptor sent them. When the ring is full, records wait in `overflow` and
 * every later record queues behind them.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { FLAG_BIG, REPLY_HEADER_BYTES, REQUEST_HEADER_BYTES, REQ_ORDERED, type BigPayload } from '../ipc/frame.js';
import { align4, Ring } from '../ipc/ring.js';
import { ShardBell } from '../ipc/shard-bell.js';
import { ShardStats } from '../ipc/shard-stats.js';
import { copyBytes, writeU32 } from '../util/bytes.js';
import type { LinkEnds } from '../threads/shard-pool.js';
import type { ArgSource } from './arg-source.js';

export type { ArgSource };

export class ShardLink {
  readonly index: number;
  readonly requests: Ring;
  readonly replies: Ring;
  readonly stats: ShardStats;
  private readonly bell: ShardBell;
  private readonly bigToShard: MessagePort;
  private readonly bigFromShard: MessagePort;
  private overflow: Buffer[] = [];
  overflowBytes = 0;
  /** Records written since the last publish. */
  private unpublished = false;

  constructor(ends: LinkEnds) {
    this.index = ends.shard;
    this.requests = new Ring(ends.requestRing);
    this.replies = new Ring(ends.replyRing);
    this.stats = new ShardStats(ends.stats);
    this.bell = new ShardBell(ends.bell);
    this.bigToShard = ends.bigToShard;
    this.bigFromShard = ends.bigFromShard;
  }

  /**
   * Sends a request: header fields plus the arguments picked from `src` (all
   * of them when `pick` is null, otherwise argument 0 and the listed positions).
   * `ticket` >= 0: a part of a multi-shard command, run in ticket order
   * (src/ipc/global-order.ts).
   */
  send(clientId: number, seq: number, cmdWord: number, slot: number, src: ArgSource, argc: number, pick: number[] | null, ticket = -1): void {
    if (ticket >= 0) cmdWord |= REQ_ORDERED << 24;
    const { buf, starts, lens } = src;
    const n = pick === null ? argc : pick.length + 1;
    let payload = 4;
    if (pick === null) for (let i = 0; i < argc; i++) payload += 4 + lens[i];
    else {
      payload += 4 + lens[0];
      for (const i of pick) payload += 4 + lens[i];
    }
    const size = align4(REQUEST_HEADER_BYTES + payload);
    if (size > this.requests.maxRecord) {
      const bytes = Buffer.allocUnsafe(payload);
      writeArgs(bytes, 0, n, src, argc, pick);
      const big: BigPayload = { clientId, seq, bytes };
      const header = outOfRingRecord(REQUEST_HEADER_BYTES);
      writeHeader(header.words, 0, REQUEST_HEADER_BYTES, clientId, seq, cmdWord | (FLAG_BIG << 24), slot, ticket);
      // Post first: the shard reads the payload when it meets the record, so it must already be queued.
      this.bigToShard.postMessage(big, [bytes.buffer as ArrayBuffer]);
      this.enqueue(header.bytes);
      return;
    }
    if (this.overflow.length === 0) {
      const off = this.requests.reserve(size);
      if (off >= 0) {
        writeHeader(this.requests.words, off >>> 2, size, clientId, seq, cmdWord, slot, ticket);
        writeArgs(this.requests.bytes, off + REQUEST_HEADER_BYTES, n, src, argc, pick);
        this.requests.advance(off, size);
        this.unpublished = true;
        return;
      }
    }
    const record = outOfRingRecord(size);
    writeHeader(record.words, 0, size, clientId, seq, cmdWord, slot, ticket);
    writeArgs(record.bytes, REQUEST_HEADER_BYTES, n, src, argc, pick);
    this.enqueue(record.bytes);
  }

  private enqueue(record: Buffer): void {
    this.overflow.push(record);
    this.overflowBytes += record.length;
    this.moveOverflow();
  }

  /** Moves queued records into the ring while they fit. */
  private moveOverflow(): void {
    let moved = 0;
    while (moved < this.overflow.length) {
      const record = this.overflow[moved];
      const off = this.requests.reserve(record.length);
      if (off < 0) break;
      record.copy(this.requests.bytes, off);
      this.requests.advance(off, record.length);
      this.overflowBytes -= record.length;
      moved++;
    }
    if (moved > 0) {
      this.overflow = this.overflow.slice(moved);
      this.unpublished = true;
    }
  }

  /**
   * Makes the written requests visible to the shard. Returns true when the
   * shard is parked and needs wake(): the acceptor wakes parked shards once
   * per event-loop turn, so requests from many sockets share one notify.
   */
  publish(): boolean {
    if (this.overflow.length > 0) this.moveOverflow();
    if (!this.unpublished) return false;
    this.unpublished = false;
    this.requests.publish();
    return this.bell.parked();
  }

  /** Wakes the shard if it is parked (Atomics.notify costs a futex call: only when needed). */
  wake(): void {
    this.bell.wake();
  }

  get hasOverflow(): boolean {
    return this.overflow.length > 0;
  }

  /**
   * Calls onReply for every reply in the ring. `bytes` is valid only during the
   * call (it is the ring itself, or a side-channel buffer).
   */
  drainReplies(onReply: (clientId: number, seq: number, bytes: Buffer, start: number, len: number) => void): number {
    const ring = this.replies;
    let n = 0;
    for (;;) {
      const off = ring.next();
      if (off < 0) break;
      const w = off >>> 2;
      const clientId = ring.words[w + 1];
      const seq = ring.words[w + 2];
      const flags = ring.words[w + 3];
      if (flags & FLAG_BIG) {
        const msg = receiveMessageOnPort(this.bigFromShard);
        if (!msg) throw new Error('big reply record without its payload');
        const big = msg.message as BigPayload;
        const bytes = Buffer.from(big.bytes.buffer, big.bytes.byteOffset, big.bytes.byteLength);
        onReply(clientId, seq, bytes, 0, bytes.length);
      } else {
        onReply(clientId, seq, ring.bytes, off + REPLY_HEADER_BYTES, ring.words[w + 4]);
      }
      ring.consume(off);
      n++;
    }
    if (n > 0) ring.release();
    return n;
  }

}

/** A request header at word w (records are 4-aligned, in the ring and out of it). */
function writeHeader(words: Uint32Array, w: number, size: number, clientId: number, seq: number, cmdWord: number, slot: number, ticket: number): void {
  words[w] = size;
  words[w + 1] = clientId;
  words[w + 2] = seq;
  words[w + 3] = cmdWord;
  words[w + 4] = slot;
  words[w + 5] = ticket;
}

/** A record waiting outside the ring (overflow, a big payload's placeholder), in 4-aligned memory of its own. */
function outOfRingRecord(size: number): { bytes: Buffer; words: Uint32Array } {
  const memory = new ArrayBuffer(size);
  return { bytes: Buffer.from(memory), words: new Uint32Array(memory, 0, REQUEST_HEADER_BYTES / 4) };
}

function writeArgs(target: Buffer, p: number, n: number, src: ArgSource, argc: number, pick: number[] | null): void {
  const { buf, starts, lens } = src;
  writeU32(target, p, n);
  p += 4;
  if (pick === null) {
    for (let i = 0; i < argc; i++) {
      const len = lens[i];
      writeU32(target, p, len);
      copyBytes(buf, starts[i], target, p + 4, len);
      p += 4 + len;
    }
    return;
  }
  for (let k = -1; k < pick.length; k++) {
    const i = k < 0 ? 0 : pick[k];
    const len = lens[i];
    writeU32(target, p, len);
    copyBytes(buf, starts[i], target, p + 4, len);
    p += 4 + len;
  }
}
