/**
 * INFO: Redis 7.0's sections and field names, with values gathered from the
 * acceptor and from the shards' shared-memory counters (no round trip).
 */
import { cpuUsage, memoryUsage } from 'node:process';
import { arch, platform, release } from 'node:os';
import { REDIS_COMPAT_VERSION } from '../config/config.js';
import type { Acceptor } from '../net/acceptor.js';

const SHARDIS_VERSION = '0.1.0';
const runId = Array.from({ length: 40 }, () => Math.floor(Math.random() * 16).toString(16)).join('');

function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes}B` : `${v.toFixed(2)}${units[u]}`;
}

type Section = (a: Acceptor) => [string, string | number][];

const sections: Record<string, Section> = {
  server: (a) => {
    const uptime = Math.floor((Date.now() - a.stats.startedAt) / 1000);
    return [
      ['redis_version', REDIS_COMPAT_VERSION],
      ['shardis_version', SHARDIS_VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      ['redis_mode', 'standalone'],
      ['os', `${platform()} ${release()} ${arch()}`],
      ['arch_bits', 64],
      ['monotonic_clock', 'POSIX clock_gettime'],
      ['multiplexing_api', 'epoll'],
      ['atomicvar_api', 'c11-builtin'],
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', runId],
      ['tcp_port', a.port],
      ['server_time_usec', Math.round((performance.timeOrigin + performance.now()) * 1000)],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', a.config.hz],
      ['configured_hz', a.config.hz],
      ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
      ['executable', process.argv[1] ?? ''],
      ['config_file', a.config.configFile ?? ''],
      ['io_threads_active', 0],
      ['shards', a.shardCount],
      ['node_version', process.version],
    ];
  },
  clients: (a) => [
    ['connected_clients', a.clients.size],
    ['cluster_connections', 0],
    ['maxclients', a.config.maxclients],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', 0],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', 0],
  ],
  memory: () => {
    const m = memoryUsage();
    const used = m.heapUsed + m.external + m.arrayBuffers;
    return [
      ['used_memory', used],
      ['used_memory_human', human(used)],
      ['used_memory_rss', m.rss],
      ['used_memory_rss_human', human(m.rss)],
      ['used_memory_peak', used],
      ['used_memory_peak_human', human(used)],
      ['used_memory_dataset', m.heapUsed],
      ['total_system_memory', 0],
      ['maxmemory', 0],
      ['maxmemory_human', '0B'],
      ['maxmemory_policy', 'noeviction'],
      ['mem_fragmentation_ratio', (m.rss / Math.max(1, used)).toFixed(2)],
      ['mem_allocator', 'v8'],
    ];
  },
  persistence: (a) => [
    ['loading', 0],
    ['async_loading', 0],
    ['rdb_changes_since_last_save', 0],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(a.stats.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_last_write_status', 'ok'],
  ],
  stats: (a) => {
    let processed = 0;
    let expired = 0;
    let hits = 0;
    let misses = 0;
    for (const s of a.shards) {
      processed += s.stats.get('commandsProcessed');
      expired += s.stats.get('expiredKeys');
      hits += s.stats.get('keyspaceHits');
      misses += s.stats.get('keyspaceMisses');
    }
    void processed;
    return [
      ['total_connections_received', a.stats.totalConnections],
      ['total_commands_processed', a.stats.totalCommands],
      ['instantaneous_ops_per_sec', 0],
      ['total_net_input_bytes', a.stats.netInputBytes],
      ['total_net_output_bytes', a.stats.netOutputBytes],
      ['rejected_connections', a.stats.rejectedConnections],
      ['expired_keys', expired],
      ['evicted_keys', 0],
      ['keyspace_hits', hits],
      ['keyspace_misses', misses],
      ['pubsub_channels', 0],
      ['pubsub_patterns', 0],
      ['total_error_replies', a.stats.errorReplies],
    ];
  },
  replication: () => [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
  ],
  cpu: () => {
    const u = cpuUsage();
    return [
      ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
      ['used_cpu_user', (u.user / 1e6).toFixed(6)],
    ];
  },
  keyspace: (a) => {
    const out: [string, string][] = [];
    for (let db = 0; db < a.config.databases; db++) {
      let keys = 0;
      let expires = 0;
      for (const s of a.shards) {
        const d = s.stats.db(db);
        keys += d.keys;
        expires += d.expires;
      }
      if (keys > 0) out.push([`db${db}`, `keys=${keys},expires=${expires},avg_ttl=0`]);
    }
    return out;
  },
};

const DEFAULT = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'keyspace'];
const TITLES: Record<string, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', keyspace: 'Keyspace',
};

/** The INFO text for the requested sections (default, all, everything, or names). */
export function infoCommand(a: Acceptor, args: string[]): string {
  let names = DEFAULT;
  if (args.length > 0) {
    const wanted = new Set(args.map((s) => s.toLowerCase()));
    if (wanted.has('all') || wanted.has('everything') || wanted.has('default')) names = DEFAULT;
    else names = DEFAULT.filter((n) => wanted.has(n));
  }
  return names
    .map((n) => `# ${TITLES[n]}\r\n${sections[n](a).map(([k, v]) => `${k}:${v}\r\n`).join('')}`)
    .join('\r\n');
}
