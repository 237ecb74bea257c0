/**
 * Starting and stopping the two servers under test on free ports: Debian's
 * redis-server without persistence, and shardis from dist/. Every child the
 * benchmark starts is registered here and killed when the benchmark ends,
 * fails or is interrupted (Ctrl-C), so no server outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/bench/ → dist/src/main.js */
export const SHARDIS_MAIN = path.resolve(here, '../src/main.js');
const THREAD_NAMES = path.resolve(here, 'thread-names.js');

export type ServerName = 'redis' | 'shardis';

export interface Server {
  name: ServerName;
  port: number;
  pid: number;
  /** The exact command line, for the report. */
  command: string[];
  /** Everything the server printed so far (stdout + stderr), last 64 KB. */
  output: () => string;
  /** Exit code or signal once it exited, null while it runs. */
  exitStatus: () => string | null;
  stop: () => Promise<void>;
}

/** Children to kill at the end; `group` when the child leads a process group (spawned detached). */
const children = new Map<ChildProcess, { group: boolean }>();

/** Remembers a child so that killAll() reaches it; forgets it once it exits. */
export function register(child: ChildProcess, group = false): void {
  children.set(child, { group });
  child.once('exit', () => children.delete(child));
}

/** SIGKILL to a child, or to its whole process group. */
export function kill(child: ChildProcess, group: boolean): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (group) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Synchronous SIGKILL to every child still running (for exit and signal paths). */
export function killAll(): void {
  for (const [child, { group }] of children) kill(child, group);
}

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

/** Resolves once the server answers a PING (any reply line counts). */
function waitForPing(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error('server exited during start-up'));
      const sock = net.connect(port, '127.0.0.1');
      let data = '';
      sock.on('connect', () => sock.write('PING\r\n'));
      sock.on('data', (d) => {
        data += d.toString('latin1');
        if (data.includes('\r\n')) {
          sock.destroy();
          resolve();
        }
      });
      sock.on('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`no answer on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

async function launch(name: ServerName, file: string, args: string[], port: number): Promise<Server> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  register(child);
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString('utf8');
    if (output.length > 65536) output = output.slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exitStatus = () =>
    child.exitCode !== null ? `exit code ${child.exitCode}` : child.signalCode !== null ? `signal ${child.signalCode}` : null;
  const server: Server = {
    name,
    port,
    pid: child.pid ?? -1,
    command: [file, ...args],
    output: () => output,
    exitStatus,
    stop: async () => {
      if (exitStatus() === null) child.kill('SIGTERM');
      // A server that does not stop within 10 s is killed: the benchmark must end.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitForPing(port, child);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${name} did not start: ${(err as Error).message}\n${output}`);
  }
  return server;
}

export async function startRedis(): Promise<Server> {
  const port = await freePort();
  return launch('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
}

/** shardis with `--shards` (null: its default) and any further options, e.g. `['--io-threads', '2']`. */
export async function startShardis(shards: number | null, extraArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const args = ['--import', THREAD_NAMES, SHARDIS_MAIN, '--port', String(port), '--bind', '127.0.0.1', '--loglevel', 'warning'];
  if (shards !== null) args.push('--shards', String(shards));
  args.push(...extraArgs);
  return launch('shardis', process.execPath, args, port);
}

/**
 * Servers must not outlive the benchmark, whatever ends it: kills every child
 * on exit, and on SIGINT (Ctrl-C), SIGTERM and SIGHUP before exiting.
 */
export function killAllOnExit(log: (line: string) => void): void {
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`\n${signal}: stopping servers`);
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
