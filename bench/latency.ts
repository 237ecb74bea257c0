/**
 * Latency at a fixed rate, shardis against redis-server (issue 5's last
 * target): for each test, redis-server's maximum rate is measured with
 * redis-benchmark (pipeline 1, --clients connections), then both servers get
 * the same open-loop load at --fraction of it (default half) from
 * bench/fixed-rate/fixed-rate.c, and the p50 / p99 / p99.9 latencies are
 * compared.
 *
 *   npm run build && node dist/bench/latency.js [--tests get,set] [--seconds 8] [--warmup 2]
 *       [--repeat 2] [--clients 50] [--keyspace 100000] [--fraction 0.5] [--rate N] [--shards N] [--out DIR]
 *
 * Needs redis-server, redis-benchmark and a C compiler (cc). Writes JSON and
 * Markdown under bench/results/latency/ (latest.md is the last run).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine.js';
import { processCpuSeconds } from './proc-cpu.js';
import { benchmarkVersion, runBenchmark } from './redis-benchmark.js';
import { killAll, register, startRedis, startShardis, type Server } from './servers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const SOURCE = path.join(repoRoot, 'bench/fixed-rate/fixed-rate.c');
const BINARY = path.join(here, 'fixed-rate');

interface Options {
  tests: string[];
  seconds: number;
  warmup: number;
  repeat: number;
  clients: number;
  keyspace: number;
  fraction: number;
  rate: number | null;
  shards: number | null;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { tests: ['get', 'set'], seconds: 8, warmup: 2, repeat: 2, clients: 50, keyspace: 100_000, fraction: 0.5, rate: null, shards: null, out: path.join(repoRoot, 'bench/results/latency') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--tests': o.tests = v.split(','); i++; break;
      case '--seconds': o.seconds = Number(v); i++; break;
      case '--warmup': o.warmup = Number(v); i++; break;
      case '--repeat': o.repeat = Number(v); i++; break;
      case '--clients': o.clients = Number(v); i++; break;
      case '--keyspace': o.keyspace = Number(v); i++; break;
      case '--fraction': o.fraction = Number(v); i++; break;
      case '--rate': o.rate = Number(v); i++; break;
      case '--shards': o.shards = Number(v); i++; break;
      case '--out': o.out = path.resolve(v); i++; break;
      default: throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/latency.ts)`);
    }
  }
  for (const t of o.tests) if (t !== 'get' && t !== 'set') throw new Error(`--tests: get and set only (got ${t})`);
  return o;
}

/** Compiles the load generator when it is missing or older than its source. */
function buildGenerator(): void {
  const stale = !fs.existsSync(BINARY) || fs.statSync(BINARY).mtimeMs < fs.statSync(SOURCE).mtimeMs;
  if (stale) execFileSync('cc', ['-O2', '-Wall', '-o', BINARY, SOURCE], { stdio: 'inherit' });
}

interface FixedRateResult {
  sent: number;
  received: number;
  errors: number;
  measured: number;
  rate: number;
  p50_us: number;
  p99_us: number;
  p999_us: number;
  max_us: number;
}

function runFixedRate(port: number, test: string, rate: number, o: Options): Promise<FixedRateResult> {
  const args = ['127.0.0.1', String(port), String(rate), String(o.seconds), String(o.warmup), String(o.clients), String(o.keyspace), test];
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    register(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`fixed-rate exited with ${code}: ${err}`));
      const result = JSON.parse(out.trim()) as FixedRateResult;
      if (result.errors > 0 || result.received !== result.sent) return reject(new Error(`fixed-rate: ${out.trim()}`));
      resolve(result);
    });
  });
}

interface Row {
  test: string;
  rate: number;
  redisMax: number;
  runs: { server: 'redis' | 'shardis'; result: FixedRateResult; cpuUsPerOp: number }[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function table(rows: Row[]): string {
  const lines = [
    '| test | rate (req/s) | redis p50 µs | shardis p50 µs | ratio | redis p99 µs | shardis p99 µs | ratio | redis p99.9 µs | shardis p99.9 µs | ratio | redis CPU µs/op | shardis CPU µs/op |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const pick = (server: string, f: (r: FixedRateResult) => number) => median(row.runs.filter((r) => r.server === server).map((r) => f(r.result)));
    const cpu = (server: string) => median(row.runs.filter((r) => r.server === server).map((r) => r.cpuUsPerOp));
    const cells = [row.test.toUpperCase(), row.rate.toLocaleString('en-US')];
    for (const f of [(r: FixedRateResult) => r.p50_us, (r: FixedRateResult) => r.p99_us, (r: FixedRateResult) => r.p999_us]) {
      const a = pick('redis', f);
      const b = pick('shardis', f);
      cells.push(a.toFixed(0), b.toFixed(0), (b / a).toFixed(2));
    }
    cells.push(cpu('redis').toFixed(2), cpu('shardis').toFixed(2));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  buildGenerator();
  const servers: Record<'redis' | 'shardis', Server> = { redis: await startRedis(), shardis: await startShardis(o.shards) };
  const rows: Row[] = [];
  try {
    // The same keys in both, so GET finds values (redis-benchmark's key:NNNNNNNNNNNN names).
    for (const s of Object.values(servers)) {
      await runBenchmark(s.port, { test: 'set', clients: 50, requests: o.keyspace * 3, pipeline: 16, dataSize: 3, keyspace: o.keyspace }, 120_000);
    }
    for (const test of o.tests) {
      let redisMax = NaN;
      let rate = o.rate;
      if (rate === null) {
        const r = await runBenchmark(servers.redis.port, { test, clients: o.clients, requests: 300_000, pipeline: 1, dataSize: 3, keyspace: o.keyspace }, 120_000);
        redisMax = r.rps;
        rate = Math.round((r.rps * o.fraction) / 1000) * 1000;
      }
      const row: Row = { test, rate, redisMax, runs: [] };
      for (let k = 0; k < o.repeat; k++) {
        const order: ('redis' | 'shardis')[] = k % 2 === 0 ? ['redis', 'shardis'] : ['shardis', 'redis'];
        for (const name of order) {
          const cpu0 = processCpuSeconds(servers[name].pid);
          const result = await runFixedRate(servers[name].port, test, rate, o);
          const cpu = processCpuSeconds(servers[name].pid) - cpu0;
          row.runs.push({ server: name, result, cpuUsPerOp: (cpu * 1e6) / result.sent });
          console.error(`${test} ${name} @${rate}/s: p50 ${result.p50_us} µs, p99 ${result.p99_us} µs, p99.9 ${result.p999_us} µs, max ${result.max_us} µs`);
        }
      }
      rows.push(row);
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  const command = `node dist/bench/latency.js ${process.argv.slice(2).join(' ')}`.trim();
  const m = machineInfo(benchmarkVersion());
  const stamp = new Date().toISOString();
  const md = [
    `# Latency at a fixed rate — ${stamp}`,
    '',
    '```',
    command,
    '```',
    '',
    `- machine: ${JSON.stringify(m)}`,
    `- load: bench/fixed-rate (open loop: each request is due at a fixed time and its latency runs from then), ${o.clients} connections, GET/SET over ${o.keyspace} keys of 3 bytes, ${o.seconds} s measured after ${o.warmup} s of warm-up, ${o.repeat} run(s) per server (medians), order alternating`,
    `- rate: ${o.rate !== null ? 'given with --rate' : `${o.fraction} × redis-server's maximum, measured with redis-benchmark -c ${o.clients} -P 1 just before`}`,
    '',
    table(rows),
    '',
    'ratio = shardis ÷ redis (lower is better for shardis). CPU per operation: the server process, all threads, from /proc.',
    '',
  ].join('\n');
  fs.mkdirSync(o.out, { recursive: true });
  const base = stamp.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  fs.writeFileSync(path.join(o.out, `${base}.json`), JSON.stringify({ command, machine: m, options: o, rows }, null, 2));
  fs.writeFileSync(path.join(o.out, `${base}.md`), md);
  fs.writeFileSync(path.join(o.out, 'latest.md'), md);
  console.log(md);
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
main().catch((err) => {
  killAll();
  console.error(err);
  process.exit(1);
});
