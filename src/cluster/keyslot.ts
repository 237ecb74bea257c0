/**
 * Hash slot of a key, as Redis Cluster computes it (cluster.c keyHashSlot):
 * CRC16-CCITT(key) & 0x3FFF, where if the key contains a '{' followed later by
 * a '}' with at least one byte between them, only the bytes between the first
 * '{' and the first '}' after it are hashed. So `{user1}.name` and
 * `{user1}.age` share a slot, while `{}` and `a{}{b}` are hashed whole.
 *
 * Two entry points compute the same value: one over a byte range of a Buffer
 * (the acceptor, straight from the request bytes) and one over a latin1 JS
 * string (the shards, whose keys are latin1 strings). cluster-key-slot, the
 * library the design names, serves as the oracle in keyslot.spec.ts; it is not
 * used here because it has no byte-range form and encodes strings as UTF-8.
 */
export const SLOT_COUNT = 16384;

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[i] = crc;
}

function crc16Bytes(buf: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ buf[i]) & 0xff];
  return crc;
}

function crc16String(s: string, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ s.charCodeAt(i)) & 0xff];
  return crc;
}

/** Slot of the key stored in buf[start, start + len). */
export function keySlotOfBytes(buf: Uint8Array, start: number, len: number): number {
  const end = start + len;
  let open = -1;
  for (let i = start; i < end; i++) {
    if (buf[i] === 0x7b) {
      open = i;
      break;
    }
  }
  if (open >= 0) {
    for (let i = open + 1; i < end; i++) {
      if (buf[i] === 0x7d) {
        if (i > open + 1) return crc16Bytes(buf, open + 1, i) & 0x3fff;
        break;
      }
    }
  }
  return crc16Bytes(buf, start, end) & 0x3fff;
}

/** Slot of a key held as a latin1 string (one char per byte). */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16String(key, open + 1, close) & 0x3fff;
  }
  return crc16String(key, 0, key.length) & 0x3fff;
}
