/**
 * String commands, differential: every command goes to shardis and to
 * redis-server 7.0.15, and the raw replies must be equal byte for byte.
 * Titles copied from Redis' tests/unit/type/string.tcl are tests of the same
 * behaviour; the others cover what that file leaves out (error order,
 * option conflicts, limits, RESP3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DiffPair, type Command, ttlSign, prng } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('string: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
  });

  async function same(cmds: Command[], norm?: (cmd: Command, reply: Buffer) => string): Promise<void> {
    expect(await pair.mismatch(cmds, norm)).toBeNull();
  }

  /** CONFIG SET on both (shards apply it in ring order, before the next command). */
  async function setProtoMaxBulkLen(value: string): Promise<void> {
    await pair.both(['CONFIG', 'SET', 'proto-max-bulk-len', value]);
  }

  const reply = (cmd: Command, expected: string) => pair.expectReply(cmd, expected);

  it('SET and GET an item', async () => {
    await same([['SET', 'x', 'foobar'], ['GET', 'x']]);
    await reply(['GET', 'x'], '$6\r\nfoobar\r\n');
  });

  it('SET and GET an empty item', async () => {
    await same([['SET', 'x', ''], ['GET', 'x'], ['STRLEN', 'x'], ['EXISTS', 'x']]);
  });

  it('Very big payload in GET/SET', async () => {
    await same([['SET', 'foo', 'abcd'.repeat(1_000_000)], ['GET', 'foo'], ['STRLEN', 'foo']]);
  });

  it('SET 10000 numeric keys and access all them in reverse order', async () => {
    const cmds: Command[] = [];
    for (let x = 0; x < 10000; x++) cmds.push(['SET', String(x), String(x)]);
    for (let x = 9999; x >= 0; x--) cmds.push(['GET', String(x)]);
    cmds.push(['DBSIZE']);
    await same(cmds);
  });

  it('binary-safe keys and values (NUL, CR, LF, bytes >= 0x80)', async () => {
    const bin = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    await same([
      ['SET', 'k\0\r\n\xff', bin],
      ['GET', 'k\0\r\n\xff'],
      ['STRLEN', 'k\0\r\n\xff'],
      ['APPEND', 'k\0\r\n\xff', '\0\r\n'],
      ['GETRANGE', 'k\0\r\n\xff', '250', '-1'],
      ['SET', '', 'empty key'],
      ['GET', ''],
    ]);
  });

  it('SETNX target key missing', async () => {
    await same([['SETNX', 'novar', 'foobared'], ['GET', 'novar']]);
  });

  it('SETNX target key exists', async () => {
    await same([['SET', 'novar', 'foobared'], ['SETNX', 'novar', 'blabla'], ['GET', 'novar']]);
  });

  it('SETNX against not-expired volatile key', async () => {
    await same([['SET', 'x', '10'], ['EXPIRE', 'x', '10000'], ['SETNX', 'x', '20'], ['GET', 'x']]);
  });

  it('SETNX against expired volatile key', async () => {
    await same([['SET', 'x', '10'], ['PEXPIRE', 'x', '1']]);
    await new Promise((r) => setTimeout(r, 20));
    await same([['SETNX', 'x', '20'], ['GET', 'x'], ['TTL', 'x']]);
  });

  it('SETEX and PSETEX: value, TTL and invalid expire times', async () => {
    await same(
      [
        ['SETEX', 'k', '100', 'v'],
        ['GET', 'k'],
        ['TTL', 'k'],
        ['PSETEX', 'p', '100000', 'v'],
        ['PTTL', 'p'],
        ['SETEX', 'k', '0', 'v'],
        ['SETEX', 'k', '-5', 'v'],
        ['SETEX', 'k', 'abc', 'v'],
        ['SETEX', 'k', '9223372036854775807', 'v'],
        ['SETEX', 'k', '9223372036854775', 'v'],
        ['PSETEX', 'k', '0', 'v'],
        ['PSETEX', 'k', '9223372036854775807', 'v'],
        ['PSETEX', 'k', '9223372036854775808', 'v'],
        ['GET', 'k'],
      ],
      ttlSign,
    );
    await reply(['PSETEX', 'k', '0', 'v'], "-ERR invalid expire time in 'psetex' command\r\n");
  });

  it('GETEX EX option', async () => {
    await same([['SET', 'foo', 'bar'], ['GETEX', 'foo', 'ex', '10'], ['TTL', 'foo']], ttlSign);
  });

  it('GETEX PX option', async () => {
    await same([['SET', 'foo', 'bar'], ['GETEX', 'foo', 'px', '10000'], ['PTTL', 'foo']], ttlSign);
  });

  it('GETEX EXAT option', async () => {
    const at = String(Math.floor(Date.now() / 1000) + 10);
    await same([['SET', 'foo', 'bar'], ['GETEX', 'foo', 'exat', at], ['TTL', 'foo']], ttlSign);
  });

  it('GETEX PXAT option', async () => {
    const at = String(Date.now() + 10000);
    await same([['SET', 'foo', 'bar'], ['GETEX', 'foo', 'pxat', at], ['PTTL', 'foo']], ttlSign);
  });

  it('GETEX PERSIST option', async () => {
    await same([['SET', 'foo', 'bar', 'ex', '10'], ['TTL', 'foo'], ['GETEX', 'foo', 'persist'], ['TTL', 'foo']], ttlSign);
  });

  it('GETEX no option', async () => {
    await same([['SET', 'foo', 'bar'], ['GETEX', 'foo'], ['GETEX', 'foo'], ['GETEX', 'nokey']]);
  });

  it('GETEX syntax errors', async () => {
    await same([
      ['GETEX', 'foo', 'non-existent-option'],
      ['SET', 'foo', 'bar'],
      ['GETEX', 'foo', 'non-existent-option'],
      ['GETEX', 'foo', 'EX'],
      ['GETEX', 'foo', 'EX', '10', 'PX', '10000'],
      ['GETEX', 'foo', 'PERSIST', 'EX', '10'],
      ['GETEX', 'foo', 'EX', '10', 'PERSIST'],
      ['GETEX', 'foo', 'KEEPTTL'],
      ['GETEX', 'foo', 'NX'],
      ['GETEX', 'foo', 'GET'],
    ]);
  });

  it('GETEX no arguments', async () => {
    await reply(['GETEX'], "-ERR wrong number of arguments for 'getex' command\r\n");
  });

  it('GETEX checks the key before the expire time, and deletes on a past EXAT/PXAT', async () => {
    await same(
      [
        // Missing key: nil even with a bad or invalid time (Redis looks the key up first).
        ['GETEX', 'nokey', 'EX', 'abc'],
        ['GETEX', 'nokey', 'PX', '-1'],
        ['SET', 'foo', 'bar'],
        ['GETEX', 'foo', 'EX', 'abc'],
        ['GETEX', 'foo', 'EX', '0'],
        ['GETEX', 'foo', 'EX', '9223372036854775'],
        ['GETEX', 'foo', 'PXAT', '1'],
        ['EXISTS', 'foo'],
        ['SET', 'foo', 'bar'],
        ['GETEX', 'foo', 'EXAT', '1'],
        ['EXISTS', 'foo'],
        ['SET', 'foo', 'bar', 'PX', '100000'],
        ['GETEX', 'foo', 'PERSIST'],
        ['TTL', 'foo'],
        ['GETEX', 'foo', 'PERSIST'],
        ['TTL', 'foo'],
        ['GETEX', 'foo', 'ex', '100', 'ex', '200'],
        ['TTL', 'foo'],
      ],
      ttlSign,
    );
  });

  it('GETDEL command', async () => {
    await same([['SET', 'foo', 'bar'], ['GETDEL', 'foo'], ['GETDEL', 'foo'], ['EXISTS', 'foo']]);
  });

  it('MGET', async () => {
    await same([['SET', 'foo{t}', 'BAR'], ['SET', 'bar{t}', 'FOO'], ['MGET', 'foo{t}', 'bar{t}']]);
  });

  it('MGET against non existing key', async () => {
    await same([['SET', 'foo{t}', 'BAR'], ['SET', 'bar{t}', 'FOO'], ['MGET', 'foo{t}', 'baazz{t}', 'bar{t}']]);
  });

  it('MGET and MSET across shards, repeated keys, order kept', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `key:${i}`);
    const mset: Command = ['MSET'];
    for (const k of keys) mset.push(k, `v-${k}`);
    await same([mset, ['MGET', ...keys, 'missing', keys[3], keys[3]], ['MSET', 'key:1', 'a', 'key:1', 'b'], ['GET', 'key:1'], ['DBSIZE']]);
  });

  it('GETSET (set new value)', async () => {
    await same([['GETSET', 'foo', 'xyz'], ['GET', 'foo']]);
  });

  it('GETSET (replace old value)', async () => {
    await same([['SET', 'foo', 'bar'], ['GETSET', 'foo', 'xyz'], ['GET', 'foo']]);
  });

  it('GETSET clears the TTL', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['GETSET', 'foo', 'xyz'], ['TTL', 'foo']], ttlSign);
  });

  it('MSET base case', async () => {
    await same([['MSET', 'x{t}', '10', 'y{t}', 'foo bar', 'z{t}', 'x x x x x x x\n\n\r\n'], ['MGET', 'x{t}', 'y{t}', 'z{t}']]);
  });

  it('MSET/MSETNX wrong number of args', async () => {
    await same([['MSET', 'x{t}', '10', 'y{t}', 'foo bar', 'z{t}'], ['EXISTS', 'x{t}', 'y{t}', 'z{t}']]);
    await reply(['MSET', 'x{t}', '10', 'y{t}'], "-ERR wrong number of arguments for 'mset' command\r\n");
  });

  it('MSET with a missing value across shards sets nothing', async () => {
    await same([['MSET', 'a', '1', 'b', '2', 'c'], ['MGET', 'a', 'b', 'c']]);
  });

  it('OBJECT ENCODING and REFCOUNT follow how a string was produced', async () => {
    await same([
      ['SET', 'k', '1'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'],
      ['APPEND', 'k', '2'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'],
      ['SET', 'f', '1'], ['INCRBYFLOAT', 'f', '4999'], ['OBJECT', 'ENCODING', 'f'], ['OBJECT', 'REFCOUNT', 'f'],
      ['SET', 'r', 'abc'], ['SETRANGE', 'r', '0', '12'], ['OBJECT', 'ENCODING', 'r'],
      ['SETRANGE', 'n', '0', '12'], ['OBJECT', 'ENCODING', 'n'],
      ['SET', 'i{x}', '100'], ['COPY', 'i{x}', 'j{x}'], ['OBJECT', 'ENCODING', 'j{x}'], ['OBJECT', 'REFCOUNT', 'j{x}'],
      ['INCR', 'i{x}'], ['OBJECT', 'REFCOUNT', 'i{x}'], ['INCRBY', 'i{x}', '10000'], ['OBJECT', 'REFCOUNT', 'i{x}'],
      ['APPEND', 'new', '5'], ['OBJECT', 'ENCODING', 'new'], ['APPEND', 'new', '5'], ['OBJECT', 'ENCODING', 'new'],
      ['SET', 'long', 'x'.repeat(45)], ['OBJECT', 'ENCODING', 'long'], ['SET', 'e', 'x'.repeat(44)], ['OBJECT', 'ENCODING', 'e'],
      ['RENAME', 'k', 'k2'], ['OBJECT', 'ENCODING', 'k2'], ['SET', 'k2', '7'], ['OBJECT', 'ENCODING', 'k2'],
    ].map((c) => c.map(String)));
  });

  it('MSET clears TTLs', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['MSET', 'foo', 'x'], ['TTL', 'foo']], ttlSign);
  });

  it('STRLEN against non-existing key', async () => {
    await reply(['STRLEN', 'notakey'], ':0\r\n');
  });

  it('STRLEN against integer-encoded value', async () => {
    await same([['SET', 'myinteger', '-555'], ['STRLEN', 'myinteger']]);
  });

  it('STRLEN against plain string', async () => {
    await same([['SET', 'mystring', 'foozzz0123456789 baz'], ['STRLEN', 'mystring']]);
  });

  it('SETRANGE against non-existing key', async () => {
    await same([
      ['SETRANGE', 'mykey', '0', 'foo'],
      ['GET', 'mykey'],
      ['DEL', 'mykey'],
      ['SETRANGE', 'mykey', '0', ''],
      ['EXISTS', 'mykey'],
      ['DEL', 'mykey'],
      ['SETRANGE', 'mykey', '1', 'foo'],
      ['GET', 'mykey'],
    ]);
  });

  it('SETRANGE against string-encoded key', async () => {
    await same([
      ['SET', 'mykey', 'foo'],
      ['SETRANGE', 'mykey', '0', 'b'],
      ['GET', 'mykey'],
      ['SET', 'mykey', 'foo'],
      ['SETRANGE', 'mykey', '0', ''],
      ['GET', 'mykey'],
      ['SET', 'mykey', 'foo'],
      ['SETRANGE', 'mykey', '1', 'b'],
      ['GET', 'mykey'],
      ['SET', 'mykey', 'foo'],
      ['SETRANGE', 'mykey', '4', 'bar'],
      ['GET', 'mykey'],
    ]);
  });

  it('SETRANGE against integer-encoded key', async () => {
    await same([
      ['SET', 'mykey', '1234'],
      ['OBJECT', 'ENCODING', 'mykey'],
      ['SETRANGE', 'mykey', '0', '2'],
      ['GET', 'mykey'],
      ['SET', 'mykey', '1234'],
      ['SETRANGE', 'mykey', '0', ''],
      ['GET', 'mykey'],
      ['SET', 'mykey', '1234'],
      ['SETRANGE', 'mykey', '1', '3'],
      ['GET', 'mykey'],
      ['SET', 'mykey', '1234'],
      ['SETRANGE', 'mykey', '5', '2'],
      ['GET', 'mykey'],
    ]);
  });

  it('SETRANGE with out of range offset', async () => {
    const huge = String(512 * 1024 * 1024 - 4);
    await same([
      ['SETRANGE', 'mykey', huge, 'world'],
      ['SET', 'mykey', 'hello'],
      ['SETRANGE', 'mykey', '-1', 'world'],
      ['SETRANGE', 'mykey', huge, 'world'],
      // Checked in this order: the offset, the type, an empty value, the size.
      ['SETRANGE', 'mykey', 'abc', ''],
      ['SETRANGE', 'mykey', '-1', ''],
      ['SETRANGE', 'mykey', huge, ''],
      ['SETRANGE', 'nokey', huge, ''],
      ['EXISTS', 'nokey'],
      ['GET', 'mykey'],
    ]);
  });

  it('SETRANGE with huge offset', async () => {
    await same([
      ['SETRANGE', 'K', '9223372036854775807', 'A'],
      ['SETRANGE', 'K', '2147483647', 'A'],
      ['SETRANGE', 'K', '9223372036854775808', 'A'],
    ]);
  });

  it('SETRANGE past the longest V8 string is refused (shardis only: Redis would allocate 512 MiB)', async () => {
    // 536870880 + 10 bytes fit in proto-max-bulk-len (512 MiB) but not in a V8 string (2^29 - 24).
    const r = await pair.ours.call('SETRANGE', 'k', '536870880', '0123456789');
    expect(r.toString('latin1')).toBe('-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
    await same([['EXISTS', 'k']]);
  });

  it('SETRANGE keeps the TTL of an existing key', async () => {
    await same([['SET', 'k', 'hello', 'EX', '100'], ['SETRANGE', 'k', '1', 'a'], ['TTL', 'k'], ['APPEND', 'k', '!'], ['TTL', 'k']], ttlSign);
  });

  it('GETRANGE against non-existing key', async () => {
    await reply(['GETRANGE', 'mykey', '0', '-1'], '$0\r\n\r\n');
  });

  it('GETRANGE against string value', async () => {
    await same([
      ['SET', 'mykey', 'Hello World'],
      ['GETRANGE', 'mykey', '0', '3'],
      ['GETRANGE', 'mykey', '0', '-1'],
      ['GETRANGE', 'mykey', '-4', '-1'],
      ['GETRANGE', 'mykey', '5', '3'],
      ['GETRANGE', 'mykey', '5', '5000'],
      ['GETRANGE', 'mykey', '-5000', '10000'],
    ]);
  });

  it('GETRANGE against integer-encoded value', async () => {
    await same([
      ['SET', 'mykey', '1234'],
      ['GETRANGE', 'mykey', '0', '2'],
      ['GETRANGE', 'mykey', '0', '-1'],
      ['GETRANGE', 'mykey', '-3', '-1'],
      ['GETRANGE', 'mykey', '5', '3'],
      ['GETRANGE', 'mykey', '3', '5000'],
      ['GETRANGE', 'mykey', '-5000', '10000'],
    ]);
  });

  it('GETRANGE fuzzing', async () => {
    const rnd = prng(1844 + shards);
    const cmds: Command[] = [];
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rnd() * 1025);
      let bin = '';
      for (let j = 0; j < len; j++) bin += String.fromCharCode(Math.floor(rnd() * 256));
      cmds.push(['SET', 'bin', bin]);
      const start = Math.floor(rnd() * 3000) - 1500;
      const end = Math.floor(rnd() * 3000) - 1500;
      cmds.push(['GETRANGE', 'bin', String(start), String(end)], ['SUBSTR', 'bin', String(end), String(start)]);
    }
    await same(cmds);
  });

  it('GETRANGE with huge ranges, Github issue #1844', async () => {
    await same([
      ['SET', 'foo', 'bar'],
      ['GETRANGE', 'foo', '0', '4294967297'],
      ['GETRANGE', 'foo', '-9223372036854775808', '9223372036854775807'],
      ['GETRANGE', 'foo', '9223372036854775807', '-9223372036854775808'],
      // Two negatives that are the same double but not the same integer.
      ['GETRANGE', 'foo', '-4611686018427387903', '-4611686018427387904'],
      ['GETRANGE', 'foo', '-4611686018427387904', '-4611686018427387903'],
      ['GETRANGE', 'foo', '0', '9223372036854775808'],
      ['GETRANGE', 'foo', 'x', '1'],
      ['GETRANGE', 'foo', '1', 'x'],
      ['GETRANGE', 'nokey', 'x', '1'],
    ]);
  });

  it('Extended SET can detect syntax errors', async () => {
    await reply(['SET', 'foo', 'bar', 'non-existing-option'], '-ERR syntax error\r\n');
  });

  it('Extended SET NX option', async () => {
    await same([['SET', 'foo', '1', 'nx'], ['SET', 'foo', '2', 'nx'], ['GET', 'foo']]);
  });

  it('Extended SET XX option', async () => {
    await same([['SET', 'foo', '1', 'xx'], ['SET', 'foo', 'bar'], ['SET', 'foo', '2', 'xx'], ['GET', 'foo']]);
  });

  it('Extended SET GET option', async () => {
    await same([['SET', 'foo', 'bar'], ['SET', 'foo', 'bar2', 'GET'], ['GET', 'foo']]);
  });

  it('Extended SET GET option with no previous value', async () => {
    await same([['SET', 'foo', 'bar', 'GET'], ['GET', 'foo']]);
  });

  it('Extended SET GET option with XX', async () => {
    await same([['SET', 'foo', 'bar'], ['SET', 'foo', 'baz', 'GET', 'XX'], ['GET', 'foo']]);
  });

  it('Extended SET GET option with XX and no previous value', async () => {
    await same([['SET', 'foo', 'bar', 'GET', 'XX'], ['GET', 'foo']]);
  });

  it('Extended SET GET option with NX', async () => {
    await same([['SET', 'foo', 'bar', 'GET', 'NX'], ['GET', 'foo']]);
  });

  it('Extended SET GET option with NX and previous value', async () => {
    await same([['SET', 'foo', 'bar'], ['SET', 'foo', 'baz', 'GET', 'NX'], ['GET', 'foo']]);
  });

  it('Extended SET EX option', async () => {
    await same([['SET', 'foo', 'bar', 'ex', '10'], ['TTL', 'foo']], ttlSign);
  });

  it('Extended SET PX option', async () => {
    await same([['SET', 'foo', 'bar', 'px', '10000'], ['TTL', 'foo']], ttlSign);
  });

  it('Extended SET EXAT option', async () => {
    const at = String(Math.floor(Date.now() / 1000) + 10);
    await same([['SET', 'foo', 'bar', 'exat', at], ['TTL', 'foo']], ttlSign);
  });

  it('Extended SET PXAT option', async () => {
    const at = String(Date.now() + 10000);
    await same([['SET', 'foo', 'bar', 'pxat', at], ['TTL', 'foo']], ttlSign);
  });

  it('Extended SET using multiple options at once', async () => {
    await same([['SET', 'foo', 'val'], ['SET', 'foo', 'bar', 'xx', 'px', '10000'], ['TTL', 'foo']], ttlSign);
  });

  it('Extended SET: conflicting options, missing arguments and which error wins', async () => {
    const conflicts: Command[] = [
      ['NX', 'XX'],
      ['XX', 'NX'],
      ['EX', '10', 'PX', '100'],
      ['PX', '100', 'EX', '10'],
      ['EX', '10', 'EXAT', '99999999999'],
      ['PXAT', '99999999999999', 'PX', '100'],
      ['KEEPTTL', 'EX', '10'],
      ['EX', '10', 'KEEPTTL'],
      ['PERSIST'],
      ['EX'],
      ['EX', '10', 'PX'],
      ['GET', 'GET', 'NX', 'NX', 'KEEPTTL', 'KEEPTTL'],
      ['EX', '10', 'EX', '20'],
      ['ex', 'abc'],
      ['ex', '0'],
      ['ex', '-1'],
      ['px', '0'],
      ['exat', '0'],
      ['pxat', '-1'],
      ['ex', '9223372036854775'],
      ['ex', '9223372036854774'],
      ['px', '9223372036854775807'],
      ['ex', '10.5'],
      ['ex', ' 10'],
      ['ex', '+10'],
      ['ex', '010'],
      // All options are parsed before the time is checked, and the time before GET and NX/XX.
      ['ex', 'abc', 'bogus'],
      ['ex', 'abc', 'GET', 'NX'],
      ['nx\0junk'],
      ['Nx', 'gEt', 'kEePtTl'],
      ['keepttl\0x'],
      ['get\0'],
    ];
    const cmds: Command[] = [['SET', 'foo', 'old', 'EX', '100']];
    for (const opts of conflicts) cmds.push(['SET', 'foo', 'new', ...opts], ['GET', 'foo'], ['TTL', 'foo']);
    await same(cmds, ttlSign);
  });

  it('Extended SET KEEPTTL keeps the TTL, a plain SET drops it', async () => {
    await same(
      [
        ['SET', 'foo', 'bar', 'EX', '100'],
        ['SET', 'foo', 'baz', 'KEEPTTL'],
        ['TTL', 'foo'],
        ['SET', 'foo', 'qux', 'KEEPTTL', 'GET'],
        ['TTL', 'foo'],
        ['SET', 'foo', 'bar'],
        ['TTL', 'foo'],
        ['SET', 'gone', 'x', 'PXAT', '1'],
        ['GET', 'gone'],
        ['SET', 'far', 'x', 'PXAT', '9223372036854775807'],
        ['TTL', 'far'],
        ['SET', 'far', 'x', 'EXAT', '9223372036854775'],
        ['TTL', 'far'],
      ],
      ttlSign,
    );
  });

  it('LCS basic', async () => {
    await same([['SET', 'virus1{t}', RNA1], ['SET', 'virus2{t}', RNA2], ['LCS', 'virus1{t}', 'virus2{t}']]);
    await reply(['LCS', 'virus1{t}', 'virus2{t}'], `$${RNALCS.length}\r\n${RNALCS}\r\n`);
  });

  it('LCS len', async () => {
    await same([['SET', 'virus1{t}', RNA1], ['SET', 'virus2{t}', RNA2], ['LCS', 'virus1{t}', 'virus2{t}', 'LEN']]);
  });

  it('LCS indexes', async () => {
    await same([['SET', 'virus1{t}', RNA1], ['SET', 'virus2{t}', RNA2], ['LCS', 'virus1{t}', 'virus2{t}', 'IDX']]);
  });

  it('LCS indexes with match len', async () => {
    await same([['SET', 'virus1{t}', RNA1], ['SET', 'virus2{t}', RNA2], ['LCS', 'virus1{t}', 'virus2{t}', 'IDX', 'WITHMATCHLEN']]);
  });

  it('LCS indexes with match len and minimum match len', async () => {
    await same([
      ['SET', 'virus1{t}', RNA1],
      ['SET', 'virus2{t}', RNA2],
      ['LCS', 'virus1{t}', 'virus2{t}', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '5'],
    ]);
    await reply(
      ['LCS', 'virus1{t}', 'virus2{t}', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '5'],
      '*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:1\r\n:222\r\n*2\r\n:13\r\n:234\r\n:222\r\n$3\r\nlen\r\n:227\r\n',
    );
  });

  it('LCS options, errors and their order', async () => {
    await same([
      ['SET', 'a{t}', 'ohmytext'],
      ['SET', 'b{t}', 'mynewtext'],
      ['LCS', 'a{t}', 'b{t}', 'LEN', 'IDX'],
      ['LCS', 'a{t}', 'b{t}', 'IDX', 'LEN'],
      ['LCS', 'a{t}', 'b{t}', 'bogus'],
      // Syntax is checked before LEN+IDX.
      ['LCS', 'a{t}', 'b{t}', 'LEN', 'IDX', 'bogus'],
      ['LCS', 'a{t}', 'b{t}', 'MINMATCHLEN'],
      ['LCS', 'a{t}', 'b{t}', 'MINMATCHLEN', 'x'],
      ['LCS', 'a{t}', 'b{t}', 'MINMATCHLEN', 'x', 'LEN', 'IDX'],
      ['LCS', 'a{t}', 'b{t}', 'IDX', 'MINMATCHLEN', '-5'],
      ['LCS', 'a{t}', 'b{t}', 'IDX', 'MINMATCHLEN', '3'],
      ['LCS', 'a{t}', 'b{t}', 'IDX', 'MINMATCHLEN', '9223372036854775807'],
      ['LCS', 'a{t}', 'b{t}', 'LEN', 'MINMATCHLEN', '3', 'WITHMATCHLEN'],
      ['LCS', 'a{t}', 'b{t}', 'WITHMATCHLEN'],
      ['LCS', 'a{t}', 'b{t}', 'idx', 'idx', 'withmatchlen'],
      ['LCS', 'a{t}', 'a{t}', 'IDX', 'WITHMATCHLEN'],
      ['LCS', 'a{t}', 'missing{t}'],
      ['LCS', 'missing{t}', 'a{t}', 'IDX'],
      ['LCS', 'missing{t}', 'missing2{t}', 'LEN'],
    ]);
  });

  it('LCS on random strings matches Redis, with every option', async () => {
    const rnd = prng(7 + shards);
    const cmds: Command[] = [];
    for (let i = 0; i < 60; i++) {
      const alphabet = 2 + Math.floor(rnd() * 4);
      const word = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(rnd() * alphabet))).join('');
      cmds.push(['SET', 'x{t}', word(Math.floor(rnd() * 40))], ['SET', 'y{t}', word(Math.floor(rnd() * 40))]);
      cmds.push(['LCS', 'x{t}', 'y{t}'], ['LCS', 'x{t}', 'y{t}', 'LEN'], ['LCS', 'x{t}', 'y{t}', 'IDX', 'WITHMATCHLEN']);
      cmds.push(['LCS', 'y{t}', 'x{t}', 'IDX', 'MINMATCHLEN', String(Math.floor(rnd() * 4))]);
    }
    await same(cmds);
  });

  it('LCS table beyond proto-max-bulk-len is refused', async () => {
    await setProtoMaxBulkLen('1048576');
    try {
      // A (511+1)·(510+1) table of 4-byte lengths fits in 1 MiB, a (512+1)·(511+1) one does not.
      await same([
        ['SET', 'a{t}', 'x'.repeat(510)],
        ['SET', 'b{t}', 'y'.repeat(511)],
        ['LCS', 'a{t}', 'b{t}', 'LEN'],
        ['SET', 'a{t}', 'x'.repeat(512)],
        ['LCS', 'a{t}', 'b{t}', 'LEN'],
        ['LCS', 'a{t}', 'b{t}', 'LEN', 'IDX'],
      ]);
      await reply(['LCS', 'a{t}', 'b{t}'], '-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n');
    } finally {
      await setProtoMaxBulkLen('536870912');
    }
  });

  it('APPEND and SETRANGE beyond proto-max-bulk-len are refused', async () => {
    await setProtoMaxBulkLen('1048576');
    try {
      await same([
        ['SETRANGE', 'k', '1048575', 'x'],
        ['STRLEN', 'k'],
        ['SETRANGE', 'k', '1048575', 'xy'],
        ['APPEND', 'k', 'y'],
        ['APPEND', 'k', ''],
        ['SETRANGE', 'k', '1048576', ''],
        ['STRLEN', 'k'],
        ['SETRANGE', 'new', '1048576', 'x'],
        ['EXISTS', 'new'],
      ]);
    } finally {
      await setProtoMaxBulkLen('536870912');
    }
  });

  it('APPEND basics', async () => {
    await same([['APPEND', 'foo', 'bar'], ['APPEND', 'foo', '100'], ['GET', 'foo'], ['APPEND', 'n', '1'], ['APPEND', 'n', '2'], ['INCR', 'n'], ['APPEND', 'n', '']]);
  });

  it('LCS and GET in RESP3', async () => {
    await pair.both(['HELLO', '3']);
    try {
      await same([
        ['SET', 'a{t}', 'ohmytext'],
        ['SET', 'b{t}', 'mynewtext'],
        ['MSET', 'c{t}', 'ohmytext', 'd{t}', 'mynewtext'],
        ['LCS', 'a{t}', 'b{t}', 'IDX', 'WITHMATCHLEN'],
        ['LCS', 'a{t}', 'b{t}', 'LEN'],
        ['GET', 'missing'],
        ['MGET', 'a{t}', 'missing{t}'],
        ['SET', 'a{t}', 'x', 'GET', 'XX'],
        ['SET', 'zz', 'x', 'NX', 'GET'],
        ['SET', 'zz', 'x', 'XX'],
        ['SET', 'zz', 'x', 'NX'],
        ['GETEX', 'missing'],
        ['GETDEL', 'missing'],
        ['GETSET', 'missing', 'v'],
      ]);
      await reply(['LCS', 'c{t}', 'd{t}', 'IDX', 'MINMATCHLEN', '4'], '%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n');
    } finally {
      await pair.both(['HELLO', '2']);
    }
  });
});

const RNA1 =
  'CACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTTCGTCCGGGTGTG';
const RNA2 =
  'ATTAAAGGTTTATACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT';
const RNALCS =
  'ACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT';
