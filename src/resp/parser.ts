/**
 * Request parser: RESP multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and the inline
 * protocol (`GET k\r\n`), with Redis 7.0's limits and protocol-error texts
 * (networking.c processMultibulkBuffer / processInlineBuffer).
 *
 * Push-style: feed() it socket chunks; it calls `onCommand` for every complete
 * command with the argument positions inside one buffer (no copy of the
 * arguments), and `onProtocolError` once, after which it parses nothing more
 * (the client is closed after the error reply, as Redis does).
 */

/** Redis' PROTO_INLINE_MAX_SIZE: longest inline request / count line. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

const CR = 13;
const LF = 10;

export interface CommandSink {
  /** Arguments are `buf[starts[i], starts[i] + lens[i])` for i < argc; valid only during the call. */
  onCommand(buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void;
  onProtocolError(message: string): void;
}

export interface ParserLimits {
  protoMaxBulkLen: number;
  /** When true (requirepass set and not authenticated), Redis caps argc at 10 and bulks at 16384. */
  authRequired: () => boolean;
}

const NEED_MORE = -1;
const FAILED = -2;

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks received while waiting for `need` bytes in total (avoids re-parsing a large frame per chunk). */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private need = 0;
  private failed = false;
  private starts = new Int32Array(16);
  private lens = new Int32Array(16);

  constructor(
    private readonly sink: CommandSink,
    private readonly limits: ParserLimits,
  ) {}

  /** Bytes received and not yet consumed as commands (Redis' querybuf length). */
  get buffered(): number {
    return this.buf.length - this.pos + this.waitingBytes;
  }

  feed(chunk: Buffer): void {
    if (this.failed) return;
    if (this.need > 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      if (this.buf.length - this.pos + this.waitingBytes < this.need) return;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.waiting]);
      this.pos = 0;
      this.waiting = [];
      this.waitingBytes = 0;
    } else if (this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    } else {
      this.buf = chunk;
      this.pos = 0;
    }
    this.need = 0;
    this.parse();
  }

  private parse(): void {
    const buf = this.buf;
    while (this.pos < buf.length && !this.failed) {
      const end = buf[this.pos] === 42 /* '*' */ ? this.parseMultibulk(buf, this.pos) : this.parseInline(buf, this.pos);
      if (end < 0) break;
      this.pos = end;
    }
    if (this.pos >= buf.length) {
      this.buf = EMPTY;
      this.pos = 0;
    }
  }

  private fail(message: string): number {
    this.failed = true;
    this.sink.onProtocolError(message);
    return FAILED;
  }

  /** Parses one multibulk command at `p`; returns the position after it, or NEED_MORE / FAILED. */
  private parseMultibulk(buf: Buffer, p: number): number {
    const start = p;
    const cr = buf.indexOf(CR, p);
    if (cr < 0 || cr + 1 >= buf.length) {
      if (cr < 0 && buf.length - start > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
      return this.needMore(buf.length - start + 1);
    }
    const count = parseLongLong(buf, p + 1, cr);
    if (count === null || count > INT_MAX) return this.fail('invalid multibulk length');
    if (count > 10 && this.limits.authRequired()) return this.fail('unauthenticated multibulk length');
    p = cr + 2;
    if (count <= 0) return p;
    if (this.starts.length < count) this.grow(Math.min(count, 1 << 20));

    for (let i = 0; i < count; i++) {
      if (p >= buf.length) return this.needMore(buf.length - start + 1);
      const lineEnd = buf.indexOf(CR, p);
      if (lineEnd < 0 || lineEnd + 1 >= buf.length) {
        if (lineEnd < 0 && buf.length - p > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string');
        return this.needMore(buf.length - start + 1);
      }
      if (buf[p] !== 36 /* '$' */) return this.fail(`expected '$', got '${String.fromCharCode(buf[p])}'`);
      const len = parseLongLong(buf, p + 1, lineEnd);
      if (len === null || len < 0 || len > this.limits.protoMaxBulkLen) return this.fail('invalid bulk length');
      if (len > 16384 && this.limits.authRequired()) return this.fail('unauthenticated bulk length');
      const dataStart = lineEnd + 2;
      if (dataStart + len + 2 > buf.length) return this.needMore(dataStart + len + 2 - start);
      if (i >= this.starts.length) this.grow(this.starts.length * 2);
      this.starts[i] = dataStart;
      this.lens[i] = len;
      p = dataStart + len + 2; // Redis skips the two bytes after the data without checking them
    }
    this.sink.onCommand(buf, count, this.starts, this.lens);
    return p;
  }

  /** Parses one inline command (`SET k "a b"\r\n`) at `p`. */
  private parseInline(buf: Buffer, p: number): number {
    const lf = buf.indexOf(LF, p);
    if (lf < 0) {
      if (buf.length - p > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request');
      return this.needMore(buf.length - p + 1);
    }
    const lineEnd = lf > p && buf[lf - 1] === CR ? lf - 1 : lf;
    const args = splitInlineArgs(buf, p, lineEnd);
    if (args === null) return this.fail('unbalanced quotes in request');
    if (args.length > 0) {
      const joined = Buffer.concat(args);
      if (this.starts.length < args.length) this.grow(args.length);
      let off = 0;
      for (let i = 0; i < args.length; i++) {
        this.starts[i] = off;
        this.lens[i] = args[i].length;
        off += args[i].length;
      }
      this.sink.onCommand(joined, args.length, this.starts, this.lens);
    }
    return lf + 1;
  }

  /** Remembers that the current frame (starting at this.pos) needs `total` bytes before it can be parsed again. */
  private needMore(total: number): number {
    this.need = total;
    return NEED_MORE;
  }

  private grow(n: number): void {
    const size = Math.max(n, this.starts.length * 2);
    const starts = new Int32Array(size);
    const lens = new Int32Array(size);
    starts.set(this.starts);
    lens.set(this.lens);
    this.starts = starts;
    this.lens = lens;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Redis' string2ll over buf[from, to): optional '-', digits, no leading zeros
 * (except "0"), no '+', no spaces, fits in a signed 64-bit integer. Returns
 * null when it does not parse. Lengths beyond 2^53 are rejected by the callers' limits anyway.
 */
export function parseLongLong(buf: Buffer, from: number, to: number): number | null {
  if (from >= to || to - from > 20) return null;
  let i = from;
  let negative = false;
  if (buf[i] === 45 /* '-' */) {
    negative = true;
    i++;
    if (i === to) return null;
  }
  if (buf[i] === 48 /* '0' */) return to - from === 1 ? 0 : null;
  let value = 0;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  if (value > 9223372036854775807) return null;
  return negative ? -value : value;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

/**
 * sdssplitargs over buf[from, to): blanks separate arguments; "double quotes"
 * understand \n \r \t \b \a \xHH and \<any>; 'single quotes' understand \'.
 * A closing quote must be followed by a blank or the end. Returns null on
 * unbalanced quotes. Like the C version, a NUL byte ends the line.
 */
export function splitInlineArgs(buf: Buffer, from: number, to: number): Buffer[] | null {
  const zero = buf.indexOf(0, from);
  if (zero >= 0 && zero < to) to = zero;
  const args: Buffer[] = [];
  let p = from;
  const at = (i: number): number => (i < to ? buf[i] : 0);
  for (;;) {
    while (p < to && isSpace(buf[p])) p++;
    if (p >= to) return args;
    const bytes: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === 92 && at(p + 1) === 120 && isHex(at(p + 2)) && isHex(at(p + 3))) {
          bytes.push(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === 92 && at(p + 1) !== 0) {
          p++;
          const e = at(p);
          bytes.push(e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e);
        } else if (c === 34) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          bytes.push(c);
        }
      } else if (inSingle) {
        if (c === 92 && at(p + 1) === 39) {
          p++;
          bytes.push(39);
        } else if (c === 39) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          bytes.push(c);
        }
      } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
        done = true;
      } else if (c === 34) {
        inDouble = true;
      } else if (c === 39) {
        inSingle = true;
      } else {
        bytes.push(c);
      }
      if (p < to) p++;
    }
    args.push(Buffer.from(bytes));
  }
}
