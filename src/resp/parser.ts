/**
 * Request parser: RESP multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and the inline
 * protocol (`GET k\r\n`), with Redis 7.0's limits, protocol-error texts and
 * corner cases (networking.c processInputBuffer / processMultibulkBuffer /
 * processInlineBuffer, sds.c sdssplitargs, util.c string2ll).
 *
 * Push-style: feed() it socket chunks; it calls `onCommand` for every complete
 * command with the argument positions inside one buffer (no copy of the
 * arguments when a command arrives whole), and `onProtocolError` once, after
 * which it parses nothing more (the client is closed after the error reply,
 * as Redis does).
 *
 * The parse state (Redis' reqtype / multibulklen / bulklen / argc) survives
 * between chunks, so a command that arrives in many pieces is scanned once,
 * and the bytes of an unfinished command are kept in one buffer that grows by
 * doubling (each byte is copied a bounded number of times). Nothing is
 * allocated from a length the client merely declares: memory follows the
 * bytes actually received.
 */

/** Redis' PROTO_INLINE_MAX_SIZE: longest inline request / count line. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Redis' PROTO_MBULK_BIG_ARG: bulks from this size on get an exactly sized buffer. */
const BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
/**
 * Arguments become latin1 JS strings (acceptor and shards), and V8 cannot make
 * one longer than this (buffer.constants.MAX_STRING_LENGTH, 2^29 - 24): a
 * longer bulk is refused as one over proto-max-bulk-len would be, instead of
 * taking a thread down. Redis' default limit (512 MB) is 24 bytes above it.
 */
export const MAX_ARG_BYTES = 0x1fffffe8;
/** Argument positions are Int32: one command may not span more than 2 GB. */
const MAX_FRAME_BYTES = 0x7fffffff;

const CR = 13;
const LF = 10;
const STAR = 42;
/** The smallest proto-max-bulk-len CONFIG accepts. */
const MIN_PROTO_MAX_BULK_LEN = 1024 * 1024;
const DOLLAR = 36;

export interface CommandSink {
  /** Arguments are `buf[starts[i], starts[i] + lens[i])` for i < argc; valid only during the call. */
  onCommand(buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void;
  onProtocolError(message: string): void;
}

export interface ParserLimits {
  /** proto-max-bulk-len, read for every bulk header (CONFIG SET applies to connected clients). */
  protoMaxBulkLen: () => number;
  /** When true (requirepass set and not authenticated), Redis caps argc at 10 and bulks at 16384. */
  authRequired: () => boolean;
}

const REQ_NONE = 0;
const REQ_INLINE = 1;
const REQ_MULTIBULK = 2;

const EMPTY = Buffer.alloc(0);

export class RequestParser {
  /** Received bytes; [frameStart, end) are not consumed yet. */
  private buf: Buffer = EMPTY;
  private end = 0;
  /** Start of the command being parsed (its bytes are kept until it completes). */
  private frameStart = 0;
  /** Parse cursor (Redis' qb_pos): everything before it is part of parsed arguments or headers. */
  private pos = 0;
  /** True when buf is our own allocation (its spare room may be written). */
  private owned = false;
  private failed = false;

  private reqType = REQ_NONE;
  /** Arguments still to read of the current multibulk (Redis' multibulklen). */
  private mbRemaining = 0;
  /** Length of the bulk being read, or -1 when its header is not read yet. */
  private bulkLen = -1;
  private argc = 0;
  private inlineOut: Buffer = EMPTY;
  private starts = new Int32Array(16);
  private lens = new Int32Array(16);
  /** Where the last unsuccessful search for the current line stopped (no rescans on slow input). */
  private scanPos = 0;
  /** True while the commands of one read are dispatched; readStart is where that read's unconsumed bytes began. */
  private parsing = false;
  private readStart = 0;

  constructor(
    private readonly sink: CommandSink,
    private readonly limits: ParserLimits,
  ) {}

  /**
   * Bytes received and not yet turned into arguments: Redis' querybuf length,
   * which client-query-buffer-limit is checked against.
   */
  get buffered(): number {
    return this.end - this.pos;
  }

  /**
   * Redis' sdslen(querybuf) as CLIENT LIST shows it: while commands of a read
   * run, the whole read (Redis trims the buffer only after the loop); between
   * reads, the bytes not yet turned into arguments.
   */
  get queryBufferLength(): number {
    return this.parsing ? this.end - this.readStart : this.end - this.pos;
  }

  /** Spare room in the query buffer (qbuf-free). */
  get queryBufferFree(): number {
    return this.owned ? this.buf.length - this.end : 0;
  }

  /** Bytes of the arguments of an unfinished command already read (argv-mem between reads). */
  get partialArgBytes(): number {
    let n = 0;
    for (let i = 0; i < this.argc; i++) n += this.lens[i];
    return n;
  }

  /** True once a protocol error was reported; later input is ignored. */
  get hasFailed(): boolean {
    return this.failed;
  }

  /**
   * Parses `chunk[0, len)`. A `borrowed` chunk is only valid during the call
   * (the connection's shared read buffer): an unfinished frame left in it is copied.
   */
  feed(chunk: Buffer, len = chunk.length, borrowed = false): void {
    if (this.failed || len === 0) return;
    if (this.frameStart === this.end) {
      // Nothing pending: parse the socket's chunk in place.
      this.buf = chunk;
      this.owned = false;
      this.end = len;
      this.frameStart = 0;
      this.pos = 0;
      this.scanPos = 0;
    } else {
      this.append(chunk, len);
    }
    this.parse();
    // The unfinished frame moves out of the borrowed chunk into a buffer of its own (append's growth path).
    if (borrowed && !this.owned && this.frameStart < this.end && !this.failed) this.append(EMPTY, 0);
  }

  /** Appends chunk[0, len) after the pending bytes, keeping only [frameStart, end). */
  private append(chunk: Buffer, len: number): void {
    const keep = this.end - this.frameStart;
    const total = keep + len;
    if (this.owned && this.frameStart + total <= this.buf.length && !(this.buf.length > 1 << 20 && total < this.buf.length >> 2)) {
      chunk.copy(this.buf, this.end, 0, len);
      this.end += len;
      return;
    }
    // Grow by doubling, but not past the end of a bulk whose length is known
    // (a large bulk ends in an exactly sized buffer, as Redis' sdsMakeRoomForNonGreedy).
    let size = Math.max(total * 2, 4096);
    if (this.reqType === REQ_MULTIBULK && this.bulkLen >= BIG_ARG) {
      const frameEnd = this.pos - this.frameStart + this.bulkLen + 2;
      if (frameEnd >= total) size = Math.min(size, frameEnd);
    }
    size = Math.min(size, Math.max(total, MAX_FRAME_BYTES));
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.frameStart, this.end);
    chunk.copy(next, keep, 0, len);
    this.shift(this.frameStart);
    this.buf = next;
    this.owned = true;
    this.end = total;
  }

  /** Moves every position back by `delta` (after the pending bytes moved to the front of a new buffer). */
  private shift(delta: number): void {
    if (delta === 0) return;
    this.frameStart -= delta;
    this.pos -= delta;
    this.scanPos = Math.max(0, this.scanPos - delta);
    for (let i = 0; i < this.argc; i++) this.starts[i] -= delta;
  }

  /** Redis' processInputBuffer. */
  private parse(): void {
    this.parsing = true;
    this.readStart = this.frameStart;
    try {
      this.parseLoop();
    } finally {
      this.parsing = false;
    }
  }

  private parseLoop(): void {
    while (this.pos < this.end && !this.failed) {
      if (this.reqType === REQ_NONE) {
        this.reqType = this.buf[this.pos] === STAR ? REQ_MULTIBULK : REQ_INLINE;
      }
      const ready = this.reqType === REQ_INLINE ? this.parseInline() : this.parseMultibulk();
      if (!ready) break;
    }
    if (this.frameStart === this.end) {
      // Everything consumed: drop the buffer (it may be a large one, or the socket's chunk).
      this.buf = EMPTY;
      this.owned = false;
      this.end = 0;
      this.frameStart = 0;
      this.pos = 0;
      this.scanPos = 0;
    }
  }

  private fail(message: string): boolean {
    this.failed = true;
    this.sink.onProtocolError(message);
    return false;
  }

  /**
   * Redis' strchr(querybuf + qb_pos, target) on its NUL-terminated buffer: the
   * first `target` byte at or after pos, or -1 when there is none yet or a
   * NUL byte comes first (then Redis waits, until the line grows too big).
   */
  private findInLine(target: number): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.scanPos > this.pos ? this.scanPos : this.pos;
    for (; i < end; i++) {
      const c = buf[i];
      if (c === target) return i;
      if (c === 0) break;
    }
    this.scanPos = i;
    return -1;
  }

  /** The command is complete: hand it over and reset the request state (Redis' resetClient). */
  private dispatch(buf: Buffer, argc: number): void {
    this.reqType = REQ_NONE;
    this.mbRemaining = 0;
    this.bulkLen = -1;
    this.argc = 0;
    this.frameStart = this.pos;
    this.scanPos = this.pos;
    if (argc > 0) this.sink.onCommand(buf, argc, this.starts, this.lens);
  }

  /** Parses (more of) one multibulk command; returns true when it completed. */
  private parseMultibulk(): boolean {
    const buf = this.buf;
    if (this.mbRemaining === 0) {
      const cr = this.findInLine(CR);
      if (cr < 0) {
        if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
        return false;
      }
      if (cr > this.end - 2) return false; // the byte after CR must be there too (it is not checked)
      const count = string2ll(buf, this.pos + 1, cr);
      if (count === null || count > INT_MAX) return this.fail('invalid multibulk length');
      if (count > 10 && this.limits.authRequired()) return this.fail('unauthenticated multibulk length');
      this.pos = cr + 2;
      if (count <= 0) {
        // `*0` and negative counts are empty commands: skipped silently.
        this.dispatch(buf, 0);
        return true;
      }
      this.mbRemaining = count;
      this.argc = 0;
      // As Redis, size the argument table from the count only up to 1024; it grows with the arguments.
      if (this.starts.length < count) this.grow(Math.min(count, 1024));
    }
    while (this.mbRemaining > 0) {
      if (this.bulkLen < 0) {
        const cr = this.findInLine(CR);
        if (cr < 0) {
          if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string');
          return false;
        }
        if (cr > this.end - 2) return false;
        if (buf[this.pos] !== DOLLAR) return this.fail(`expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
        const len = string2ll(buf, this.pos + 1, cr);
        // proto-max-bulk-len is at least 1 MB (its CONFIG minimum): smaller arguments skip reading it.
        if (len === null || len < 0 || (len > MIN_PROTO_MAX_BULK_LEN && len > this.limits.protoMaxBulkLen())) return this.fail('invalid bulk length');
        if (len > 16384 && this.limits.authRequired()) return this.fail('unauthenticated bulk length');
        if (len > MAX_ARG_BYTES || cr + 2 - this.frameStart + len + 2 > MAX_FRAME_BYTES) return this.fail('invalid bulk length');
        this.pos = cr + 2;
        this.bulkLen = len;
      }
      // The two bytes after the data are skipped without being checked, as Redis does.
      if (this.end - this.pos < this.bulkLen + 2) return false;
      if (this.argc === this.starts.length) this.grow(this.argc * 2);
      this.starts[this.argc] = this.pos;
      this.lens[this.argc] = this.bulkLen;
      this.argc++;
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.mbRemaining--;
    }
    this.dispatch(buf, this.argc);
    return true;
  }

  /** Parses one inline command (`SET k "a b"\r\n`); returns true when a whole line was consumed. */
  private parseInline(): boolean {
    const buf = this.buf;
    const lf = this.findInLine(LF);
    if (lf < 0) {
      if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request');
      return false;
    }
    const start = this.pos;
    const lineEnd = lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
    // Arguments are only valid during onCommand, so one small scratch buffer serves ordinary inline lines.
    const lineLen = lineEnd - start;
    if (this.inlineOut.length < lineLen && lineLen <= 16 * 1024) this.inlineOut = Buffer.allocUnsafe(Math.max(256, lineLen * 2));
    const out = lineLen <= this.inlineOut.length ? this.inlineOut : Buffer.allocUnsafe(lineLen);
    const argc = this.splitInline(buf, start, lineEnd, out);
    if (argc < 0) return this.fail('unbalanced quotes in request');
    this.pos = lf + 1;
    this.dispatch(out, argc);
    return true;
  }

  /** sdssplitargs into `out`, filling starts/lens; returns argc, or -1 on unbalanced quotes. */
  private splitInline(buf: Buffer, from: number, to: number, out: Buffer): number {
    const bounds = splitArgs(buf, from, to, out);
    if (bounds === null) return -1;
    const argc = bounds.length >> 1;
    if (argc > this.starts.length) this.grow(argc);
    for (let i = 0; i < argc; i++) {
      this.starts[i] = bounds[2 * i];
      this.lens[i] = bounds[2 * i + 1];
    }
    return argc;
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

/**
 * Redis' string2ll over buf[from, to): optional '-', then "0" alone or a digit
 * 1-9 followed by digits, nothing else, at most 20 bytes, within the signed
 * 64-bit range. Returns null when it does not parse. Values beyond 2^53 are
 * the nearest double, which is all callers need (they compare with INT_MAX
 * and proto-max-bulk-len).
 */
export function string2ll(buf: Uint8Array, from: number, to: number): number | null {
  const len = to - from;
  if (len <= 0 || len >= 21) return null;
  if (len === 1 && buf[from] === 48) return 0;
  let i = from;
  let negative = false;
  if (buf[i] === 45 /* '-' */) {
    negative = true;
    i++;
    if (i === to) return null;
  }
  if (buf[i] < 49 || buf[i] > 57) return null;
  let value = 0;
  const digitsFrom = i;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  const digits = to - digitsFrom;
  if (digits >= 16) {
    // Past 2^53 the running sum above drifts: take the correctly rounded value of the whole text.
    let text = '';
    for (let k = digitsFrom; k < to; k++) text += String.fromCharCode(buf[k]);
    value = Number(text);
  }
  if (digits >= 19) {
    // Exact overflow check on the digit string: 9223372036854775807 (or ...808 when negative).
    if (digits > 19) return null;
    const limit = negative ? '9223372036854775808' : '9223372036854775807';
    for (let k = 0; k < 19; k++) {
      const c = buf[digitsFrom + k];
      const l = limit.charCodeAt(k);
      if (c !== l) {
        if (c > l) return null;
        break;
      }
    }
  }
  return negative ? -value : value;
}

/** @deprecated name kept for callers: same as string2ll. */
export const parseLongLong = string2ll;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

/** Scratch for splitArgs' results: start and length of each argument, in pairs (reused, not reentrant). */
const bounds: number[] = [];

/**
 * sdssplitargs over buf[from, to): blanks separate arguments; "double quotes"
 * understand \n \r \t \b \a \xHH and \<any>; 'single quotes' understand \'.
 * A closing quote must be followed by a blank or the end. Like the C version,
 * a NUL byte ends the line. The arguments' bytes go one after the other into
 * `out` (at most to - from bytes); returns [start, length] pairs into it, or
 * null on unbalanced quotes.
 */
function splitArgs(buf: Uint8Array, from: number, to: number, out: Uint8Array): number[] | null {
  bounds.length = 0;
  for (let i = from; i < to; i++) {
    if (buf[i] === 0) {
      to = i;
      break;
    }
  }
  let p = from;
  let o = 0;
  for (;;) {
    while (p < to && isSpace(buf[p])) p++;
    if (p >= to) return bounds;
    const argStart = o;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      // Past `to` reads as the C string's terminating NUL.
      const c = p < to ? buf[p] : 0;
      const next = p + 1 < to ? buf[p + 1] : 0;
      if (inDouble) {
        const h1 = p + 2 < to ? buf[p + 2] : 0;
        const h2 = p + 3 < to ? buf[p + 3] : 0;
        if (c === 92 && next === 120 && isHex(h1) && isHex(h2)) {
          out[o++] = hexValue(h1) * 16 + hexValue(h2);
          p += 3;
        } else if (c === 92 && next !== 0) {
          p++;
          out[o++] = next === 110 ? 10 : next === 114 ? 13 : next === 116 ? 9 : next === 98 ? 8 : next === 97 ? 7 : next;
        } else if (c === 34) {
          if (next !== 0 && !isSpace(next)) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          out[o++] = c;
        }
      } else if (inSingle) {
        if (c === 92 && next === 39) {
          p++;
          out[o++] = 39;
        } else if (c === 39) {
          if (next !== 0 && !isSpace(next)) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          out[o++] = c;
        }
      } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
        done = true;
      } else if (c === 34) {
        inDouble = true;
      } else if (c === 39) {
        inSingle = true;
      } else {
        out[o++] = c;
      }
      if (p < to) p++;
    }
    bounds.push(argStart, o - argStart);
  }
}

/**
 * sdssplitargs over buf[from, to) as separate buffers (config lines);
 * null on unbalanced quotes.
 */
export function splitInlineArgs(buf: Buffer, from: number, to: number): Buffer[] | null {
  const out = Buffer.allocUnsafe(Math.max(0, to - from));
  const pairs = splitArgs(buf, from, to, out);
  if (pairs === null) return null;
  const args: Buffer[] = [];
  for (let i = 0; i < pairs.length; i += 2) args.push(Buffer.from(out.subarray(pairs[i], pairs[i] + pairs[i + 1])));
  return args;
}
