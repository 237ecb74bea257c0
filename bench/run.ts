/**
 * `npm run bench`: redis-benchmark against Debian's redis-server and against
 * shardis, same load, same run, one server loaded at a time; throughput, CPU
 * per operation (from /proc, shardis also per thread) and median latency,
 * side by side. Options: bench/options.ts; reading the output: bench/README.md.
 *
 * Both servers stay up for the whole run (so GET finds the keys SET wrote),
 * but only one is under load at any moment; the idle one's CPU is recorded to
 * show it really is idle.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadsByRole } from './cpu-sample.js';
import { machineInfo } from './machine.js';
import { benchmarkTestName, parseOptions, type BenchOptions } from './options.js';
import { log, reviveIfDead, runCase, type ServerPair } from './pairs.js';
import { clockTicksPerSecond, residentBytes } from './proc-cpu.js';
import { benchmarkVersion, type BenchmarkLoad } from './redis-benchmark.js';
import { commandLine, displayCommand, markdown, writeReport } from './report.js';
import { killAllOnExit, startRedis, startShardis, type Server, type ServerName } from './servers.js';
import type { BenchReport, CaseResult } from './summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/bench/ → bench/results/ in the source tree. */
const RESULTS_DIR = path.resolve(here, '../../bench/results');

/** The servers in use, once started (main's error path stops them). */
let servers: ServerPair | null = null;

function startServer(name: ServerName, o: BenchOptions): Promise<Server> {
  return name === 'redis' ? startRedis() : startShardis(o.shards);
}

/** Shard threads (named by thread-names.ts), or CONFIG GET shards when none are named. */
function shardCountOf(s: Server): number {
  const named = threadsByRole(s.pid).shard;
  if (named > 0) return named;
  try {
    const out = execFileSync('redis-cli', ['-p', String(s.port), 'CONFIG', 'GET', 'shards'], { encoding: 'utf8', timeout: 5000 });
    return Number(out.trim().split('\n')[1]) || NaN;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
  const startedAt = new Date().toISOString();
  const machine = machineInfo(benchmarkVersion());
  const incidents: string[] = [];

  servers = { live: { redis: await startRedis(), shardis: await startShardis(o.shards) }, start: (name) => startServer(name, o) };
  const live = servers.live;
  const shards = shardCountOf(live.shardis);
  const redisCommand = displayCommand(live.redis.command);
  const shardisCommand = displayCommand(live.shardis.command);
  log(`redis-server pid ${live.redis.pid} port ${live.redis.port}; shardis pid ${live.shardis.pid} port ${live.shardis.port}, ${shards} shard(s)`);
  log(`${machine.nproc} CPUs, load average ${machine.loadAverageStart.join(' ')}`);

  const cases: CaseResult[] = [];
  for (const test of o.tests) {
    for (const pipeline of o.pipelines) {
      const load: BenchmarkLoad = { test: benchmarkTestName(test), clients: o.clients, requests: 0, pipeline, dataSize: o.dataSize, keyspace: o.keyspace };
      cases.push(await runCase(servers, test, load, o, `${test} P${pipeline}`, incidents));
    }
  }

  const rssEnd = residentBytes(live.shardis.pid);
  for (const name of ['redis', 'shardis'] as const) await reviveIfDead(servers, name, incidents);
  // Anything shardis printed at loglevel warning while under test is worth a look (not its goodbye).
  const shardisOutput = live.shardis.output().split('\n').filter((l) => l.trim() !== '');
  await Promise.all([live.redis.stop(), live.shardis.stop()]);
  if (shardisOutput.length > 0) incidents.push(`shardis printed (loglevel warning):\n${shardisOutput.slice(-20).join('\n')}`);

  machine.loadAverageEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: commandLine('bench'),
    options: o,
    machine,
    clockTicksPerSecond: clockTicksPerSecond(),
    redis: { command: redisCommand },
    shardis: { command: shardisCommand, shards, rssBytesEnd: rssEnd },
    cases,
    incidents,
  };
  process.stdout.write(`\n${markdown(report)}`);
  // Quick runs are smoke tests: they go to an ignored folder and leave latest.md alone.
  const dir = o.outDir ?? (o.quick ? path.join(RESULTS_DIR, 'quick') : RESULTS_DIR);
  const files = writeReport(report, dir, !o.quick);
  log(`\nwrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
}

killAllOnExit(log);

main().catch(async (err: unknown) => {
  log(`bench failed: ${(err as Error).stack ?? String(err)}`);
  if (servers !== null) await Promise.all(Object.values(servers.live).map((s) => s.stop().catch(() => undefined)));
  process.exit(1);
});
