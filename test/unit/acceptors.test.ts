/**
 * Several acceptor threads (io-threads 2) in front of 4 shards: clients on
 * different acceptors see one server. Each test places its clients on the
 * acceptors it needs (connectOn: a new connection's acceptor is the one whose
 * INFO threads client count grew), so the cross-acceptor paths are taken for
 * sure, not by chance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '../../src/cluster/keyslot.js';
import { arrayElements } from '../../src/resp/reply-scan.js';
import { RawClient } from '../helpers/raw-client.js';
import { startShardis, type RunningServer } from '../helpers/server.js';

const IO_THREADS = 2;
const SHARDS = 4;

const text = (b: Buffer) => b.toString('latin1');
/** The bulk strings of an array reply. */
function bulks(reply: Buffer): (string | null)[] {
  return arrayElements(reply).map(([s, e]) => {
    const item = reply.subarray(s, e).toString('latin1');
    return item.startsWith('$-1') ? null : item.slice(item.indexOf('\r\n') + 2, -2);
  });
}

/** Client count per acceptor, from INFO threads. */
async function threadClients(c: RawClient): Promise<number[]> {
  const info = text(await c.call('INFO', 'threads'));
  return [...info.matchAll(/^io_thread_(\d+):clients=(\d+)/gm)].map((m) => Number(m[2]));
}

describe('several acceptor threads (io-threads 2, 4 shards)', () => {
  let server: RunningServer;
  let control: RawClient;
  const open: RawClient[] = [];

  beforeAll(async () => {
    server = await startShardis({ shards: SHARDS, args: ['--io-threads', String(IO_THREADS)] });
    control = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    control?.close();
    await server?.stop();
  });

  /** A new connection to `port` that landed on acceptor `a` (others opened on the way stay open, unused). */
  async function landOn(port: number, ctl: RawClient, a: number): Promise<RawClient> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const before = await threadClients(ctl);
      const c = await RawClient.connect(port);
      open.push(c);
      await c.call('PING');
      const after = await threadClients(ctl);
      if (after[a] === before[a] + 1) return c;
    }
    throw new Error(`no connection landed on acceptor ${a}`);
  }
  const connectOn = (a: number) => landOn(server.port, control, a);

  it('INFO threads has one line per acceptor; connections spread over both; connected_clients sums them', async () => {
    // Both acceptors take connections (connectOn finds one on each), and the totals add them up.
    const [x, y] = [await connectOn(0), await connectOn(1)];
    const counts = await threadClients(x);
    expect(counts.length).toBe(IO_THREADS);
    for (const n of counts) expect(n).toBeGreaterThan(0);
    const info = text(await y.call('INFO', 'clients'));
    expect(Number(/connected_clients:(\d+)/.exec(info)![1])).toBe(counts.reduce((a, b) => a + b, 0));
    expect(text(await y.call('INFO', 'threads')).replace(/^\$\d+\r\n/, '')).toMatch(/^# Threads\r\nio_thread_0:clients=\d+,reads=\d+,writes=\d+\r\nio_thread_1:clients=\d+,reads=\d+,writes=\d+\r\n\r\n$/);
  });

  it('client ids are unique server-wide and CLIENT LIST shows the clients of both acceptors', async () => {
    const [x, y] = [await connectOn(0), await connectOn(1)];
    const [ix, iy] = [text(await x.call('CLIENT', 'ID')), text(await y.call('CLIENT', 'ID'))];
    expect(ix).not.toBe(iy);
    const list = text(await x.call('CLIENT', 'LIST'));
    expect(list).toContain(`id=${iy.slice(1, -2)} `);
    expect(text(await x.call('CLIENT', 'LIST', 'ID', iy.slice(1, -2), ix.slice(1, -2)))).toMatch(new RegExp(`^.*id=${iy.slice(1, -2)} .*\\n.*id=${ix.slice(1, -2)} `, 's'));
  });

  it('MSET and MGET across shards stay atomic with writers and readers on both acceptors', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `inv:${i}`);
    // The keys live on several shards (slot % 4), so every MSET and MGET is split across them.
    expect(new Set(keys.map((k) => keySlot(k) % SHARDS)).size).toBeGreaterThan(2);
    const writers = [await connectOn(0), await connectOn(1)];
    const readers = [await connectOn(1), await connectOn(0)];
    await writers[0].call('MSET', ...keys.flatMap((k) => [k, 'init']));
    const write = async (w: RawClient, id: number) => {
      for (let round = 0; round < 40; round++) {
        await w.pipeline(Array.from({ length: 10 }, (_, i) => ['MSET', ...keys.flatMap((k) => [k, `${id}-${round}-${i}`])]));
      }
    };
    const mixed: string[] = [];
    const seen = new Set<string>();
    const read = async (r: RawClient) => {
      for (let round = 0; round < 40; round++) {
        for (const reply of await r.pipeline(Array.from({ length: 10 }, () => ['MGET', ...keys]))) {
          const values = bulks(reply);
          seen.add(values[0]!);
          if (new Set(values).size !== 1) mixed.push(values.join(','));
        }
      }
    };
    await Promise.all([write(writers[0], 0), write(writers[1], 1), read(readers[0]), read(readers[1])]);
    expect(mixed).toEqual([]);
    // The readers did see the writers' values change (the check is not vacuous).
    expect(seen.size).toBeGreaterThan(2);
  });

  it('bank transfers with WATCH/MULTI/EXEC from both acceptors keep the total, and a fan-out read always sees it', async () => {
    const accounts = Array.from({ length: 8 }, (_, i) => `bank:${i}`);
    await control.call('MSET', ...accounts.flatMap((k) => [k, '100']));
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const committed = [0, 0];
    const transfer = async (c: RawClient, who: number) => {
      for (let i = 0; i < 60; i++) {
        const from = accounts[rand(8)];
        let to = accounts[rand(8)];
        if (to === from) to = accounts[(accounts.indexOf(from) + 1) % 8];
        await c.call('WATCH', from, to);
        const balance = Number(bulks(await c.call('MGET', from))[0]);
        const amount = Math.min(balance, 1 + rand(20));
        const [, , , exec] = await c.pipeline([['MULTI'], ['DECRBY', from, String(amount)], ['INCRBY', to, String(amount)], ['EXEC']]);
        if (text(exec) !== '*-1\r\n') committed[who]++;
      }
    };
    const totals: number[] = [];
    const audit = async (c: RawClient) => {
      for (let i = 0; i < 100; i++) totals.push(bulks(await c.call('MGET', ...accounts)).reduce((sum, v) => sum + Number(v), 0));
    };
    const [a0, a1, auditor] = [await connectOn(0), await connectOn(1), await connectOn(1)];
    await Promise.all([transfer(a0, 0), transfer(a1, 1), audit(auditor)]);
    expect(new Set(totals)).toEqual(new Set([800]));
    expect(bulks(await control.call('MGET', ...accounts)).reduce((sum, v) => sum + Number(v), 0)).toBe(800);
    expect(committed[0]).toBeGreaterThan(0);
    expect(committed[1]).toBeGreaterThan(0);
  });

  /** INFO blocked_clients: clients blocked where their keys live (or held by CLIENT PAUSE), as Redis' tests wait for it. */
  const blockedClients = async () => Number(/blocked_clients:(\d+)/.exec(text(await control.call('INFO', 'clients')))![1]);
  /** Waits until `n` clients are blocked. */
  async function blockedCount(n: number): Promise<void> {
    while ((await blockedClients()) < n);
  }
  const idOf = async (c: RawClient) => text(await c.call('CLIENT', 'ID')).slice(1, -2);

  it('BLPOP on one acceptor is woken by LPUSH on the other, FIFO per key across acceptors (one shard and several)', async () => {
    for (const keys of [['bq:one'], ['{a}bq', '{b}bq', '{c}bq']]) {
      const [first, second, pusher] = [await connectOn(0), await connectOn(1), await connectOn(1)];
      const before = await blockedClients();
      first.writeRaw(`BLPOP ${keys.join(' ')} 0\r\n`);
      await blockedCount(before + 1);
      second.writeRaw(`BLPOP ${keys.join(' ')} 0\r\n`);
      await blockedCount(before + 2);
      // One push of two elements to the last key: the client that blocked first gets the first.
      const key = keys[keys.length - 1];
      expect(text(await pusher.call('RPUSH', key, 'x', 'y'))).toBe(':2\r\n');
      expect(bulks((await first.read(1))[0])).toEqual([key, 'x']);
      expect(bulks((await second.read(1))[0])).toEqual([key, 'y']);
    }
  });

  it('PUBLISH from 30 fresh connections on both acceptors reaches one subscriber, in order', async () => {
    const sub = await connectOn(0);
    await sub.call('SUBSCRIBE', 'news');
    for (let i = 0; i < 30; i++) {
      const p = await connectOn(i % 2);
      expect(text(await p.call('PUBLISH', 'news', `m${i}`))).toBe(':1\r\n');
      p.close();
    }
    const got = (await sub.read(30)).map((m) => bulks(m)[2]);
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
    expect(text(await control.call('PUBSUB', 'NUMSUB', 'news'))).toBe('*2\r\n$4\r\nnews\r\n:1\r\n');
  });

  it('keyspace notifications of writes made through one acceptor reach a subscriber on the other', async () => {
    const [writer, sub] = [await connectOn(0), await connectOn(1)];
    expect(text(await writer.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'))).toBe('+OK\r\n');
    // CONFIG SET applied on every thread: the other acceptor reads the new value.
    expect(text(await sub.call('CONFIG', 'GET', 'notify-keyspace-events'))).toBe('*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n');
    await sub.call('PSUBSCRIBE', '__keyspace@0__:*ks*');
    // Events raised by one shard arrive in order; those of different shards each arrive, in their own order.
    await writer.call('SET', '{t}ks1', 'v');
    await writer.call('LPUSH', '{t}ks2', 'v');
    await writer.call('DEL', '{t}ks1');
    expect((await sub.read(3)).map((m) => bulks(m).slice(2).join(' '))).toEqual(['__keyspace@0__:{t}ks1 set', '__keyspace@0__:{t}ks2 lpush', '__keyspace@0__:{t}ks1 del']);
    const spread = ['ks:a', 'ks:b', 'ks:c', 'ks:d'];
    expect(new Set(spread.map((k) => keySlot(k) % SHARDS)).size).toBeGreaterThan(1);
    for (const k of spread) await writer.call('SET', k, 'v');
    expect(new Set((await sub.read(4)).map((m) => bulks(m).slice(2).join(' ')))).toEqual(new Set(spread.map((k) => `__keyspace@0__:${k} set`)));
    await writer.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  });

  it('CLIENT KILL ID and CLIENT UNBLOCK reach a client on the other acceptor', async () => {
    const [killer, victim, blocked] = [await connectOn(0), await connectOn(1), await connectOn(1)];
    expect(text(await killer.call('CLIENT', 'KILL', 'ID', await idOf(victim)))).toBe(':1\r\n');
    await victim.waitClosed();
    const id = await idOf(blocked);
    const before = await blockedClients();
    blocked.writeRaw('BLPOP nothing:here 0\r\n');
    await blockedCount(before + 1);
    expect(text(await killer.call('CLIENT', 'UNBLOCK', id))).toBe(':1\r\n');
    expect(text((await blocked.read(1))[0])).toBe('*-1\r\n');
    expect(text(await killer.call('CLIENT', 'UNBLOCK', id))).toBe(':0\r\n');
  });

  it('CLIENT PAUSE WRITE on one acceptor holds writes sent to the other until UNPAUSE, and not reads', async () => {
    const [pauser, writer, reader] = [await connectOn(0), await connectOn(1), await connectOn(1)];
    await pauser.call('DEL', 'paused:k');
    expect(text(await pauser.call('CLIENT', 'PAUSE', '100000', 'WRITE'))).toBe('+OK\r\n');
    const before = await blockedClients();
    writer.writeRaw('SET paused:k v\r\n');
    await blockedCount(before + 1);
    expect(text(await reader.call('GET', 'paused:k'))).toBe('$-1\r\n');
    expect(text(await pauser.call('CLIENT', 'UNPAUSE'))).toBe('+OK\r\n');
    expect(text((await writer.read(1))[0])).toBe('+OK\r\n');
    expect(text(await reader.call('GET', 'paused:k'))).toBe('$1\r\nv\r\n');
  });

  it('MONITOR on one acceptor sees the commands of the other, before the next reply it gets', async () => {
    const [monitor, worker] = [await connectOn(1), await connectOn(0)];
    expect(text(await monitor.call('MONITOR'))).toBe('+OK\r\n');
    await worker.call('SET', 'mon:k', 'v');
    await worker.call('GET', 'mon:k');
    const lines = (await monitor.read(2)).map(text);
    expect(lines[0]).toMatch(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "mon:k" "v"\r\n$/);
    expect(lines[1]).toMatch(/"GET" "mon:k"\r\n$/);
    monitor.close();
  });

  it('INFO totals add up every acceptor: total_commands_processed counts commands run on both', async () => {
    const [x, y] = [await connectOn(0), await connectOn(1)];
    const count = async () => Number(/total_commands_processed:(\d+)/.exec(text(await x.call('INFO', 'stats')))![1]);
    const before = await count();
    await y.pipeline(Array.from({ length: 50 }, () => ['PING']));
    await x.pipeline(Array.from({ length: 25 }, () => ['PING']));
    // The INFO of `before` itself counts once it has run.
    expect(await count()).toBe(before + 1 + 75);
    // Errors, per-command calls and latency percentiles of both acceptors' clients.
    const errors = async () => Number(/errorstat_WRONGTYPE:count=(\d+)/.exec(text(await x.call('INFO', 'errorstats')))?.[1] ?? 0);
    const calls = async () => Number(/cmdstat_lpush:calls=(\d+)/.exec(text(await y.call('INFO', 'commandstats')))?.[1] ?? 0);
    const [e0, c0] = [await errors(), await calls()];
    await x.call('SET', 'totals:s', 'v');
    await y.call('LPUSH', 'totals:s', 'a');
    await x.call('LPUSH', 'totals:s', 'b');
    expect(await errors()).toBe(e0 + 2);
    expect(await calls()).toBe(c0 + 2);
    expect(text(await x.call('INFO', 'latencystats'))).toContain('latency_percentiles_usec_lpush:');
  });

  it('a failing acceptor thread stops the whole server with a log line naming it', async () => {
    const s = await startShardis({ shards: 2, args: ['--io-threads', '2'] });
    const exited = new Promise<number | null>((resolve) => s.process.once('exit', (code) => resolve(code)));
    const ctl = await RawClient.connect(s.port);
    open.push(ctl);
    const victim = await landOn(s.port, ctl, 1);
    victim.writeRaw('DEBUG PANIC\r\n');
    expect(await exited).toBe(1);
    expect(s.output()).toContain('acceptor thread 1 failed, stopping the server: DEBUG PANIC');
  });
});
