/**
 * `npm run bench:scaling`: how shardis scales with its threads. For every
 * configuration io-threads × shards (acceptor threads × shard workers, by
 * default derived from the host's cores: bench/scaling-options.ts) it starts
 * shardis and a fresh redis-server, and runs the same redis-benchmark loads on
 * both, in alternating pairs (bench/pairs.ts, as `npm run bench` does). It
 * reports throughput beside redis-server's and shardis' CPU per operation by
 * thread role, summed and per thread, to show whether the cost of one
 * operation on one thread grows with the number of threads.
 *
 * Writes bench/results/scaling/<UTC timestamp>.json (every run) and .md (the
 * table). Reading it: bench/README.md, "Scaling with threads".
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadsByRole, type ThreadRole } from './cpu-sample.js';
import { machineInfo } from './machine.js';
import { benchmarkTestName } from './options.js';
import { lastLines, log, runCase, sleep, type ServerPair } from './pairs.js';
import { clockTicksPerSecond } from './proc-cpu.js';
import { benchmarkVersion, type BenchmarkLoad } from './redis-benchmark.js';
import { commandLine, displayCommand, writeResultFiles } from './report.js';
import { clientsFor, defaultBenchmarkThreads, defaultGrid, parseScalingOptions, planGrid, type Configuration, type ScalingOptions } from './scaling-options.js';
import { roleSummary, scalingMarkdown, type ConfigResult, type ScalingReport } from './scaling-report.js';
import { killAllOnExit, startRedis, startShardis, type Server, type ServerName } from './servers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/bench/ → bench/results/scaling/ in the source tree. */
const RESULTS_DIR = path.resolve(here, '../../bench/results/scaling');

/** The servers of the configuration under test (main's error path stops them). */
let servers: ServerPair | null = null;

const PORT_ARG = /--port \d+/;

const configName = (c: Configuration) => `${c.ioThreads}×${c.shards}`;

/**
 * Threads per role once the asked-for ones are there: shardis answers PING as soon as acceptor 0
 * listens, before its acceptor workers have started and named themselves. Gives up after 10 s.
 */
async function namedThreads(s: Server, c: Configuration): Promise<Record<ThreadRole, number>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const t = threadsByRole(s.pid);
    if ((t.acceptor === c.ioThreads && t.shard === c.shards) || Date.now() > deadline || s.exitStatus() !== null) return t;
    await sleep(50);
  }
}

/** Both servers of one configuration, then every test and pipeline on them. */
async function runConfiguration(c: Configuration, o: ScalingOptions, benchmarkThreads: number, incidents: string[]): Promise<ConfigResult> {
  const clients = clientsFor(o, c.ioThreads);
  const start = (name: ServerName): Promise<Server> => (name === 'redis' ? startRedis() : startShardis(c.shards, ['--io-threads', String(c.ioThreads)]));
  const result: ConfigResult = { ...c, clients, shardisCommand: '', redisCommand: '', threadsAtStart: null, cases: [] };
  // A fresh redis-server too: both start empty, so SET and GET see the same keyspace on each.
  let redis: Server | null = null;
  try {
    redis = await start('redis');
    servers = { live: { redis, shardis: await start('shardis') }, start };
  } catch (err) {
    await redis?.stop();
    result.error = (err as Error).message.split('\n')[0];
    incidents.push(`${configName(c)}: ${(err as Error).message}`);
    log(`!! ${configName(c)}: ${result.error}; going on with the next configuration`);
    return result;
  }
  const live = servers.live;
  // Ports differ per start: shown as PORT.
  result.shardisCommand = displayCommand(live.shardis.command).replace(PORT_ARG, '--port PORT');
  result.redisCommand = displayCommand(live.redis.command).replace(PORT_ARG, '--port PORT');
  result.threadsAtStart = await namedThreads(live.shardis, c);
  const t = result.threadsAtStart;
  // Per-thread figures divide by the named threads: say so when they are not what was asked for.
  if (t.acceptor !== c.ioThreads || t.shard !== c.shards) {
    incidents.push(`${configName(c)}: shardis has ${t.acceptor} acceptor and ${t.shard} shard thread(s) by name, asked for ${c.ioThreads} and ${c.shards}`);
  }
  log(`== io-threads ${c.ioThreads} × shards ${c.shards}: shardis pid ${live.shardis.pid} port ${live.shardis.port} ` +
    `(threads: ${t.acceptor} acceptor, ${t.shard} shard, ${t.other} other), redis-server pid ${live.redis.pid}; ${clients} clients`);

  for (const test of o.tests) {
    for (const pipeline of o.pipelines) {
      const load: BenchmarkLoad = { test: benchmarkTestName(test), clients, requests: 0, pipeline, dataSize: o.dataSize, keyspace: o.keyspace, threads: benchmarkThreads };
      const k = await runCase(servers, test, load, o, `${configName(c)} ${test} P${pipeline}`, incidents);
      result.cases.push({ ...k, roles: roleSummary(k.runs) });
    }
  }

  for (const s of Object.values(live)) {
    const exit = s.exitStatus();
    if (exit !== null) incidents.push(`${configName(c)}: ${s.name} (pid ${s.pid}) exited with ${exit} after the last run. Last output:\n${lastLines(s.output(), 30)}`);
  }
  // Anything shardis printed at loglevel warning while under test is worth a look (not its goodbye).
  const shardisOutput = live.shardis.output().split('\n').filter((l) => l.trim() !== '');
  if (shardisOutput.length > 0) incidents.push(`${configName(c)}: shardis printed (loglevel warning):\n${shardisOutput.slice(-20).join('\n')}`);
  await Promise.all([live.redis.stop(), live.shardis.stop()]);
  servers = null;
  return result;
}

/** What the reader should know besides the table: where the grid came from, what was left out, what to distrust. */
function notesFor(o: ScalingOptions, cores: number, plan: ReturnType<typeof planGrid>, configs: ConfigResult[]): string[] {
  const grid = defaultGrid(cores);
  const list = (given: number[] | null, dflt: number[], flag: string) => (given !== null ? `${given.join(', ')} (${flag})` : `${dflt.join(', ')} (default for ${cores} cores)`);
  const notes = [`grid: io-threads ${list(o.ioThreads, grid.ioThreads, '--io-threads')} × shards ${list(o.shards, grid.shards, '--shards')}`];
  if (plan.skipped.length > 0) {
    notes.push(`skipped, io-threads + shards > cores + 1 = ${plan.limit} (run them with --oversubscribe): ${plan.skipped.map(configName).join(', ')}`);
  }
  if (o.oversubscribe && plan.run.some((c) => c.ioThreads + c.shards > plan.limit)) {
    notes.push(`--oversubscribe: ${plan.run.filter((c) => c.ioThreads + c.shards > plan.limit).map(configName).join(', ')} have more threads than cores + 1; their threads share cores`);
  }
  const few = configs.filter((c) => c.clients < 10 * c.ioThreads);
  if (few.length > 0) notes.push(`fewer than 10 clients per acceptor thread in ${few.map(configName).join(', ')}: some acceptors may get few connections`);
  for (const c of configs) if (c.error !== undefined) notes.push(`${configName(c)} did not run: ${c.error}`);
  const cases = configs.flatMap((c) => c.cases);
  if (cases.some((k) => k.summary.disturbedPairs > 0)) {
    notes.push(`rows marked * had other processes using more than ${o.maxNoise}% of a core even after ${o.retries} retries: don't quote them`);
  }
  const failed = cases.reduce((n, k) => n + k.summary.failedRuns, 0);
  if (failed > 0) notes.push(`${failed} run(s) failed (counted in the test name, described under Incidents)`);
  const noise = Math.max(0, ...cases.map((k) => k.summary.foreignCpuPctMax));
  notes.push(`other processes used at most ${noise.toFixed(0)}% of a core during a kept run (from /proc/stat; per run in the JSON)`);
  return notes;
}

async function main(): Promise<void> {
  const o = parseScalingOptions(process.argv.slice(2));
  if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
  const cores = os.availableParallelism();
  const benchmarkThreads = o.threads ?? defaultBenchmarkThreads(cores);
  const plan = planGrid(o, cores);
  if (plan.run.length === 0) throw new Error(`every configuration has io-threads + shards > cores + 1 = ${plan.limit}; add --oversubscribe to run them anyway`);
  const startedAt = new Date().toISOString();
  const machine = machineInfo(benchmarkVersion());
  const incidents: string[] = [];

  const measured = plan.run.length * o.tests.length * o.pipelines.length * o.repeat * 2 * o.seconds;
  log(`${cores} cores: ${plan.run.length} configuration(s) ${plan.run.map(configName).join(' ')}` +
    `${plan.skipped.length > 0 ? `, skipped ${plan.skipped.map(configName).join(' ')} (> ${plan.limit} threads)` : ''}; ` +
    `redis-benchmark --threads ${benchmarkThreads}; about ${Math.ceil(measured / 60)} min of measured runs, plus warm-ups`);

  const configs: ConfigResult[] = [];
  for (const c of plan.run) configs.push(await runConfiguration(c, o, benchmarkThreads, incidents));

  machine.loadAverageEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const report: ScalingReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: commandLine('bench:scaling'),
    options: o,
    cores,
    benchmarkThreads,
    machine,
    clockTicksPerSecond: clockTicksPerSecond(),
    configs,
    skipped: plan.skipped,
    limit: plan.limit,
    notes: notesFor(o, cores, plan, configs),
    incidents,
  };
  const md = scalingMarkdown(report);
  process.stdout.write(`\n${md}`);
  const files = writeResultFiles(o.outDir ?? RESULTS_DIR, startedAt, report, md, false);
  log(`\nwrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
}

killAllOnExit(log);

main().catch(async (err: unknown) => {
  log(`bench:scaling failed: ${(err as Error).stack ?? String(err)}`);
  if (servers !== null) await Promise.all(Object.values(servers.live).map((s) => s.stop().catch(() => undefined)));
  process.exit(1);
});
