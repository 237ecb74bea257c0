/**
 * INFO: Redis 7.0's sections, field names and value formats (server.c
 * genRedisInfoString), with values gathered from the acceptor and from the
 * shards' shared-memory counters (no round trip). A field is emitted only when
 * shardis can give it Redis' meaning; fields about features shardis does not
 * have are left out, except where the Redis value is simply true for us (no
 * AOF: aof_enabled:0). shardis' own fields live in a "shardis" section, which,
 * like a Redis module's section, appears with INFO shardis or INFO everything.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { cpuUsage, memoryUsage } from 'node:process';
import { machine, release, totalmem, type as osType } from 'node:os';
import path from 'node:path';
import { REDIS_COMPAT_VERSION, SHARDIS_VERSION } from '../config/config.js';
import type { StatField } from '../ipc/shard-stats.js';
import type { Host } from './host.js';
import { distinct, gatherReports, instantaneousOf, sumOf, type AcceptorReport } from './acceptor-report.js';
import { commandstats, dbKeyCounts, errorstats, latencystats, memoryFigures, samplePeakMemory } from './introspect/info-sections.js';


/** Redis bytesToHuman. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  let u = 0;
  while (d >= 1024 && u < units.length - 1) {
    d /= 1024;
    u++;
  }
  return `${d.toFixed(2)}${units[u]}`;
}

// ---------------------------------------------------------------------------
// Instantaneous metrics: sampled every 100 ms over a ring of 16 samples, as
// Redis' trackInstantaneousMetric / getInstantaneousMetric.
// ---------------------------------------------------------------------------

const SAMPLES = 16;

class InstantaneousMetric {
  private readonly samples = new Array<number>(SAMPLES).fill(0);
  private idx = 0;
  private lastTime = Date.now();
  private lastCount = 0;

  track(reading: number, now: number): void {
    const t = now - this.lastTime;
    this.samples[this.idx] = t > 0 ? Math.trunc(((reading - this.lastCount) * 1000) / t) : 0;
    this.idx = (this.idx + 1) % SAMPLES;
    this.lastTime = now;
    this.lastCount = reading;
  }

  /** Average per second over the last 16 samples (integer division, as Redis). */
  get(): number {
    return Math.trunc(this.samples.reduce((a, b) => a + b, 0) / SAMPLES);
  }

  reset(now: number): void {
    this.samples.fill(0);
    this.idx = 0;
    this.lastTime = now;
    this.lastCount = 0;
  }
}

const metrics = { ops: new InstantaneousMetric(), netIn: new InstantaneousMetric(), netOut: new InstantaneousMetric() };

/** Shard counter values at the last CONFIG RESETSTAT; INFO shows counts since then. */
const shardBaseline = new Map<StatField, number>();

/** A shard figure that is a current value, not a counter (no RESETSTAT baseline). */
function gauge(a: Host, field: StatField): number {
  let total = 0;
  for (let s = 0; s < a.shards.count; s++) total += a.shards.stats(s).get(field);
  return total;
}

/** Every thread's V8 heap as reserved, not just used: the acceptors' and the shards'. */
function heapTotal(a: Host, r: AcceptorReport[]): number {
  let total = gauge(a, 'heapTotal');
  for (const x of r) total += x.heapTotal;
  return total;
}

/** The main thread's CPU seconds, from /proc (Linux); the whole process elsewhere. */
function mainThreadCpu(): { user: number; sys: number } {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
  } catch {
    const u = cpuUsage();
    return { user: u.user / 1e6, sys: u.system / 1e6 };
  }
}

function shardSum(a: Host, field: StatField): number {
  let total = 0;
  for (let s = 0; s < a.shards.count; s++) total += a.shards.stats(s).get(field);
  return total - (shardBaseline.get(field) ?? 0);
}


/** Starts the 100 ms sampling behind instantaneous_* and used_memory_peak (Redis' serverCron does this). */
export function startInfoSampler(a: Host): NodeJS.Timeout {
  instantaneousOf.read = () => ({ ops: metrics.ops.get(), netIn: metrics.netIn.get(), netOut: metrics.netOut.get() });
  const timer = setInterval(() => {
    const now = Date.now();
    metrics.ops.track(a.stats.totalCommands, now);
    metrics.netIn.track(a.stats.netInputBytes, now);
    metrics.netOut.track(a.stats.netOutputBytes, now);
    samplePeakMemory(a);
  }, 100);
  timer.unref();
  return timer;
}

/**
 * CONFIG RESETSTAT (Redis resetServerStats) on one acceptor: its counters and
 * instantaneous metrics start again from zero, and its view of the shards'
 * counters; the acceptor that ran the command (`shards`) also has the shards
 * reset their per-command statistics.
 */
export function resetStats(a: Host, shards: boolean): void {
  const s = a.stats;
  s.totalConnections = 0;
  s.rejectedConnections = 0;
  s.totalCommands = 0;
  s.netInputBytes = 0;
  s.netOutputBytes = 0;
  s.errorReplies = 0;
  s.readsProcessed = 0;
  s.writesProcessed = 0;
  for (const field of ['expiredKeys', 'keyspaceHits', 'keyspaceMisses', 'expireCycleMs', 'expireTimeCapReached'] as const) {
    shardBaseline.set(field, 0);
    shardBaseline.set(field, shardSum(a, field));
  }
  const now = Date.now();
  for (const m of Object.values(metrics)) m.reset(now);
  a.introspect.resetStats();
  if (!shards) return;
  for (let s = 0; s < a.shards.count; s++) a.shards.sendInternalTo(s, 'shardis|resetstat');
  a.shards.publishAll();
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

type Field = [string, string | number];
/** A section from the host it runs on and every acceptor's report (acceptor-report.ts). */
type Section = (a: Host, r: AcceptorReport[]) => Field[];

function multiplexingApi(): string {
  // libuv's event loop backend.
  if (process.platform === 'linux') return 'epoll';
  if (process.platform === 'win32') return 'iocp';
  return 'kqueue';
}

const sections: Record<string, Section> = {
  server: (a) => {
    const uptime = Math.floor((Date.now() - a.stats.startedAt) / 1000);
    return [
      ['redis_version', REDIS_COMPAT_VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      ['redis_mode', 'standalone'],
      ['os', `${osType()} ${release()} ${machine()}`],
      ['arch_bits', /64/.test(process.arch) ? 64 : 32],
      ['monotonic_clock', 'POSIX clock_gettime'],
      ['multiplexing_api', multiplexingApi()],
      ['atomicvar_api', 'js-atomics'],
      // Not built with GCC: Redis prints 0.0.0 then too.
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', a.registry.id('run')],
      ['tcp_port', a.port],
      ['server_time_usec', Math.round((performance.timeOrigin + performance.now()) * 1000)],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', a.config.hz],
      ['configured_hz', a.config.hz],
      ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
      ['executable', process.argv[1] ? path.resolve(process.argv[1]) : ''],
      ['config_file', a.config.configFile ?? ''],
      // Redis: 1 while I/O threads run; here, while there is more than one acceptor.
      ['io_threads_active', a.peers.count > 1 ? 1 : 0],
    ];
  },
  clients: (a, r) => {
    const most = (pick: (x: AcceptorReport) => number) => r.reduce((m, x) => Math.max(m, pick(x)), 0);
    const total = (pick: (x: AcceptorReport) => number) => r.reduce((n, x) => n + pick(x), 0);
    return [
      ['connected_clients', total((x) => x.clients)],
      ['cluster_connections', 0],
      ['maxclients', a.config.maxclients],
      ['client_recent_max_input_buffer', most((x) => x.maxInput)],
      ['client_recent_max_output_buffer', most((x) => x.maxOutput)],
      // Blocked on one shard (counted there), across shards (waits kept by the acceptors) or held by CLIENT PAUSE.
      ['blocked_clients', gauge(a, 'blockedClients') + total((x) => x.crossBlocked + x.postponed)],
      ['tracking_clients', 0],
      ['clients_in_timeout_table', gauge(a, 'blockedWithTimeout') + total((x) => x.crossWithTimeout)],
    ];
  },
  memory: (a, r) => {
    // The same figures as MEMORY STATS (introspect/info-sections.ts).
    const m = memoryFigures(a, r);
    const used = m.used;
    const peakMemory = m.peak;
    const rss = memoryUsage.rss();
    const total = totalmem();
    const clientsMem = r.reduce((n, x) => n + x.bufferBytes, 0);
    const overhead = m.overhead;
    const dataset = m.dataset;
    const startup = m.startup;
    // The "allocator" is V8: its heaps, every thread, with what they have reserved.
    const active = Math.max(used, heapTotal(a, r));
    const resident = rss;
    const policy = a.config.get('maxmemory-policy') ?? 'noeviction';
    return [
      ['used_memory', used],
      ['used_memory_human', bytesToHuman(used)],
      ['used_memory_rss', rss],
      ['used_memory_rss_human', bytesToHuman(rss)],
      ['used_memory_peak', peakMemory],
      ['used_memory_peak_human', bytesToHuman(peakMemory)],
      ['used_memory_peak_perc', `${((used * 100) / peakMemory).toFixed(2)}%`],
      ['used_memory_overhead', overhead],
      ['used_memory_startup', startup],
      ['used_memory_dataset', dataset],
      ['used_memory_dataset_perc', `${m.datasetPerc.toFixed(2)}%`],
      ['allocator_allocated', used],
      ['allocator_active', active],
      ['allocator_resident', resident],
      ['total_system_memory', total],
      ['total_system_memory_human', bytesToHuman(total)],
      // No scripting engine yet: no Lua VM, scripts or functions.
      ['used_memory_lua', 0],
      ['used_memory_vm_eval', 0],
      ['used_memory_lua_human', '0B'],
      ['used_memory_scripts_eval', 0],
      ['number_of_cached_scripts', 0],
      ['number_of_functions', 0],
      ['number_of_libraries', 0],
      ['used_memory_vm_functions', 0],
      ['used_memory_vm_total', 0],
      ['used_memory_vm_total_human', '0B'],
      ['used_memory_functions', 0],
      ['used_memory_scripts', 0],
      ['used_memory_scripts_human', '0B'],
      ['maxmemory', 0],
      ['maxmemory_human', '0B'],
      ['maxmemory_policy', policy],
      ['allocator_frag_ratio', (active / used).toFixed(2)],
      ['allocator_frag_bytes', active - used],
      ['allocator_rss_ratio', (resident / active).toFixed(2)],
      ['allocator_rss_bytes', resident - active],
      ['rss_overhead_ratio', '1.00'],
      ['rss_overhead_bytes', 0],
      ['mem_fragmentation_ratio', (rss / used).toFixed(2)],
      ['mem_fragmentation_bytes', rss - used],
      ['mem_not_counted_for_evict', 0],
      ['mem_replication_backlog', 0],
      ['mem_total_replication_buffers', 0],
      ['mem_clients_slaves', 0],
      ['mem_clients_normal', clientsMem],
      ['mem_cluster_links', 0],
      ['mem_aof_buffer', 0],
      ['mem_allocator', `v8-${process.versions.v8}`],
      ['active_defrag_running', 0],
      ['lazyfree_pending_objects', 0],
      ['lazyfreed_objects', 0],
    ];
  },
  // No RDB or AOF yet: nothing forks, saves or loads (the fields say so, as an idle Redis' do).
  persistence: (a) => [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(a.stats.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ],
  // Replication, eviction, defragmentation, tracking and forks do not exist yet: their counters are truly 0.
  stats: (a, r) => [
    ['total_connections_received', sumOf(r, 'totalConnections')],
    ['total_commands_processed', sumOf(r, 'totalCommands')],
    ['instantaneous_ops_per_sec', r.reduce((n, x) => n + x.instantaneous.ops, 0)],
    ['total_net_input_bytes', sumOf(r, 'netInputBytes')],
    ['total_net_output_bytes', sumOf(r, 'netOutputBytes')],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', (r.reduce((n, x) => n + x.instantaneous.netIn, 0) / 1024).toFixed(2)],
    ['instantaneous_output_kbps', (r.reduce((n, x) => n + x.instantaneous.netOut, 0) / 1024).toFixed(2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', sumOf(r, 'rejectedConnections')],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', shardSum(a, 'expiredKeys')],
    ['expired_stale_perc', ((gauge(a, 'expiredStalePerc') / a.shards.count) * 100).toFixed(2)],
    ['expired_time_cap_reached_count', shardSum(a, 'expireTimeCapReached')],
    ['expire_cycle_cpu_milliseconds', shardSum(a, 'expireCycleMs')],
    ['evicted_keys', 0],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', shardSum(a, 'keyspaceHits')],
    ['keyspace_misses', shardSum(a, 'keyspaceMisses')],
    ['pubsub_channels', distinct(r, (x) => x.channels)],
    ['pubsub_patterns', distinct(r, (x) => x.patterns)],
    ['pubsubshard_channels', distinct(r, (x) => x.shardChannels)],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', 0],
    ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', sumOf(r, 'errorReplies')],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', sumOf(r, 'readsProcessed')],
    ['total_writes_processed', sumOf(r, 'writesProcessed')],
    // Redis counts the reads and writes its I/O threads did: here, those of every acceptor but the main thread's.
    ['io_threaded_reads_processed', sumOf(r.slice(1), 'readsProcessed')],
    ['io_threaded_writes_processed', sumOf(r.slice(1), 'writesProcessed')],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ],
  replication: (a) => [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', a.registry.id('replid')],
    ['master_replid2', a.registry.id('replid2')],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ],
  cpu: () => {
    // Whole process, every thread (Redis: getrusage(RUSAGE_SELF)); the main thread is the acceptor.
    const u = cpuUsage();
    const main = mainThreadCpu();
    return [
      ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
      ['used_cpu_user', (u.user / 1e6).toFixed(6)],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
      ['used_cpu_sys_main_thread', main.sys.toFixed(6)],
      ['used_cpu_user_main_thread', main.user.toFixed(6)],
    ];
  },
  // No modules: the section is there, empty, as in Redis without modules.
  modules: () => [],
  commandstats,
  errorstats,
  latencystats,
  cluster: () => [['cluster_enabled', 0]],
  keyspace: (a) => {
    const out: Field[] = [];
    for (let db = 0; db < a.config.databases; db++) {
      const { keys, expires } = dbKeyCounts(a, db);
      // avg_ttl: Redis' estimate from its expiry sampling; 0 means "no estimate", which is all we have yet.
      if (keys > 0) out.push([`db${db}`, `keys=${keys},expires=${expires},avg_ttl=0`]);
    }
    return out;
  },
  // Redis 8's section: one line per I/O thread; here, one per acceptor thread (io-threads).
  threads: (_a, r) => r.map((x) => [`io_thread_${x.index}`, `clients=${x.clients},reads=${x.stats.readsProcessed},writes=${x.stats.writesProcessed}`]),
  shardis: (a) => [
    ['shardis_version', SHARDIS_VERSION],
    ['node_version', process.version],
    ['shards', a.shards.count],
    ['socket_io', a.socketIo],
  ],
};

/** Redis' section order; "default" is what INFO with no argument shows. */
const ORDER = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'];
/** Redis 7.0's default sections: all but commandstats and latencystats. */
const DEFAULT = new Set(ORDER.filter((s) => s !== 'commandstats' && s !== 'latencystats'));
/** Sections that only INFO everything or their own name show: Redis 8's threads (Redis 7.0 has none), and ours like a module's. */
const EXTRA = ['threads', 'shardis'];
const TITLES: Record<string, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', modules: 'Modules', commandstats: 'Commandstats', errorstats: 'Errorstats', latencystats: 'Latencystats', cluster: 'Cluster', keyspace: 'Keyspace', threads: 'Threads', shardis: 'Shardis',
};

/** Sections read from shared memory as INFO runs: they must not count the INFO call itself, which is recorded once it has run. */
const READ_NOW = new Set(['commandstats', 'latencystats']);

/**
 * The INFO text (genInfoSectionDict + genRedisInfoString): no argument is
 * "default"; "all" is every section but the extra ones, "everything" all of
 * them; names are case-insensitive and may be combined; unknown names add
 * nothing. Server-wide figures add up every acceptor's report, asked of the
 * others (if any), so the text comes to `done`, at once with one acceptor.
 */
export function infoCommand(a: Host, args: string[], done: (text: string) => void): void {
  const wanted = new Set<string>();
  let all = false;
  let everything = false;
  if (args.length === 0) for (const s of DEFAULT) wanted.add(s);
  for (const arg of args) {
    const name = arg.toLowerCase();
    if (name === 'default') for (const s of DEFAULT) wanted.add(s);
    else if (name === 'all') all = true;
    else if (name === 'everything') everything = all = true;
    else wanted.add(name === 'module_list' ? 'modules' : name);
  }
  const names = [...ORDER.filter((s) => all || wanted.has(s)), ...EXTRA.filter((s) => everything || wanted.has(s))];
  const readNow = new Map(names.filter((n) => READ_NOW.has(n)).map((n) => [n, sections[n](a, [])]));
  gatherReports(a, (reports) => {
    const text = names.map((n) => `# ${TITLES[n]}\r\n${(readNow.get(n) ?? sections[n](a, reports)).map(([k, v]) => `${k}:${v}\r\n`).join('')}`).join('\r\n');
    done(text);
  });
}
