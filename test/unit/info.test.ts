/**
 * INFO against redis-server 7.0: which sections each argument selects, that
 * every field we emit is a Redis field of that section (in Redis' order),
 * and that the values are real: clients, commands, keyspace hits and misses,
 * expired keys, the keyspace line, network bytes, errors, ops per second,
 * memory and CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

/** The text of an INFO reply (bulk in RESP2, verbatim "txt:" in RESP3). */
function text(reply: Buffer): string {
  const s = reply.toString('latin1');
  const body = s.slice(s.indexOf('\r\n') + 2, -2);
  return s[0] === '=' ? body.slice(4) : body;
}

/** Sections of an INFO text: title → [field, value][]. */
function parse(info: string): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  let current: [string, string][] = [];
  for (const line of info.split('\r\n')) {
    if (line.startsWith('# ')) out.set(line.slice(2), (current = []));
    else if (line !== '') {
      const colon = line.indexOf(':');
      current.push([line.slice(0, colon), line.slice(colon + 1)]);
    }
  }
  return out;
}

function field(info: string, name: string): string {
  const m = new RegExp(`(?:^|\\r\\n)${name}:([^\\r]*)`).exec(info);
  if (!m) throw new Error(`no ${name} in INFO`);
  return m[1];
}

const num = (info: string, name: string) => Number(field(info, name));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sections Redis has and we leave out (we do not count per-command or per-error statistics yet). */
const REDIS_ONLY = new Set<string>();
/** Sections Redis lists in its command dictionary's hash order (random per process): compared as sets. */
const UNORDERED = new Set(['Commandstats', 'Latencystats', 'Errorstats']);

describe.skipIf(!requireRedisServer())('INFO against redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  let a: RawClient;
  let b: RawClient;

  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 2 }), startRedis()]);
    [a, b] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(theirs.port)]);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  const info = async (c: RawClient, ...args: string[]) => text(await c.call('INFO', ...args));
  /** Runs the same commands on both servers. */
  const run = async (cmds: string[][]) => {
    await Promise.all([a.pipeline(cmds), b.pipeline(cmds)]);
  };

  it('selects the sections Redis selects, for every form of argument', async () => {
    const variants = [[], ['default'], ['all'], ['everything'], ['server'], ['SERVER', 'Keyspace'], ['keyspace', 'server'], ['cpu', 'nosuch'],
      ['all', 'keyspace'], ['default', 'commandstats'], ['modules'], ['module_list'], ['cluster'], ['replication', 'persistence', 'stats']];
    for (const args of variants) {
      const [x, y] = await Promise.all([info(a, ...args), info(b, ...args)]);
      const theirs = [...parse(y).keys()].filter((s) => !REDIS_ONLY.has(s));
      // Ours and Redis 8's Threads appear only with INFO everything or their own names.
      const mine = [...parse(x).keys()].filter((s) => s !== 'Shardis' && s !== 'Threads');
      expect(mine, `INFO ${args.join(' ')}`).toEqual(theirs);
      expect(parse(x).has('Shardis'), `INFO ${args.join(' ')}`).toBe(args.includes('everything'));
      expect(parse(x).has('Threads'), `INFO ${args.join(' ')}`).toBe(args.includes('everything'));
    }
    expect([...parse(await info(a, 'shardis')).keys()]).toEqual(['Shardis']);
    expect([...parse(await info(a, 'threads')).keys()]).toEqual(['Threads']);
    // Unknown sections: an empty reply, in both protocols.
    for (const args of [['nosuch'], ['nosuch', 'other']]) {
      const [x, y] = await Promise.all([a.call('INFO', ...args), b.call('INFO', ...args)]);
      expect(x.toString(), args.join(' ')).toBe(y.toString());
    }
  });

  it('emits only Redis field names, each in its Redis section and in Redis order', async () => {
    const [x, y] = await Promise.all([info(a, 'everything'), info(b, 'everything')]);
    const theirs = parse(y);
    for (const [section, fields] of parse(x)) {
      if (section === 'Shardis' || section === 'Threads' || section === 'Keyspace') continue;
      const names = theirs.get(section)!.map(([k]) => k);
      const mine = fields.map(([k]) => k);
      for (const k of mine) expect(names, `${section}: ${k}`).toContain(k);
      if (UNORDERED.has(section)) expect([...mine].sort(), section).toEqual(names.filter((k) => mine.includes(k)).sort());
      else expect(mine, section).toEqual(names.filter((k) => mine.includes(k)));
    }
    // Our own fields live in our own section.
    expect(parse(x).get('Shardis')!.map(([k]) => k)).toEqual(['shardis_version', 'node_version', 'shards', 'socket_io']);
  });

  it("lists every field of Redis' sections but one that shardis does not measure yet", async () => {
    const [x, y] = await Promise.all([info(a, 'everything'), info(b, 'everything')]);
    const ours = parse(x);
    const notYet = ['rdb_changes_since_last_save'];
    const missing: string[] = [];
    for (const [section, fields] of parse(y)) {
      if (['Commandstats', 'Errorstats', 'Latencystats', 'Keyspace'].includes(section)) continue;
      const mine = new Set((ours.get(section) ?? []).map(([k]) => k));
      for (const [k] of fields) if (!mine.has(k)) missing.push(k);
    }
    expect(missing.sort()).toEqual(notYet);
  });

  it('is a verbatim string in RESP3, as Redis', async () => {
    const [x, y] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(theirs.port)]);
    try {
      await Promise.all([x.call('HELLO', '3'), y.call('HELLO', '3')]);
      const [r1, r2] = await Promise.all([x.call('INFO', 'cluster'), y.call('INFO', 'cluster')]);
      expect(r1.toString()).toBe(r2.toString());
    } finally {
      x.close();
      y.close();
    }
  });

  it('server section: this process, this port, this machine', async () => {
    const [x, y] = await Promise.all([info(a, 'server'), info(b, 'server')]);
    expect(num(x, 'tcp_port')).toBe(ours.port);
    expect(num(x, 'process_id')).toBe(ours.process.pid);
    expect(field(x, 'run_id')).toMatch(/^[0-9a-f]{40}$/);
    for (const same of ['redis_version', 'redis_mode', 'os', 'arch_bits', 'multiplexing_api', 'monotonic_clock', 'hz', 'configured_hz', 'config_file', 'process_supervised']) {
      expect(field(x, same), same).toBe(field(y, same));
    }
    // Active with more than one acceptor thread; Redis with io-threads 1 says 0 too.
    const ioThreads = Number((await a.call('CONFIG', 'GET', 'io-threads')).toString().split('\r\n')[4]);
    expect(field(x, 'io_threads_active')).toBe(ioThreads > 1 ? '1' : field(y, 'io_threads_active'));
    expect(num(x, 'uptime_in_seconds')).toBeLessThan(120);
    expect(Math.abs(num(x, 'server_time_usec') - Date.now() * 1000)).toBeLessThan(5_000_000);
    expect(Math.abs(num(x, 'lru_clock') - num(y, 'lru_clock'))).toBeLessThan(5);
  });

  it('persistence, replication and cluster fields have the values of a Redis without persistence or replicas', async () => {
    const [x, y] = await Promise.all([info(a, 'persistence', 'replication', 'cluster', 'modules'), info(b, 'persistence', 'replication', 'cluster', 'modules')]);
    const theirs = new Map([...parse(y).values()].flat());
    for (const [k, v] of [...parse(x).values()].flat()) {
      if (k === 'rdb_last_save_time' || k === 'master_replid') continue; // start time, random id
      expect(v, k).toBe(theirs.get(k));
    }
    expect(field(x, 'master_replid')).toMatch(/^[0-9a-f]{40}$/);
    expect(field(x, 'master_replid')).not.toBe(field(await info(a, 'server'), 'run_id'));
    expect(Math.abs(num(x, 'rdb_last_save_time') - Date.now() / 1000)).toBeLessThan(120);
  });

  it('connected_clients counts open connections', async () => {
    const before = num(await info(a, 'clients'), 'connected_clients');
    const extra = await Promise.all([1, 2, 3].map(() => RawClient.connect(ours.port)));
    await Promise.all(extra.map((c) => c.call('PING')));
    expect(num(await info(a, 'clients'), 'connected_clients')).toBe(before + 3);
    for (const c of extra) c.close();
    for (let i = 0; i < 50 && num(await info(a, 'clients'), 'connected_clients') !== before; i++) await sleep(20);
    expect(num(await info(a, 'clients'), 'connected_clients')).toBe(before);
    expect(num(await info(a, 'clients'), 'maxclients')).toBe(num(await info(b, 'clients'), 'maxclients'));
  });

  it('total_commands_processed, keyspace hits and misses and error replies move as in Redis', async () => {
    const cmds = [
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['GET', 'a'], ['GET', 'nope'], ['MGET', 'a', 'b', 'c', 'd'], ['EXISTS', 'a', 'zz'],
      ['STRLEN', 'a'], ['TYPE', 'b'], ['PING'], ['ECHO', 'x'], ['DBSIZE'], ['INCR', 'a'], ['DEL', 'b'],
      ['SET', 'w', 'x'], ['INCR', 'w'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'], ['CLIENT', 'ID'],
    ];
    const keys = ['total_commands_processed', 'keyspace_hits', 'keyspace_misses', 'total_error_replies'];
    const snapshot = async (c: RawClient) => {
      const t = await info(c, 'stats');
      return keys.map((k) => num(t, k));
    };
    const [x0, y0] = await Promise.all([snapshot(a), snapshot(b)]);
    await run(cmds);
    const [x1, y1] = await Promise.all([snapshot(a), snapshot(b)]);
    const delta = (p: number[], q: number[]) => Object.fromEntries(keys.map((k, i) => [k, q[i] - p[i]]));
    expect(delta(x0, x1)).toEqual(delta(y0, y1));
    expect(delta(x0, x1).keyspace_hits).toBeGreaterThan(0);
  });

  it('does not count refused commands in total_commands_processed', async () => {
    const snapshot = async (c: RawClient) => num(await info(c, 'stats'), 'total_commands_processed');
    const [x0, y0] = await Promise.all([snapshot(a), snapshot(b)]);
    await run([['NOSUCHCOMMAND'], ['GET'], ['GET', 'a', 'b']]);
    const [x1, y1] = await Promise.all([snapshot(a), snapshot(b)]);
    expect(x1 - x0).toBe(y1 - y0);
  });

  it('total_net_input_bytes counts the bytes received, as Redis', async () => {
    const snapshot = async (c: RawClient) => num(await info(c, 'stats'), 'total_net_input_bytes');
    const [x0, y0] = await Promise.all([snapshot(a), snapshot(b)]);
    await run([['SET', 'net', 'x'.repeat(1000)], ['GET', 'net'], ['PING']]);
    const [x1, y1] = await Promise.all([snapshot(a), snapshot(b)]);
    expect(x1 - x0).toBe(y1 - y0);
    expect(x1 - x0).toBeGreaterThan(1000);
  });

  it('total_net_output_bytes counts every byte sent, as Redis', async () => {
    for (const c of [a, b]) {
      const first = await c.call('INFO', 'stats');
      const ping = await c.call('PING');
      const get = await c.call('GET', 'net');
      const second = text(await c.call('INFO', 'stats'));
      const t1 = num(text(first), 'total_net_output_bytes');
      expect(num(second, 'total_net_output_bytes') - t1).toBe(first.length + ping.length + get.length);
    }
  });

  it('expired_keys and the keyspace line (keys, expires) match Redis', async () => {
    await run([['FLUSHALL'], ['SET', 'e1', 'v', 'PX', '30'], ['SET', 'e2', 'v', 'PX', '30'], ['SET', 'p1', 'v'], ['SET', 'p2', 'v', 'EX', '1000'],
      ['SELECT', '3'], ['SET', 'd3', 'v'], ['SELECT', '0']]);
    const before = await Promise.all([info(a, 'stats'), info(b, 'stats')]);
    await sleep(100);
    await run([['GET', 'e1'], ['GET', 'e2']]);
    const after = await Promise.all([info(a, 'stats'), info(b, 'stats')]);
    expect(num(after[0], 'expired_keys') - num(before[0], 'expired_keys')).toBe(num(after[1], 'expired_keys') - num(before[1], 'expired_keys'));
    expect(num(after[0], 'expired_keys') - num(before[0], 'expired_keys')).toBe(2);
    const [x, y] = await Promise.all([info(a, 'keyspace'), info(b, 'keyspace')]);
    const strip = (s: string) => s.replace(/,avg_ttl=\d+/g, '');
    expect(strip(x)).toBe(strip(y));
    expect(x).toContain('db0:keys=2,expires=1,avg_ttl=');
    expect(x).toContain('db3:keys=1,expires=0,avg_ttl=0');
  });

  it('instantaneous_ops_per_sec and instantaneous_input_kbps follow the load, sampled as Redis does', async () => {
    const load = await RawClient.connect(ours.port);
    try {
      const batch = Array.from({ length: 200 }, (_, i) => ['SET', `ops${i}`, 'x'.repeat(100)]);
      let sent = 0;
      const start = Date.now();
      while (Date.now() - start < 1700) {
        await load.pipeline(batch);
        sent += batch.length;
      }
      const rate = (sent * 1000) / (Date.now() - start);
      const t = await info(a, 'stats');
      expect(num(t, 'instantaneous_ops_per_sec')).toBeGreaterThan(rate / 3);
      expect(num(t, 'instantaneous_ops_per_sec')).toBeLessThan(rate * 3);
      expect(Number(field(t, 'instantaneous_input_kbps'))).toBeGreaterThan(0);
      expect(field(t, 'instantaneous_output_kbps')).toMatch(/^\d+\.\d\d$/);
    } finally {
      load.close();
    }
    // 16 samples of 100 ms: after two idle seconds the average is back to 0.
    await sleep(2000);
    expect(num(await info(a, 'stats'), 'instantaneous_ops_per_sec')).toBe(0);
  });

  it('rejected_connections counts clients refused at maxclients', async () => {
    const before = num(await info(a, 'stats'), 'rejected_connections');
    const open = num(await info(a, 'clients'), 'connected_clients');
    await a.call('CONFIG', 'SET', 'maxclients', String(open));
    try {
      const extra = await RawClient.connect(ours.port);
      const reply = await extra.read(1).catch(() => [Buffer.from('')]);
      expect(reply[0].toString()).toBe('-ERR max number of clients reached\r\n');
      extra.close();
      expect(num(await info(a, 'stats'), 'rejected_connections')).toBe(before + 1);
    } finally {
      await a.call('CONFIG', 'SET', 'maxclients', '10000');
    }
  });

  it('memory and CPU fields are real measurements in Redis formats', async () => {
    const [x, y] = await Promise.all([info(a, 'memory', 'cpu'), info(b, 'memory')]);
    const used = num(x, 'used_memory');
    expect(used).toBeGreaterThan(1024 * 1024);
    expect(num(x, 'used_memory_peak')).toBeGreaterThanOrEqual(used);
    expect(num(x, 'used_memory_rss')).toBeGreaterThan(1024 * 1024);
    const human = (n: number) => (n < 1024 ? `${n}B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(2)}K` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(2)}M` : `${(n / 1024 ** 3).toFixed(2)}G`);
    for (const f of ['used_memory', 'used_memory_rss', 'used_memory_peak', 'total_system_memory']) expect(field(x, `${f}_human`), f).toBe(human(num(x, f)));
    expect(field(x, 'total_system_memory')).toBe(field(y, 'total_system_memory'));
    for (const f of ['maxmemory', 'maxmemory_human', 'maxmemory_policy']) expect(field(x, f), f).toBe(field(y, f));
    expect(field(x, 'used_memory_peak_perc')).toMatch(/^\d+\.\d\d%$/);
    expect(Number(field(x, 'mem_fragmentation_ratio'))).toBeCloseTo(num(x, 'used_memory_rss') / used, 1);
    expect(field(x, 'used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
    expect(Number(field(x, 'used_cpu_user')) + Number(field(x, 'used_cpu_sys'))).toBeGreaterThan(0);
  });
});
