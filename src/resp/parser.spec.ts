import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTO_INLINE_MAX_SIZE, RequestParser, splitInlineArgs, string2ll } from './parser.js';

type Event = string[] | { error: string };

interface Opts {
  protoMaxBulkLen?: number;
  auth?: boolean;
}

function newParser(events: Event[], opts: Opts = {}): RequestParser {
  return new RequestParser(
    {
      onCommand(buf, argc, starts, lens) {
        const args: string[] = [];
        for (let i = 0; i < argc; i++) args.push(buf.latin1Slice(starts[i], starts[i] + lens[i]));
        events.push(args);
      },
      onProtocolError(message) {
        events.push({ error: message });
      },
    },
    { protoMaxBulkLen: () => opts.protoMaxBulkLen ?? 512 * 1024 * 1024, authRequired: () => opts.auth ?? false },
  );
}

/** Feeds `input` cut at the given positions (sorted, deduplicated) and returns what the parser reported. */
function run(input: Buffer, cuts: number[], opts: Opts = {}): Event[] {
  const events: Event[] = [];
  const parser = newParser(events, opts);
  let prev = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < input.length).sort((a, b) => a - b)) {
    parser.feed(input.subarray(prev, c));
    prev = c;
  }
  parser.feed(input.subarray(prev));
  return events;
}

const whole = (input: Buffer, opts?: Opts) => run(input, [], opts);
const byteByByte = (input: Buffer, opts?: Opts) => run(input, Array.from({ length: input.length }, (_, i) => i), opts);

const b = (s: string) => Buffer.from(s, 'latin1');

function multibulk(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [b(`*${args.length}\r\n`)];
  for (const a of args) {
    const v = typeof a === 'string' ? b(a) : a;
    parts.push(b(`$${v.length}\r\n`), v, b('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Inputs whose outcome does not depend on how the bytes are split into reads:
 * each is checked whole, byte by byte and at random cut points.
 */
const CASES: { name: string; input: Buffer; expect: Event[]; opts?: Opts }[] = [
  { name: 'one multibulk command', input: b('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'), expect: [['GET', 'k']] },
  {
    name: 'a pipeline of multibulk commands',
    input: Buffer.concat([multibulk(['SET', 'a', '1']), multibulk(['GET', 'a']), multibulk(['PING'])]),
    expect: [['SET', 'a', '1'], ['GET', 'a'], ['PING']],
  },
  { name: 'empty bulks', input: b('*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n'), expect: [['SET', '', '']] },
  {
    name: 'binary bulk: CR, LF, NUL, bytes >= 0x80',
    input: multibulk(['SET', b('\r\n\0\xff\x80*$\r\n'), b('\0')]),
    expect: [['SET', '\r\n\0\xff\x80*$\r\n', '\0']],
  },
  { name: 'zero and negative counts are skipped', input: b('*0\r\n*-1\r\n*-10\r\n*1\r\n$4\r\nPING\r\n'), expect: [['PING']] },
  { name: 'the most negative count is skipped', input: b('*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n'), expect: [['PING']] },
  { name: 'the bytes after a count and after bulk data are not checked', input: b('*1\rX$4\r\nPINGxy*1\r\n$1\r\nA\r\n'), expect: [['PING'], ['A']] },
  { name: 'inline with CRLF', input: b('PING\r\n'), expect: [['PING']] },
  { name: 'inline with a bare LF', input: b('SET k v\nGET k\n'), expect: [['SET', 'k', 'v'], ['GET', 'k']] },
  { name: 'empty inline lines are skipped', input: b('\r\n\n   \r\n\t\nPING\r\n'), expect: [['PING']] },
  { name: 'inline blanks: leading \\v \\f are skipped, but only space, tab, CR, LF end a word', input: b(' SET\tk \x0b v\x0cw\x0b\r\n'), expect: [['SET', 'k', 'v\x0cw\x0b']] },
  { name: 'inline: CR inside a line ends an unquoted argument', input: b('SET a\rb c\n'), expect: [['SET', 'a', 'b', 'c']] },
  { name: 'inline double quotes keep spaces', input: b('SET k "a b"\r\n'), expect: [['SET', 'k', 'a b']] },
  {
    name: 'inline double-quote escapes',
    input: b('ECHO "\\n\\r\\t\\b\\a\\q\\\\\\"" "\\x41\\x4a\\xff\\x00" "\\x4" "\\xZZ"\r\n'),
    expect: [['ECHO', '\n\r\t\b\x07q\\"', 'AJ\xff\0', 'x4', 'xZZ']],
  },
  { name: 'inline single quotes: only \\\' is an escape', input: b("ECHO 'it\\'s' 'a\\nb' ''\r\n"), expect: [['ECHO', "it's", 'a\\nb', '']] },
  { name: 'inline: empty double-quoted argument', input: b('SET k ""\r\n'), expect: [['SET', 'k', '']] },
  { name: 'inline: quotes in the middle of a word start a quoted part', input: b('SET k a"b c"\r\n'), expect: [['SET', 'k', 'ab c']] },
  { name: 'inline bytes >= 0x80 pass through', input: b('SET k \xe9\xff\r\n'), expect: [['SET', 'k', '\xe9\xff']] },
  { name: 'inline and multibulk mixed', input: b('PING\r\n*1\r\n$4\r\nPING\r\nECHO x\n'), expect: [['PING'], ['PING'], ['ECHO', 'x']] },
  { name: 'a NUL in an inline line makes Redis wait for more', input: b('GET a\0b\r\nPING\r\n'), expect: [] },
  { name: 'a NUL before the CR of a count line makes Redis wait', input: b('*1\0\r\n$4\r\nPING\r\n'), expect: [] },
  { name: 'a NUL before the CR of a bulk header makes Redis wait', input: b('*1\r\n$4\0\r\nPING\r\n'), expect: [] },
  { name: 'a NUL inside bulk data is data', input: b('*2\r\n$4\r\nECHO\r\n$1\r\n\0\r\n'), expect: [['ECHO', '\0']] },
  // Protocol errors
  { name: 'unbalanced double quote', input: b('SET k "abc\r\nPING\r\n'), expect: [{ error: 'unbalanced quotes in request' }] },
  { name: 'unbalanced single quote', input: b("SET k 'abc\r\n"), expect: [{ error: 'unbalanced quotes in request' }] },
  { name: 'closing quote followed by a letter', input: b('SET k "a"b\r\n'), expect: [{ error: 'unbalanced quotes in request' }] },
  { name: 'protocol.tcl: unbalanced number of quotes', input: b('set """test-key""" test-value\r\nping\r\n'), expect: [{ error: 'unbalanced quotes in request' }] },
  { name: 'commands before an error are reported first', input: b('PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n'), expect: [['PING'], ['PING'], { error: 'invalid multibulk length' }] },
  { name: 'count beyond INT_MAX', input: b('*3000000000\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count INT_MAX + 1', input: b('*2147483648\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count below the 64-bit range', input: b('*-9223372036854775809\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count beyond the 64-bit range', input: b('*9223372036854775808\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count with 21 bytes', input: b('*000000000000000000001\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count not a number', input: b('*abc\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count with a plus sign', input: b('*+1\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count with a leading zero', input: b('*01\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count with a space', input: b('* 1\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'empty count', input: b('*\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count "-"', input: b('*-\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'count "-0"', input: b('*-0\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'protocol.tcl: wrong multibulk payload header', input: b('*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n'), expect: [{ error: "expected '$', got 'f'" }] },
  { name: 'protocol.tcl: multibulk not followed by bulks', input: b('*1\r\nfoo\r\n'), expect: [{ error: "expected '$', got 'f'" }] },
  { name: 'a bare CRLF where a bulk header is expected', input: b('*1\r\n\r\n'), expect: [{ error: "expected '$', got '\r'" }] },
  { name: 'negative bulk length', input: b('*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n'), expect: [{ error: 'invalid bulk length' }] },
  { name: 'bulk length "-1"', input: b('*1\r\n$-1\r\n'), expect: [{ error: 'invalid bulk length' }] },
  { name: 'bulk length beyond proto-max-bulk-len', input: b('*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n'), expect: [{ error: 'invalid bulk length' }] },
  { name: 'bulk length 4 GB', input: b('*2\r\n$3\r\nGET\r\n$4294967296\r\n'), expect: [{ error: 'invalid bulk length' }] },
  { name: 'bulk length not a number', input: b('*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n'), expect: [{ error: 'invalid bulk length' }] },
  { name: 'empty bulk length', input: b('*1\r\n$\r\n'), expect: [{ error: 'invalid bulk length' }] },
  {
    name: 'proto-max-bulk-len is the largest bulk accepted',
    input: Buffer.concat([multibulk(['ECHO', 'x'.repeat(1024 * 1024)]), b('*2\r\n$4\r\nECHO\r\n$1048577\r\n')]),
    opts: { protoMaxBulkLen: 1024 * 1024 },
    expect: [['ECHO', 'x'.repeat(1024 * 1024)], { error: 'invalid bulk length' }],
  },
  {
    name: 'a bulk longer than the longest JS string is refused even under a larger proto-max-bulk-len',
    input: b('*2\r\n$4\r\nECHO\r\n$536870889\r\n'),
    opts: { protoMaxBulkLen: 8 * 1024 * 1024 * 1024 },
    expect: [{ error: 'invalid bulk length' }],
  },
  { name: 'the longest JS string is accepted as a bulk length', input: b('*2\r\n$4\r\nECHO\r\n$536870888\r\nabc'), opts: { protoMaxBulkLen: 8 * 1024 * 1024 * 1024 }, expect: [] },
  { name: 'unauthenticated: 10 arguments are fine', input: multibulk(Array.from({ length: 10 }, () => 'a')), opts: { auth: true }, expect: [Array.from({ length: 10 }, () => 'a')] },
  { name: 'unauthenticated: 11 arguments are not', input: b('*11\r\n'), opts: { auth: true }, expect: [{ error: 'unauthenticated multibulk length' }] },
  { name: 'unauthenticated: a 16384-byte bulk is fine', input: multibulk(['AUTH', 'p'.repeat(16384)]), opts: { auth: true }, expect: [['AUTH', 'p'.repeat(16384)]] },
  { name: 'unauthenticated: a 16385-byte bulk is not', input: b('*2\r\n$4\r\nAUTH\r\n$16385\r\n'), opts: { auth: true }, expect: [{ error: 'unauthenticated bulk length' }] },
  { name: 'unauthenticated: an invalid count is reported first', input: b('*3000000000\r\n'), opts: { auth: true }, expect: [{ error: 'invalid multibulk length' }] },
  { name: 'nothing is parsed after an error', input: b('*x\r\n*1\r\n$4\r\nPING\r\n"\r\n'), expect: [{ error: 'invalid multibulk length' }] },
  { name: 'too big inline request', input: Buffer.alloc(PROTO_INLINE_MAX_SIZE + 1, 0x61), expect: [{ error: 'too big inline request' }] },
  { name: 'an inline line of 64 KB without its newline is not too big yet', input: Buffer.alloc(PROTO_INLINE_MAX_SIZE, 0x61), expect: [] },
  {
    name: 'protocol.tcl desync: NUL then a lot of data without a newline',
    input: Buffer.concat([b('\0'), Buffer.alloc(PROTO_INLINE_MAX_SIZE + 1, 0x41)]),
    expect: [{ error: 'too big inline request' }],
  },
  {
    name: 'protocol.tcl desync: "*" NUL then a lot of data',
    input: Buffer.concat([b('*\0'), Buffer.alloc(PROTO_INLINE_MAX_SIZE, 0x41)]),
    expect: [{ error: 'too big mbulk count string' }],
  },
  {
    name: 'protocol.tcl desync: "$" NUL starts an inline request',
    input: Buffer.concat([b('$\0'), Buffer.alloc(PROTO_INLINE_MAX_SIZE, 0x41)]),
    expect: [{ error: 'too big inline request' }],
  },
  { name: 'too big mbulk count string', input: b(`*${'1'.repeat(PROTO_INLINE_MAX_SIZE)}`), expect: [{ error: 'too big mbulk count string' }] },
  { name: 'too big bulk count string', input: b(`*1\r\n$${'1'.repeat(PROTO_INLINE_MAX_SIZE)}`), expect: [{ error: 'too big bulk count string' }] },
  {
    name: 'a command with 20000 arguments',
    input: multibulk(['MSET', ...Array.from({ length: 19999 }, (_, i) => `k${i}`)]),
    expect: [['MSET', ...Array.from({ length: 19999 }, (_, i) => `k${i}`)]],
  },
];

describe('RequestParser: each case whole, byte by byte and at random cut points', () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(whole(c.input, c.opts)).toEqual(c.expect);
      if (c.input.length <= 200_000) expect(byteByByte(c.input, c.opts)).toEqual(c.expect);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: Math.max(1, c.input.length - 1) }), { maxLength: 12 }), (cuts) => {
          expect(run(c.input, cuts, c.opts)).toEqual(c.expect);
        }),
        { numRuns: c.input.length > 100_000 ? 10 : 60 },
      );
    });
  }
});

describe('RequestParser: properties', () => {
  const arg = fc.oneof(
    fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
    fc.constantFrom(b('\r\n'), b('*1\r\n$4\r\nPING\r\n'), b('$'), b(''), b('\0')),
    fc.integer({ min: 0, max: 70_000 }).map((n) => Buffer.alloc(n, 0x78)),
  );
  const command = fc.array(arg, { minLength: 1, maxLength: 8 });

  it('any sequence of multibulk commands with binary arguments comes back exactly, however it is split', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (cmds, rawCuts) => {
        const input = Buffer.concat(cmds.map(multibulk));
        const cuts = rawCuts.map((c) => c % Math.max(1, input.length));
        expect(run(input, cuts)).toEqual(cmds.map((args) => args.map((a) => a.toString('latin1'))));
      }),
      { numRuns: 150 },
    );
  });

  it('inline arguments written with \\xHH escapes come back exactly, however the line is split', () => {
    const word = fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a));
    const quote = (w: Buffer) => `"${[...w].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join('')}"`;
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), (words, rawCuts) => {
        const input = b(`${words.map(quote).join(' ')}\r\n`);
        const cuts = rawCuts.map((c) => c % input.length);
        expect(run(input, cuts)).toEqual([words.map((w) => w.toString('latin1'))]);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with a naive whole-buffer reference on random protocol-ish noise', () => {
    const token = fc.constantFrom('*', '$', '\r', '\n', '\r\n', '1', '2', '0', '-', 'a', ' ', '"', "'", '\\', 'x', '\0', '*1\r\n', '$1\r\n');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (tokens, rawCuts) => {
        const input = b(tokens.join(''));
        const cuts = rawCuts.map((c) => c % Math.max(1, input.length));
        expect(run(input, cuts)).toEqual(reference(input));
      }),
      { numRuns: 400 },
    );
  });
});

describe('RequestParser: limits and resources', () => {
  it('reads proto-max-bulk-len for every bulk header', () => {
    const events: Event[] = [];
    let max = 1024 * 1024;
    const parser = new RequestParser(
      {
        onCommand: (buf, argc, starts, lens) => events.push(Array.from({ length: argc }, (_, i) => String(lens[i]))),
        onProtocolError: (m) => events.push({ error: m }),
      },
      { protoMaxBulkLen: () => max, authRequired: () => false },
    );
    parser.feed(b('*1\r\n$2000000\r\n'));
    expect(events).toEqual([{ error: 'invalid bulk length' }]);
    const events2: Event[] = [];
    const parser2 = newParser(events2, { protoMaxBulkLen: 1024 * 1024 });
    max = 4 * 1024 * 1024;
    parser2.feed(b('*1\r\n$2000000\r\n'));
    expect(events2).toEqual([{ error: 'invalid bulk length' }]);
  });

  it('a declared 512 MB bulk allocates only what arrived', () => {
    const events: Event[] = [];
    const parser = newParser(events);
    parser.feed(b(`*2\r\n$3\r\nSET\r\n$${512 * 1024 * 1024 - 1000}\r\n`));
    for (let i = 0; i < 64; i++) parser.feed(Buffer.alloc(16 * 1024, 0x61));
    const internal = parser as unknown as { buf: Buffer };
    expect(internal.buf.length).toBeLessThan(4 * 1024 * 1024);
    expect(parser.buffered).toBe(64 * 16 * 1024);
    expect(events).toEqual([]);
  });

  it('*2147483647 does not allocate an argument table of that size', () => {
    const events: Event[] = [];
    const parser = newParser(events);
    parser.feed(b('*2147483647\r\n$1\r\na\r\n'));
    const internal = parser as unknown as { starts: Int32Array };
    expect(internal.starts.length).toBeLessThanOrEqual(1024);
    expect(events).toEqual([]);
  });

  it('a large bulk that arrives in many reads ends in an exactly sized buffer and comes back whole', () => {
    const value = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31) & 0xff;
    const input = multibulk(['SET', 'k', value]);
    const events: Event[] = [];
    let seen = 0;
    const parser = new RequestParser(
      {
        onCommand: (buf, argc, starts, lens) => {
          seen = buf.length;
          events.push([buf.subarray(starts[2], starts[2] + lens[2]).equals(value) ? 'same' : 'different']);
        },
        onProtocolError: (m) => events.push({ error: m }),
      },
      { protoMaxBulkLen: () => 512 * 1024 * 1024, authRequired: () => false },
    );
    for (let p = 0; p < input.length; p += 65536) parser.feed(input.subarray(p, Math.min(input.length, p + 65536)));
    expect(events).toEqual([['same']]);
    expect(seen).toBe(input.length);
    expect(parser.buffered).toBe(0);
  });

  it('a command of 200000 arguments arriving in 1 KB reads is parsed in linear time', () => {
    const args = Array.from({ length: 200_000 }, (_, i) => `key:${i}`);
    const input = multibulk(args);
    const events: Event[] = [];
    const parser = newParser(events);
    const t0 = performance.now();
    for (let p = 0; p < input.length; p += 1024) parser.feed(input.subarray(p, Math.min(input.length, p + 1024)));
    const elapsed = performance.now() - t0;
    expect(events.length).toBe(1);
    expect((events[0] as string[]).length).toBe(200_000);
    expect((events[0] as string[])[199_999]).toBe('key:199999');
    expect(elapsed).toBeLessThan(2000);
  });

  it('buffered counts the bytes not yet turned into arguments, as Redis\' querybuf', () => {
    const events: Event[] = [];
    const parser = newParser(events);
    parser.feed(b('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n01234'));
    expect(parser.buffered).toBe(5);
    parser.feed(b('56789\r\nPIN'));
    expect(events).toEqual([['SET', 'k', '0123456789']]);
    expect(parser.buffered).toBe(3);
  });

  it('the argument buffer handed to onCommand is not overwritten by later input during the call', () => {
    const seen: string[] = [];
    const parser = new RequestParser(
      {
        onCommand: (buf, argc, starts, lens) => seen.push(buf.latin1Slice(starts[argc - 1], starts[argc - 1] + lens[argc - 1])),
        onProtocolError: () => {},
      },
      { protoMaxBulkLen: () => 1 << 29, authRequired: () => false },
    );
    const input = Buffer.concat(Array.from({ length: 50 }, (_, i) => multibulk(['ECHO', `v${i}`.repeat(i + 1)])));
    for (let p = 0; p < input.length; p += 7) parser.feed(input.subarray(p, p + 7));
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`.repeat(i + 1)));
  });
});

describe('string2ll', () => {
  const ll = (s: string) => string2ll(b(s), 0, s.length);
  it('accepts what Redis accepts', () => {
    expect(ll('0')).toBe(0);
    expect(ll('-1')).toBe(-1);
    expect(ll('123')).toBe(123);
    expect(ll('9223372036854775807')).toBe(9223372036854775807);
    expect(ll('-9223372036854775808')).toBe(-9223372036854775808);
  });
  it('rejects what Redis rejects', () => {
    for (const s of ['', '-', '-0', '00', '01', '+1', ' 1', '1 ', '1a', '9223372036854775808', '-9223372036854775809', '99999999999999999999', '0x10', '1.0']) {
      expect(ll(s), s).toBeNull();
    }
  });
});

describe('splitInlineArgs (config lines)', () => {
  it('splits like sdssplitargs', () => {
    const split = (s: string) => splitInlineArgs(b(s), 0, s.length)?.map((x) => x.toString('latin1')) ?? null;
    expect(split('save 900 1')).toEqual(['save', '900', '1']);
    expect(split('requirepass "a b\\x41"')).toEqual(['requirepass', 'a bA']);
    expect(split('x "unterminated')).toBeNull();
    expect(split('   ')).toEqual([]);
    expect(split('a\0b c')).toEqual(['a']);
  });
});

/**
 * A deliberately naive model of Redis' processInputBuffer over a whole buffer
 * (re-parses from scratch, copies everything), to check the incremental
 * parser against on random input.
 */
function reference(input: Buffer): Event[] {
  const events: Event[] = [];
  const text = input.toString('latin1');
  let pos = 0;
  const lineEnd = (from: number, ch: string): number => {
    for (let i = from; i < text.length; i++) {
      if (text[i] === ch) return i;
      if (text[i] === '\0') return -1;
    }
    return -1;
  };
  const ll = (s: string): number | null => (/^(0|-?[1-9][0-9]*)$/.test(s) && s.length < 21 && BigInt(s) <= 9223372036854775807n && BigInt(s) >= -9223372036854775808n ? Number(s) : null);
  while (pos < text.length) {
    if (text[pos] === '*') {
      const cr = lineEnd(pos, '\r');
      if (cr < 0 || cr > text.length - 2) return events;
      const n = ll(text.slice(pos + 1, cr));
      if (n === null || n > 2147483647) return [...events, { error: 'invalid multibulk length' }];
      let p = cr + 2;
      const args: string[] = [];
      for (let i = 0; i < n; i++) {
        const c = lineEnd(p, '\r');
        if (c < 0 || c > text.length - 2) return events;
        if (text[p] !== '$') return [...events, { error: `expected '$', got '${text[p]}'` }];
        const len = ll(text.slice(p + 1, c));
        if (len === null || len < 0) return [...events, { error: 'invalid bulk length' }];
        if (text.length - (c + 2) < len + 2) return events;
        args.push(text.slice(c + 2, c + 2 + len));
        p = c + 2 + len + 2;
      }
      if (args.length > 0) events.push(args);
      pos = p;
    } else {
      const lf = lineEnd(pos, '\n');
      if (lf < 0) return events;
      const end = lf > pos && text[lf - 1] === '\r' ? lf - 1 : lf;
      const args = splitInlineArgs(input, pos, end);
      if (args === null) return [...events, { error: 'unbalanced quotes in request' }];
      if (args.length > 0) events.push(args.map((a) => a.toString('latin1')));
      pos = lf + 1;
    }
  }
  return events;
}
