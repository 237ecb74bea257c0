/**
 * What bench/scaling.ts records (the JSON file's shape), shardis' CPU per
 * operation by thread role, and the one Markdown table: every io-threads ×
 * shards configuration, test and pipeline, with redis-server measured beside
 * it in the same run.
 */
import { roleOf, type ThreadRole } from './cpu-sample.js';
import type { MachineInfo } from './machine.js';
import { caseName, fixed, listItems, machineLines, ops, table } from './report.js';
import type { Configuration, ScalingOptions } from './scaling-options.js';
import { median } from './stats.js';
import type { CaseResult, PairRun } from './summary.js';

export interface RoleSummary {
  /** Threads of each role in the runs' samples; `other` is one group however many threads it holds, so it has none. */
  threads: Record<CountedRole, number>;
  /** CPU µs per operation of all the role's threads together, median over the pairs. */
  usPerOp: Record<ThreadRole, number>;
}

type CountedRole = Exclude<ThreadRole, 'other'>;

export interface ScalingCase extends CaseResult {
  roles: RoleSummary;
}

export interface ConfigResult extends Configuration {
  clients: number;
  /** The command lines of this configuration's servers, port shown as PORT ('' when they did not start). */
  shardisCommand: string;
  redisCommand: string;
  /** Threads per role right after start-up, null when shardis did not start. */
  threadsAtStart: Record<ThreadRole, number> | null;
  /** Why the configuration has no rows. */
  error?: string;
  cases: ScalingCase[];
}

export interface ScalingReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  options: ScalingOptions;
  /** os.availableParallelism(): what the defaults were derived from. */
  cores: number;
  benchmarkThreads: number;
  machine: MachineInfo;
  clockTicksPerSecond: number;
  configs: ConfigResult[];
  /** Configurations left out: io-threads + shards > limit (cores + 1). */
  skipped: Configuration[];
  limit: number;
  /** Remarks for the reader: skipped configurations, disturbed rows, the grid's origin. */
  notes: string[];
  /** Anything abnormal: failed runs, stalls, server exits, server output. */
  incidents: string[];
}

const ROLES: ThreadRole[] = ['acceptor', 'shard', 'other'];

/** Per-role sums (and thread counts) of each successful shardis run, then their medians. */
export function roleSummary(runs: PairRun[]): RoleSummary {
  const perRun = runs
    .map((p) => p.shardis)
    .filter((r) => r.ok)
    .map((r) => {
      const us: Record<ThreadRole, number> = { acceptor: 0, shard: 0, other: 0 };
      const threads: Record<ThreadRole, number> = { acceptor: 0, shard: 0, other: 0 };
      for (const [group, x] of Object.entries(r.threadUsPerOp)) {
        us[roleOf(group)] += x;
        threads[roleOf(group)]++;
      }
      return { us, threads };
    });
  const medians = (f: (x: (typeof perRun)[number]) => Record<ThreadRole, number>) =>
    Object.fromEntries(ROLES.map((role) => [role, median(perRun.map((x) => f(x)[role]))])) as Record<ThreadRole, number>;
  const threads = medians((x) => x.threads);
  return { threads: { acceptor: threads.acceptor, shard: threads.shard }, usPerOp: medians((x) => x.us) };
}

/** µs/op per thread of a role: its total over its thread count. */
function perThread(r: RoleSummary, role: CountedRole): number {
  return r.threads[role] > 0 ? r.usPerOp[role] / r.threads[role] : NaN;
}

export function scalingTable(configs: ConfigResult[]): string {
  const header = [
    'config (io × shards)', 'test', 'P', 'shardis ops/s', 'redis ops/s', 'ratio',
    'acceptor µs/op', 'per acceptor', 'shard µs/op', 'per shard', 'other µs/op', 'shardis µs/op', 'redis µs/op',
  ];
  const rows = configs.flatMap((c) =>
    c.cases.map((k) => {
      const s = k.summary;
      return [
        `${c.ioThreads} × ${c.shards}`, caseName(k), String(k.pipeline), ops(s.shardisRps), ops(s.redisRps), fixed(s.ratio, 2),
        fixed(k.roles.usPerOp.acceptor, 2), fixed(perThread(k.roles, 'acceptor'), 2),
        fixed(k.roles.usPerOp.shard, 2), fixed(perThread(k.roles, 'shard'), 2),
        fixed(k.roles.usPerOp.other, 2), fixed(s.shardisCpuUs, 2), fixed(s.redisCpuUs, 2),
      ];
    }),
  );
  return table(header, rows, (col) => col > 1);
}

export function scalingMarkdown(r: ScalingReport): string {
  const m = r.machine;
  const o = r.options;
  const clients = [...new Set(r.configs.map((c) => c.ioThreads))].map((k) => `${r.configs.find((c) => c.ioThreads === k)!.clients} at io-threads ${k}`).join(', ');
  const started = r.configs.find((c) => c.shardisCommand !== '');
  const lines = [
    `# shardis scaling: io-threads × shards, against redis-server — ${r.startedAt}`,
    '',
    '```',
    r.command,
    '```',
    '',
    ...machineLines(m),
    `- shardis ${m.shardisCommit}: \`${started?.shardisCommand ?? '—'}\` (--shards and --io-threads per configuration)`,
    `- redis: \`${started?.redisCommand ?? '—'}\` (started afresh with each configuration, like shardis)`,
    `- load: redis-benchmark --threads ${r.benchmarkThreads}, clients ${o.clients !== null ? `${o.clients} (--clients)` : `max(50, 10 × io-threads): ${clients}`}, ` +
      `value ${o.dataSize} B, ${o.keyspace > 0 ? `keyspace ${o.keyspace} (-r)` : 'one key'}, ` +
      `${o.requests !== null ? `-n ${o.requests}` : `-n sized by a warm-up for ~${o.seconds} s per run`}, ` +
      `${o.repeat} pair(s) per row (medians${o.repeat > 1 ? ', order alternating' : ''}); ` +
      `a pair during which other processes used > ${o.maxNoise}% of a core is run again, up to ${o.retries}×`,
    `- load average at start ${m.loadAverageStart.join(' ')}, at end ${(m.loadAverageEnd ?? []).join(' ')}; finished ${r.finishedAt}`,
    '',
    '## Throughput and CPU per operation by thread role',
    '',
    scalingTable(r.configs),
    '',
    'ratio = shardis ops/s ÷ redis ops/s, median of per-pair ratios (redis-server ran the same load in the same pair). ' +
      'CPU µs/op = thread CPU ÷ requests, medians over the pairs: `acceptor` = the main thread and `acceptor-N`, ' +
      '`shard` = `shard-N`, both summed over their threads; "per acceptor" / "per shard" = that sum ÷ the threads of the role; ' +
      '`other` = V8 and libuv threads; `shardis` / `redis` = the whole process. See bench/README.md.',
    '',
  ];
  if (r.notes.length > 0) lines.push('## Notes', '', ...listItems(r.notes), '');
  if (r.incidents.length > 0) lines.push('## Incidents', '', ...listItems(r.incidents), '');
  return lines.join('\n');
}
