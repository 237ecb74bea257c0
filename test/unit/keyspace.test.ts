/**
 * Generic key commands, differential: every command goes to shardis and to
 * redis-server 7.0.15 and the raw replies must be equal (KEYS replies
 * sorted, TTLs by sign). Titles copied from Redis' tests/unit/keyspace.tcl
 * test the same behaviour (MOVE, RANDOMKEY and the multi-DB cases are in
 * other.test.ts); the others cover error order, int64 edges, glob patterns
 * and keyspace hit/miss counting.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { DiffPair, normalize, type Command } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** KEYS replies sorted; TTL/PTTL as -2, -1 or "positive" (the servers' clocks run apart). */
function norm(cmd: Command, reply: Buffer): string {
  const name = cmd[0].toLowerCase();
  if (name === 'keys') return normalize.sortedArray(reply);
  const s = reply.toString('latin1');
  if ((name === 'ttl' || name === 'pttl') && s.startsWith(':') && !s.startsWith(':-')) return ':positive';
  return s;
}

/** Reads one INFO field as a number. */
async function infoField(client: RawClient, section: string, field: string): Promise<number> {
  const text = (await client.call('INFO', section)).toString('latin1');
  const m = new RegExp(`${field}:(\\d+)`).exec(text);
  if (m === null) throw new Error(`no ${field} in INFO ${section}`);
  return Number(m[1]);
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('keyspace: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
    await pair.both(['SELECT', '9']);
  });

  async function same(cmds: Command[]): Promise<void> {
    expect(await pair.mismatch(cmds, norm)).toBeNull();
  }

  const reply = (cmd: Command, expected: string) => pair.expectReply(cmd, expected);

  it('DEL against a single item', async () => {
    await same([['SET', 'x', 'foo'], ['GET', 'x'], ['DEL', 'x'], ['GET', 'x']]);
    await reply(['DEL', 'x'], ':0\r\n');
  });

  it('Vararg DEL', async () => {
    await same([['SET', 'foo1{t}', 'a'], ['SET', 'foo2{t}', 'b'], ['SET', 'foo3{t}', 'c']]);
    await reply(['DEL', 'foo1{t}', 'foo2{t}', 'foo3{t}', 'foo4{t}'], ':3\r\n');
    await reply(['MGET', 'foo1{t}', 'foo2{t}', 'foo3{t}'], '*3\r\n$-1\r\n$-1\r\n$-1\r\n');
  });

  it('Untagged multi-key commands', async () => {
    await same([['MSET', 'foo1', 'a', 'foo2', 'b', 'foo3', 'c'], ['MGET', 'foo1', 'foo2', 'foo3', 'foo4']]);
    await reply(['DEL', 'foo1', 'foo2', 'foo3', 'foo4'], ':3\r\n');
  });

  it('KEYS with pattern', async () => {
    await same(['key_x', 'key_y', 'key_z', 'foo_a', 'foo_b', 'foo_c'].map((k) => ['SET', k, 'hello']));
    const { ours, theirs } = await pair.both(['KEYS', 'foo*']);
    expect(normalize.sortedArray(Buffer.from(theirs, 'latin1'))).toBe('*3:$5\r\nfoo_a\r\n|$5\r\nfoo_b\r\n|$5\r\nfoo_c\r\n');
    expect(normalize.sortedArray(Buffer.from(ours, 'latin1'))).toBe(normalize.sortedArray(Buffer.from(theirs, 'latin1')));
  });

  it('KEYS to get all keys', async () => {
    await same([...['key_x', 'key_y', 'key_z', 'foo_a', 'foo_b', 'foo_c'].map((k) => ['SET', k, 'hello']), ['KEYS', '*']]);
  });

  it('DBSIZE', async () => {
    await same(['key_x', 'key_y', 'key_z', 'foo_a', 'foo_b', 'foo_c'].map((k) => ['SET', k, 'hello']));
    await reply(['DBSIZE'], ':6\r\n');
  });

  it('DEL all keys', async () => {
    const keys = ['key_x', 'key_y', 'key_z', 'foo_a', 'foo_b', 'foo_c'];
    await same([...keys.map((k) => ['SET', k, 'hello']), ...keys.map((k) => ['DEL', k])]);
    await reply(['DBSIZE'], ':0\r\n');
  });

  it('DEL against expired key', async () => {
    await same([['PSETEX', 'keyExpire', '50', 'valExpire']]);
    await sleep(120);
    await reply(['DEL', 'keyExpire'], ':0\r\n');
  });

  it('EXISTS', async () => {
    await same([['SET', 'newkey', 'test'], ['EXISTS', 'newkey'], ['DEL', 'newkey'], ['EXISTS', 'newkey']]);
  });

  it('Zero length value in key. SET/GET/EXISTS', async () => {
    await same([['SET', 'emptykey', ''], ['GET', 'emptykey'], ['EXISTS', 'emptykey'], ['DEL', 'emptykey'], ['EXISTS', 'emptykey']]);
  });

  it('Commands pipelining', async () => {
    const [a, b] = [pair.ours, pair.theirs];
    a.writeRaw('SET k1 xyzk\r\nGET k1\r\nPING\r\n');
    b.writeRaw('SET k1 xyzk\r\nGET k1\r\nPING\r\n');
    const [ours, theirs] = await Promise.all([a.read(3), b.read(3)]);
    expect(theirs.map(String)).toEqual(['+OK\r\n', '$4\r\nxyzk\r\n', '+PONG\r\n']);
    expect(ours.map(String)).toEqual(theirs.map(String));
  });

  it('Non existing command', async () => {
    await reply(['foobaredcommand'], "-ERR unknown command 'foobaredcommand', with args beginning with: \r\n");
  });

  it('RENAME basic usage', async () => {
    await same([['SET', 'mykey{t}', 'hello'], ['RENAME', 'mykey{t}', 'mykey1{t}'], ['RENAME', 'mykey1{t}', 'mykey2{t}']]);
    await reply(['GET', 'mykey2{t}'], '$5\r\nhello\r\n');
  });

  it('RENAME source key should no longer exist', async () => {
    await same([['SET', 'mykey{t}', 'hello'], ['RENAME', 'mykey{t}', 'mykey1{t}']]);
    await reply(['EXISTS', 'mykey{t}'], ':0\r\n');
  });

  it('RENAME against already existing key', async () => {
    await same([['SET', 'mykey{t}', 'a'], ['SET', 'mykey2{t}', 'b'], ['RENAME', 'mykey2{t}', 'mykey{t}']]);
    await reply(['GET', 'mykey{t}'], '$1\r\nb\r\n');
    await reply(['EXISTS', 'mykey2{t}'], ':0\r\n');
  });

  it('RENAMENX basic usage', async () => {
    await same([['SET', 'mykey{t}', 'foobar'], ['RENAMENX', 'mykey{t}', 'mykey2{t}']]);
    await reply(['GET', 'mykey2{t}'], '$6\r\nfoobar\r\n');
    await reply(['EXISTS', 'mykey{t}'], ':0\r\n');
  });

  it('RENAMENX against already existing key', async () => {
    await same([['SET', 'mykey{t}', 'foo'], ['SET', 'mykey2{t}', 'bar']]);
    await reply(['RENAMENX', 'mykey{t}', 'mykey2{t}'], ':0\r\n');
  });

  it('RENAMENX against already existing key (2)', async () => {
    await same([['SET', 'mykey{t}', 'foo'], ['SET', 'mykey2{t}', 'bar'], ['RENAMENX', 'mykey{t}', 'mykey2{t}']]);
    await reply(['GET', 'mykey{t}'], '$3\r\nfoo\r\n');
    await reply(['GET', 'mykey2{t}'], '$3\r\nbar\r\n');
  });

  it('RENAME against non existing source key', async () => {
    await reply(['RENAME', 'nokey{t}', 'foobar{t}'], '-ERR no such key\r\n');
    await reply(['RENAMENX', 'nokey{t}', 'foobar{t}'], '-ERR no such key\r\n');
  });

  it('RENAME where source and dest key are the same (existing)', async () => {
    await same([['SET', 'mykey', 'foo']]);
    await reply(['RENAME', 'mykey', 'mykey'], '+OK\r\n');
  });

  it('RENAMENX where source and dest key are the same (existing)', async () => {
    await same([['SET', 'mykey', 'foo']]);
    await reply(['RENAMENX', 'mykey', 'mykey'], ':0\r\n');
  });

  it('RENAME where source and dest key are the same (non existing)', async () => {
    await reply(['RENAME', 'mykey', 'mykey'], '-ERR no such key\r\n');
  });

  it('RENAME with volatile key, should move the TTL as well', async () => {
    await same([['SET', 'mykey{t}', 'foo'], ['EXPIRE', 'mykey{t}', '100'], ['RENAME', 'mykey{t}', 'mykey2{t}'], ['TTL', 'mykey{t}'], ['TTL', 'mykey2{t}']]);
    const ttl = Number((await pair.ours.call('TTL', 'mykey2{t}')).toString().slice(1, -2));
    expect(ttl).toBeGreaterThan(95);
    expect(ttl).toBeLessThanOrEqual(100);
  });

  it('RENAME with volatile key, should not inherit TTL of target key', async () => {
    await same([['SET', 'mykey{t}', 'foo'], ['SET', 'mykey2{t}', 'bar'], ['EXPIRE', 'mykey2{t}', '100'], ['RENAME', 'mykey{t}', 'mykey2{t}']]);
    await reply(['TTL', 'mykey2{t}'], ':-1\r\n');
  });

  it('RENAME keeps an int64 expire time exactly, RENAME onto an expired key', async () => {
    await same([['SET', 'a{t}', '1'], ['PEXPIREAT', 'a{t}', '9223372036854770001'], ['RENAME', 'a{t}', 'b{t}'], ['PEXPIRETIME', 'b{t}'], ['EXPIRETIME', 'b{t}']]);
    await same([['SET', 'c{t}', 'v'], ['PSETEX', 'd{t}', '1', 'old']]);
    await sleep(20);
    await same([['RENAMENX', 'c{t}', 'd{t}'], ['GET', 'd{t}'], ['TTL', 'd{t}']]);
  });

  it('DEL all keys again (DB 0)', async () => {
    await same([['SELECT', '0'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['KEYS', '*'], ['DEL', 'a', 'b'], ['DBSIZE']]);
  });

  it('DEL all keys again (DB 1)', async () => {
    await same([['SELECT', '10'], ['SET', 'a', '1'], ['KEYS', '*'], ['DEL', 'a'], ['DBSIZE'], ['SELECT', '9']]);
  });

  it('COPY basic usage for string', async () => {
    await same([['SET', 'mykey{t}', 'foobar'], ['COPY', 'mykey{t}', 'mynewkey{t}'], ['GET', 'mynewkey{t}'], ['DBSIZE']]);
    await same([['COPY', 'mykey{t}', 'mynewkey{t}', 'DB', '10'], ['SELECT', '10'], ['GET', 'mynewkey{t}'], ['DBSIZE'], ['SELECT', '9']]);
  });

  it('COPY for string does not replace an existing key without REPLACE option', async () => {
    await same([['SET', 'mykey{t}', 'foobar'], ['COPY', 'mykey{t}', 'mynewkey{t}', 'DB', '10'], ['SET', 'mykey2{t}', 'hello']]);
    await reply(['COPY', 'mykey2{t}', 'mynewkey{t}', 'DB', '10'], ':0\r\n');
  });

  it('COPY for string can replace an existing key with REPLACE option', async () => {
    await same([['SET', 'mykey{t}', 'foobar'], ['COPY', 'mykey{t}', 'mynewkey{t}', 'DB', '10'], ['SET', 'mykey2{t}', 'hello']]);
    await same([['COPY', 'mykey2{t}', 'mynewkey{t}', 'DB', '10', 'REPLACE'], ['SELECT', '10']]);
    await reply(['GET', 'mynewkey{t}'], '$5\r\nhello\r\n');
  });

  it('COPY for string ensures that copied data is independent of copying data', async () => {
    await same([
      ['SET', 'mykey{t}', 'foobar'],
      ['COPY', 'mykey{t}', 'mynewkey{t}', 'DB', '10'],
      ['SELECT', '10'],
      ['GET', 'mynewkey{t}'],
      ['SET', 'mynewkey{t}', 'hoge'],
      ['GET', 'mynewkey{t}'],
      ['SELECT', '9'],
      ['GET', 'mykey{t}'],
    ]);
  });

  it('COPY for string does not copy data to no-integer DB', async () => {
    await same([['SET', 'mykey{t}', 'foobar']]);
    await reply(['COPY', 'mykey{t}', 'mynewkey{t}', 'DB', 'notanumber'], '-ERR value is not an integer or out of range\r\n');
  });

  it('COPY can copy key expire metadata as well', async () => {
    await same([['SET', 'mykey{t}', 'foobar', 'EX', '100'], ['COPY', 'mykey{t}', 'mynewkey{t}', 'REPLACE'], ['TTL', 'mynewkey{t}'], ['GET', 'mynewkey{t}']]);
    await same([['PEXPIREAT', 'mykey{t}', '9223372036854770001'], ['COPY', 'mykey{t}', 'third{t}'], ['PEXPIRETIME', 'third{t}']]);
  });

  it('COPY does not create an expire if it does not exist', async () => {
    await same([['SET', 'mykey{t}', 'foobar'], ['TTL', 'mykey{t}'], ['COPY', 'mykey{t}', 'mynewkey{t}', 'REPLACE'], ['TTL', 'mynewkey{t}'], ['GET', 'mynewkey{t}']]);
  });

  it('COPY: which error wins (options, DB index, same object, missing source)', async () => {
    await same([
      ['SET', 'a{t}', '1'],
      ['COPY', 'a{t}', 'a{t}'],
      ['COPY', 'a{t}', 'a{t}', 'DB', '9'],
      ['COPY', 'a{t}', 'a{t}', 'DB', '10'],
      ['COPY', 'a{t}', 'a{t}', 'bogus'],
      ['COPY', 'a{t}', 'b{t}', 'DB'],
      ['COPY', 'a{t}', 'b{t}', 'DB', '16'],
      ['COPY', 'a{t}', 'b{t}', 'DB', '-1'],
      ['COPY', 'a{t}', 'b{t}', 'DB', '2147483648'],
      ['COPY', 'a{t}', 'b{t}', 'DB', 'x', 'bogus'],
      ['COPY', 'a{t}', 'b{t}', 'bogus', 'DB', 'x'],
      ['COPY', 'a{t}', 'b{t}', 'replace\0junk'],
      ['COPY', 'nosuch{t}', 'nosuch{t}'],
      ['COPY', 'nosuch{t}', 'b{t}'],
      ['COPY', 'a{t}', 'b{t}', 'REPLACE', 'replace'],
      ['GET', 'b{t}'],
    ]);
  });

  it('KEYS * two times with long key, Github issue #1208', async () => {
    await same([['SET', 'dlskeriewrioeuwqoirueioqwrueoqwrueqw', 'test'], ['KEYS', '*'], ['KEYS', '*']]);
  });

  it('Regression for pattern matching long nested loops', async () => {
    await same([['SET', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '1']]);
    await reply(['KEYS', 'a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'], '*0\r\n');
  });

  it('KEYS with tricky patterns: escapes, ranges, [^, unterminated [, bytes >= 0x80', async () => {
    const keys = ['a', 'b', 'ab', 'abc', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', '-', '^', ']', '[', '\\', '\x80', '\xff', 'é', 'A', 'a\0b', 'hello', 'hallo', 'hxllo', 'hllo', 'heeeello', ''];
    await same(keys.map((k) => ['SET', k, 'v']));
    const patterns = [
      '*', '**', '?', '??', 'a*', '*c', 'a?c', 'a\\*c', 'a\\?c', 'a\\[c', 'a[\\]]c', 'a[]]c', 'a[\\\\]c', '[a-c]', '[c-a]', '[^a]', '[^a-c]*', '[!a]',
      '[', '[a', '[^', '[a-', '\\', 'a\\', '[\\-]', '[a-\xff]', '[\x80-\xff]', '[\0-\x7f]', 'h[ae]llo', 'h[^e]llo', 'h*llo', 'h?llo', 'a\0*', '*\0*', '[]', '[]]',
    ];
    await same(patterns.map((p) => ['KEYS', p]));
  });

  it('KEYS with generated patterns matches the same keys', async () => {
    const keys = ['a', 'ab', 'ba', 'a-b', 'a]', '[b', 'a\\b', '^', '\x80', '\xfe', 'B', 'aXb', 'aab', 'abab', ''];
    await same(keys.map((k) => ['SET', k, 'v']));
    const token = fc.constantFrom('a', 'b', 'B', '*', '?', '[', ']', '^', '-', '\\', '\x80', '\xff', '[a-b]', '[^a]', '[b-a]', '[\\]]');
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(token, { maxLength: 6 }).map((t) => t.join('')), { minLength: 20, maxLength: 20 }), async (patterns) => {
        const mismatch = await pair.mismatch(patterns.map((p) => ['KEYS', p]), norm);
        if (mismatch !== null) throw new Error(mismatch);
        checked += patterns.length;
      }),
      { numRuns: 30 },
    );
    expect(checked).toBe(600);
  });

  it('TYPE, TOUCH, EXISTS and UNLINK across shards, repeated keys', async () => {
    await same([
      ['MSET', 'a', '1', 'b', '2', 'c', '3', 'key:1', 'x'],
      ['TYPE', 'a'],
      ['TYPE', 'nosuch'],
      ['EXISTS', 'a', 'a', 'b', 'nosuch', 'c', 'key:1'],
      ['TOUCH', 'a', 'nosuch', 'b', 'b'],
      ['UNLINK', 'a', 'b', 'nosuch', 'a'],
      ['EXISTS', 'a', 'b', 'c'],
      ['DEL', 'c', 'key:1', 'c'],
      ['DBSIZE'],
    ]);
  });

  it('keys and values are binary safe (NUL, CR, LF, bytes >= 0x80)', async () => {
    const k = 'k\0\r\n\xff{t}';
    await same([['SET', k, 'v'], ['EXISTS', k], ['TYPE', k], ['KEYS', 'k*'], ['RENAME', k, `${k}2`], ['KEYS', '*'], ['TTL', `${k}2`], ['DEL', `${k}2`], ['SET', '', 'empty'], ['KEYS', '*']]);
  });

  it('counts keyspace hits and misses like Redis (read lookups only)', async () => {
    const before = await Promise.all([infoField(pair.ours, 'stats', 'keyspace_hits'), infoField(pair.theirs, 'stats', 'keyspace_hits')]);
    const missesBefore = await Promise.all([infoField(pair.ours, 'stats', 'keyspace_misses'), infoField(pair.theirs, 'stats', 'keyspace_misses')]);
    await same([
      ['SET', 'a', '1'],
      ['SET', 'b{t}', '1'],
      ['EXISTS', 'a', 'nosuch'],
      ['TYPE', 'a'],
      ['TYPE', 'nosuch'],
      ['TTL', 'a'],
      ['PTTL', 'nosuch'],
      ['TOUCH', 'a', 'nosuch'],
      ['OBJECT', 'ENCODING', 'a'],
      ['OBJECT', 'REFCOUNT', 'nosuch'],
      ['COPY', 'b{t}', 'c{t}'],
      ['COPY', 'nosuch{t}', 'c{t}'],
      // Write lookups count nothing.
      ['EXPIRE', 'a', '100'],
      ['PERSIST', 'a'],
      ['EXPIRE', 'nosuch', '100'],
      ['RENAME', 'b{t}', 'd{t}'],
      ['DEL', 'a', 'nosuch'],
      ['MOVE', 'c{t}', '3'],
    ]);
    const after = await Promise.all([infoField(pair.ours, 'stats', 'keyspace_hits'), infoField(pair.theirs, 'stats', 'keyspace_hits')]);
    const missesAfter = await Promise.all([infoField(pair.ours, 'stats', 'keyspace_misses'), infoField(pair.theirs, 'stats', 'keyspace_misses')]);
    expect(after[1] - before[1]).toBe(6);
    expect(after[0] - before[0]).toBe(after[1] - before[1]);
    expect(missesAfter[0] - missesBefore[0]).toBe(missesAfter[1] - missesBefore[1]);
  });

  it('wrong number of arguments', async () => {
    await same([['DEL'], ['EXISTS'], ['TYPE'], ['TYPE', 'a', 'b'], ['KEYS'], ['KEYS', 'a', 'b'], ['RENAME', 'a'], ['RENAMENX', 'a', 'b', 'c'], ['COPY', 'a'], ['TOUCH'], ['UNLINK']]);
  });
});
