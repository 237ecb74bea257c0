/**
 * What one benchmark run records (the JSON file's shape) and the medians the
 * tables show. Only side-by-side figures mean much on a shared machine, so
 * ratios are taken per pair (both servers, same load, back to back) and the
 * median of those ratios is reported, not the ratio of medians.
 */
import { compareGroups } from './cpu-sample.js';
import type { MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import type { ServerName } from './servers.js';
import { median } from './stats.js';

export interface ServerRun {
  server: ServerName;
  ok: boolean;
  /** redis-benchmark's CSV label, e.g. "MSET (10 keys)" (successful runs). */
  label?: string;
  /** Why the run failed (redis-benchmark error, stall, server crash), with output. */
  error?: string;
  errorOutput?: string;
  rps: number;
  avgMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallSeconds: number;
  /** Server process CPU (all threads, user + system) over the run. */
  cpuSeconds: number;
  cpuUsPerOp: number;
  /** cpuSeconds / wallSeconds × 100: 100 = one core busy all the time. */
  cpuPct: number;
  /** shardis only: CPU µs per op by thread group (acceptor, shard-N, other). */
  threadUsPerOp: Record<string, number>;
  /** redis-benchmark's own CPU during the run, % of one core. */
  clientCpuPct: number;
  /** CPU the other, idle server used meanwhile (should be ~0), % of one core. */
  idleServerCpuPct: number;
  /** CPU every other process on the machine used meanwhile, % of one core. */
  foreignCpuPct: number;
}

export interface PairRun {
  first: ServerName;
  /** Other processes used more than --max-noise % of a core during one of its runs. */
  disturbed: boolean;
  redis: ServerRun;
  shardis: ServerRun;
}

export interface CaseSummary {
  redisRps: number;
  shardisRps: number;
  /** Median over pairs of shardis rps / redis rps. */
  ratio: number;
  redisCpuUs: number;
  shardisCpuUs: number;
  /** Median over pairs of shardis CPU/op ÷ redis CPU/op. */
  cpuRatio: number;
  redisP50Ms: number;
  shardisP50Ms: number;
  redisP99Ms: number;
  shardisP99Ms: number;
  redisCpuPct: number;
  shardisCpuPct: number;
  clientCpuPct: number;
  shardisThreadUs: Record<string, number>;
  /** Worst (highest) over all runs of the case. */
  foreignCpuPctMax: number;
  idleServerCpuPctMax: { redis: number; shardis: number };
  failedRuns: number;
  /** Pairs in the medians that were disturbed anyway (retries exhausted). */
  disturbedPairs: number;
}

export interface CaseResult {
  test: string;
  /** redis-benchmark's label, e.g. "MSET (10 keys)". */
  label: string;
  pipeline: number;
  requests: number;
  /** The pairs the medians come from. */
  runs: PairRun[];
  /** Disturbed pairs that were run again (kept for the record, not in the medians). */
  discarded: PairRun[];
  summary: CaseSummary;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  /** The command line as the user typed it (npm form when run through npm). */
  command: string;
  options: BenchOptions;
  machine: MachineInfo;
  clockTicksPerSecond: number;
  redis: { command: string };
  shardis: { command: string; shards: number; rssBytesEnd: number | null };
  cases: CaseResult[];
  /** Anything abnormal: failed runs, stalls, server exits, server output. */
  incidents: string[];
}

function ratioOf(a: ServerRun, b: ServerRun, field: 'rps' | 'cpuUsPerOp'): number {
  return a.ok && b.ok ? a[field] / b[field] : NaN;
}

export function summarize(runs: PairRun[], maxNoise: number): CaseSummary {
  const ok = (s: ServerName) => runs.map((r) => r[s]).filter((x) => x.ok);
  const med = (s: ServerName, f: (r: ServerRun) => number) => median(ok(s).map(f));
  const groups = new Set<string>();
  for (const r of ok('shardis')) for (const g of Object.keys(r.threadUsPerOp)) groups.add(g);
  const shardisThreadUs: Record<string, number> = {};
  for (const g of [...groups].sort(compareGroups)) shardisThreadUs[g] = med('shardis', (r) => r.threadUsPerOp[g] ?? 0);
  const all = runs.flatMap((r) => [r.redis, r.shardis]);
  const maxOf = (xs: number[]) => xs.reduce((m, x) => (Number.isFinite(x) && x > m ? x : m), 0);
  return {
    redisRps: med('redis', (r) => r.rps),
    shardisRps: med('shardis', (r) => r.rps),
    ratio: median(runs.map((p) => ratioOf(p.shardis, p.redis, 'rps'))),
    redisCpuUs: med('redis', (r) => r.cpuUsPerOp),
    shardisCpuUs: med('shardis', (r) => r.cpuUsPerOp),
    cpuRatio: median(runs.map((p) => ratioOf(p.shardis, p.redis, 'cpuUsPerOp'))),
    redisP50Ms: med('redis', (r) => r.p50Ms),
    shardisP50Ms: med('shardis', (r) => r.p50Ms),
    redisP99Ms: med('redis', (r) => r.p99Ms),
    shardisP99Ms: med('shardis', (r) => r.p99Ms),
    redisCpuPct: med('redis', (r) => r.cpuPct),
    shardisCpuPct: med('shardis', (r) => r.cpuPct),
    clientCpuPct: median(all.filter((r) => r.ok).map((r) => r.clientCpuPct)),
    shardisThreadUs,
    foreignCpuPctMax: maxOf(all.filter((r) => r.ok).map((r) => r.foreignCpuPct)),
    idleServerCpuPctMax: {
      // A server is idle during the other's runs.
      redis: maxOf(runs.map((p) => p.shardis.idleServerCpuPct)),
      shardis: maxOf(runs.map((p) => p.redis.idleServerCpuPct)),
    },
    failedRuns: all.filter((r) => !r.ok).length,
    disturbedPairs: runs.filter((p) => p.disturbed || Math.max(p.redis.foreignCpuPct || 0, p.shardis.foreignCpuPct || 0) > maxNoise).length,
  };
}
