/**
 * Which shard owns each hash slot, shared by every acceptor thread (one
 * SharedArrayBuffer made at start-up, read without locks: it does not change
 * while the server runs). Today the map is `slot % shards`, the rule the
 * shards also use for their own slots (SCAN positions, transaction owners);
 * keeping it a table is what resharding on restart or cluster mode needs.
 *
 * SCAN's cursor numbers the slots shard by shard (all of shard 0's slots,
 * then shard 1's ...), so it is a plain number with no server state: the
 * cursor arithmetic lives here with the map it follows.
 */
import { SLOT_COUNT } from './keyslot.js';

export function createSlotMap(shards: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(2 * SLOT_COUNT);
  const owner = new Uint16Array(sab);
  for (let s = 0; s < SLOT_COUNT; s++) owner[s] = s % shards;
  return sab;
}

export class SlotMap {
  /** Shard index of each hash slot. */
  readonly owner: Uint16Array;

  constructor(
    sab: SharedArrayBuffer,
    readonly shards: number,
  ) {
    this.owner = new Uint16Array(sab);
  }

  /** Number of slots shard i owns. */
  slotsOf(shard: number): number {
    return Math.ceil((SLOT_COUNT - shard) / this.shards);
  }

  /** Client cursor of the first slot of a shard. */
  cursorBase(shard: number): number {
    let base = 0;
    for (let i = 0; i < shard; i++) base += this.slotsOf(i);
    return base;
  }

  /** [shard, position among its slots] of a client cursor, or null past the last slot. */
  cursorToPosition(cursor: bigint): [number, number] | null {
    if (cursor >= BigInt(SLOT_COUNT)) return null;
    let c = Number(cursor);
    for (let i = 0; i < this.shards; i++) {
      const owned = this.slotsOf(i);
      if (c < owned) return [i, c];
      c -= owned;
    }
    return null;
  }
}
