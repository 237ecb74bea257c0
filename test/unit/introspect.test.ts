/**
 * The operator's view against redis-server: INFO commandstats / errorstats
 * counts after a known sequence, SLOWLOG entries, LATENCY events from DEBUG
 * SLEEP, MEMORY USAGE, OBJECT FREQ under allkeys-lfu, DEBUG OBJECT, LOLWUT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

function infoSection(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

async function infoOf(c: RawClient, section: string): Promise<Map<string, string>> {
  const r = (await c.call('INFO', section)).toString('latin1');
  return infoSection(r.slice(r.indexOf('\r\n') + 2));
}

/** cmdstat values with the timings taken out. */
function counts(m: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of m) out[k] = v.replace(/usec=\d+,usec_per_call=[\d.]+,/, '');
  return out;
}

const SEQUENCE: string[][] = [
  ['SET', 'a', '1'], ['SET', 'b', 'x'], ['GET', 'a'], ['GET', 'nokey'], ['INCR', 'b'], ['INCR', 'a'], ['GET'], ['LPUSH', 'a', 'x'],
  ['MSET', 'k1', '1', 'k2', '2', 'k3', '3'], ['MGET', 'k1', 'k2', 'k3'], ['DEL', 'k1', 'k2'], ['EXISTS', 'k3'], ['NOSUCH'],
  ['OBJECT', 'nosub'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'nosuch', '1'], ['HSET', 'h', 'f', 'v'], ['HGET', 'h', 'f'], ['SADD', 's', '1'],
  ['RPUSH', 'l', 'a', 'b'], ['LRANGE', 'l', '0', '-1'], ['TYPE', 'h'], ['SET', 'a', '1', 'EX', 'notnum'], ['SELECT', '99'],
];

for (const shards of SHARD_COUNTS) {
  describe.skipIf(!requireRedisServer())(`introspection against redis-server (${shards} shard${shards > 1 ? 's' : ''})`, () => {
    let ours: RunningServer;
    let theirs: RunningServer;
    let a: RawClient;
    let b: RawClient;

    beforeAll(async () => {
      [ours, theirs] = await Promise.all([startShardis({ shards }), startRedis(['--enable-debug-command', 'yes'])]);
      [a, b] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(theirs.port)]);
    });
    afterAll(async () => {
      a?.close();
      b?.close();
      await Promise.all([ours?.stop(), theirs?.stop()]);
    });

    it('counts calls, rejected and failed calls and error prefixes as Redis does', async () => {
      for (const c of [a, b]) {
        await c.call('CONFIG', 'RESETSTAT');
        for (const cmd of SEQUENCE) await c.call(...cmd);
      }
      const [x, y] = await Promise.all([infoOf(a, 'commandstats'), infoOf(b, 'commandstats')]);
      expect(counts(x)).toEqual(counts(y));
      const [ex, ey] = await Promise.all([infoOf(a, 'errorstats'), infoOf(b, 'errorstats')]);
      expect(Object.fromEntries(ex)).toEqual(Object.fromEntries(ey));
      const [sx, sy] = await Promise.all([infoOf(a, 'stats'), infoOf(b, 'stats')]);
      expect(sx.get('total_error_replies')).toBe(sy.get('total_error_replies'));
      // latencystats: a line per command with calls, the configured percentiles.
      const [lx, ly] = await Promise.all([infoOf(a, 'latencystats'), infoOf(b, 'latencystats')]);
      expect([...lx.keys()].sort()).toEqual([...ly.keys()].sort());
      for (const v of lx.values()) expect(v).toMatch(/^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
      // CONFIG RESETSTAT empties them.
      for (const c of [a, b]) await c.call('CONFIG', 'RESETSTAT');
      const [ax, ay] = await Promise.all([infoOf(a, 'commandstats'), infoOf(b, 'commandstats')]);
      expect([...ax.keys()]).toEqual([...ay.keys()]);
      expect([...ax.keys()]).toEqual(['cmdstat_config|resetstat']);
    });

    it('SLOWLOG with a threshold of 0 logs every command with Redis entry shape and argument truncation', async () => {
      const many = Array.from({ length: 40 }, (_, i) => `m${i}`);
      const long = 'x'.repeat(200);
      const replies: string[][] = [];
      for (const c of [a, b]) {
        await c.call('CLIENT', 'SETNAME', 'slowpoke');
        await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
        await c.call('SLOWLOG', 'RESET');
        await c.call('SET', 'k', long);
        await c.call('SADD', 'bigset', ...many);
        await c.call('GET', 'k');
        const r = (await c.call('SLOWLOG', 'GET', '3')).toString('latin1');
        await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
        // id, timestamp and duration, and the port, differ: keep the rest.
        replies.push(
          r
            .replace(/:\d+\r\n:\d+\r\n:\d+\r\n\*/g, ':ID\r\n:T\r\n:D\r\n*')
            .replace(/127\.0\.0\.1:\d+/g, 'ADDR')
            .split('\r\n'),
        );
      }
      expect(replies[0]).toEqual(replies[1]);
      expect(replies[0].join('\n')).toContain('... (11 more arguments)');
      expect(replies[0].join('\n')).toContain('... (72 more bytes)');
      const [la, lb] = await Promise.all([a.call('SLOWLOG', 'GET', 'x'), b.call('SLOWLOG', 'GET', 'x')]);
      expect(la.toString()).toBe(lb.toString());
      const [ha, hb] = await Promise.all([a.call('SLOWLOG', 'HELP'), b.call('SLOWLOG', 'HELP')]);
      expect(ha.toString()).toBe(hb.toString());
    });

    it('LATENCY records DEBUG SLEEP as a command event; HISTOGRAM has Redis map shape', async () => {
      await a.call('CONFIG', 'SET', 'latency-monitor-threshold', '50');
      await a.call('LATENCY', 'RESET');
      expect((await a.call('DEBUG', 'SLEEP', '0.12')).toString()).toBe('+OK\r\n');
      const latest = (await a.call('LATENCY', 'LATEST')).toString();
      expect(latest).toMatch(/^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:\d+\r\n:1[2-9]\d\r\n:1[2-9]\d\r\n$/);
      expect((await a.call('LATENCY', 'HISTORY', 'command')).toString()).toMatch(/^\*1\r\n\*2\r\n:\d+\r\n:\d+\r\n$/);
      expect((await a.call('LATENCY', 'GRAPH', 'command')).toString()).toContain('command - high');
      expect((await a.call('LATENCY', 'RESET')).toString()).toBe(':1\r\n');
      const [ga, gb] = await Promise.all([a.call('LATENCY', 'GRAPH', 'nosuch'), b.call('LATENCY', 'GRAPH', 'nosuch')]);
      expect(ga.toString()).toBe(gb.toString());
      const [ha, hb] = await Promise.all([a.call('LATENCY', 'HELP'), b.call('LATENCY', 'HELP')]);
      expect(ha.toString()).toBe(hb.toString());
      await a.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
      for (const c of [a, b]) {
        await c.call('HELLO', '3');
        await c.call('SET', 'h1', 'v');
      }
      const [xa, xb] = await Promise.all([a.call('LATENCY', 'HISTOGRAM', 'set', 'nosuch'), b.call('LATENCY', 'HISTOGRAM', 'set', 'nosuch')]);
      const shape = (s: string) => s.replace(/:\d+\r\n/g, ':N\r\n').replace(/%\d+\r\n(:N\r\n:N\r\n)+/g, '%M\r\n');
      expect(shape(xa.toString())).toBe(shape(xb.toString()));
      for (const c of [a, b]) await c.call('HELLO', '2');
    });

    it('MEMORY USAGE gives sane sizes per encoding; MEMORY HELP and errors as Redis', async () => {
      await a.call('SET', 'small', 'v');
      await a.call('SET', 'big', 'x'.repeat(10000));
      await a.call('RPUSH', 'list', ...Array.from({ length: 100 }, (_, i) => `e${i}`));
      await a.call('HSET', 'hash', ...Array.from({ length: 2000 }, (_, i) => `f${i}`));
      const usage = async (...args: string[]) => Number((await a.call('MEMORY', 'USAGE', ...args)).toString().slice(1));
      const small = await usage('small');
      const big = await usage('big');
      expect(small).toBeGreaterThan(20);
      expect(small).toBeLessThan(120);
      expect(big).toBeGreaterThan(10000);
      expect(big).toBeLessThan(10200);
      expect(await usage('list')).toBeGreaterThan(300);
      const hashSampled = await usage('hash');
      const hashAll = await usage('hash', 'SAMPLES', '0');
      expect(hashAll).toBeGreaterThan(2000 * 16);
      expect(Math.abs(hashSampled - hashAll) / hashAll).toBeLessThan(0.5);
      expect((await a.call('MEMORY', 'USAGE', 'nokey')).toString()).toBe('$-1\r\n');
      for (const args of [['MEMORY', 'USAGE', 'small', 'SAMPLES', '-1'], ['MEMORY', 'USAGE', 'small', 'FOO'], ['MEMORY', 'HELP'], ['MEMORY', 'PURGE']]) {
        const [x, y] = await Promise.all([a.call(...args), b.call(...args)]);
        expect(x.toString(), args.join(' ')).toBe(y.toString());
      }
      const stats = (await a.call('MEMORY', 'STATS')).toString();
      expect(stats).toContain('peak.allocated');
      expect(stats).toContain('dataset.percentage');
    });

    it('OBJECT FREQ counts accesses under allkeys-lfu; IDLETIME and FREQ errors as Redis', async () => {
      const args = [['OBJECT', 'FREQ', 'fk'], ['OBJECT', 'IDLETIME', 'fk']];
      for (const c of [a, b]) await c.call('SET', 'fk', 'v');
      const [fa, fb] = await Promise.all([a.call(...args[0]), b.call(...args[0])]);
      expect(fa.toString()).toBe(fb.toString()); // the error: no LFU policy
      for (const c of [a, b]) {
        await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
        await c.call('SET', 'fk', 'v');
      }
      for (const q of args) {
        const [x, y] = await Promise.all([a.call(...q), b.call(...q)]);
        expect(x.toString(), q.join(' ')).toBe(y.toString());
      }
      for (let i = 0; i < 30; i++) await a.call('GET', 'fk');
      const freq = Number((await a.call('OBJECT', 'FREQ', 'fk')).toString().slice(1));
      expect(freq).toBeGreaterThan(6);
      for (const c of [a, b]) await c.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    });

    it('DEBUG OBJECT has Redis line format; DEBUG errors and LOLWUT as Redis', async () => {
      const norm = (s: string) => s.replace(/at:0x[0-9a-f]+/, 'at:P').replace(/lru:\d+ lru_seconds_idle:\d+/, 'lru:L');
      for (const c of [a, b]) {
        await c.call('SET', 'dn', '12345');
        await c.call('SET', 'ds', 'hello');
        await c.call('DEL', 'dl');
        await c.call('RPUSH', 'dl', 'a', 'b', 'c');
      }
      for (const key of ['dn', 'ds']) {
        const [x, y] = await Promise.all([a.call('DEBUG', 'OBJECT', key), b.call('DEBUG', 'OBJECT', key)]);
        expect(norm(x.toString()), key).toBe(norm(y.toString()));
      }
      const list = (await a.call('DEBUG', 'OBJECT', 'dl')).toString();
      expect(list).toMatch(/^\+Value at:0x[0-9a-f]+ refcount:1 encoding:quicklist serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+ ql_nodes:1 ql_avg_node:3\.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:\d+\r\n$/);
      for (const args of [['DEBUG', 'OBJECT', 'nokey'], ['DEBUG', 'nosuch'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'], ['LOLWUT'], ['LOLWUT', 'VERSION', '7'], ['LOLWUT', 'VERSION', 'x']]) {
        const [x, y] = await Promise.all([a.call(...args), b.call(...args)]);
        expect(x.toString(), args.join(' ')).toBe(y.toString());
      }
    });
  });
}
