/**
 * Expiry, differential: shardis against redis-server 7.0.15. Titles copied
 * from Redis' tests/unit/expire.tcl test the same behaviour (those that need
 * DEBUG SET-ACTIVE-EXPIRE, AOF or replication are left to the persistence
 * and replication suites); the others cover active expiry without any
 * access, reads racing expiry, int64 edges and option parsing.
 *
 * Timing: relative TTLs are compared by sign or range (the two servers'
 * clocks are read at different moments); absolute times are exact.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DiffPair, type Command, ttlSign } from '../helpers/differential.js';
import type { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function int(reply: Buffer): number {
  const s = reply.toString('latin1');
  if (!s.startsWith(':')) throw new Error(`not an integer reply: ${JSON.stringify(s)}`);
  return Number(s.slice(1, -2));
}

async function dbsize(c: RawClient): Promise<number> {
  return int(await c.call('DBSIZE'));
}

/** keys= of a db line in INFO keyspace (0 when the db is absent). */
async function infoKeys(c: RawClient, db: number): Promise<number> {
  const text = (await c.call('INFO', 'keyspace')).toString('latin1');
  const m = new RegExp(`db${db}:keys=(\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

async function expiredKeys(c: RawClient): Promise<number> {
  const text = (await c.call('INFO', 'stats')).toString('latin1');
  return Number(/expired_keys:(\d+)/.exec(text)![1]);
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('expire: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
  });

  async function same(cmds: Command[], norm: (cmd: Command, reply: Buffer) => string = ttlSign): Promise<void> {
    expect(await pair.mismatch(cmds, norm)).toBeNull();
  }

  const reply = (cmd: Command, expected: string) => pair.expectReply(cmd, expected);

  /** TTL on shardis, within [lo, hi]. */
  async function ttlWithin(key: string, lo: number, hi: number, cmd = 'TTL'): Promise<void> {
    const ttl = int(await pair.ours.call(cmd, key));
    expect(ttl).toBeGreaterThanOrEqual(lo);
    expect(ttl).toBeLessThanOrEqual(hi);
  }

  it("EXPIRE - set timeouts multiple times, It should be still possible to read 'x', After 2.1 seconds the key should no longer be here", async () => {
    await same([['SET', 'x', 'foobar'], ['EXPIRE', 'x', '5'], ['TTL', 'x'], ['EXPIRE', 'x', '10'], ['TTL', 'x'], ['EXPIRE', 'x', '2'], ['GET', 'x']]);
    await ttlWithin('x', 1, 2);
    await sleep(2100);
    await same([['GET', 'x'], ['EXISTS', 'x']]);
    await reply(['EXISTS', 'x'], ':0\r\n');
  });

  it('EXPIRE - write on expire should work', async () => {
    // Redis' test writes with LPUSH; APPEND is the same path for strings: the write keeps the TTL.
    await same([['SET', 'x', 'foo'], ['EXPIRE', 'x', '1000'], ['APPEND', 'x', 'bar'], ['GET', 'x'], ['TTL', 'x']]);
  });

  it('EXPIREAT - Check for EXPIRE alike behavior', async () => {
    await same([['SET', 'x', 'foo'], ['EXPIREAT', 'x', String(Math.floor(Date.now() / 1000) + 15)], ['TTL', 'x']]);
    await ttlWithin('x', 13, 15);
  });

  it('SETEX - Set + Expire combo operation. Check for TTL, SETEX - Check value, SETEX - Overwrite old key', async () => {
    await same([['SETEX', 'x', '12', 'test'], ['TTL', 'x'], ['GET', 'x'], ['SETEX', 'y', '1', 'foo'], ['GET', 'y']]);
    await ttlWithin('x', 10, 12);
  });

  it('SETEX - Wait for the key to expire', async () => {
    await same([['PSETEX', 'y', '300', 'foo']]);
    await sleep(400);
    await reply(['GET', 'y'], '$-1\r\n');
  });

  it('SETEX - Wrong time parameter', async () => {
    await reply(['SETEX', 'z', '-10', 'foo'], "-ERR invalid expire time in 'setex' command\r\n");
  });

  it('PERSIST can undo an EXPIRE', async () => {
    await same([['SET', 'x', 'foo'], ['EXPIRE', 'x', '50'], ['TTL', 'x'], ['PERSIST', 'x'], ['TTL', 'x'], ['GET', 'x']]);
    await reply(['TTL', 'x'], ':-1\r\n');
  });

  it('PERSIST returns 0 against non existing or non volatile keys', async () => {
    await same([['SET', 'x', 'foo']]);
    await reply(['PERSIST', 'foo'], ':0\r\n');
    await reply(['PERSIST', 'x'], ':0\r\n');
    await reply(['PERSIST', 'nokeyatall'], ':0\r\n');
  });

  it('EXPIRE precision is now the millisecond, PSETEX/PEXPIRE/PEXPIREAT can set sub-second expires', async () => {
    // Sub-second expiry on shardis alone, timed by absolute expire times so a slow machine cannot flake it.
    const c = pair.ours;
    const at = Date.now() + 300;
    await c.call('SET', 'x', 'somevalue');
    await c.call('PEXPIREAT', 'x', String(at));
    await c.call('PSETEX', 'y', '300', 'v');
    await c.call('SET', 'z', 'v');
    await c.call('PEXPIRE', 'z', '300');
    const before = await c.pipeline([['GET', 'x'], ['EXISTS', 'y', 'z']]);
    if (Date.now() < at - 50) expect(before.map(String)).toEqual(['$9\r\nsomevalue\r\n', ':2\r\n']);
    await sleep(Math.max(0, at + 350 - Date.now()));
    expect((await c.pipeline([['GET', 'x'], ['EXISTS', 'y', 'z']])).map(String)).toEqual(['$-1\r\n', ':0\r\n']);
  });

  it('TTL returns time to live in seconds, PTTL returns time to live in milliseconds', async () => {
    await same([['SETEX', 'x', '10', 'somevalue'], ['TTL', 'x'], ['PTTL', 'x']]);
    await ttlWithin('x', 9, 10);
    await ttlWithin('x', 8000, 10000, 'PTTL');
  });

  it('TTL / PTTL / EXPIRETIME / PEXPIRETIME return -1 if key has no expire', async () => {
    await same([['SET', 'x', 'hello'], ['TTL', 'x'], ['PTTL', 'x'], ['EXPIRETIME', 'x'], ['PEXPIRETIME', 'x']]);
    await reply(['PEXPIRETIME', 'x'], ':-1\r\n');
  });

  it('TTL / PTTL / EXPIRETIME / PEXPIRETIME return -2 if key does not exit', async () => {
    await same([['TTL', 'x'], ['PTTL', 'x'], ['EXPIRETIME', 'x'], ['PEXPIRETIME', 'x']]);
    await reply(['EXPIRETIME', 'x'], ':-2\r\n');
  });

  it('EXPIRETIME returns absolute expiration time in seconds', async () => {
    const abs = String(Math.floor(Date.now() / 1000) + 100);
    await same([['SET', 'x', 'somevalue', 'EXAT', abs], ['EXPIRETIME', 'x']]);
    await reply(['EXPIRETIME', 'x'], `:${abs}\r\n`);
  });

  it('PEXPIRETIME returns absolute expiration time in milliseconds', async () => {
    const abs = String(Date.now() + 100000);
    await same([['SET', 'x', 'somevalue', 'PXAT', abs], ['PEXPIRETIME', 'x'], ['EXPIRETIME', 'x']]);
    await reply(['PEXPIRETIME', 'x'], `:${abs}\r\n`);
  });

  it('Redis should actively expire keys incrementally', async () => {
    await same([['PSETEX', 'key1', '500', 'a'], ['PSETEX', 'key2', '500', 'a'], ['PSETEX', 'key3', '500', 'a'], ['DBSIZE']]);
    const deadline = Date.now() + 2000;
    while ((await dbsize(pair.ours)) > 0 && Date.now() < deadline) await sleep(100);
    expect(await dbsize(pair.ours)).toBe(0);
  });

  it('keys with TTLs disappear without being accessed: DBSIZE, INFO keyspace and expired_keys', async () => {
    const c = pair.ours;
    const expiredBefore = await expiredKeys(c);
    const cmds: Command[] = [];
    for (let i = 0; i < 3000; i++) cmds.push(['SET', `vol:${i}`, 'x', 'PX', String(1000 + (i % 200))]);
    for (let i = 0; i < 500; i++) cmds.push(['SET', `kept:${i}`, 'x']);
    for (let i = 0; i < 500; i++) cmds.push(['SET', `far:${i}`, 'x', 'EX', '100000']);
    const t0 = Date.now();
    await c.pipeline(cmds);
    const [size, listed] = [await dbsize(c), await infoKeys(c, 0)];
    if (Date.now() - t0 < 900) {
      expect(size).toBe(4000);
      expect(listed).toBe(4000);
    }
    // Nothing reads the keys: only the active cycle can remove them.
    const deadline = Date.now() + 6000;
    while ((await dbsize(c)) > 1000 && Date.now() < deadline) await sleep(100);
    expect(await dbsize(c)).toBe(1000);
    expect(await infoKeys(c, 0)).toBe(1000);
    expect(await expiredKeys(c)).toBe(expiredBefore + 3000);
    const info = (await c.call('INFO', 'keyspace')).toString('latin1');
    expect(info).toMatch(/db0:keys=1000,expires=500,/);
  });

  it('reads never see an expired key (GET, EXISTS, TTL, MGET, KEYS, SCAN, RANDOMKEY)', async () => {
    const c = pair.ours;
    const keys = Array.from({ length: 200 }, (_, i) => `r:${i}`);
    const at = Date.now() + 150;
    await c.pipeline(keys.map((k) => ['SET', k, 'v', 'PXAT', String(at)]));
    // Reads sent after the expire time (same clock) must not see the keys, lazily or actively expired.
    let checkedAfter = 0;
    // At least 300 ms past the expire time, and six checks after it even on a loaded machine.
    while (Date.now() < at + 300 || (checkedAfter < 6 && Date.now() < at + 10_000)) {
      const sentAt = Date.now();
      const replies = await c.pipeline([['GET', 'r:7'], ['EXISTS', ...keys.slice(0, 50)], ['TTL', 'r:8'], ['MGET', 'r:1', 'r:2', 'r:150'], ['KEYS', 'r:*'], ['SCAN', '0', 'COUNT', '100000'], ['RANDOMKEY']]);
      if (sentAt > at) {
        checkedAfter++;
        expect(replies.map(String)).toEqual(['$-1\r\n', ':0\r\n', ':-2\r\n', '*3\r\n$-1\r\n$-1\r\n$-1\r\n', '*0\r\n', expect.stringMatching(/^\*2\r\n\$\d+\r\n\d+\r\n\*0\r\n$/), '$-1\r\n']);
      }
      await sleep(5);
    }
    expect(checkedAfter).toBeGreaterThan(5);
  });

  it('EXPIRE should not resurrect keys (issue #1026)', async () => {
    await same([['SET', 'foo', 'bar'], ['PEXPIRE', 'foo', '100']]);
    await sleep(200);
    await same([['EXPIRE', 'foo', '10'], ['EXISTS', 'foo']]);
    await reply(['EXISTS', 'foo'], ':0\r\n');
  });

  it('5 keys in, 5 keys out', async () => {
    await same([['SET', 'a', 'c'], ['EXPIRE', 'a', '5'], ['SET', 't', 'c'], ['SET', 'e', 'c'], ['SET', 's', 'c'], ['SET', 'foo', 'b']]);
    const keys = (await pair.ours.call('KEYS', '*')).toString('latin1').split('\r\n').filter((l) => l && !/^[*$]/.test(l)).sort();
    expect(keys).toEqual(['a', 'e', 'foo', 's', 't']);
  });

  it('EXPIRE with empty string as TTL should report an error', async () => {
    await same([['SET', 'foo', 'bar']]);
    await reply(['EXPIRE', 'foo', ''], '-ERR value is not an integer or out of range\r\n');
  });

  it('SET with EX with big integer should report an error, SET with EX with smallest integer should report an error', async () => {
    await reply(['SET', 'foo', 'bar', 'EX', '10000000000000000'], "-ERR invalid expire time in 'set' command\r\n");
    await reply(['SET', 'foo', 'bar', 'EX', '-9999999999999999'], "-ERR invalid expire time in 'set' command\r\n");
  });

  it('GETEX with big integer should report an error, GETEX with smallest integer should report an error', async () => {
    await same([['SET', 'foo', 'bar']]);
    await reply(['GETEX', 'foo', 'EX', '10000000000000000'], "-ERR invalid expire time in 'getex' command\r\n");
    await reply(['GETEX', 'foo', 'EX', '-9999999999999999'], "-ERR invalid expire time in 'getex' command\r\n");
  });

  it('EXPIRE with big integer overflows when converted to milliseconds', async () => {
    await same([['SET', 'foo', 'bar']]);
    for (const n of ['9223370399119966', '9223372036854776', '10000000000000000', '18446744073709561']) {
      await reply(['EXPIRE', 'foo', n], "-ERR invalid expire time in 'expire' command\r\n");
    }
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('PEXPIRE with big integer overflow when basetime is added', async () => {
    await same([['SET', 'foo', 'bar']]);
    await reply(['PEXPIRE', 'foo', '9223372036854770000'], "-ERR invalid expire time in 'pexpire' command\r\n");
  });

  it('EXPIRE with big negative integer', async () => {
    await same([['SET', 'foo', 'bar']]);
    await reply(['EXPIRE', 'foo', '-9223372036854776'], "-ERR invalid expire time in 'expire' command\r\n");
    await reply(['EXPIRE', 'foo', '-9999999999999999'], "-ERR invalid expire time in 'expire' command\r\n");
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('PEXPIREAT with big integer works', async () => {
    await same([['SET', 'foo', 'bar']]);
    await reply(['PEXPIREAT', 'foo', '9223372036854770000'], ':1\r\n');
  });

  it('PEXPIREAT with big negative integer works', async () => {
    await same([['SET', 'foo', 'bar'], ['PEXPIREAT', 'foo', '-9223372036854770000']]);
    await reply(['TTL', 'foo'], ':-2\r\n');
  });

  it('int64 edges: exact expire times beyond 2^53, GT/LT between them, EXPIRETIME rounding', async () => {
    await same(
      [
        ['SET', 'k', 'v'],
        ['PEXPIREAT', 'k', '9223372036854770001'],
        ['PEXPIRETIME', 'k'],
        ['EXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '9223372036854770000', 'GT'],
        ['PEXPIREAT', 'k', '9223372036854770002', 'GT'],
        ['PEXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '9223372036854770002', 'LT'],
        ['PEXPIREAT', 'k', '9223372036854770001', 'LT'],
        ['PEXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '9223372036854775807'],
        ['PEXPIRETIME', 'k'],
        ['EXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '9223372036854774499'],
        ['EXPIRETIME', 'k'],
        ['PEXPIREAT', 'k', '9223372036854774500'],
        ['EXPIRETIME', 'k'],
        ['EXPIREAT', 'k', '9223372036854775'],
        ['PEXPIRETIME', 'k'],
        ['EXPIREAT', 'k', '9223372036854776'],
        ['EXPIREAT', 'k', '-9223372036854775'],
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['EXPIREAT', 'k', '-9223372036854776'],
        ['PEXPIREAT', 'k', '-9223372036854775808'],
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['PEXPIREAT', 'k', '9223372036854775808'],
        ['EXPIRE', 'k', '9223372036854775807'],
        ['PEXPIRE', 'k', '9223372036854775807'],
        ['PEXPIRE', 'k', '-9223372036854775808'],
        ['EXISTS', 'k'],
      ],
      (_cmd, r) => r.toString('latin1'),
    );
  });

  it('integer parsing of the time argument (string2ll)', async () => {
    const cmds: Command[] = [['SET', 'k', 'v']];
    for (const t of ['-0', '+1', '01', ' 1', '1 ', 'abc', '1.5', '1e3', '1\0', '0x10', '']) cmds.push(['EXPIRE', 'k', t]);
    cmds.push(['TTL', 'k']);
    await same(cmds, (_cmd, r) => r.toString('latin1'));
  });

  it('SET command will remove expire', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['SET', 'foo', 'bar']]);
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('SET - use KEEPTTL option, TTL should not be removed', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['SET', 'foo', 'bar', 'KEEPTTL'], ['TTL', 'foo']]);
    await ttlWithin('foo', 90, 100);
  });

  it('GETEX use of PERSIST option should remove TTL', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['GETEX', 'foo', 'PERSIST']]);
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('EXPIRE with NX option on a key with ttl, EXPIRE with NX option on a key without ttl', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['EXPIRE', 'foo', '200', 'NX'], ['TTL', 'foo']]);
    await ttlWithin('foo', 50, 100);
    await same([['SET', 'foo', 'bar'], ['EXPIRE', 'foo', '200', 'NX'], ['TTL', 'foo']]);
    await ttlWithin('foo', 100, 200);
  });

  it('EXPIRE with XX option on a key with ttl, EXPIRE with XX option on a key without ttl', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['EXPIRE', 'foo', '200', 'XX'], ['TTL', 'foo']]);
    await ttlWithin('foo', 100, 200);
    await same([['SET', 'foo', 'bar'], ['EXPIRE', 'foo', '200', 'XX']]);
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('EXPIRE with GT option on a key with lower ttl, with higher ttl, without ttl', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['EXPIRE', 'foo', '200', 'GT'], ['TTL', 'foo']]);
    await ttlWithin('foo', 100, 200);
    await same([['SET', 'foo', 'bar', 'EX', '200'], ['EXPIRE', 'foo', '100', 'GT'], ['TTL', 'foo']]);
    await ttlWithin('foo', 100, 200);
    await same([['SET', 'foo', 'bar'], ['EXPIRE', 'foo', '200', 'GT']]);
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('EXPIRE with LT option on a key with higher ttl, with lower ttl, without ttl', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100'], ['EXPIRE', 'foo', '200', 'LT'], ['TTL', 'foo']]);
    await ttlWithin('foo', 50, 100);
    await same([['SET', 'foo', 'bar', 'EX', '200'], ['EXPIRE', 'foo', '100', 'LT'], ['TTL', 'foo']]);
    await ttlWithin('foo', 50, 100);
    await same([['SET', 'foo', 'bar'], ['EXPIRE', 'foo', '100', 'LT'], ['TTL', 'foo']]);
    await ttlWithin('foo', 50, 100);
  });

  it('EXPIRE with LT and XX option on a key with ttl, EXPIRE with LT and XX option on a key without ttl', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '200'], ['EXPIRE', 'foo', '100', 'LT', 'XX'], ['TTL', 'foo']]);
    await ttlWithin('foo', 50, 100);
    await same([['SET', 'foo', 'bar'], ['EXPIRE', 'foo', '200', 'LT', 'XX']]);
    await reply(['TTL', 'foo'], ':-1\r\n');
  });

  it('EXPIRE with conflicting options: LT GT, NX GT, NX LT, NX XX', async () => {
    await reply(['EXPIRE', 'foo', '200', 'LT', 'GT'], '-ERR GT and LT options at the same time are not compatible\r\n');
    await reply(['EXPIRE', 'foo', '200', 'NX', 'GT'], '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n');
    await reply(['EXPIRE', 'foo', '200', 'NX', 'LT'], '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n');
    await reply(['EXPIRE', 'foo', '200', 'NX', 'XX'], '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n');
  });

  it('EXPIRE with unsupported options', async () => {
    await reply(['EXPIRE', 'foo', '200', 'AB'], '-ERR Unsupported option AB\r\n');
    await reply(['EXPIRE', 'foo', '200', 'XX', 'AB'], '-ERR Unsupported option AB\r\n');
  });

  it('option parsing: which error wins, case, NUL bytes, repeats, newlines in the echoed option', async () => {
    await same(
      [
        ['SET', 'foo', 'bar'],
        ['EXPIRE', 'foo', 'abc', 'AB'],
        ['EXPIRE', 'foo', 'abc', 'NX', 'XX'],
        ['EXPIRE', 'foo', '9223372036854776', 'GT', 'LT'],
        ['EXPIRE', 'foo', '100', 'nx\0junk'],
        ['EXPIRE', 'foo', '100', 'ab\0cd'],
        ['EXPIRE', 'foo', '100', 'a\r\nb'],
        ['EXPIRE', 'foo', '200', 'gT', 'Gt'],
        ['EXPIRE', 'foo', '50', 'gT'],
        ['PEXPIRE', 'foo', '100000', 'xx', 'XX', 'lt'],
        ['EXPIREAT', 'foo', 'x', 'bogus'],
        ['PEXPIREAT', 'nosuch', '100', 'NX', 'LT'],
        ['EXPIRE', 'foo'],
        ['TTL'],
        ['PERSIST', 'foo', 'bar'],
      ],
      (_cmd, r) => r.toString('latin1'),
    );
  });

  it('EXPIRE with negative expiry', async () => {
    await same([['SET', 'foo', 'bar', 'EX', '100']]);
    await reply(['EXPIRE', 'foo', '-10', 'LT'], ':1\r\n');
    await reply(['TTL', 'foo'], ':-2\r\n');
  });

  it('EXPIRE with negative expiry on a non-valitale key', async () => {
    await same([['SET', 'foo', 'bar']]);
    await reply(['EXPIRE', 'foo', '-10', 'LT'], ':1\r\n');
    await reply(['TTL', 'foo'], ':-2\r\n');
  });

  it('EXPIRE with non-existed key', async () => {
    for (const opt of ['NX', 'XX', 'GT', 'LT']) await reply(['EXPIRE', 'none', '100', opt], ':0\r\n');
  });

  it('an expired key is gone for every command, and a new key takes its place without its TTL', async () => {
    await same([['SET', 'a{t}', 'old', 'PX', '1'], ['SET', 'b{t}', 'old', 'PX', '1']]);
    await sleep(20);
    await same([
      ['TTL', 'a{t}'],
      ['TYPE', 'a{t}'],
      ['PERSIST', 'a{t}'],
      ['RENAME', 'a{t}', 'c{t}'],
      ['COPY', 'b{t}', 'c{t}'],
      ['SETNX', 'b{t}', 'new'],
      ['TTL', 'b{t}'],
      ['OBJECT', 'ENCODING', 'a{t}'],
      ['DBSIZE'],
    ]);
  });
});
