/**
 * Walks encoded RESP replies (shards' part replies) without decoding them:
 * the acceptor uses it to split and merge the parts of fan-out commands.
 */
const CR = 13;

/** Position just after the CRLF line that starts at p. */
function lineEnd(buf: Buffer, p: number): number {
  return buf.indexOf(CR, p) + 2;
}

/** Integer on the line at p, after the type byte. */
export function lineInt(buf: Buffer, p: number): number {
  return Number(buf.latin1Slice(p + 1, buf.indexOf(CR, p)));
}

/** Position just after the whole value that starts at p. */
export function skipValue(buf: Buffer, p: number): number {
  switch (buf[p]) {
    case 36: /* $ */
    case 61: /* = */
    case 33: /* ! */ {
      const n = lineInt(buf, p);
      const after = lineEnd(buf, p);
      return n < 0 ? after : after + n + 2;
    }
    case 42: /* * */
    case 126: /* ~ */
    case 62: /* > */ {
      const n = lineInt(buf, p);
      let q = lineEnd(buf, p);
      for (let i = 0; i < n; i++) q = skipValue(buf, q);
      return q;
    }
    case 37: /* % */ {
      const n = lineInt(buf, p);
      let q = lineEnd(buf, p);
      for (let i = 0; i < 2 * n; i++) q = skipValue(buf, q);
      return q;
    }
    default: /* + - : _ , # ( */
      return lineEnd(buf, p);
  }
}

/** The elements of an array reply, as [start, end) ranges. */
export function arrayElements(buf: Buffer): [number, number][] {
  const n = lineInt(buf, 0);
  const out: [number, number][] = [];
  let p = lineEnd(buf, 0);
  for (let i = 0; i < n; i++) {
    const q = skipValue(buf, p);
    out.push([p, q]);
    p = q;
  }
  return out;
}

/** Bytes after the header line of an aggregate reply (its elements, concatenated). */
export function afterHeader(buf: Buffer): Buffer {
  return buf.subarray(lineEnd(buf, 0));
}
