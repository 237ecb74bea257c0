/**
 * Hash commands, differential: focused cases that the property test
 * (hash-property.test.ts) reaches rarely or cannot compare exactly: error
 * texts and their order, encoding conversions at the thresholds, long
 * doubles, HSCAN on a large hashtable, listpack order, and RESP3 shapes.
 * Random picks: hash-random.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DiffPair, type Command } from '../../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('hash: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
    await pair.both(['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64']);
  });

  async function same(cmds: Command[]): Promise<void> {
    expect(await pair.mismatch(cmds)).toBeNull();
  }
  const reply = (cmd: Command, expected: string) => pair.expectReply(cmd, expected);
  const hsetMany = (key: string, from: number, to: number, value = 'v'): Command => {
    const cmd = ['HSET', key];
    for (let i = from; i < to; i++) cmd.push(`f${i}`, value);
    return cmd;
  };

  it('HSET/HGET/HMGET/HGETALL/HKEYS/HVALS in insertion order on a listpack, binary safe', async () => {
    await reply(['HSET', 'h', 'b', '2', 'a', '1', '\0\r\n', '\xff\x00', 'b', '3'], ':3\r\n');
    await reply(['HGETALL', 'h'], '*6\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n1\r\n$3\r\n\0\r\n\r\n$2\r\n\xff\x00\r\n');
    await same([['HKEYS', 'h'], ['HVALS', 'h'], ['HGET', 'h', '\0\r\n'], ['HMGET', 'h', 'a', 'zz', 'b'], ['HMGET', 'nokey', 'a'], ['HLEN', 'h']]);
    await reply(['HMSET', 'h', 'c', '4'], '+OK\r\n');
    await reply(['HSETNX', 'h', 'c', '5'], ':0\r\n');
    await reply(['HSETNX', 'h', 'd', '5'], ':1\r\n');
    await same([['HGETALL', 'h'], ['HSTRLEN', 'h', 'd'], ['HSTRLEN', 'h', 'zz'], ['HSTRLEN', 'nokey', 'a'], ['HEXISTS', 'h', 'd'], ['HEXISTS', 'h', 'zz']]);
  });

  it('HDEL counts removed fields and removes the key with its last field', async () => {
    await same([['HSET', 'h', 'a', '1', 'b', '2'], ['HDEL', 'h', 'a', 'a', 'zz'], ['EXISTS', 'h'], ['HDEL', 'h', 'b', 'b'], ['EXISTS', 'h'], ['HDEL', 'h', 'b']]);
    await reply(['HDEL', 'nokey', 'x'], ':0\r\n');
  });

  it('replies for missing keys, RESP2 and RESP3', async () => {
    const cmds: Command[] = [
      ['HGET', 'no', 'f'], ['HMGET', 'no', 'f', 'g'], ['HGETALL', 'no'], ['HKEYS', 'no'], ['HVALS', 'no'], ['HLEN', 'no'],
      ['HRANDFIELD', 'no'], ['HRANDFIELD', 'no', '3'], ['HRANDFIELD', 'no', '-3', 'WITHVALUES'], ['HSCAN', 'no', '0'], ['HSCAN', 'no', '0', 'bogus'],
    ];
    await same(cmds);
    await pair.both(['HELLO', '3']);
    try {
      await reply(['HGETALL', 'no'], '%0\r\n');
      await reply(['HGET', 'no', 'f'], '_\r\n');
      await same(cmds);
    } finally {
      await pair.both(['HELLO', '2']);
    }
  });

  it('HGETALL is a map in RESP3, HRANDFIELD WITHVALUES an array of pairs', async () => {
    await pair.both(['HSET', 'h', 'a', '1', 'b', '2']);
    await pair.both(['HELLO', '3']);
    try {
      await reply(['HGETALL', 'h'], '%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
      await reply(['HRANDFIELD', 'h', '5', 'WITHVALUES'], '*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
      await reply(['HSCAN', 'h', '0'], '*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    } finally {
      await pair.both(['HELLO', '2']);
    }
    await reply(['HRANDFIELD', 'h', '2', 'WITHVALUES'], '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
  });

  it('WRONGTYPE from every hash command on a string key', async () => {
    await pair.both(['SET', 's', 'x']);
    const wrong = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
    for (const cmd of [
      ['HSET', 's', 'f', 'v'], ['HMSET', 's', 'f', 'v'], ['HSETNX', 's', 'f', 'v'], ['HGET', 's', 'f'], ['HMGET', 's', 'f'], ['HDEL', 's', 'f'],
      ['HLEN', 's'], ['HSTRLEN', 's', 'f'], ['HEXISTS', 's', 'f'], ['HKEYS', 's'], ['HVALS', 's'], ['HGETALL', 's'], ['HINCRBY', 's', 'f', '1'],
      ['HINCRBYFLOAT', 's', 'f', '1'], ['HRANDFIELD', 's'], ['HRANDFIELD', 's', '0'], ['HRANDFIELD', 's', '2', 'WITHVALUES'], ['HSCAN', 's', '0'],
    ]) await reply(cmd, wrong);
  });

  it('errors: which one wins, with the exact texts', async () => {
    await pair.both(['SET', 's', 'x']);
    await pair.both(['HSET', 'h', 'n', 'abc', 'big', '9223372036854775807', 'small', '-9223372036854775808', 'inf', 'inf']);
    // Arity: HSET's odd pair count is checked before the type.
    await reply(['HSET', 's', 'f', 'v', 'g'], "-ERR wrong number of arguments for 'hset' command\r\n");
    await reply(['HMSET', 's', 'f', 'v', 'g'], "-ERR wrong number of arguments for 'hmset' command\r\n");
    // HINCRBY: the increment first, then the type, then the stored value.
    await reply(['HINCRBY', 's', 'f', 'x'], '-ERR value is not an integer or out of range\r\n');
    await reply(['HINCRBY', 'h', 'n', '1'], '-ERR hash value is not an integer\r\n');
    await reply(['HINCRBY', 'h', 'big', '1'], '-ERR increment or decrement would overflow\r\n');
    await reply(['HINCRBY', 'h', 'small', '-1'], '-ERR increment or decrement would overflow\r\n');
    await reply(['HINCRBY', 'h', 'big', '-9223372036854775808'], ':-1\r\n');
    // HINCRBYFLOAT: increment not a float, NaN/inf increment, stored value not a float, inf result.
    await reply(['HINCRBYFLOAT', 's', 'f', 'x'], '-ERR value is not a valid float\r\n');
    await reply(['HINCRBYFLOAT', 's', 'f', 'inf'], '-ERR value is NaN or Infinity\r\n');
    await reply(['HINCRBYFLOAT', 'h', 'f', 'nan'], '-ERR value is not a valid float\r\n');
    await reply(['HINCRBYFLOAT', 'h', 'n', '1'], '-ERR hash value is not a float\r\n');
    await reply(['HINCRBYFLOAT', 'h', 'inf', '1'], '-ERR increment would produce NaN or Infinity\r\n');
    await reply(['HINCRBYFLOAT', 'h', 'x', '1e5000'], '-ERR value is not a valid float\r\n');
    // HRANDFIELD: the count, then the syntax, then the WITHVALUES range, then the key.
    await reply(['HRANDFIELD', 's', 'x'], '-ERR value is not an integer or out of range\r\n');
    await reply(['HRANDFIELD', 's', '-9223372036854775808'], '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n');
    await reply(['HRANDFIELD', 's', '1', 'WITHVALUE'], '-ERR syntax error\r\n');
    await reply(['HRANDFIELD', 's', '1', 'WITHVALUES', 'x'], '-ERR syntax error\r\n');
    await reply(['HRANDFIELD', 's', '4611686018427387904', 'WITHVALUES'], '-ERR value is out of range\r\n');
    await reply(['HRANDFIELD', 'h', '-4611686018427387904', 'withvalues'], '-ERR value is out of range\r\n');
    // HSCAN: the cursor, then the key, then the options.
    await reply(['HSCAN', 's', 'x'], '-ERR invalid cursor\r\n');
    await reply(['HSCAN', 's', ' 0'], '-ERR invalid cursor\r\n');
    await reply(['HSCAN', 'h', '0', 'COUNT', '0'], '-ERR syntax error\r\n');
    await reply(['HSCAN', 'h', '0', 'COUNT', 'x'], '-ERR value is not an integer or out of range\r\n');
    await reply(['HSCAN', 'h', '0', 'TYPE', 'hash'], '-ERR syntax error\r\n');
    await reply(['HSCAN', 'h', '0', 'MATCH'], '-ERR syntax error\r\n');
    await reply(['HSCAN', 'nokey', '0', 'bogus'], '*2\r\n$1\r\n0\r\n*0\r\n');
    await same([['HSCAN', 'h', '-1'], ['HSCAN', 'h', ''], ['HSCAN', 'h', '+0'], ['HSCAN', 'h', '18446744073709551615'], ['HSCAN', 'h', '18446744073709551616']]);
  });

  it('HINCRBY and HINCRBYFLOAT create the key and field, and format long doubles as Redis', async () => {
    await same([
      ['HINCRBY', 'h', 'i', '5'], ['HINCRBY', 'h', 'i', '-10'], ['HGET', 'h', 'i'], ['HINCRBY', 'h', 'i', '9223372036854775807'],
      ['HINCRBYFLOAT', 'h', 'f', '0.1'], ['HINCRBYFLOAT', 'h', 'f', '0.2'], ['HINCRBYFLOAT', 'h', 'f', '-0.3'], ['HGET', 'h', 'f'],
      ['HINCRBYFLOAT', 'h', 'i', '1.5'], ['HINCRBYFLOAT', 'h', 'e', '1e300'], ['HINCRBYFLOAT', 'h', 'e', '5.0e3'], ['HINCRBYFLOAT', 'h', 'h', '0x1p3'],
      ['HSTRLEN', 'h', 'e'], ['HMGET', 'h', 'i', 'f', 'e', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['HINCRBYFLOAT', 'h2', 'x', '1e4000'], ['OBJECT', 'ENCODING', 'h2'], ['HSTRLEN', 'h2', 'x'],
    ]);
  });

  it('listpack becomes hashtable past hash-max-listpack-entries (512), never back', async () => {
    await same([hsetMany('h', 0, 512), ['OBJECT', 'ENCODING', 'h'], ['HSET', 'h', 'f0', 'again'], ['OBJECT', 'ENCODING', 'h']]);
    await reply(['HSET', 'h', 'f512', 'v'], ':1\r\n');
    await reply(['OBJECT', 'ENCODING', 'h'], '$9\r\nhashtable\r\n');
    await reply(['HDEL', 'h', 'f512', 'f511', 'f1'], ':3\r\n');
    await reply(['OBJECT', 'ENCODING', 'h'], '$9\r\nhashtable\r\n');
    // One command adding past the limit.
    await same([hsetMany('h2', 0, 513), ['OBJECT', 'ENCODING', 'h2'], ['HLEN', 'h2']]);
  });

  it('listpack becomes hashtable for a field or value past hash-max-listpack-value (64)', async () => {
    const v64 = 'v'.repeat(64);
    const v65 = 'v'.repeat(65);
    await same([
      ['HSET', 'a', 'f', v64, 'g'.repeat(64), 'x'], ['OBJECT', 'ENCODING', 'a'],
      ['HSET', 'b', 'f', v65], ['OBJECT', 'ENCODING', 'b'],
      ['HSET', 'c', 'g'.repeat(65), '1'], ['OBJECT', 'ENCODING', 'c'],
      // HSETNX converts only when it sets; on an existing field nothing changes.
      ['HSET', 'd', 'f', '1'], ['HSETNX', 'd', 'f', v65], ['OBJECT', 'ENCODING', 'd'], ['HSETNX', 'd', 'g', v65], ['OBJECT', 'ENCODING', 'd'],
      // HSET checks every argument first, even for fields it only updates.
      ['HSET', 'e', 'f', '1'], ['HSET', 'e', 'f', '1', 'f', v65, 'f', '2'], ['OBJECT', 'ENCODING', 'e'], ['HGET', 'e', 'f'],
      // HINCRBY* convert on the field's length, or the new value's.
      ['HINCRBY', 'i', 'g'.repeat(65), '1'], ['OBJECT', 'ENCODING', 'i'],
      ['HINCRBYFLOAT', 'j', 'f', '1e70'], ['OBJECT', 'ENCODING', 'j'],
      ['HINCRBYFLOAT', 'k', 'f', '1e60'], ['OBJECT', 'ENCODING', 'k'],
    ]);
  });

  it('CONFIG SET of the thresholds (and the ziplist aliases) applies to the next write', async () => {
    await same([
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['OBJECT', 'ENCODING', 'h'],
      // An update converts too: hashTypeSet checks the length after every write.
      ['HSET', 'h', 'a', '9'], ['OBJECT', 'ENCODING', 'h'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', '0'], ['HSET', 'z', 'a', '1'], ['OBJECT', 'ENCODING', 'z'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-ziplist-value', '2'], ['HSET', 'y', 'ab', '12'], ['OBJECT', 'ENCODING', 'y'],
      ['HSET', 'y2', 'abc', '1'], ['OBJECT', 'ENCODING', 'y2'],
      ['CONFIG', 'SET', 'hash-max-listpack-value', '0'], ['HSET', 'e', '', ''], ['OBJECT', 'ENCODING', 'e'], ['HSET', 'e', 'x', ''], ['OBJECT', 'ENCODING', 'e'],
      ['CONFIG', 'GET', 'hash-max-listpack-entries'], ['CONFIG', 'GET', 'hash-max-listpack-value'],
    ]);
  });

  it('COPY keeps the encoding and the order', async () => {
    await same([
      ['HSET', '{c}a', 'z', '1', 'y', '2', 'x', '3'], ['COPY', '{c}a', '{c}b'], ['OBJECT', 'ENCODING', '{c}b'], ['HGETALL', '{c}b'],
      ['HSET', '{c}a', 'w', '4'], ['HLEN', '{c}b'], ['HSET', '{c}big', 'f', 'v'.repeat(100)], ['COPY', '{c}big', '{c}big2'], ['OBJECT', 'ENCODING', '{c}big2'],
      ['HGETALL', '{c}big2'],
    ]);
  });

  it('HSCAN on a listpack returns everything in one call with cursor 0, MATCH on fields, COUNT ignored', async () => {
    await pair.both(hsetMany('h', 0, 30));
    await same([
      ['HSCAN', 'h', '0'], ['HSCAN', 'h', '0', 'COUNT', '1'], ['HSCAN', 'h', '0', 'MATCH', 'f1*'], ['HSCAN', 'h', '0', 'MATCH', 'v*'],
      ['HSCAN', 'h', '0', 'match', '*', 'count', '2'], ['HSCAN', 'h', '123'], ['HSCAN', 'h', '0', 'MATCH', 'f[12]', 'MATCH', 'f2?'],
    ]);
  });

  it('HSCAN on a large hashtable returns every field present throughout at least once, with MATCH and COUNT', async () => {
    const n = 2000;
    for (let i = 0; i < n; i += 500) await pair.both(hsetMany('big', i, i + 500, 'x'));
    await reply(['OBJECT', 'ENCODING', 'big'], '$9\r\nhashtable\r\n');
    for (const server of [pair.ours, pair.theirs]) {
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      let added = 0;
      do {
        const r = (await server.call('HSCAN', 'big', cursor, 'COUNT', '37')).toString('latin1');
        const lines = r.split('\r\n');
        cursor = lines[2];
        // The pairs: $len, field, $len, value ...
        for (let i = 4; i + 3 < lines.length; i += 4) {
          expect(lines[i + 3]).toBe(lines[i + 1].startsWith('new') ? 'y' : 'x');
          seen.add(lines[i + 1]);
        }
        // Churn while iterating: delete fields f0.., add new ones.
        await server.call('HDEL', 'big', `f${calls}`);
        await server.call('HSET', 'big', `new${added++}`, 'y');
        calls++;
      } while (cursor !== '0' && calls < 10_000);
      expect(cursor).toBe('0');
      for (let i = calls; i < n; i++) expect(seen.has(`f${i}`)).toBe(true);
    }
    // MATCH keeps only matching fields, each with its value.
    for (const server of [pair.ours, pair.theirs]) {
      const fields: string[] = [];
      let cursor = '0';
      do {
        const lines = (await server.call('HSCAN', 'big', cursor, 'MATCH', 'f1?9', 'COUNT', '100')).toString('latin1').split('\r\n');
        cursor = lines[2];
        for (let i = 4; i + 3 < lines.length; i += 4) fields.push(lines[i + 1]);
      } while (cursor !== '0');
      expect(new Set(fields)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `f1${i}9`)));
    }
  });

  it('read commands count keyspace hits and misses, write commands do not', async () => {
    await pair.both(['HSET', 'h', 'a', '1']);
    await pair.both(['CONFIG', 'RESETSTAT']);
    const cmds: Command[] = [
      ['HGET', 'h', 'a'], ['HGET', 'x', 'a'], ['HMGET', 'h', 'a'], ['HMGET', 'x', 'a'], ['HLEN', 'h'], ['HEXISTS', 'x', 'a'], ['HSTRLEN', 'h', 'a'],
      ['HGETALL', 'h'], ['HKEYS', 'x'], ['HVALS', 'h'], ['HRANDFIELD', 'h'], ['HRANDFIELD', 'x', '2'], ['HSCAN', 'h', '0'], ['HSCAN', 'x', '0'],
      ['HSET', 'h', 'b', '2'], ['HDEL', 'x', 'a'], ['HINCRBY', 'h', 'c', '1'], ['HINCRBYFLOAT', 'y', 'c', '1'], ['HSETNX', 'h', 'd', '1'], ['HMSET', 'z', 'a', '1'],
    ];
    for (const cmd of cmds) await pair.both(cmd);
    const stats = async (c: typeof pair.ours) =>
      (await c.call('INFO', 'stats')).toString('latin1').split('\r\n').filter((l) => l.startsWith('keyspace_')).join(',');
    const theirs = await stats(pair.theirs);
    expect(theirs).toBe('keyspace_hits:8,keyspace_misses:6');
    expect(await stats(pair.ours)).toBe(theirs);
  });

  it('expired keys read as missing', async () => {
    await same([['HSET', 'h', 'a', '1'], ['PEXPIRE', 'h', '1']]);
    await new Promise((r) => setTimeout(r, 20));
    await same([['HGET', 'h', 'a'], ['HLEN', 'h'], ['HSET', 'h', 'b', '2'], ['HGETALL', 'h'], ['TTL', 'h']]);
  });
});
