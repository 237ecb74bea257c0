/**
 * INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT, differential against
 * redis-server 7.0.15 (raw replies byte for byte). Titles copied from Redis'
 * tests/unit/type/incr.tcl test the same behaviour; the rest pins the int64
 * limits, the order of errors and INCRBYFLOAT's long double arithmetic.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DiffPair, type Command } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('incr: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
  });

  async function same(cmds: Command[]): Promise<void> {
    expect(await pair.mismatch(cmds)).toBeNull();
  }

  const reply = (cmd: Command, expected: string) => pair.expectReply(cmd, expected);

  const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;

  it('INCR against non existing key', async () => {
    await same([['INCR', 'novar'], ['GET', 'novar']]);
  });

  it('INCR against key created by incr itself', async () => {
    await same([['INCR', 'novar'], ['INCR', 'novar']]);
    await reply(['INCR', 'novar'], ':3\r\n');
  });

  it('INCR against key originally set with SET', async () => {
    await same([['SET', 'novar', '100'], ['INCR', 'novar']]);
  });

  it('INCR over 32bit value', async () => {
    await same([['SET', 'novar', '17179869184'], ['INCR', 'novar']]);
  });

  it('INCRBY over 32bit value with over 32bit increment', async () => {
    await same([['SET', 'novar', '17179869184'], ['INCRBY', 'novar', '17179869184']]);
  });

  it('INCR fails against key with spaces (left)', async () => {
    await same([['SET', 'novar', '    11'], ['INCR', 'novar']]);
  });

  it('INCR fails against key with spaces (right)', async () => {
    await same([['SET', 'novar', '11    '], ['INCR', 'novar']]);
  });

  it('INCR fails against key with spaces (both)', async () => {
    await same([['SET', 'novar', '    11    '], ['INCR', 'novar']]);
  });

  it('DECRBY negation overflow', async () => {
    await same([['SET', 'x', '0'], ['DECRBY', 'x', '-9223372036854775808'], ['GET', 'x']]);
    await reply(['DECRBY', 'x', '-9223372036854775808'], '-ERR decrement would overflow\r\n');
  });

  it('DECRBY over 32bit value with over 32bit increment, negative res', async () => {
    await same([['SET', 'novar', '17179869184'], ['DECRBY', 'novar', '17179869185']]);
  });

  it('INCR and DECR at the int64 limits', async () => {
    await same([
      ['SET', 'n', '9223372036854775806'],
      ['INCR', 'n'],
      ['INCR', 'n'],
      ['GET', 'n'],
      ['SET', 'n', '-9223372036854775807'],
      ['DECR', 'n'],
      ['DECR', 'n'],
      ['GET', 'n'],
      ['INCRBY', 'n', '-1'],
      ['INCRBY', 'n', '9223372036854775807'],
      ['INCRBY', 'n', '9223372036854775807'],
      ['INCRBY', 'n', '1'],
      ['GET', 'n'],
      ['SET', 'm', '9007199254740991'],
      ['INCR', 'm'],
      ['INCR', 'm'],
      ['DECRBY', 'm', '-9223372036854775807'],
      ['DECRBY', 'm', '9223372036854775807'],
      ['DECRBY', 'm', '9223372036854775807'],
      ['GET', 'm'],
    ]);
    await reply(['SET', 'm', '9223372036854775800'], '+OK\r\n');
    await reply(['INCRBY', 'm', '6'], ':9223372036854775806\r\n');
    await reply(['INCR', 'm'], ':9223372036854775807\r\n');
    await reply(['INCR', 'm'], '-ERR increment or decrement would overflow\r\n');
  });

  it('INCR rejects what string2ll rejects', async () => {
    const values = ['', '+1', '-0', '01', '1.0', '1e3', '0x10', '9223372036854775808', '-9223372036854775809', '1\0', '１', '-', ' ', '18446744073709551616'];
    const cmds: Command[] = [];
    for (const v of values) cmds.push(['SET', 'n', v], ['INCR', 'n'], ['INCRBY', 'x', v], ['DECRBY', 'x', v], ['GET', 'n']);
    await same(cmds);
  });

  it('INCRBY checks its argument before the key', async () => {
    // An invalid increment is reported even when the key does not hold an integer.
    await same([['SET', 'k', 'abc'], ['INCRBY', 'k', 'x'], ['DECRBY', 'k', 'x'], ['INCRBY', 'k', '1'], ['DECRBY', 'k', '-9223372036854775808']]);
  });

  it('INCR keeps the TTL', async () => {
    const norm = (cmd: Command, r: Buffer) => (cmd[0] === 'TTL' && /^:\d/.test(r.toString('latin1')) ? ':positive' : r.toString('latin1'));
    expect(await pair.mismatch([['SET', 'n', '1', 'EX', '100'], ['INCR', 'n'], ['TTL', 'n'], ['INCRBYFLOAT', 'n', '1.5'], ['TTL', 'n']], norm)).toBeNull();
  });

  it('INCRBYFLOAT against non existing key', async () => {
    await same([['INCRBYFLOAT', 'novar', '1'], ['GET', 'novar'], ['INCRBYFLOAT', 'novar', '0.25'], ['GET', 'novar']]);
  });

  it('INCRBYFLOAT against key originally set with SET', async () => {
    await same([['SET', 'novar', '1.5'], ['INCRBYFLOAT', 'novar', '1.5']]);
  });

  it('INCRBYFLOAT over 32bit value', async () => {
    await same([['SET', 'novar', '17179869184'], ['INCRBYFLOAT', 'novar', '1.5']]);
  });

  it('INCRBYFLOAT over 32bit value with over 32bit increment', async () => {
    await same([['SET', 'novar', '17179869184'], ['INCRBYFLOAT', 'novar', '17179869184']]);
  });

  it('INCRBYFLOAT fails against key with spaces (left)', async () => {
    await same([['SET', 'novar', '    11'], ['INCRBYFLOAT', 'novar', '1.0']]);
  });

  it('INCRBYFLOAT fails against key with spaces (right)', async () => {
    await same([['SET', 'novar', '11    '], ['INCRBYFLOAT', 'novar', '1.0']]);
  });

  it('INCRBYFLOAT fails against key with spaces (both)', async () => {
    await same([['SET', 'novar', ' 11 '], ['INCRBYFLOAT', 'novar', '1.0']]);
  });

  it('INCRBYFLOAT does not allow NaN or Infinity', async () => {
    await same([['SET', 'foo', '0'], ['INCRBYFLOAT', 'foo', '+inf'], ['GET', 'foo']]);
    await reply(['INCRBYFLOAT', 'foo', '+inf'], '-ERR increment would produce NaN or Infinity\r\n');
  });

  it('INCRBYFLOAT decrement', async () => {
    await same([['SET', 'foo', '1'], ['INCRBYFLOAT', 'foo', '-1.1']]);
  });

  it('string to double with null terminator', async () => {
    await same([['SET', 'foo', '1'], ['SETRANGE', 'foo', '2', '2'], ['INCRBYFLOAT', 'foo', '1']]);
  });

  it('No negative zero', async () => {
    await same([['INCRBYFLOAT', 'foo', String(1 / 41)], ['INCRBYFLOAT', 'foo', String(-1 / 41)], ['GET', 'foo']]);
  });

  it('INCRBYFLOAT adds in long double and prints 17 decimals', async () => {
    await reply(['INCRBYFLOAT', 'f', '0.1'], bulk('0.1'));
    await reply(['INCRBYFLOAT', 'f', '0.2'], bulk('0.3'));
    await reply(['INCRBYFLOAT', 'g', '10.5'], bulk('10.5'));
    await reply(['INCRBYFLOAT', 'g', '0.1'], bulk('10.6'));
    await reply(['INCRBYFLOAT', 'h', '5.0e3'], bulk('5000'));
    await reply(['INCRBYFLOAT', 'h', '1.1'], bulk('5001.10000000000000009'));
    // 2^-18 ends in a 5 at the 18th decimal: printf rounds the tie to even.
    await reply(['INCRBYFLOAT', 'tie', '0.000003814697265625'], bulk('0.00000381469726562'));
  });

  it('INCRBYFLOAT: what string2ld accepts and refuses', async () => {
    const incrs = [
      '1', '-1', '+1', '.5', '5.', '1e3', '1E-3', '1e+3', '1.e5', '00012', '-0', '+0', '0x10', '0X1.8p1', '0x.8', '-0x1p-2',
      'inf', '-inf', 'Infinity', 'INF', 'nan', 'NaN', '-nan', '1e', '1e+', 'e5', '.', '', ' 1', '1 ', '\t1', '1\0', 'abc', '1,5', '1_0',
      '0x', '0x1p', '1e-4940', '1e-4951', '1e-5000', '-1e-5000', '0e-99999', '1e4932', '1e5000', '1.18973149535723176502e+4932',
      '123456789012345678901234567890', '0.000000000000000000001', '-0.000000000000000000001', '9223372036854775807', '-9223372036854775808',
      '0x1.0000000000000001p-16446', '0x1p-16445', '1' + '0'.repeat(5118), '1' + '0'.repeat(5119), '0'.repeat(5118) + '1',
    ];
    const cmds: Command[] = [];
    for (const incr of incrs) cmds.push(['INCRBYFLOAT', 'fresh', incr], ['DEL', 'fresh'], ['SET', 'f', '3'], ['INCRBYFLOAT', 'f', incr]);
    await same(cmds);
  });

  it('INCRBYFLOAT: stored values it can and cannot read', async () => {
    const stored = ['1.5', ' 1', '1 ', '+7', '-0', '0x10', 'inf', '-inf', 'nan', '', 'abc', '1e308', '1e4931', '1e5000', '3.0e3', '1\0'];
    const cmds: Command[] = [];
    for (const v of stored) cmds.push(['SET', 'k', v], ['INCRBYFLOAT', 'k', '1'], ['INCRBYFLOAT', 'k', 'bad'], ['GET', 'k']);
    await same(cmds);
  });

  it('INCRBYFLOAT: huge, tiny, cancelling and accumulating values', async () => {
    await same([
      ['INCRBYFLOAT', 'a', '1e4930'],
      ['INCRBYFLOAT', 'a', '1e4930'],
      ['INCRBYFLOAT', 'a', '1e4932'],
      ['INCRBYFLOAT', 'a', '-1e4932'],
      ['GET', 'a'],
      ['INCRBYFLOAT', 'b', '1.18973149535723176502e+4932'],
      ['INCRBYFLOAT', 'b', '1.18973149535723176502e+4932'],
      ['INCRBYFLOAT', 'b', '-1.18973149535723176502e+4932'],
      ['INCRBYFLOAT', 'c', '-1e-20'],
      ['INCRBYFLOAT', 'c', '1e-18'],
      ['INCRBYFLOAT', 'd', '18446744073709551617'],
      ['INCRBYFLOAT', 'd', '0.5'],
      ['INCRBYFLOAT', 'e', '9223372036854775807'],
      ['INCRBYFLOAT', 'e', '1'],
      ['INCR', 'e'],
    ]);
    const cmds: Command[] = [];
    for (let i = 0; i < 200; i++) cmds.push(['INCRBYFLOAT', 'acc', '0.1'], ['INCRBYFLOAT', 'dec', '-1.7e-3'], ['INCRBYFLOAT', 'mix', i % 2 ? '1e10' : '-3.3333333333333333']);
    await same(cmds);
  });

  it('INCRBYFLOAT on random decimals matches Redis', async () => {
    let seed = 41 + shards;
    const rnd = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const cmds: Command[] = [];
    for (let i = 0; i < 500; i++) {
      const digits = Math.floor(rnd() * 20) + 1;
      const mantissa = String(Math.floor(rnd() * 10 ** Math.min(digits, 15)));
      const point = Math.floor(rnd() * (mantissa.length + 1));
      let text = `${rnd() < 0.3 ? '-' : ''}${mantissa.slice(0, point)}.${mantissa.slice(point)}`;
      if (rnd() < 0.2) text += `e${Math.floor(rnd() * 40) - 20}`;
      cmds.push(['INCRBYFLOAT', `k${i % 7}`, text]);
    }
    await same(cmds);
  });
});
