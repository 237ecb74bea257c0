/**
 * Writing list elements into a reply straight from a chunk's bytes, with no
 * JS string in between: LRANGE 600 spends most of its time here, and making
 * a string per element then writing it back costs twice the copying and two
 * native calls per element.
 */
import type { ReplyWriter } from '../../../src/resp/writer.js';
import type { Chunk } from './chunk.js';
import { varintSize } from './chunk.js';

/** Writes the entry at p of chunk c as a bulk string: `$<len>\r\n<bytes>\r\n`. */
export function writeEntryBulk(w: ReplyWriter, c: Chunk, p: number): void {
  const len = c.lenAt(p);
  const data = p + varintSize(len);
  w.ensure(len + 16);
  const out = w.buf;
  let q = w.len;
  out[q++] = 36; // '$'
  if (len < 10) out[q++] = 48 + len;
  else q += out.latin1Write(String(len), q);
  out[q++] = 13;
  out[q++] = 10;
  if (len <= 32) {
    const src = c.buf;
    for (let i = 0; i < len; i++) out[q + i] = src[data + i];
  } else {
    c.buf.copy(out, q, data, data + len);
  }
  q += len;
  out[q++] = 13;
  out[q++] = 10;
  w.len = q;
}
