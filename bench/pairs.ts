/**
 * Side-by-side measured runs, shared by run.ts and scaling.ts: one
 * redis-benchmark run with the server's CPU (and the machine's) read around
 * it, a pair (both servers under the same load, one after the other) and a
 * case (a warm-up that sizes -n, then --repeat pairs alternating which server
 * goes first, a pair that other processes disturbed run again).
 *
 * Both servers stay up between runs, but only one is under load at any
 * moment; the idle one's CPU is recorded to show it really is idle. A server
 * that dies is reported and started again, so the remaining runs go on.
 */
import { compareGroups, cpuDelta, sampleCpu } from './cpu-sample.js';
import type { SharedOptions } from './options.js';
import { machineBusySeconds, processCpuSecondsOrNull } from './proc-cpu.js';
import { BenchmarkError, runBenchmark, type BenchmarkLoad } from './redis-benchmark.js';
import type { Server, ServerName } from './servers.js';
import { summarize, type CaseResult, type PairRun, type ServerRun } from './summary.js';

/** Pause between runs so the previous run's sockets are closed and its CPU settled. */
const SETTLE_MS = 300;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Progress goes to stderr; stdout carries only the report. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/** The two servers under test; `start` makes a new one with the same options when one died. */
export interface ServerPair {
  live: Record<ServerName, Server>;
  start: (name: ServerName) => Promise<Server>;
}

/** What a case needs from the options (-n sizing, pairs, retries). */
export type CaseOptions = Pick<SharedOptions, 'requests' | 'seconds' | 'repeat' | 'retries' | 'maxNoise'> & { quick?: boolean };

function failedRun(server: ServerName, error: string, output: string): ServerRun {
  return {
    server, ok: false, error, errorOutput: output,
    rps: NaN, avgMs: NaN, p50Ms: NaN, p99Ms: NaN, maxMs: NaN, wallSeconds: NaN,
    cpuSeconds: NaN, cpuUsPerOp: NaN, cpuPct: NaN, threadUsPerOp: {}, clientCpuPct: NaN, idleServerCpuPct: NaN, foreignCpuPct: NaN,
  };
}

/** One redis-benchmark run against `server` while `idle` waits, with the CPU both used. */
async function measure(server: Server, idle: Server, load: BenchmarkLoad, timeoutMs: number, tag: string, incidents: string[]): Promise<ServerRun> {
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
    incidents.push(`${server.name} ${tag}: ${message}\n${lastLines(output, 10)}${exit !== null ? `\nserver output:\n${lastLines(server.output(), 30)}` : ''}`);
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

/** Starts a server again if it exited, so later runs still happen (its keys are gone). */
export async function reviveIfDead(servers: ServerPair, name: ServerName, incidents: string[]): Promise<void> {
  const s = servers.live[name];
  const exit = s.exitStatus();
  if (exit === null) return;
  incidents.push(`${name} (pid ${s.pid}) exited with ${exit}; restarted. Last output:\n${lastLines(s.output(), 30)}`);
  log(`!! ${name} exited (${exit}); restarting`);
  servers.live[name] = await servers.start(name);
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
function requestsFor(o: CaseOptions, pipeline: number, warmRps: number[]): number {
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
async function warmUp(servers: ServerPair, load: BenchmarkLoad): Promise<number[]> {
  const warm = { ...load, requests: Math.max(10_000, 5_000 * load.pipeline) };
  const rates: number[] = [];
  for (const name of ['redis', 'shardis'] as const) {
    try {
      rates.push((await runBenchmark(servers.live[name].port, warm, 120_000)).rps);
    } catch (err) {
      log(`   warm-up on ${name} failed: ${(err as Error).message}`);
      rates.push(NaN);
    }
    await sleep(SETTLE_MS);
  }
  return rates;
}

/** Both servers under the same load, one after the other in `order`. */
async function runPair(servers: ServerPair, order: ServerName[], load: BenchmarkLoad, timeoutMs: number, tag: string, incidents: string[]): Promise<PairRun> {
  const pair: Partial<Record<ServerName, ServerRun>> = {};
  for (const name of order) {
    const other: ServerName = name === 'redis' ? 'shardis' : 'redis';
    const run = await measure(servers.live[name], servers.live[other], load, timeoutMs, tag, incidents);
    pair[name] = run;
    log(`${tag.padEnd(16)} ${name.padEnd(7)} ${describe(run)}`);
    if (!run.ok) await reviveIfDead(servers, name, incidents);
    await sleep(SETTLE_MS);
  }
  return { first: order[0], disturbed: false, redis: pair.redis!, shardis: pair.shardis! };
}

/**
 * One row of the tables: `test` at `load` (its `requests` is ignored: sized
 * here), warm-up, then o.repeat pairs. `tag` prefixes log lines and incidents.
 */
export async function runCase(servers: ServerPair, test: string, load: BenchmarkLoad, o: CaseOptions, tag: string, incidents: string[]): Promise<CaseResult> {
  const warmRps = o.quick ? [] : await warmUp(servers, load);
  const sized: BenchmarkLoad = { ...load, requests: requestsFor(o, load.pipeline, warmRps) };
  // Generous: 20× the slowest warm-up's pace, at least a minute; beyond that the server stalled.
  const slowest = Math.min(...warmRps.filter((x) => Number.isFinite(x) && x > 0));
  const timeoutMs = Number.isFinite(slowest) ? Math.max(60_000, (sized.requests / slowest) * 20_000) : 300_000;
  const runs: PairRun[] = [];
  const discarded: PairRun[] = [];
  for (let r = 0; r < o.repeat; r++) {
    // Alternate which server goes first: drift (thermal, neighbours) then hits both alike.
    const order: ServerName[] = r % 2 === 0 ? ['redis', 'shardis'] : ['shardis', 'redis'];
    const attempts: { pair: PairRun; noise: number }[] = [];
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      const pair = await runPair(servers, order, sized, timeoutMs, `${tag} #${r + 1}`, incidents);
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
  return { test, label, pipeline: load.pipeline, requests: sized.requests, runs, discarded, summary: summarize(runs, o.maxNoise) };
}
