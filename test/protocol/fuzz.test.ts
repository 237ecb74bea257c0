/**
 * Differential protocol fuzzing: random mixes of valid commands and protocol
 * noise (counts, lengths, quotes, escapes, NUL, CR/LF in odd places), cut into
 * random writes, go to shardis and redis-server over fresh connections;
 * everything received until close (or quiet) must be identical.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';
import { exchange, mb, shorten } from './wire.js';

const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('*', '$', '1', '2', '3', '0', '-', '\r\n', '\r', '\n', ' ', '\t', '"', "'", '\\', 'x', '4', 'a', '\0', '\xff') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '*1\r\n$4\r\nPING\r\n',
      '*2\r\n$4\r\nECHO\r\n',
      '$3\r\nabc\r\n',
      '$0\r\n\r\n',
      'PING\r\n',
      'ECHO "a\\x41 b"\r\n',
      "ECHO 'q\\'s'\r\n",
      'SET fz v\r\n',
      'GET fz\r\n',
      'INCR fz\r\n',
      '*3\r\n$3\r\nSET\r\n$2\r\nfz\r\n$1\r\n1\r\n',
      '*-1\r\n',
      '*0\r\n',
      '\r\n',
      'NOSUCH a b\r\n',
      'GET\r\n',
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 6 }).map((a) => Buffer.from(a).toString('latin1')) },
);

const input = fc.tuple(fc.array(token, { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { maxLength: 3 }));

describe.skipIf(!requireRedisServer())('protocol fuzz: shardis vs redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 2 }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  it('random protocol input gets the same bytes and the same close from both servers', async () => {
    await fc.assert(
      fc.asyncProperty(input, async ([tokens, cuts]) => {
        const data = Buffer.from(tokens.join(''), 'latin1');
        const points = [...new Set(cuts.map((c) => c % data.length))].filter((c) => c > 0).sort((a, b) => a - b);
        const parts: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          parts.push(data.subarray(prev, p));
          prev = p;
        }
        parts.push(data.subarray(prev));
        const opts = { quietMs: 120, gapMs: 5 };
        const [a, b] = await Promise.all([exchange(ours.port, parts, opts), exchange(theirs.port, parts, opts)]);
        expect(shorten(a.received), `input ${JSON.stringify(data.toString('latin1'))}`).toBe(shorten(b.received));
        expect(a.closed, `closed, input ${JSON.stringify(data.toString('latin1'))}`).toBe(b.closed);
      }),
      { numRuns: Number(process.env.PROTOCOL_FUZZ_RUNS ?? 120) },
    );
  });

  it('the servers agree on state afterwards', async () => {
    const [a, b] = await Promise.all([exchange(ours.port, [mb('GET', 'fz')]), exchange(theirs.port, [mb('GET', 'fz')])]);
    expect(a).toEqual(b);
  });
});
