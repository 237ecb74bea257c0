/**
 * Process lifecycle: the start-up log line (version, port, shard count, pid),
 * loglevel and logfile, clean stops on SIGTERM / SIGINT / SHUTDOWN (exit code
 * 0, the port free at once for a new server), SHUTDOWN as redis-server does
 * it (no reply, connection closed; options and errors), and a failed listen.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { freePort, requireRedisServer, SHARDIS_MAIN, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shardis-lifecycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Proc {
  proc: ChildProcess;
  port: number;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts shardis with exactly these options (no test defaults) on a free port and waits until it answers. */
async function launch(args: string[]): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(process.execPath, [SHARDIS_MAIN, '--port', String(port), '--bind', '127.0.0.1', '--shards', '2', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  proc.stderr!.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`shardis did not start:\n${out}`);
    await sleep(50);
  }
  return { proc, port, stdout: () => out, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** True when a new listener can take the port right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Waits for the exit code, failing the test (and killing the process) if it does not come. */
async function exitCode(p: Proc, ms = 10_000): Promise<number | null> {
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), ms);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

/** The JSON log lines in some output. */
function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('start-up log, loglevel and logfile', () => {
  it('logs one start-up line with version, port, shard count and pid (loglevel notice, standard output)', async () => {
    const p = await launch(['--loglevel', 'notice']);
    p.proc.kill('SIGTERM');
    expect(await exitCode(p)).toBe(0);
    const ready = logLines(p.stdout()).filter((l) => String(l.msg).includes('ready to accept connections'));
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ version: '0.1.0', redisVersion: '7.0.15', port: p.port, shards: 2, pid: p.proc.pid, level: 30 });
  });

  it('writes to the logfile, not to standard output', async () => {
    const logfile = path.join(dir, 'notice.log');
    const p = await launch(['--loglevel', 'notice', '--logfile', logfile]);
    p.proc.kill('SIGTERM');
    expect(await exitCode(p)).toBe(0);
    const lines = logLines(readFileSync(logfile, 'utf8'));
    expect(lines.some((l) => String(l.msg).includes('ready to accept connections') && l.port === p.port)).toBe(true);
    expect(lines.some((l) => String(l.msg).includes('bye bye'))).toBe(true);
    expect(p.stdout()).toBe('');
  });

  it('loglevel warning leaves out the start-up line (a notice) and keeps the shutdown warnings', async () => {
    const logfile = path.join(dir, 'warning.log');
    const p = await launch(['--loglevel', 'warning', '--logfile', logfile]);
    p.proc.kill('SIGTERM');
    expect(await exitCode(p)).toBe(0);
    const lines = logLines(readFileSync(logfile, 'utf8'));
    expect(lines.some((l) => String(l.msg).includes('ready to accept connections'))).toBe(false);
    expect(lines.some((l) => String(l.msg).includes('Received SIGTERM'))).toBe(true);
    expect(lines.every((l) => (l.level as number) >= 40)).toBe(true);
  });

  it('CONFIG SET loglevel changes what is logged while running', async () => {
    const logfile = path.join(dir, 'runtime.log');
    const p = await launch(['--loglevel', 'warning', '--logfile', logfile]);
    const c = await RawClient.connect(p.port);
    expect((await c.call('CONFIG', 'SET', 'loglevel', 'debug')).toString()).toBe('+OK\r\n');
    // A protocol error is logged at debug level.
    c.writeRaw('*1\r\n$x\r\n');
    await c.waitClosed();
    p.proc.kill('SIGTERM');
    expect(await exitCode(p)).toBe(0);
    expect(logLines(readFileSync(logfile, 'utf8')).some((l) => l.level === 20)).toBe(true);
  });
});

describe('stopping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: exit code 0, clients closed, the port free at once for a new server`, async () => {
      const p = await launch(['--loglevel', 'warning']);
      const c = await RawClient.connect(p.port);
      expect((await c.call('SET', 'k', 'v')).toString()).toBe('+OK\r\n');
      p.proc.kill(signal);
      await c.waitClosed();
      expect(await exitCode(p)).toBe(0);
      expect(logLines(p.stdout()).some((l) => String(l.msg).includes('bye bye'))).toBe(true);
      expect(await portIsFree(p.port)).toBe(true);
    });
  }

  for (const args of [[], ['NOSAVE'], ['SAVE'], ['NOW'], ['FORCE'], ['nosave', 'now', 'force']]) {
    it(`SHUTDOWN ${args.join(' ')}: no reply, connection closed, exit code 0, port free`, async () => {
      const p = await launch(['--loglevel', 'warning']);
      const c = await RawClient.connect(p.port);
      let received = '';
      c.socket.on('data', (d) => (received += d.toString()));
      c.writeRaw(`SHUTDOWN ${args.join(' ')}\r\n`);
      await c.waitClosed();
      expect(received).toBe('');
      expect(await exitCode(p)).toBe(0);
      expect(await portIsFree(p.port)).toBe(true);
    });
  }

  it('a new server can take the port right after SHUTDOWN', async () => {
    const first = await launch(['--loglevel', 'warning']);
    const c = await RawClient.connect(first.port);
    c.writeRaw('SHUTDOWN\r\n');
    await c.waitClosed();
    expect(await exitCode(first)).toBe(0);
    const port = first.port;
    const second = spawn(process.execPath, [SHARDIS_MAIN, '--port', String(port), '--bind', '127.0.0.1', '--shards', '1', '--loglevel', 'warning'], { stdio: 'ignore' });
    try {
      let up = false;
      for (let i = 0; i < 100 && !up && second.exitCode === null; i++) {
        up = await answers(port);
        if (!up) await sleep(50);
      }
      expect(up).toBe(true);
      expect(second.exitCode).toBeNull();
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  });

  it('refuses to start on a port already in use: exit code 1, the port named', async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as net.AddressInfo).port)));
    try {
      const r = spawnSync(process.execPath, [SHARDIS_MAIN, '--port', String(port), '--bind', '127.0.0.1', '--shards', '1'], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toContain(`Could not listen on port ${port}`);
    } finally {
      holder.close();
    }
  });
});

describe.skipIf(!requireRedisServer())('SHUTDOWN against redis-server', () => {
  let ours: RunningServer | undefined;
  let theirs: RunningServer | undefined;
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  it('errors for ABORT without a shutdown in progress and for unknown options, and keeps running', async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 1 }), startRedis()]);
    const [a, b] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(theirs.port)]);
    try {
      for (const cmd of [['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'NOSUCH'], ['SHUTDOWN', 'NOW', 'x'], ['shutdown', 'abort']]) {
        const [x, y] = await Promise.all([a.call(...cmd), b.call(...cmd)]);
        expect(x.toString(), cmd.join(' ')).toBe(y.toString());
      }
      expect((await a.call('PING')).toString()).toBe('+PONG\r\n');
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses illegal option combinations with a syntax error, as Redis', async () => {
    const s = await startShardis({ shards: 1 });
    const r = await startRedis();
    const [a, b] = await Promise.all([RawClient.connect(s.port), RawClient.connect(r.port)]);
    try {
      for (const cmd of [['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'SAVE', 'NOSAVE']]) {
        const [x, y] = await Promise.all([a.call(...cmd), b.call(...cmd)]);
        expect(x.toString(), cmd.join(' ')).toBe(y.toString());
      }
    } finally {
      a.close();
      b.close();
      await Promise.all([s.stop(), r.stop()]);
    }
  });

  it('redis-cli SHUTDOWN prints and exits as with redis-server, and the server stops with code 0', async () => {
    const s = await startShardis({ shards: 1 });
    const r = await startRedis();
    const cli = (port: number) => spawnSync('redis-cli', ['-p', String(port), 'SHUTDOWN', 'NOSAVE'], { encoding: 'utf8', timeout: 10_000 });
    const [x, y] = [cli(s.port), cli(r.port)];
    expect({ status: x.status, stdout: x.stdout, stderr: x.stderr }).toEqual({ status: y.status, stdout: y.stdout, stderr: y.stderr });
    expect(await s.stop(), s.output()).toBe(0);
    expect(await r.stop()).toBe(0);
  });
});
