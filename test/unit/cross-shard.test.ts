/**
 * Cross-shard transactions (workers/shard/transaction.ts): commands whose keys
 * live on different shards run whole on one shard while the others wait
 * parked. Checked here with the generic key commands that move values
 * (RENAME, RENAMENX, COPY): the same replies as redis-server, atomicity seen
 * by concurrent readers, and no deadlock under concurrent load.
 */
import { describe, expect, it } from 'vitest';
import { keySlot } from '../../src/cluster/keyslot.js';
import { DiffPair, ttlSign } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer } from '../helpers/server.js';

const SHARDS = 4;
const shardOf = (key: string) => keySlot(key) % SHARDS;

/** n keys named prefix<i>, each on a different shard than the one before. */
function keysOnDistinctShards(prefix: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const k = `${prefix}${i}`;
    if (out.length === 0 || shardOf(k) !== shardOf(out[out.length - 1])) out.push(k);
  }
  return out;
}

describe.skipIf(!requireRedisServer())('cross-shard transactions (4 shards) against redis-server', () => {
  const pair = DiffPair.forSuite(SHARDS);

  it('RENAME, RENAMENX and COPY move values, TTLs and encodings between shards as Redis does', async () => {
    const [a, b, c] = keysOnDistinctShards('k', 3);
    expect(new Set([a, b, c].map(shardOf)).size).toBeGreaterThan(1);
    const cmds = [
      ['SET', a, '12345'],
      ['PEXPIRE', a, '100000'],
      ['RENAME', a, b],
      ['EXISTS', a],
      ['GET', b],
      ['TTL', b],
      ['OBJECT', 'ENCODING', b],
      ['RENAME', a, c],
      ['SET', c, 'x'.repeat(50)],
      ['RENAMENX', b, c],
      ['RENAMENX', c, a],
      ['OBJECT', 'ENCODING', a],
      ['COPY', a, b],
      ['COPY', a, b, 'REPLACE'],
      ['GET', b],
      ['COPY', b, c, 'DB', '1'],
      ['SELECT', '1'],
      ['GET', c],
      ['RENAME', c, a],
      ['GET', a],
      ['SELECT', '0'],
      ['MGET', a, b, c],
      ['DBSIZE'],
      ['APPEND', b, 'tail'],
      ['RENAME', b, c],
      ['OBJECT', 'ENCODING', c],
      ['STRLEN', c],
    ];
    expect(await pair.mismatch(cmds, ttlSign)).toBeNull();
  });

  it('a value moved around by concurrent RENAMEs is always in exactly one place for fan-out readers', async () => {
    const ring = keysOnDistinctShards('token', 6);
    const port = pair.shardis.port;
    const setup = await RawClient.connect(port);
    await setup.call('SET', ring[0], 'the-token');
    const movers = await Promise.all([1, 2, 3].map(() => RawClient.connect(port)));
    const reader = await RawClient.connect(port);
    let stop = false;
    const counts: string[] = [];
    const reading = (async () => {
      while (!stop) counts.push((await reader.call('EXISTS', ...ring)).toString('latin1'));
    })();
    // Each mover tries to move the token from every key to the next one; most tries miss (ERR no such key).
    await Promise.all(
      movers.map(async (m, j) => {
        for (let round = 0; round < 40; round++) {
          const cmds = ring.map((k, i) => ['RENAME', k, ring[(i + 1 + j) % ring.length]]);
          await m.pipeline(cmds);
        }
      }),
    );
    stop = true;
    await reading;
    expect(counts.length).toBeGreaterThan(10);
    expect(new Set(counts)).toEqual(new Set([':1\r\n']));
    expect((await setup.call('EXISTS', ...ring)).toString('latin1')).toBe(':1\r\n');
    for (const c of [setup, reader, ...movers]) c.close();
  });

  it('many clients pipelining cross-shard COPYs in opposite directions all get their replies (no deadlock)', async () => {
    const keys = keysOnDistinctShards('dl', 8);
    const port = pair.shardis.port;
    const clients = await Promise.all(Array.from({ length: 6 }, () => RawClient.connect(port)));
    await clients[0].pipeline(keys.map((k) => ['SET', k, k]));
    const replies = await Promise.all(
      clients.map((c, j) => {
        const cmds: string[][] = [];
        for (let r = 0; r < 200; r++) {
          const from = keys[(r + j) % keys.length];
          const to = keys[(r * 3 + j * 5 + 1) % keys.length];
          cmds.push(j % 2 === 0 ? ['COPY', from, to, 'REPLACE'] : ['COPY', to, from, 'REPLACE']);
        }
        return c.pipeline(cmds);
      }),
    );
    for (const rs of replies) for (const r of rs) expect([':1\r\n', '-ERR source and destination objects are the same\r\n']).toContain(r.toString('latin1'));
    for (const c of clients) c.close();
  });
});
