/**
 * Memory per key, shardis against redis-server (DESIGN.md: at most 1.5× Redis'
 * bytes per key for 1M small string keys).
 *
 *   npm run build && node dist/bench/memory.js [--keys 1000000] [--shards 1]
 *
 * Starts both servers on free ports, loads `key:<n>` → "xxx" with pipelined
 * SETs over raw RESP, and reports for each INFO used_memory and the process
 * RSS (/proc/<pid>/status VmRSS) before and after, as bytes per key.
 *
 * What compares with what: Redis' used_memory counts its allocations; the
 * equivalent for shardis is the shard's V8 heap, which INFO used_memory of the
 * acceptor does not see (the shards are other isolates). So a third
 * measurement loads the same keys into the shard's keyspace classes in this
 * process and reads the V8 heap after a full GC: the exact cost of the data
 * structures. RSS deltas include each runtime's slack (jemalloc pages, V8
 * semispaces and not yet collected garbage) and are the operator's view.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { keySlot } from '../src/cluster/keyslot.js';
import { Keyspace } from '../workers/shard/keyspace.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARDIS_MAIN = path.resolve(here, '../src/main.js');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const KEYS = option('keys', 1_000_000);
const SHARDS = option('shards', 1);
const BATCH = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A minimal RESP connection: send raw bytes, wait until n replies (lines ending a reply) arrived. */
class Conn {
  private chunks: Buffer[] = [];
  private waiting: { until: (data: Buffer) => boolean; resolve: (b: Buffer) => void } | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.chunks.push(d);
      this.check();
    });
  }

  static connect(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const attempt = (left: number) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(new Conn(s)));
        s.once('error', () => (left > 0 ? setTimeout(() => attempt(left - 1), 100) : reject(new Error(`no server on ${port}`))));
      };
      attempt(100);
    });
  }

  private check(): void {
    if (this.waiting === null) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [data];
    if (this.waiting.until(data)) {
      const w = this.waiting;
      this.waiting = null;
      this.chunks = [];
      w.resolve(data);
    }
  }

  send(bytes: Buffer, until: (data: Buffer) => boolean): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiting = { until, resolve };
      this.socket.write(bytes);
      this.check();
    });
  }

  /** Sends one inline command and returns its bulk reply's text. */
  async command(line: string): Promise<string> {
    const reply = await this.send(Buffer.from(`${line}\r\n`), (d) => {
      if (d.length < 3) return false;
      if (d[0] !== 36 /* '$' */) return d.includes(10);
      const header = d.indexOf(10);
      if (header < 0) return false;
      const len = Number(d.latin1Slice(1, header - 1));
      return d.length >= header + 1 + len + 2;
    });
    return reply.latin1Slice(reply.indexOf(10) + 1);
  }

  close(): void {
    this.socket.destroy();
  }
}

function countNewlines(d: Buffer): number {
  let n = 0;
  for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) n++;
  return n;
}

function setCommand(i: number): string {
  const key = `key:${i}`;
  return `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$3\r\nxxx\r\n`;
}

async function load(conn: Conn): Promise<void> {
  for (let start = 0; start < KEYS; start += BATCH) {
    const end = Math.min(KEYS, start + BATCH);
    let text = '';
    for (let i = start; i < end; i++) text += setCommand(i);
    // Every reply is +OK\r\n: done when one newline per command arrived.
    const want = end - start;
    const reply = await conn.send(Buffer.from(text, 'latin1'), (d) => countNewlines(d) >= want);
    if (reply.includes(45 /* '-' */)) throw new Error(`error while loading: ${reply.latin1Slice(0, 200)}`);
  }
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

async function usedMemory(conn: Conn): Promise<number> {
  const info = await conn.command('INFO memory');
  const m = /used_memory:(\d+)/.exec(info);
  return m ? Number(m[1]) : NaN;
}

async function dbsize(conn: Conn): Promise<number> {
  const reply = await conn.send(Buffer.from('DBSIZE\r\n'), (d) => d.includes(10));
  return Number(reply.latin1Slice(1, reply.indexOf(13)));
}

interface Measured {
  name: string;
  usedBefore: number;
  usedAfter: number;
  rssBefore: number;
  rssAfter: number;
  seconds: number;
}

async function measureServer(name: string, proc: ChildProcess, port: number): Promise<Measured> {
  const conn = await Conn.connect(port);
  await conn.command('PING');
  const usedBefore = await usedMemory(conn);
  const rssBefore = rssOf(proc.pid!);
  const t0 = performance.now();
  await load(conn);
  const seconds = (performance.now() - t0) / 1000;
  const n = await dbsize(conn);
  if (n !== KEYS) throw new Error(`${name}: DBSIZE ${n}, expected ${KEYS}`);
  // Let the allocator / GC settle before reading the totals.
  await new Promise((r) => setTimeout(r, 2000));
  const usedAfter = await usedMemory(conn);
  const rssAfter = rssOf(proc.pid!);
  conn.close();
  return { name, usedBefore, usedAfter, rssBefore, rssAfter, seconds };
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
  });
}

/** The keyspace classes of a shard, loaded in this process, measured on the V8 heap after full GCs. */
function measureKeyspaceHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Keys and values come off the wire as fresh latin1 strings, as here.
  const wire = Buffer.alloc(64);
  const fresh = (s: string) => wire.latin1Slice(0, wire.latin1Write(s, 0));
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const ks = new Keyspace(16);
  const db = ks.dbs[0];
  for (let i = 0; i < KEYS; i++) {
    const key = fresh(`key:${i}`);
    db.set(key, fresh('xxx'), 0, false, keySlot(key));
  }
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (db.keyCount !== KEYS) throw new Error('keyspace lost keys');
  return (after - before) / KEYS;
}

const perKey = (before: number, after: number) => (after - before) / KEYS;
const fmt = (n: number) => n.toFixed(1).padStart(8);

async function main(): Promise<void> {
  const [redisPort, shardisPort] = [await freePort(), await freePort()];
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const shardis = spawn(process.execPath, [SHARDIS_MAIN, '--port', String(shardisPort), '--bind', '127.0.0.1', '--shards', String(SHARDS), '--loglevel', 'warning'], {
    stdio: 'ignore',
  });
  try {
    const r = await measureServer('redis-server 7.0', redis, redisPort);
    const s = await measureServer(`shardis (${SHARDS} shard${SHARDS > 1 ? 's' : ''})`, shardis, shardisPort);
    await Promise.all([stop(redis), stop(shardis)]);
    const heap = measureKeyspaceHeap();

    console.log(`${KEYS} keys key:<n> -> "xxx", pipelined SETs in batches of ${BATCH}\n`);
    console.log('                          used_memory Δ/key   RSS Δ/key   load s   used_memory after   RSS after');
    for (const m of [r, s]) {
      console.log(
        `${m.name.padEnd(26)}${fmt(perKey(m.usedBefore, m.usedAfter))}          ${fmt(perKey(m.rssBefore, m.rssAfter))}  ${m.seconds.toFixed(1).padStart(7)}   ${String(m.usedAfter).padStart(17)}   ${String(m.rssAfter).padStart(9)}`,
      );
    }
    console.log(`${'shardis keyspace heap'.padEnd(26)}${fmt(heap)}   (shard data structures alone, V8 heap after full GC)`);
    const redisUsed = perKey(r.usedBefore, r.usedAfter);
    console.log('\nratios (shardis / redis), goal <= 1.5:');
    console.log(`  keyspace heap / redis used_memory: ${(heap / redisUsed).toFixed(2)}`);
    console.log(`  RSS / RSS:                         ${(perKey(s.rssBefore, s.rssAfter) / perKey(r.rssBefore, r.rssAfter)).toFixed(2)}`);
    console.log('  (shardis INFO used_memory covers the acceptor isolate only, not the shards)');
  } finally {
    await Promise.all([stop(redis), stop(shardis)]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
