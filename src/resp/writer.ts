/**
 * RESP reply encoder over one reusable, growable buffer (Redis' addReply*
 * family). The protocol switch (RESP2 vs RESP3) lives inside each helper, as
 * in addReplyNull, so command code never branches on the protocol.
 *
 * Strings are latin1 JS strings: one char per byte, so keys and values are
 * binary-safe and written back byte for byte.
 */
import { copyBytes } from '../util/bytes.js';
import { formatDouble } from './number-format.js';

/**
 * Up to this many chars a string is written with a JS loop: latin1Write is a call into C++
 * that costs ~150 ns whatever the length, the loop ~2 ns a char (bench: 16-char strings).
 */
const SHORT_STRING = 48;

export class ReplyWriter {
  buf: Buffer;
  len = 0;
  /** 2 or 3, set per request. */
  proto = 2;

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(proto: number): void {
    this.len = 0;
    this.proto = proto;
  }

  /** Copy of what has been written (for callers that keep the reply). */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    return out;
  }

  /** Makes room for n more bytes (for encoders that write into buf directly, like list replies). */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Raw protocol bytes, already encoded. */
  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    copyBytes(bytes, 0, this.buf, this.len, bytes.length);
    this.len += bytes.length;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    this.put(s);
  }

  /** Writes a latin1 string at len (room already ensured). */
  private put(s: string): void {
    const n = s.length;
    if (n > SHORT_STRING) {
      this.len += this.buf.latin1Write(s, this.len);
      return;
    }
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** Writes a non-negative integer's decimal digits at len (room already ensured). */
  private putUint(n: number): void {
    const b = this.buf;
    if (n < 10) {
      b[this.len++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.len + digits;
    this.len = p;
    for (let x = n; digits-- > 0; x = Math.floor(x / 10)) b[--p] = 48 + (x % 10);
  }

  ok(): void {
    this.raw(OK);
  }

  /** +text: status replies (no CR/LF inside, by construction). */
  simple(text: string): void {
    this.ascii(`+${text}\r\n`);
  }

  /** -text: `text` is a full error line such as 'ERR syntax error' (see errors.ts). */
  error(text: string): void {
    // Redis replaces newlines in error text so the reply stays one line.
    this.ascii(`-${text.replace(/[\r\n]/g, ' ')}\r\n`);
  }

  int(n: number | bigint): void {
    if (typeof n !== 'number' || n < 0 || !Number.isSafeInteger(n)) return this.ascii(`:${n}\r\n`);
    this.ensure(20);
    this.buf[this.len++] = 58; // ':'
    this.putUint(n);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** A bulk string from a latin1 JS string, or null for the null reply. */
  bulk(s: string | null): void {
    if (s === null) return this.nil();
    const n = s.length;
    this.ensure(n + 16);
    this.bulkHeader(n);
    this.put(s);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** `$n\r\n` (room already ensured). */
  private bulkHeader(n: number): void {
    this.buf[this.len++] = 36; // '$'
    this.putUint(n);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  bulkBuffer(b: Buffer): void {
    this.ensure(b.length + 16);
    this.bulkHeader(b.length);
    copyBytes(b, 0, this.buf, this.len, b.length);
    this.len += b.length;
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** Null bulk: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.raw(this.proto === 3 ? NULL3 : NULL_BULK);
  }

  /** Null array: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void {
    this.raw(this.proto === 3 ? NULL3 : NULL_ARRAY);
  }

  arrayLen(n: number): void {
    if (n === 0) return this.raw(EMPTY_ARRAY);
    this.ascii(`*${n}\r\n`);
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  mapLen(n: number): void {
    this.ascii(this.proto === 3 ? `%${n}\r\n` : `*${n * 2}\r\n`);
  }

  /** A set: `~n` in RESP3, an array in RESP2. */
  setLen(n: number): void {
    this.ascii(this.proto === 3 ? `~${n}\r\n` : `*${n}\r\n`);
  }

  /** Out-of-band push (pub/sub messages): `>n` in RESP3, an array in RESP2 (addReplyPushLen). */
  pushLen(n: number): void {
    this.ascii(this.proto === 3 ? `>${n}\r\n` : `*${n}\r\n`);
  }

  /** A double: `,d` in RESP3, a bulk string in RESP2 (Redis' addReplyDouble). */
  double(d: number): void {
    const text = formatDouble(d);
    if (this.proto === 3) this.ascii(`,${text}\r\n`);
    else this.bulk(text);
  }

  /** A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2. */
  bool(b: boolean): void {
    if (this.proto === 3) this.ascii(b ? '#t\r\n' : '#f\r\n');
    else this.raw(b ? ONE : ZERO);
  }

  /** Verbatim text (INFO, CLIENT INFO ...): `=len\r\ntxt:...` in RESP3, a bulk in RESP2. */
  verbatim(text: string): void {
    if (this.proto === 3) {
      this.ascii(`=${text.length + 4}\r\ntxt:`);
      this.ascii(`${text}\r\n`);
    } else {
      this.bulk(text);
    }
  }

  /** Array of bulk strings. */
  bulkArray(items: readonly string[]): void {
    this.arrayLen(items.length);
    for (const s of items) this.bulk(s);
  }
}

export const OK = Buffer.from('+OK\r\n');
export const ZERO = Buffer.from(':0\r\n');
export const ONE = Buffer.from(':1\r\n');
export const NULL_BULK = Buffer.from('$-1\r\n');
export const NULL_ARRAY = Buffer.from('*-1\r\n');
export const NULL3 = Buffer.from('_\r\n');
export const EMPTY_ARRAY = Buffer.from('*0\r\n');
