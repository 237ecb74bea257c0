/**
 * Byte copies on the hot path. Buffer.copy crosses into C++ and costs more
 * than a JS loop for the short keys, values and replies that dominate Redis
 * traffic; long ranges still go through Buffer.copy (memcpy).
 */
const SHORT = 48;

export function copyBytes(src: Uint8Array, srcStart: number, dst: Uint8Array, dstStart: number, len: number): void {
  if (len <= SHORT) {
    for (let i = 0; i < len; i++) dst[dstStart + i] = src[srcStart + i];
  } else {
    dst.set(src.subarray(srcStart, srcStart + len), dstStart);
  }
}

/** Writes a u32 little-endian without Buffer's argument checks. */
export function writeU32(dst: Uint8Array, off: number, v: number): void {
  dst[off] = v;
  dst[off + 1] = v >>> 8;
  dst[off + 2] = v >>> 16;
  dst[off + 3] = v >>> 24;
}

/** Reads a u32 little-endian without Buffer's argument checks. */
export function readU32(src: Uint8Array, off: number): number {
  return (src[off] | (src[off + 1] << 8) | (src[off + 2] << 16) | (src[off + 3] << 24)) >>> 0;
}
