/**
 * Starting real servers for black-box tests: shardis (built, from dist/) and
 * Debian's redis-server as the reference. Every server takes a free port and
 * is stopped by the test that started it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARDIS_MAIN = path.join(root, 'dist/src/main.js');

export interface RunningServer {
  port: number;
  process: ChildProcess;
  /** Everything the server printed (stdout + stderr). */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPing(port: number, proc: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (proc.exitCode !== null) return reject(new Error(`server exited with ${proc.exitCode}`));
      const sock = net.connect(port, '127.0.0.1');
      let data = '';
      sock.on('connect', () => sock.write('PING\r\n'));
      sock.on('data', (d) => {
        data += d.toString();
        if (data.includes('\r\n')) {
          sock.destroy();
          // -NOAUTH also proves the server is up.
          resolve();
        }
      });
      sock.on('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`server on port ${port} did not answer`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function track(proc: ChildProcess, port: number): RunningServer {
  let output = '';
  proc.stdout?.on('data', (d) => (output += d.toString()));
  proc.stderr?.on('data', (d) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    port,
    process: proc,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * The suite runs twice in CI (package.json "test"): as it is, and with
 * SHARDIS_TEST_IO_THREADS=2, which gives every shardis it starts two acceptor
 * threads (a test's own --io-threads still wins) and runs the shard-count
 * suites with 2 and 4 shards.
 */
export const TEST_IO_THREADS = Number(process.env.SHARDIS_TEST_IO_THREADS ?? '0');

/** Starts shardis from dist/ (run `npm run build` first; `npm test` does). */
export async function startShardis(opts: { shards?: number; args?: string[]; configFile?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const port = await freePort();
  const args = [SHARDIS_MAIN];
  if (opts.configFile) args.push(opts.configFile);
  args.push('--port', String(port), '--bind', '127.0.0.1', '--shards', String(opts.shards ?? 4), '--loglevel', 'warning');
  if (TEST_IO_THREADS > 0) args.push('--io-threads', String(TEST_IO_THREADS));
  args.push(...(opts.args ?? []));
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ? { ...process.env, ...opts.env } : process.env });
  const server = track(proc, port);
  try {
    await waitForPing(port, proc);
  } catch (err) {
    await server.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n${server.output()}`);
  }
  return server;
}

/** True when Debian's redis-server is installed. */
export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/**
 * For tests that need the reference server: locally they skip when it is
 * absent (with a message); under CI=true its absence fails the run.
 */
export function requireRedisServer(): boolean {
  if (hasRedisServer) return true;
  if (process.env.CI === 'true') throw new Error('redis-server is required under CI=true (apt-get install redis-server)');
  console.warn('redis-server not installed: skipping differential tests (apt-get install redis-server redis-tools)');
  return false;
}

/** Starts the reference redis-server on a free port, without persistence. */
export async function startRedis(args: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = track(proc, port);
  await waitForPing(port, proc);
  return server;
}

/** Shard counts every black-box suite runs with: one, and several so cross-shard paths are hit (2 and 4 with several acceptors). */
export const SHARD_COUNTS = TEST_IO_THREADS > 1 ? [2, 4] : [1, 4];
