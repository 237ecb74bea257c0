/**
 * One redis-benchmark run (redis-tools 7.0) against one server, with `--csv`
 * output parsed into numbers.
 *
 * redis-benchmark 7.0 exits on the first error reply ("-e has no effect"), so
 * a non-zero exit or a missing CSV row is how a failing server shows up; a
 * run that exceeds its time limit is killed and reported as stalled.
 */
import { execFileSync, spawn } from 'node:child_process';
import { kill, register } from './servers.js';

export interface BenchmarkLoad {
  /** redis-benchmark's test name for -t (set, get, incr, mset, ping_mbulk ...). */
  test: string;
  clients: number;
  requests: number;
  pipeline: number;
  dataSize: number;
  /** -r; 0 leaves it out (one fixed key). */
  keyspace: number;
  /** --threads: client threads; absent = redis-benchmark's single-threaded default. */
  threads?: number;
}

export interface BenchmarkResult {
  /** The CSV row's test label, e.g. "MSET (10 keys)". */
  label: string;
  rps: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  wallSeconds: number;
  /** CPU seconds redis-benchmark itself used (user + system), NaN if unknown. */
  clientCpuSeconds: number;
  /** What redis-benchmark printed besides the CSV (e.g. "WARNING: Could not fetch server CONFIG"). */
  warnings: string[];
}

export class BenchmarkError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export function benchmarkArgs(port: number, load: BenchmarkLoad): string[] {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(load.clients), '-n', String(load.requests), '-P', String(load.pipeline), '-d', String(load.dataSize)];
  if (load.keyspace > 0) args.push('-r', String(load.keyspace));
  if (load.threads !== undefined) args.push('--threads', String(load.threads));
  args.push('--csv');
  // -t lrange_N first runs an LPUSH of -n elements, which would count in the run's CPU time; the
  // same command given directly reads the list the lpush test filled (run it first).
  const lrange = /^lrange_(\d+)$/.exec(load.test);
  if (lrange !== null) args.push('LRANGE', 'mylist', '0', String(Number(lrange[1]) - 1));
  else args.push('-t', load.test);
  return args;
}

/** Parses `"SET","123.45","0.1",...` rows after the header line. */
function parseCsv(text: string): BenchmarkResult[] {
  const rows: BenchmarkResult[] = [];
  let header: string[] | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('"')) continue;
    const cells = line.trim().split('","').map((c) => c.replace(/^"|"$/g, ''));
    if (cells[0] === 'test') {
      header = cells;
      continue;
    }
    if (header === null) continue;
    const col = (name: string): number => {
      const i = header!.indexOf(name);
      return i < 0 ? NaN : Number(cells[i]);
    };
    rows.push({
      label: cells[0],
      rps: col('rps'),
      avgMs: col('avg_latency_ms'),
      p50Ms: col('p50_latency_ms'),
      p95Ms: col('p95_latency_ms'),
      p99Ms: col('p99_latency_ms'),
      maxMs: col('max_latency_ms'),
      wallSeconds: 0,
      clientCpuSeconds: 0,
      warnings: [],
    });
  }
  return rows;
}

/**
 * redis-benchmark runs under `sh -c '...; times'`: the shell's `times` prints
 * the CPU its reaped children used (from the kernel's rusage, exact to the
 * tick), which nothing can read from /proc once the child is gone. The shell
 * leads its own process group so that a stall kills redis-benchmark too.
 */
const WRAPPER = 'redis-benchmark "$@"; rc=$?; times >&2; exit $rc';
const TIMES_LINE = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/;

export function runBenchmark(port: number, load: BenchmarkLoad, timeoutMs: number): Promise<BenchmarkResult> {
  const args = benchmarkArgs(port, load);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('sh', ['-c', WRAPPER, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    register(child, true);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (stderr.length > 65536) stderr = stderr.slice(-65536);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill(child, true);
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The last `times` line is the children's user and system time.
      const lines = stderr.trim().split('\n');
      let clientCpuSeconds = NaN;
      if (lines.length >= 2 && TIMES_LINE.test(lines[lines.length - 1])) {
        const m = TIMES_LINE.exec(lines[lines.length - 1])!;
        clientCpuSeconds = Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
        lines.splice(-2);
      }
      const output = `${stdout}\n${lines.join('\n')}`.trim();
      const cmd = `redis-benchmark ${args.join(' ')}`;
      if (timedOut) return reject(new BenchmarkError(`stalled: ${cmd} did not finish within ${(timeoutMs / 1000).toFixed(0)} s`, output));
      if (code !== 0) return reject(new BenchmarkError(`${cmd} failed (${code !== null ? `exit code ${code}` : `signal ${signal}`})`, output));
      const rows = parseCsv(stdout);
      if (rows.length !== 1) return reject(new BenchmarkError(`${cmd}: expected one CSV row, got ${rows.length}`, output));
      const warnings = [...stdout.split('\n').filter((l) => !l.startsWith('"')), ...lines].map((l) => l.trim()).filter((l) => l !== '');
      resolve({ ...rows[0], wallSeconds, clientCpuSeconds, warnings });
    });
  });
}

/** First line of `redis-benchmark --version`. */
export function benchmarkVersion(): string {
  return execFileSync('redis-benchmark', ['--version'], { encoding: 'utf8' }).trim();
}
