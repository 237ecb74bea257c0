import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElements, afterHeader, lineInt, skipValue } from './reply-scan.js';
import { ReplyWriter } from './writer.js';

function bytes(proto: 2 | 3, write: (w: ReplyWriter) => void, initial = 64): string {
  const w = new ReplyWriter(initial);
  w.reset(proto);
  write(w);
  return w.take().toString('latin1');
}

const both = (write: (w: ReplyWriter) => void) => [bytes(2, write), bytes(3, write)];

describe('ReplyWriter: every helper in RESP2 and RESP3, byte for byte (Redis addReply*)', () => {
  it('ok, simple, error, int', () => {
    expect(both((w) => w.ok())).toEqual(['+OK\r\n', '+OK\r\n']);
    expect(both((w) => w.simple('PONG'))).toEqual(['+PONG\r\n', '+PONG\r\n']);
    expect(both((w) => w.error('ERR syntax error'))).toEqual(['-ERR syntax error\r\n', '-ERR syntax error\r\n']);
    expect(both((w) => w.int(-42))).toEqual([':-42\r\n', ':-42\r\n']);
    expect(both((w) => w.int(9223372036854775807n))).toEqual([':9223372036854775807\r\n', ':9223372036854775807\r\n']);
  });

  it('errors never break the line: CR and LF inside become spaces (addReplyErrorFormat)', () => {
    expect(bytes(2, (w) => w.error("ERR unknown command 'a\r\nb', with args beginning with: "))).toBe("-ERR unknown command 'a  b', with args beginning with: \r\n");
  });

  it('bulk strings, binary-safe through latin1', () => {
    expect(both((w) => w.bulk('hello'))).toEqual(['$5\r\nhello\r\n', '$5\r\nhello\r\n']);
    expect(both((w) => w.bulk(''))).toEqual(['$0\r\n\r\n', '$0\r\n\r\n']);
    expect(bytes(2, (w) => w.bulk('\0\r\n\xff\x80'))).toBe('$5\r\n\0\r\n\xff\x80\r\n');
    expect(bytes(3, (w) => w.bulkBuffer(Buffer.from([0, 255, 13])))).toBe('$3\r\n\0\xff\r\r\n');
  });

  it('nulls: $-1 and *-1 in RESP2, _ in RESP3 (addReplyNull / addReplyNullArray)', () => {
    expect(both((w) => w.bulk(null))).toEqual(['$-1\r\n', '_\r\n']);
    expect(both((w) => w.nil())).toEqual(['$-1\r\n', '_\r\n']);
    expect(both((w) => w.nilArray())).toEqual(['*-1\r\n', '_\r\n']);
  });

  it('aggregates: arrays, maps (flat arrays in RESP2), sets, pushes', () => {
    expect(both((w) => w.arrayLen(0))).toEqual(['*0\r\n', '*0\r\n']);
    expect(both((w) => w.arrayLen(3))).toEqual(['*3\r\n', '*3\r\n']);
    expect(both((w) => w.mapLen(2))).toEqual(['*4\r\n', '%2\r\n']);
    expect(both((w) => w.mapLen(0))).toEqual(['*0\r\n', '%0\r\n']);
    expect(both((w) => w.setLen(2))).toEqual(['*2\r\n', '~2\r\n']);
    expect(both((w) => w.pushLen(3))).toEqual(['*3\r\n', '>3\r\n']);
    expect(both((w) => w.bulkArray(['a', 'bc']))).toEqual(['*2\r\n$1\r\na\r\n$2\r\nbc\r\n', '*2\r\n$1\r\na\r\n$2\r\nbc\r\n']);
  });

  it('doubles: bulk %.17g in RESP2, ",d" in RESP3; inf as Redis spells it', () => {
    expect(both((w) => w.double(1.5))).toEqual(['$3\r\n1.5\r\n', ',1.5\r\n']);
    expect(both((w) => w.double(0.1))).toEqual(['$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n']);
    expect(both((w) => w.double(Infinity))).toEqual(['$3\r\ninf\r\n', ',inf\r\n']);
    expect(both((w) => w.double(-Infinity))).toEqual(['$4\r\n-inf\r\n', ',-inf\r\n']);
    expect(both((w) => w.double(1e22))).toEqual(['$5\r\n1e+22\r\n', ',1e+22\r\n']);
  });

  it('booleans: :1/:0 in RESP2, #t/#f in RESP3', () => {
    expect(both((w) => w.bool(true))).toEqual([':1\r\n', '#t\r\n']);
    expect(both((w) => w.bool(false))).toEqual([':0\r\n', '#f\r\n']);
  });

  it('verbatim strings: a bulk in RESP2, =len txt: in RESP3 (addReplyVerbatim)', () => {
    expect(both((w) => w.verbatim('a=1\n'))).toEqual(['$4\r\na=1\n\r\n', '=8\r\ntxt:a=1\n\r\n']);
    expect(both((w) => w.verbatim(''))).toEqual(['$0\r\n\r\n', '=4\r\ntxt:\r\n']);
  });

  it('grows past its initial size without losing bytes, and take() resets it', () => {
    const w = new ReplyWriter(8);
    w.reset(2);
    const big = 'x'.repeat(100_000);
    w.bulk(big);
    w.int(7);
    const out = w.take().toString('latin1');
    expect(out).toBe(`$100000\r\n${big}\r\n:7\r\n`);
    expect(w.len).toBe(0);
    w.ok();
    expect(w.take().toString()).toBe('+OK\r\n');
  });
});

/** A reply value, and what a RESP2/RESP3 client decodes from it. */
type Value =
  | { t: 'bulk'; v: string | null }
  | { t: 'int'; v: number }
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'double'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'verbatim'; v: string }
  | { t: 'array'; v: Value[] }
  | { t: 'set'; v: Value[] }
  | { t: 'map'; v: [Value, Value][] };

const latin1 = fc.uint8Array({ maxLength: 30 }).map((a) => Buffer.from(a).toString('latin1'));
const line = fc.stringMatching(/^[a-zA-Z0-9 ]{0,20}$/);
const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('bulk' as const), v: fc.option(latin1, { nil: null }) }),
    fc.record({ t: fc.constant('int' as const), v: fc.integer() }),
    fc.record({ t: fc.constant('simple' as const), v: line }),
    fc.record({ t: fc.constant('error' as const), v: line.map((s) => `ERR ${s}`) }),
    fc.record({ t: fc.constant('double' as const), v: fc.double({ noNaN: true }) }),
    fc.record({ t: fc.constant('bool' as const), v: fc.boolean() }),
    fc.record({ t: fc.constant('verbatim' as const), v: latin1 }),
    fc.record({ t: fc.constant('array' as const), v: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ t: fc.constant('set' as const), v: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ t: fc.constant('map' as const), v: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }) }),
  ),
})).value;

function write(w: ReplyWriter, v: Value): void {
  switch (v.t) {
    case 'bulk': return w.bulk(v.v);
    case 'int': return w.int(v.v);
    case 'simple': return w.simple(v.v);
    case 'error': return w.error(v.v);
    case 'double': return w.double(v.v);
    case 'bool': return w.bool(v.v);
    case 'verbatim': return w.verbatim(v.v);
    case 'array':
      w.arrayLen(v.v.length);
      return v.v.forEach((x) => write(w, x));
    case 'set':
      w.setLen(v.v.length);
      return v.v.forEach((x) => write(w, x));
    case 'map':
      w.mapLen(v.v.length);
      return v.v.forEach(([k, x]) => (write(w, k), write(w, x)));
  }
}

/** A small independent RESP decoder (both protocols), to read back what the writer wrote. */
function decode(buf: string, pos = 0): [unknown, number] {
  const type = buf[pos];
  const eol = buf.indexOf('\r\n', pos);
  const head = buf.slice(pos + 1, eol);
  const next = eol + 2;
  const aggregate = (n: number): [unknown[], number] => {
    const items: unknown[] = [];
    let p = next;
    for (let i = 0; i < n; i++) {
      const [x, q] = decode(buf, p);
      items.push(x);
      p = q;
    }
    return [items, p];
  };
  switch (type) {
    case '$': {
      const n = Number(head);
      return n < 0 ? [null, next] : [buf.slice(next, next + n), next + n + 2];
    }
    case '=': {
      const n = Number(head);
      return [buf.slice(next + 4, next + n), next + n + 2];
    }
    case ':': return [Number(head), next];
    case '+': return [{ simple: head }, next];
    case '-': return [{ error: head }, next];
    case ',': return [Number(head.replace('inf', 'Infinity')), next];
    case '#': return [head === 't', next];
    case '_': return [null, next];
    case '*':
    case '~': {
      const n = Number(head);
      return n < 0 ? [null, next] : aggregate(n);
    }
    case '%': {
      const [items, p] = aggregate(Number(head) * 2);
      const pairs: unknown[] = [];
      for (let i = 0; i < items.length; i += 2) pairs.push([items[i], items[i + 1]]);
      return [{ map: pairs }, p];
    }
    default:
      throw new Error(`bad type byte ${JSON.stringify(type)} at ${pos}`);
  }
}

/** Asserts that `x`, decoded from the wire, is what a client of `proto` must see for `v` (RESP2 degrades RESP3 types as Redis does). */
function check(x: unknown, v: Value, proto: 2 | 3): void {
  switch (v.t) {
    case 'bulk':
    case 'int':
    case 'verbatim':
      return expect(x).toEqual(v.v);
    case 'simple':
      return expect(x).toEqual({ simple: v.v });
    case 'error':
      return expect(x).toEqual({ error: v.v });
    case 'bool':
      return expect(x).toEqual(proto === 3 ? v.v : v.v ? 1 : 0);
    case 'double':
      // RESP2 sends %.17g as a bulk string, RESP3 as a double: both read back exactly.
      if (proto === 2) expect(typeof x).toBe('string');
      return expect(Number(proto === 2 ? (x as string).replace('inf', 'Infinity') : x)).toBe(v.v);
    case 'array':
    case 'set':
      expect((x as unknown[]).length).toBe(v.v.length);
      return v.v.forEach((y, i) => check((x as unknown[])[i], y, proto));
    case 'map':
      if (proto === 3) {
        const pairs = (x as { map: [unknown, unknown][] }).map;
        expect(pairs.length).toBe(v.v.length);
        return v.v.forEach(([k, y], i) => (check(pairs[i][0], k, proto), check(pairs[i][1], y, proto)));
      }
      expect((x as unknown[]).length).toBe(2 * v.v.length);
      return v.v.forEach(([k, y], i) => (check((x as unknown[])[2 * i], k, proto), check((x as unknown[])[2 * i + 1], y, proto)));
  }
}

describe('ReplyWriter + reply-scan: properties', () => {
  it('anything written decodes back to the value in both protocols, and skipValue spans it exactly', () => {
    fc.assert(
      fc.property(valueArb, fc.constantFrom(2 as const, 3 as const), (v, proto) => {
        const w = new ReplyWriter(16);
        w.reset(proto);
        write(w, v);
        const out = w.take();
        const text = out.toString('latin1');
        const [decoded, end] = decode(text);
        expect(end).toBe(text.length);
        expect(skipValue(out, 0)).toBe(out.length);
        check(decoded, v, proto);
      }),
      { numRuns: 500 },
    );
  });

  it('arrayElements / afterHeader / lineInt split an array reply into its elements', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 6 }), fc.constantFrom(2 as const, 3 as const), (items, proto) => {
        const w = new ReplyWriter(16);
        w.reset(proto);
        w.arrayLen(items.length);
        const parts = items.map((v) => {
          const x = new ReplyWriter(16);
          x.reset(proto);
          write(x, v);
          return x.take();
        });
        parts.forEach((p) => w.raw(p));
        const out = w.take();
        expect(lineInt(out, 0)).toBe(items.length);
        const ranges = arrayElements(out);
        expect(ranges.map(([s, e]) => out.subarray(s, e).toString('latin1'))).toEqual(parts.map((p) => p.toString('latin1')));
        expect(afterHeader(out).toString('latin1')).toBe(parts.map((p) => p.toString('latin1')).join(''));
      }),
      { numRuns: 200 },
    );
  });
});
