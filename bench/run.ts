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
import { compareGroups, cpuDelta, sampleCpu } from './cpu-sample.js';
import { machineInfo } from './machine.js';
import { benchmarkTestName, parseOptions, type BenchOptions } from './options.js';
import { clockTicksPerSecond, machineBusySeconds, processCpuSecondsOrNull, residentBytes, threadCpuSeconds } from './proc-cpu.js';
import { BenchmarkError, benchmarkVersion, runBenchmark, type BenchmarkLoad } from './redis-benchmark.js';
import { markdown, writeReport } from './report.js';
import { shellQuote } from './shell-quote.js';
import { killAll, startRedis, startShardis, type Server, type ServerName } from './servers.js';
import { summarize, type BenchReport, type CaseResult, type PairRun, type ServerRun } from './summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/bench/ → bench/results/ in the source tree. */
const RESULTS_DIR = path.resolve(here, '../../bench/results');
/** Pause between runs so the previous run's sockets are closed and its CPU settled. */
const SETTLE_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The servers in use; a server that died is replaced here so the remaining runs go on. */
const live: Partial<Record<ServerName, Server>> = {};

function startServer(name: ServerName, o: BenchOptions): Promise<Server> {
  return name === 'redis' ? startRedis() : startShardis(o.shards);
}

/** Shard threads (named by thread-names.ts), or CONFIG GET shards when none are named. */
function shardCountOf(s: Server): number {
  const named = threadCpuSeconds(s.pid).filter((t) => /^shard-\d+$/.test(t.name)).length;
  if (named > 0) return named;
  try {
    const out = execFileSync('redis-cli', ['-p', String(s.port), 'CONFIG', 'GET', 'shards'], { encoding: 'utf8', timeout: 5000 });
    return Number(out.trim().split('\n')[1]) || NaN;
  } catch {
    return NaN;
  }
}

function failedRun(server: ServerName, error: string, output: string): ServerRun {
  return {
    server, ok: false, error, errorOutput: output,
    rps: NaN, avgMs: NaN, p50Ms: NaN, p99Ms: NaN, maxMs: NaN, wallSeconds: NaN,
    cpuSeconds: NaN, cpuUsPerOp: NaN, cpuPct: NaN, threadUsPerOp: {}, clientCpuPct: NaN, idleServerCpuPct: NaN, foreignCpuPct: NaN,
  };
}

/** One redis-benchmark run against `server` while `idle` waits, with the CPU both used. */
async function measure(server: Server, idle: Server, load: BenchmarkLoad, timeoutMs: number, incidents: string[]): Promise<ServerRun> {
  const perThread = server.name === 'shardis';
  const machine0 = machineBusySeconds();
  const idle0 = processCpuSecondsOrNull(idle.pid) ?? NaN;
  const cpu0 = sampleCpu(server.pid, perThread);
  let result;
  try {
    result = await runBenchmark(server.port, load, timeoutMs);
  } catch (err) {
    const output = err instanceof BenchmarkError ? err.output : '';
    let message = (err as Error).message;
    const exit = server.exitStatus();
    if (exit !== null) message += `; ${server.name} exited (${exit})`;
    incidents.push(`${server.name} ${load.test} P${load.pipeline}: ${message}\n${lastLines(output, 10)}${exit !== null ? `\nserver output:\n${lastLines(server.output(), 30)}` : ''}`);
    return failedRun(server.name, message, output);
  }
  const cpu1 = sampleCpu(server.pid, perThread);
  for (const w of result.warnings) {
    // Once per server and text: the same warning comes with every run.
    const line = `redis-benchmark against ${server.name} printed: ${w}`;
    if (!incidents.includes(line)) incidents.push(line);
  }
  const idle1 = processCpuSecondsOrNull(idle.pid) ?? NaN;
  const machine1 = machineBusySeconds();

  const cpu = cpuDelta(cpu0, cpu1);
  const wall = result.wallSeconds;
  const threadUsPerOp: Record<string, number> = {};
  for (const [g, s] of Object.entries(cpu.groups)) threadUsPerOp[g] = (s / load.requests) * 1e6;
  const idleSeconds = idle1 - idle0;
  return {
    server: server.name,
    ok: true,
    label: result.label,
    rps: result.rps,
    avgMs: result.avgMs,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    maxMs: result.maxMs,
    wallSeconds: wall,
    cpuSeconds: cpu.seconds,
    cpuUsPerOp: (cpu.seconds / load.requests) * 1e6,
    cpuPct: (cpu.seconds / wall) * 100,
    threadUsPerOp,
    clientCpuPct: (result.clientCpuSeconds / wall) * 100,
    idleServerCpuPct: (idleSeconds / wall) * 100,
    // Never below 0: tick rounding and the polled client CPU make it approximate.
    foreignCpuPct: Math.max(0, ((machine1 - machine0 - cpu.seconds - idleSeconds - result.clientCpuSeconds) / wall) * 100),
  };
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/** Restarts a server that exited, so later cases still run (its keys are gone). */
async function reviveIfDead(name: ServerName, o: BenchOptions, incidents: string[]): Promise<void> {
  const s = live[name]!;
  const exit = s.exitStatus();
  if (exit === null) return;
  incidents.push(`${name} (pid ${s.pid}) exited with ${exit}; restarted. Last output:\n${lastLines(s.output(), 30)}`);
  log(`!! ${name} exited (${exit}); restarting`);
  live[name] = await startServer(name, o);
}

function describe(r: ServerRun): string {
  if (!r.ok) return `FAILED: ${r.error}`;
  const threads = Object.entries(r.threadUsPerOp).sort(([a], [b]) => compareGroups(a, b)).map(([g, us]) => `${g} ${us.toFixed(2)}`).join(', ');
  return (
    `${Math.round(r.rps).toLocaleString('en-US').padStart(9)} ops/s  ${r.cpuUsPerOp.toFixed(2).padStart(6)} µs/op CPU  ` +
    `p50 ${r.p50Ms.toFixed(3)} ms  ${r.wallSeconds.toFixed(1)} s${threads ? `  [${threads}]` : ''}`
  );
}

/** -n for one test and pipeline: fixed, quick, or sized from warm-up rates. */
function requestsFor(o: BenchOptions, pipeline: number, warmRps: number[]): number {
  if (o.requests !== null) return o.requests;
  if (o.quick) return pipeline === 1 ? 5_000 : 20_000;
  // The faster server's rate, so that each server's run lasts at least o.seconds.
  const fastest = Math.max(...warmRps.filter((x) => Number.isFinite(x)), 1000);
  return Math.max(10_000, Math.ceil((fastest * o.seconds) / 10_000) * 10_000);
}

/**
 * A short unmeasured run on each server: warms shardis' JIT and both caches,
 * and gives the rates that size -n.
 */
async function warmUp(load: BenchmarkLoad): Promise<number[]> {
  const warm = { ...load, requests: Math.max(10_000, 5_000 * load.pipeline) };
  const rates: number[] = [];
  for (const name of ['redis', 'shardis'] as const) {
    try {
      rates.push((await runBenchmark(live[name]!.port, warm, 120_000)).rps);
    } catch (err) {
      log(`   warm-up on ${name} failed: ${(err as Error).message}`);
      rates.push(NaN);
    }
    await sleep(SETTLE_MS);
  }
  return rates;
}

/** An absolute path under the current directory, made relative (for readable reports). */
function shortPath(arg: string): string {
  if (!path.isAbsolute(arg)) return arg;
  const rel = path.relative(process.cwd(), arg);
  return rel.startsWith('..') ? arg : rel;
}

/** Both servers under the same load, one after the other in `order`. */
async function runPair(order: ServerName[], load: BenchmarkLoad, timeoutMs: number, tag: string, o: BenchOptions, incidents: string[]): Promise<PairRun> {
  const pair: Partial<Record<ServerName, ServerRun>> = {};
  for (const name of order) {
    const other: ServerName = name === 'redis' ? 'shardis' : 'redis';
    const run = await measure(live[name]!, live[other]!, load, timeoutMs, incidents);
    pair[name] = run;
    log(`${tag.padEnd(16)} ${name.padEnd(7)} ${describe(run)}`);
    if (!run.ok) await reviveIfDead(name, o, incidents);
    await sleep(SETTLE_MS);
  }
  return { first: order[0], disturbed: false, redis: pair.redis!, shardis: pair.shardis! };
}

function commandLine(): string {
  const args = process.argv.slice(2).map(shellQuote);
  if (process.env.npm_lifecycle_event === 'bench') return ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  return ['node', path.relative(process.cwd(), process.argv[1]) || process.argv[1], ...args].join(' ');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
  const startedAt = new Date().toISOString();
  const machine = machineInfo(benchmarkVersion());
  const incidents: string[] = [];

  live.redis = await startRedis();
  live.shardis = await startShardis(o.shards);
  const shards = shardCountOf(live.shardis);
  const redisCommand = live.redis.command.map(shellQuote).join(' ');
  const shardisCommand = ['node', ...live.shardis.command.slice(1).map(shortPath)].map(shellQuote).join(' ');
  log(`redis-server pid ${live.redis.pid} port ${live.redis.port}; shardis pid ${live.shardis.pid} port ${live.shardis.port}, ${shards} shard(s)`);
  log(`${machine.nproc} CPUs, load average ${machine.loadAverageStart.join(' ')}`);

  const cases: CaseResult[] = [];
  for (const test of o.tests) {
    for (const pipeline of o.pipelines) {
      const load: BenchmarkLoad = { test: benchmarkTestName(test), clients: o.clients, requests: 0, pipeline, dataSize: o.dataSize, keyspace: o.keyspace };
      const warmRps = o.quick ? [] : await warmUp(load);
      load.requests = requestsFor(o, pipeline, warmRps);
      // Generous: 20× the slowest warm-up's pace, at least a minute; beyond that the server stalled.
      const slowest = Math.min(...warmRps.filter((x) => Number.isFinite(x) && x > 0));
      const timeoutMs = Number.isFinite(slowest) ? Math.max(60_000, (load.requests / slowest) * 20_000) : 300_000;
      const runs: PairRun[] = [];
      const discarded: PairRun[] = [];
      for (let r = 0; r < o.repeat; r++) {
        // Alternate which server goes first: drift (thermal, neighbours) then hits both alike.
        const order: ServerName[] = r % 2 === 0 ? ['redis', 'shardis'] : ['shardis', 'redis'];
        const attempts: { pair: PairRun; noise: number }[] = [];
        for (let attempt = 0; attempt <= o.retries; attempt++) {
          const pair = await runPair(order, load, timeoutMs, `${test} P${pipeline} #${r + 1}`, o, incidents);
          const noise = Math.max(pair.redis.ok ? pair.redis.foreignCpuPct : 0, pair.shardis.ok ? pair.shardis.foreignCpuPct : 0);
          pair.disturbed = noise > o.maxNoise;
          attempts.push({ pair, noise });
          if (!pair.disturbed) break;
          // A pair another process disturbed says little about either server: run it again, a few times at most.
          if (attempt < o.retries) log(`   disturbed (other processes used ${noise.toFixed(0)}% of a core): running the pair again`);
        }
        // Keep the least disturbed attempt (the undisturbed one when there is one).
        const best = attempts.reduce((a, b) => (b.noise < a.noise ? b : a));
        runs.push(best.pair);
        for (const a of attempts) if (a !== best) discarded.push(a.pair);
      }
      // redis-benchmark's own label ("MSET (10 keys)"), from any run that produced one.
      const label = runs.flatMap((p) => [p.redis.label, p.shardis.label]).find((l) => l !== undefined) ?? load.test.toUpperCase();
      cases.push({ test, label, pipeline, requests: load.requests, runs, discarded, summary: summarize(runs, o.maxNoise) });
    }
  }

  const rssEnd = residentBytes(live.shardis.pid);
  for (const name of ['redis', 'shardis'] as const) {
    const s = live[name]!;
    if (s.exitStatus() !== null) await reviveIfDead(name, o, incidents);
  }
  // Anything shardis printed at loglevel warning while under test is worth a look (not its goodbye).
  const shardisOutput = live.shardis.output().split('\n').filter((l) => l.trim() !== '');
  await Promise.all([live.redis.stop(), live.shardis.stop()]);
  if (shardisOutput.length > 0) incidents.push(`shardis printed (loglevel warning):\n${shardisOutput.slice(-20).join('\n')}`);

  machine.loadAverageEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: commandLine(),
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

// Servers must not outlive the benchmark, whatever ends it.
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping servers`);
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

main().catch(async (err: unknown) => {
  log(`bench failed: ${(err as Error).stack ?? String(err)}`);
  await Promise.all(Object.values(live).map((s) => s.stop().catch(() => undefined)));
  process.exit(1);
});
