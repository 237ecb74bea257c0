/**
 * Protocol errors on the wire, against redis-server: the same bytes go to
 * both servers over fresh connections, and everything received until the
 * server closes (or goes quiet) must be identical, including whether it closed.
 * Cases follow Redis' tests/unit/protocol.tcl and networking.c's error paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer, SHARD_COUNTS, startRedis, startShardis, type RunningServer } from '../helpers/server.js';
import { exchange, mb, shorten } from './wire.js';

const BIG = 64 * 1024;

interface Case {
  name: string;
  parts: (string | Buffer)[];
  gapMs?: number;
  /** Shut down the client's sending side after the last part. */
  halfClose?: boolean;
  /** Silence that ends the exchange (default 300 ms): longer for requests a loaded machine takes a while to answer. */
  quietMs?: number;
}

const pipeline = (n: number) => Array.from({ length: n }, (_, i) => `SET hc:${i} v${i}\r\nGET hc:${i}\r\nMGET hc:${i} hc:${i + 1} hc:${i + 2}\r\n`).join('');

const CASES: Case[] = [
  { name: 'empty query then PING', parts: ['\r\n', 'PING\r\n'] },
  { name: 'negative multibulk length is skipped', parts: ['*-10\r\n', 'PING\r\n'] },
  { name: 'zero multibulk length is skipped', parts: ['*0\r\nPING\r\n'] },
  { name: 'out of range multibulk length', parts: ['*3000000000\r\n'] },
  { name: 'multibulk length not a number', parts: ['*abc\r\n'] },
  { name: 'multibulk length below the 64-bit range', parts: ['*-9223372036854775809\r\n'] },
  { name: 'wrong multibulk payload header', parts: ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n'] },
  { name: 'negative bulk length', parts: ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n'] },
  { name: 'out of range bulk length', parts: ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n'] },
  { name: 'a 4 GB bulk length', parts: ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$4294967296\r\n'] },
  { name: 'non-number bulk length', parts: ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n'] },
  { name: 'multibulk not followed by bulk arguments', parts: ['*1\r\nfoo\r\n'] },
  { name: "expected '$' got CR (sent as a space)", parts: ['*1\r\n\r\n'] },
  { name: "expected '$' got LF (sent as a space)", parts: ['*1\r\n\n\r\n'] },
  { name: "expected '$' got a byte >= 0x80", parts: [Buffer.from('*1\r\n\xe9\r\n', 'latin1')] },
  { name: 'unbalanced quotes', parts: ['set """test-key""" test-value\r\nping\r\n'] },
  { name: 'unbalanced single quote', parts: ["ECHO 'abc\r\n"] },
  { name: 'closing quote followed by a letter', parts: ['ECHO "a"b\r\n'] },
  { name: 'inline escapes', parts: ['ECHO "\\x41\\x00\\xff\\n\\q" \'it\\\'s\'\r\nECHO "a b" c\r\n'] },
  { name: 'inline with a bare LF and tabs', parts: ['ECHO\tx\nPING\n'] },
  { name: 'replies to earlier pipelined commands come first', parts: ['SET a 1\r\nGET a\r\n*1\r\n$4\r\nPING\r\nINCR a\r\n*x\r\nPING\r\n'] },
  {
    name: 'earlier pipelined commands on several shards, then an error',
    parts: [Buffer.concat([mb('MSET', 'k1', 'a', 'k2', 'b', 'k3', 'c', 'k4', 'd'), mb('MGET', 'k1', 'k2', 'k3', 'k4'), mb('DEL', 'k1', 'k2', 'k3', 'k4'), Buffer.from('*1\r\nx\r\n')])],
  },
  { name: 'error after a command split over several writes', parts: ['*2\r\n$4\r\nEC', 'HO\r\n$3\r\nab', 'c\r\n', '*2\r\n$-5\r\n'], gapMs: 30 },
  { name: 'too big inline request', parts: ['x'.repeat(BIG + 100)] },
  { name: 'too big inline request in several writes', parts: ['x'.repeat(40_000), 'x'.repeat(40_000)], gapMs: 30 },
  { name: 'an inline request of almost 64 KB with its newline is fine', parts: [`ECHO ${'y'.repeat(BIG - 20)}\r\n`] },
  { name: 'too big mbulk count string', parts: [`*${'1'.repeat(BIG + 10)}`] },
  { name: 'too big bulk count string', parts: [`*1\r\n$${'1'.repeat(BIG + 10)}`] },
  { name: 'protocol desync #1: NUL then data', parts: [Buffer.from([0]), 'payload'.repeat(10_000)] },
  { name: 'protocol desync #2: "*" NUL then data', parts: [Buffer.from('*\0'), 'payload'.repeat(10_000)] },
  { name: 'protocol desync #3: "$" NUL then data', parts: [Buffer.from('$\0'), 'payload'.repeat(10_000)] },
  { name: 'a NUL in an inline line: Redis waits for the newline it cannot find', parts: [Buffer.from('PING\r\nECHO a\0b\r\nPING\r\n')] },
  { name: 'bytes after bulk data are not checked', parts: ['*2\r\n$4\r\nECHO\r\n$1\r\naXY*1\r\n$4\r\nPING\r\n'] },
  { name: 'QUIT: +OK, then the connection closes and later commands are ignored', parts: ['PING\r\nQUIT\r\nSET quitkey 1\r\nPING\r\n'] },
  { name: 'QUIT with arguments', parts: ['QUIT now please\r\nPING\r\n'] },
  { name: 'QUIT then bad protocol in the same write: no error reply', parts: ['PING\r\nQUIT\r\n*x\r\n'] },
  { name: 'QUIT then bad protocol in a later write: no error reply', parts: ['QUIT\r\n', '"unbalanced\r\n'], gapMs: 5 },
  { name: 'QUIT in its own write, then more commands', parts: ['*1\r\n$4\r\nQUIT\r\n', 'PING\r\n'], gapMs: 20 },
  { name: 'unknown command in a pipeline does not close', parts: ['FOO bar\r\nPING\r\n'] },
  { name: 'half-close after a pipeline across shards: every reply, then close', parts: [pipeline(2000)], halfClose: true },
  { name: 'half-close after a partial command: replies to the complete ones, then close', parts: ['PING\r\nSET a 1\r\n*2\r\n$3\r\nGET\r\n'], halfClose: true },
  { name: 'half-close after a protocol error', parts: ['PING\r\n*x\r\n'], halfClose: true },
  { name: 'half-close with nothing sent', parts: [''], halfClose: true },
  { name: 'binary arguments round-trip', parts: [mb('ECHO', Buffer.from([0, 13, 10, 0xff, 0x80, 36, 42]))] },
  { name: 'large number of args', parts: [mb('MSET', ...Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 'v' : `{k}${i}`)))], quietMs: 3000 },
];

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('protocol errors on the wire, shardis (%i shards) vs redis-server', (shards) => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      // A half-closed client waits for the server's close; a busy machine may pause longer than the usual quiet period.
      const opts = { gapMs: c.gapMs, halfClose: c.halfClose, quietMs: c.halfClose ? 5000 : c.quietMs };
      const [a, b] = await Promise.all([exchange(ours.port, c.parts, opts), exchange(theirs.port, c.parts, opts)]);
      expect(shorten(a.received), 'bytes received').toBe(shorten(b.received));
      expect(a.closed, `closed (received ${shorten(a.received, 120)})`).toBe(b.closed);
    });
  }

  it('a client whose connection closed on a protocol error leaves no trace for other clients', async () => {
    const [a, b] = await Promise.all([exchange(ours.port, ['*1\r\n$4\r\nPING\r\n']), exchange(theirs.port, ['*1\r\n$4\r\nPING\r\n'])]);
    expect(a).toEqual(b);
  });
});

describe.skipIf(!requireRedisServer())('protocol errors before authentication (requirepass set)', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 2, args: ['--requirepass', 'secret'] }), startRedis(['--requirepass', 'secret'])]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  const cases: Case[] = [
    { name: 'unauthenticated multibulk length', parts: ['PING\r\n*11\r\n'] },
    { name: 'ten arguments are still allowed', parts: [mb('ECHO', ...Array.from({ length: 9 }, () => 'a')), 'PING\r\n'] },
    { name: 'unauthenticated bulk length', parts: ['*2\r\n$4\r\nAUTH\r\n$16385\r\n'] },
    { name: 'a 16384-byte bulk is still allowed', parts: [mb('AUTH', 'p'.repeat(16384))] },
    { name: 'invalid multibulk length wins over unauthenticated', parts: ['*3000000000\r\n'] },
    { name: 'invalid bulk length wins over unauthenticated', parts: ['*1\r\n$-1\r\n'] },
    { name: 'after AUTH the limits no longer apply', parts: [mb('AUTH', 'secret'), mb('ECHO', 'x'.repeat(20_000)), mb('MSET', ...Array.from({ length: 12 }, (_, i) => `{t}${i}`))] },
    { name: 'after a failed AUTH they still apply', parts: [mb('AUTH', 'wrong'), '*11\r\n'] },
    { name: 'NOAUTH for commands, no_auth commands still run', parts: ['GET x\r\nPING\r\nECHO a\r\nQUIT\r\n'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const [a, b] = await Promise.all([exchange(ours.port, c.parts), exchange(theirs.port, c.parts)]);
      expect(shorten(a.received)).toBe(shorten(b.received));
      expect(a.closed).toBe(b.closed);
    });
  }
});
