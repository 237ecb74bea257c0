/**
 * Memory per item, shardis against redis-server (DESIGN.md: at most 1.5×
 * Redis' bytes per key for 1M small string keys; issue 4: hashes and a large
 * sorted set).
 *
 *   npm run build && node dist/bench/memory.js [--dataset strings|hashes|zset|all] [--keys N] [--shards 1]
 *
 * Datasets (items = what the per-item figures divide by):
 * - strings: N keys `key:<n>` → "xxx" (default N 1M; items = keys);
 * - hashes: N/10 hashes `hash:<n>` of 10 fields f0..f9 → "v<n>" (default 100k hashes; items = hashes);
 * - zset: one sorted set of N members `member:<n>` with score n (default 1M; items = members).
 * Starts both servers on free ports, loads the data with pipelined commands
 * over raw RESP, and reports for each INFO used_memory and the process RSS
 * (/proc/<pid>/status VmRSS) before and after, per item.
 *
 * What compares with what: Redis' used_memory counts its allocations; the
 * equivalent for shardis is the shard's V8 heap, which INFO used_memory of the
 * acceptor does not see (the shards are other isolates). So a third
 * measurement loads the same keys into the shard's keyspace classes in this
 * process and reads the V8 heap after a full GC: the exact cost of the data
 * structures. RSS deltas include each runtime's slack (jemalloc pages, V8
 * semispaces and not yet collected garbage) and are the operator's view.
 */
import net from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { keySlot } from '../src/cluster/keyslot.js';
import { Config } from '../src/config/config.js';
import { ReplyWriter } from '../src/resp/writer.js';
import type { Ctx, ShardControl } from '../workers/shard/context.js';
import { handlersByName } from '../workers/shard/handlers.js';
import { Keyspace } from '../workers/shard/keyspace.js';
import { residentBytes } from './proc-cpu.js';
import { startRedis, startShardis, type Server } from './servers.js';


function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function stringOption(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const SHARDS = option('shards', 1);
const BATCH = 10_000;

/** A dataset: the commands that load it, how many items it has, and what DBSIZE must say after. */
interface Dataset {
  name: string;
  description: string;
  /** Per-item unit in the report. */
  unit: string;
  items: number;
  /** Number of commands that load it. */
  commands: number;
  /** The i-th loading command's arguments. */
  command(i: number): string[];
  keys: number;
}

function datasets(which: string): Dataset[] {
  const n = option('keys', 0);
  const all: Dataset[] = [
    {
      name: 'strings', description: 'keys key:<n> -> "xxx" (SET)', unit: 'key',
      items: n || 1_000_000, commands: n || 1_000_000, keys: n || 1_000_000,
      command: (i) => ['SET', `key:${i}`, 'xxx'],
    },
    {
      name: 'hashes', description: 'hashes hash:<n>, 10 fields f0..f9 -> v<n> (HSET)', unit: 'hash',
      items: n || 100_000, commands: n || 100_000, keys: n || 100_000,
      command: (i) => ['HSET', `hash:${i}`, ...Array.from({ length: 10 }, (_, f) => [`f${f}`, `v${i}`]).flat()],
    },
    {
      name: 'zset', description: 'one sorted set of members member:<n>, score n (ZADD, 100 members a command)', unit: 'member',
      items: n || 1_000_000, commands: Math.ceil((n || 1_000_000) / 100), keys: 1,
      command: (i) => {
        const args = ['ZADD', 'zset'];
        const total = n || 1_000_000;
        for (let m = i * 100; m < Math.min(total, (i + 1) * 100); m++) args.push(String(m), `member:${m}`);
        return args;
      },
    },
  ];
  return which === 'all' ? all : all.filter((d) => d.name === which);
}

function resp(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return out;
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

async function load(conn: Conn, ds: Dataset): Promise<void> {
  const batch = ds.name === 'zset' ? 100 : BATCH;
  for (let start = 0; start < ds.commands; start += batch) {
    const end = Math.min(ds.commands, start + batch);
    let text = '';
    for (let i = start; i < end; i++) text += resp(ds.command(i));
    // Every reply is one line (+OK or an integer): done when one newline per command arrived.
    const want = end - start;
    const reply = await conn.send(Buffer.from(text, 'latin1'), (d) => countNewlines(d) >= want);
    if (reply.includes(45 /* '-' */)) throw new Error(`error while loading: ${reply.latin1Slice(0, 200)}`);
  }
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

async function measureServer(name: string, server: Server, ds: Dataset): Promise<Measured> {
  const conn = await Conn.connect(server.port);
  await conn.command('PING');
  await conn.send(Buffer.from('FLUSHALL\r\n'), (d) => d.includes(10));
  await new Promise((r) => setTimeout(r, 1000));
  const usedBefore = await usedMemory(conn);
  const rssBefore = residentBytes(server.pid) ?? NaN;
  const t0 = performance.now();
  await load(conn, ds);
  const seconds = (performance.now() - t0) / 1000;
  const n = await dbsize(conn);
  if (n !== ds.keys) throw new Error(`${name}: DBSIZE ${n}, expected ${ds.keys}`);
  // Let the allocator / GC settle before reading the totals.
  await new Promise((r) => setTimeout(r, 2000));
  const usedAfter = await usedMemory(conn);
  const rssAfter = residentBytes(server.pid) ?? NaN;
  conn.close();
  return { name, usedBefore, usedAfter, rssBefore, rssAfter, seconds };
}


/**
 * The keyspace of a shard, loaded in this process through the shard's own
 * command handlers, measured on the V8 heap after full GCs.
 */
function measureKeyspaceHeap(ds: Dataset): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Arguments come off the wire as fresh latin1 strings, as here.
  const wire = Buffer.alloc(64);
  const fresh = (s: string) => wire.latin1Slice(0, wire.latin1Write(s, 0));
  const config = new Config().shardConfig(0);
  gc();
  gc();
  // Typed arrays' contents (slot indexes, access clocks, sorted-set scores) live outside the V8 heap: counted too.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const ks = new Keyspace(16);
  // Only data commands run here: the internal commands' services are never asked for.
  const noControl = new Proxy({} as ShardControl, { get: () => () => { throw new Error('no shard services in the memory bench'); } });
  const ctx: Ctx = { ks, db: ks.dbs[0], dbIndex: 0, w: new ReplyWriter(), slot: 0, part: false, config, canBlock: false, shard: noControl, block: () => {}, notify: () => {} };
  for (let i = 0; i < ds.commands; i++) {
    const argv = ds.command(i).map(fresh);
    argv[0] = argv[0].toLowerCase();
    ctx.slot = keySlot(argv[1]);
    ctx.w.reset(2);
    handlersByName[argv[0]](ctx, argv);
  }
  gc();
  gc();
  const after = used();
  if (ks.dbs[0].keyCount !== ds.keys) throw new Error(`keyspace has ${ks.dbs[0].keyCount} keys, expected ${ds.keys}`);
  return (after - before) / ds.items;
}

const fmt = (n: number) => n.toFixed(1).padStart(8);

/** Fresh servers for each dataset, so RSS before/after is not polluted by an earlier dataset. */
async function measureDataset(ds: Dataset): Promise<void> {
  const [redis, shardis] = await Promise.all([startRedis(), startShardis(SHARDS)]);
  try {
    const per = (before: number, after: number) => (after - before) / ds.items;
    const r = await measureServer('redis-server 7.0', redis, ds);
    const s = await measureServer(`shardis (${SHARDS} shard${SHARDS > 1 ? 's' : ''})`, shardis, ds);
    await Promise.all([redis.stop(), shardis.stop()]);
    const heap = measureKeyspaceHeap(ds);
    console.log(`\n${ds.name}: ${ds.items} ${ds.unit}s, ${ds.description}, pipelined\n`);
    console.log(`                          used_memory Δ/${ds.unit}   RSS Δ/${ds.unit}   load s   used_memory after   RSS after`);
    for (const m of [r, s]) {
      console.log(
        `${m.name.padEnd(26)}${fmt(per(m.usedBefore, m.usedAfter))}          ${fmt(per(m.rssBefore, m.rssAfter))}  ${m.seconds.toFixed(1).padStart(7)}   ${String(m.usedAfter).padStart(17)}   ${String(m.rssAfter).padStart(9)}`,
      );
    }
    console.log(`${'shardis keyspace heap'.padEnd(26)}${fmt(heap)}   (shard data structures alone: V8 heap + typed arrays, after full GC)`);
    const redisUsed = per(r.usedBefore, r.usedAfter);
    console.log('ratios (shardis / redis), goal <= 1.5:');
    console.log(`  keyspace heap / redis used_memory: ${(heap / redisUsed).toFixed(2)}`);
    console.log(`  RSS / RSS:                         ${(per(s.rssBefore, s.rssAfter) / per(r.rssBefore, r.rssAfter)).toFixed(2)}`);
  } finally {
    await Promise.all([redis.stop(), shardis.stop()]);
  }
}

async function main(): Promise<void> {
  for (const ds of datasets(stringOption('dataset', 'all'))) await measureDataset(ds);
  console.log('\n(shardis INFO used_memory covers the acceptor isolate only, not the shards)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
