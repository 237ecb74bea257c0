/**
 * redis-cli (Debian's, 7.0.15) against shardis and redis-server: the same
 * invocations must print the same text — commands as arguments, commands
 * piped on stdin, `--pipe` mass insertion, RESP3 mode (-3) and formatted
 * output (--no-raw), with 1 and 4 shards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer, SHARD_COUNTS, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const hasRedisCli = spawnSync('redis-cli', ['--version']).status === 0;

function requireRedisCli(): boolean {
  if (!requireRedisServer()) return false;
  if (hasRedisCli) return true;
  if (process.env.CI === 'true') throw new Error('redis-cli is required under CI=true (apt-get install redis-tools)');
  console.warn('redis-cli not installed: skipping redis-cli tests');
  return false;
}

interface CliResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

function cli(port: number, args: string[], input?: string | Buffer, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d.toString('latin1')));
    proc.stderr.on('data', (d) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`redis-cli ${args.join(' ')} timed out; stdout so far: ${stdout.slice(-300)}`));
    }, timeoutMs);
    proc.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    proc.stdin.on('error', () => {});
    proc.stdin.end(input ?? '');
  });
}

/** Replaces what legitimately differs between the two servers (ports, client ids). */
function normalize(s: string, ports: number[]): string {
  let out = s;
  for (const p of ports) out = out.split(String(p)).join('<port>');
  // HELLO's id: `id 18` (raw) or `4# "id" => (integer) 18` (formatted).
  return out.replace(/^id \d+$/gm, 'id <id>').replace(/"id" => \(integer\) \d+/g, '"id" => (integer) <id>');
}

describe.skipIf(!requireRedisCli()).each(SHARD_COUNTS)('redis-cli against shardis (%i shards) and redis-server', (shards) => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  const same = async (args: string[], input?: string | Buffer) => {
    const [a, b] = await Promise.all([cli(ours.port, args, input), cli(theirs.port, args, input)]);
    const ports = [ours.port, theirs.port];
    expect(normalize(a.stdout, ports), `stdout of redis-cli ${args.join(' ')}`).toBe(normalize(b.stdout, ports));
    expect(normalize(a.stderr, ports), 'stderr').toBe(normalize(b.stderr, ports));
    expect(a.status).toBe(b.status);
    return a;
  };

  it('commands as arguments, raw and formatted output', async () => {
    await same(['FLUSHALL']);
    const cmds = [
      ['SET', 'k', 'hello world'],
      ['GET', 'k'],
      ['GET', 'missing'],
      ['SET', 'bin', 'a\x01\xff"\\\n'],
      ['GET', 'bin'],
      ['INCR', 'counter'],
      ['INCRBYFLOAT', 'fl', '1.25'],
      ['MSET', 'a', '1', 'b', '2', 'c', '3'],
      ['MGET', 'a', 'b', 'missing', 'c'],
      ['EXISTS', 'a', 'b', 'nope'],
      ['TYPE', 'a'],
      ['INCR', 'k'],
      ['NOSUCHCOMMAND', 'x'],
      ['PING'],
      ['ECHO', ''],
      ['CLIENT', 'GETNAME'],
      ['CONFIG', 'GET', 'databases'],
      ['DBSIZE'],
    ];
    for (const c of cmds) {
      await same(c);
      await same(['--no-raw', ...c]);
    }
  });

  it('commands piped on stdin, one per line', async () => {
    await same(['FLUSHALL']);
    const script = 'SET a 1\nINCR a\nGET a\nSET "x y" "quoted value"\nGET "x y"\nMGET a nope "x y"\nDEL a "x y"\nGET a\n';
    const r = await same([], script);
    expect(r.stdout).toBe('OK\n2\n2\nOK\nquoted value\n2\n\nquoted value\n2\n\n');
  });

  it('--pipe mass insertion of 100k keys, then DBSIZE = 100000', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const k = `key:${i}`;
      const v = `value:${i}`;
      parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
    }
    const input = Buffer.from(parts.join(''));
    const [a, b] = await Promise.all([cli(ours.port, ['-n', '0', 'FLUSHALL']), cli(theirs.port, ['-n', '0', 'FLUSHALL'])]);
    expect(a.stdout).toBe(b.stdout);
    const piped = await cli(ours.port, ['--pipe'], input, 50_000);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('errors: 0, replies: 100000');
    expect((await cli(ours.port, ['DBSIZE'])).stdout).toBe('100000\n');
    expect((await cli(ours.port, ['GET', 'key:99999'])).stdout).toBe('value:99999\n');
    await cli(ours.port, ['FLUSHALL']);
  });

  it('--pipe reports errors like Redis', async () => {
    const input = 'SET a 1\r\nINCR a\r\nINCR nonnumeric\r\nSET nonnumeric x\r\nINCR nonnumeric\r\nNOSUCH\r\n';
    const [a, b] = await Promise.all([cli(ours.port, ['--pipe'], input), cli(theirs.port, ['--pipe'], input)]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.status).toBe(b.status);
  });

  it('RESP3 mode (-3): HELLO, nulls, maps, verbatim, errors', async () => {
    await same(['FLUSHALL']);
    await same(['SET', 'k', 'v']);
    for (const c of [['HELLO'], ['GET', 'missing'], ['GET', 'k'], ['MGET', 'k', 'missing'], ['CONFIG', 'GET', 'databases'], ['CONFIG', 'GET', 'port'], ['CLIENT', 'GETNAME'], ['INCR', 'k'], ['PING']]) {
      await same(['-3', ...c]);
      await same(['-3', '--no-raw', ...c]);
    }
    const [a, b] = await Promise.all([cli(ours.port, ['-3', '--no-raw', 'CLIENT', 'INFO']), cli(theirs.port, ['-3', '--no-raw', 'CLIENT', 'INFO'])]);
    const names = (s: string) => s.replace(/^"|"\n$/g, '').trim().split(' ').map((kv) => kv.split('=')[0]);
    expect(names(a.stdout)).toEqual(names(b.stdout));
    expect(a.stdout).toMatch(/resp=3/);
  });

  it('RESP3 commands piped on stdin', async () => {
    await same(['-3'], 'SET r3 x\nGET r3\nGET nope\nCONFIG GET databases\nDEL r3\n');
  });
});
