/**
 * SCAN, differential where Redis defines the result: the *set* of keys a
 * full iteration returns (Redis does not define the order, how many calls it
 * takes, or the cursor values), and the exact error replies. Titles copied
 * from Redis' tests/unit/scan.tcl test the same behaviour (SSCAN, HSCAN and
 * ZSCAN belong to the collection types); the others test the guarantees
 * with concurrent writers, cursors as plain numbers, MATCH / COUNT / TYPE,
 * and expired keys.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { arrayElements } from '../../src/resp/reply-scan.js';
import { DiffPair, type Command, prng } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bulk string reply's text. */
function bulkText(b: Buffer): string {
  const nl = b.indexOf(10);
  return b.latin1Slice(nl + 1, b.length - 2);
}

/** [cursor, keys] of a SCAN reply (throws on an error reply). */
function parseScan(reply: Buffer): [string, string[]] {
  if (reply[0] !== 42) throw new Error(`SCAN failed: ${reply.toString('latin1')}`);
  const [c, k] = arrayElements(reply);
  const cursor = bulkText(reply.subarray(c[0], c[1]));
  const arr = reply.subarray(k[0], k[1]);
  const keys = arrayElements(arr).map(([s, e]) => bulkText(arr.subarray(s, e)));
  return [cursor, keys];
}

interface Iteration {
  keys: string[];
  calls: number;
  cursors: string[];
}

/** A full SCAN iteration; `between` runs after every call (concurrent writers). */
async function fullScan(client: RawClient, options: string[] = [], between?: (call: number) => Promise<void>): Promise<Iteration> {
  let cursor = '0';
  const keys: string[] = [];
  const cursors: string[] = [];
  let calls = 0;
  do {
    const [next, got] = parseScan(await client.call('SCAN', cursor, ...options));
    calls++;
    keys.push(...got);
    cursor = next;
    cursors.push(next);
    if (between && cursor !== '0') await between(calls);
    if (calls > 100_000) throw new Error('SCAN did not terminate');
  } while (cursor !== '0');
  return { keys, calls, cursors };
}

const unique = (keys: string[]) => [...new Set(keys)].sort();

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('scan: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);
  beforeEach(async () => {
    await pair.flush();
  });

  /** Redis' test helper `populate`: keys key:0 .. key:n-1. */
  async function populate(n: number, prefix = 'key:'): Promise<void> {
    const cmds: Command[] = [];
    for (let j = 0; j < n; j++) cmds.push(['SET', `${prefix}${j}`, String(j)]);
    await Promise.all([pair.ours.pipeline(cmds), pair.theirs.pipeline(cmds)]);
  }

  /** Full iterations on both servers return the same set of keys (and Redis' set is not empty unless expected). */
  async function sameSet(options: string[], expectedSize?: number): Promise<string[]> {
    const [ours, theirs] = await Promise.all([fullScan(pair.ours, options), fullScan(pair.theirs, options)]);
    if (expectedSize !== undefined) expect(unique(theirs.keys).length).toBe(expectedSize);
    expect(unique(ours.keys)).toEqual(unique(theirs.keys));
    return unique(ours.keys);
  }

  it('SCAN basic', async () => {
    await populate(1000);
    await sameSet([], 1000);
  });

  it('SCAN COUNT', async () => {
    await populate(1000);
    await sameSet(['count', '5'], 1000);
    const it5 = await fullScan(pair.ours, ['COUNT', '5']);
    // Whole slots per call, about COUNT keys looked at per call: many calls, none huge.
    expect(it5.calls).toBeGreaterThan(1000 / 10);
  });

  it('SCAN MATCH', async () => {
    await populate(1000);
    await sameSet(['match', 'key:1??'], 100);
  });

  it('SCAN TYPE', async () => {
    await populate(1000);
    await sameSet(['type', 'list'], 0);
    await sameSet(['type', 'string'], 1000);
    await sameSet(['type', 'string', 'match', 'key:*', 'count', '10'], 1000);
  });

  it('SCAN guarantees check under write load', async () => {
    await populate(100);
    const rnd = prng(7);
    // Both servers see the same writes: 10 random keys after every SCAN call.
    for (const client of [pair.ours, pair.theirs]) {
      const it = await fullScan(client, [], async () => {
        const cmds: Command[] = [];
        for (let j = 0; j < 10; j++) cmds.push(['SET', `addedkey:${Math.floor(rnd() * 1000)}`, 'foo']);
        await client.pipeline(cmds);
      });
      const original = unique(it.keys.filter((k) => k.length <= 6));
      expect(original.length).toBe(100);
    }
  });

  it('an element present during the whole iteration is returned, with concurrent inserts and deletes (two clients)', async () => {
    const c = pair.ours;
    const writer = await RawClient.connect(pair.shardis.port);
    try {
      const stable: Command[] = [];
      for (let j = 0; j < 3000; j++) stable.push(['SET', `stable:${j}`, 'v']);
      const churn: Command[] = [];
      for (let j = 0; j < 3000; j++) churn.push(['SET', `churn:${j}`, 'v']);
      await c.pipeline([...stable, ...churn]);
      const rnd = prng(42);
      let writes = 0;
      // The writer runs concurrently with the scanner: deletes and re-creates churn keys, adds new ones.
      let scanning = true;
      const writing = (async () => {
        while (scanning) {
          const cmds: Command[] = [];
          for (let j = 0; j < 50; j++) {
            const n = Math.floor(rnd() * 6000);
            cmds.push(rnd() < 0.5 ? ['DEL', `churn:${n}`] : ['SET', `churn:${n}`, 'v']);
          }
          await writer.pipeline(cmds);
          writes += cmds.length;
          await sleep(0);
        }
      })();
      const it = await fullScan(c, ['COUNT', '20'], async () => sleep(0));
      scanning = false;
      await writing;
      expect(writes).toBeGreaterThan(0);
      const seen = new Set(it.keys);
      const missing = stable.map((s) => s[1]).filter((k) => !seen.has(k));
      expect(missing).toEqual([]);
    } finally {
      writer.close();
    }
  });

  it('the cursor is a plain number: no state per cursor, any connection can continue an iteration', async () => {
    await populate(500);
    const a = pair.ours;
    const b = await RawClient.connect(pair.shardis.port);
    try {
      // Alternate connections call by call; repeating a call gives the same answer.
      let cursor = '0';
      const keys: string[] = [];
      let calls = 0;
      do {
        const client = calls % 2 === 0 ? a : b;
        const first = (await client.call('SCAN', cursor, 'COUNT', '7')).toString('latin1');
        const again = (await (client === a ? b : a).call('SCAN', cursor, 'COUNT', '7')).toString('latin1');
        expect(again).toBe(first);
        const [next, got] = parseScan(Buffer.from(first, 'latin1'));
        expect(next).toMatch(/^(0|[1-9][0-9]*)$/);
        keys.push(...got);
        cursor = next;
        calls++;
      } while (cursor !== '0');
      expect(unique(keys).length).toBe(500);
    } finally {
      b.close();
    }
  });

  it('cursor parsing (strtoul) and option errors', async () => {
    // Errors only: valid calls answer with server-specific cursors.
    const cmds: Command[] = [
      ['SCAN', 'abc'],
      ['SCAN', ' 1'],
      ['SCAN', '1 '],
      ['SCAN', '1.5'],
      ['SCAN', '0x10'],
      ['SCAN', '18446744073709551616'],
      ['SCAN', '99999999999999999999999'],
      ['SCAN', '+'],
      ['SCAN', '-'],
      ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '-1'],
      ['SCAN', '0', 'COUNT', 'abc'],
      ['SCAN', '0', 'COUNT', '9223372036854775808'],
      ['SCAN', '0', 'COUNT'],
      ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'TYPE'],
      ['SCAN', '0', 'bogus', 'x'],
      ['SCAN', '0', 'MATCH', '*', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '0', 'bogus'],
      ['SCAN', 'abc', 'COUNT', '0'],
      ['SCAN'],
    ];
    expect(await pair.mismatch(cmds)).toBeNull();
    const { ours, theirs } = await pair.both(['SCAN', 'abc']);
    expect(theirs).toBe('-ERR invalid cursor\r\n');
    expect(ours).toBe(theirs);
  });

  it('cursors strtoul accepts: -1, +0, leading zeros, the largest unsigned long', async () => {
    await populate(20);
    for (const cursor of ['-1', '+0', '000', '18446744073709551615', '0']) {
      for (const client of [pair.ours, pair.theirs]) {
        const reply = await client.call('SCAN', cursor, 'COUNT', '1000');
        expect(reply[0]).toBe(42);
      }
    }
  });

  it('MATCH, COUNT and TYPE together and with tricky patterns: the same set of keys', async () => {
    const keys = ['a', 'b', 'ab', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', '-', '^', '\x80', '\xff', 'A', 'a\0b', 'hello', 'hallo', 'heeello', ''];
    const cmds: Command[] = keys.map((k) => ['SET', k, 'v']);
    for (let j = 0; j < 300; j++) cmds.push(['SET', `user:${j}`, String(j)]);
    await Promise.all([pair.ours.pipeline(cmds), pair.theirs.pipeline(cmds)]);
    for (const pattern of ['*', 'user:1*', 'user:?', 'h[ae]llo', 'h*llo', 'a\\*c', 'a[\\]]c', '[^a-z]', '[a-\xff]', '[', 'a\0*', '\\']) {
      for (const count of ['1', '10', '1000']) await sameSet(['MATCH', pattern, 'COUNT', count]);
    }
    await sameSet(['TYPE', 'STRING', 'COUNT', '3'], keys.length + 300);
    await sameSet(['type', 'string\0junk']);
    await sameSet(['TYPE', 'hash', 'MATCH', '*']);
    await sameSet(['MATCH', 'x', 'MATCH', 'user:2?', 'COUNT', '5', 'COUNT', '50'], 10);
  });

  it('expired keys are not returned (and TYPE none returns the keys its lookup expired, as Redis does)', async () => {
    await populate(200, 'live:');
    await populate(100, 'dead:');
    const cmds: Command[] = [];
    for (let j = 0; j < 100; j++) cmds.push(['PEXPIRE', `dead:${j}`, '1']);
    await Promise.all([pair.ours.pipeline(cmds), pair.theirs.pipeline(cmds)]);
    await sleep(20);
    // Redis' TYPE filter looks the key up first: a key that lookup expires has type "none" and is
    // returned to TYPE none. Active expiry may get there first, so only the kind of key is checked.
    const none = await fullScan(pair.ours, ['TYPE', 'none']);
    expect(none.keys.filter((k) => !k.startsWith('dead:'))).toEqual([]);
    const got = await sameSet([]);
    expect(got.filter((k) => k.startsWith('dead:'))).toEqual([]);
    expect(got.length).toBe(200);
  });

  it('a slot holding many keys (one hash tag) is returned whole, and iterations still end', async () => {
    await populate(2000, '{tag}:');
    await populate(50, 'other:');
    const it = await fullScan(pair.ours, ['COUNT', '10']);
    expect(unique(it.keys).length).toBe(2050);
    const sizes = [];
    let cursor = '0';
    do {
      const [next, got] = parseScan(await pair.ours.call('SCAN', cursor, 'COUNT', '10'));
      sizes.push(got.length);
      cursor = next;
    } while (cursor !== '0');
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(2000);
  });

  it('SCAN in RESP3 and in another database', async () => {
    await pair.both(['HELLO', '3']);
    try {
      await pair.both(['SELECT', '5']);
      await populate(50, 'db5:');
      await sameSet(['COUNT', '20'], 50);
      await pair.both(['SELECT', '0']);
      await sameSet([], 0);
    } finally {
      await pair.both(['HELLO', '2']);
      await pair.both(['SELECT', '0']);
    }
  });
});
