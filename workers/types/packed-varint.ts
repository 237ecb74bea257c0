/**
 * Lengths inside the packed encodings of small hashes and sorted sets (one
 * latin1 string holding many entries): varints, 7 bits per char, low bits
 * first, the high bit set on every char but the last. Short strings cost one
 * char of length, like a listpack entry's header.
 */

/** Where the varint read by readVarint() ended (one module slot instead of a tuple per read). */
export let varintEnd = 0;

/** The varint at `pos`; varintEnd is then the position after it. */
export function readVarint(p: string, pos: number): number {
  let c = p.charCodeAt(pos++);
  if (c < 0x80) {
    varintEnd = pos;
    return c;
  }
  let n = c & 0x7f;
  let scale = 0x80;
  for (;;) {
    c = p.charCodeAt(pos++);
    n += (c & 0x7f) * scale;
    if (c < 0x80) break;
    scale *= 0x80;
  }
  varintEnd = pos;
  return n;
}

const ONE_BYTE: string[] = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i));

/** The varint encoding of n. */
export function varint(n: number): string {
  if (n < 0x80) return ONE_BYTE[n];
  let s = '';
  while (n >= 0x80) {
    s += String.fromCharCode(0x80 | (n & 0x7f));
    n = Math.floor(n / 0x80);
  }
  return s + String.fromCharCode(n);
}
