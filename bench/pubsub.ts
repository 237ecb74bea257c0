/**
 * PUBLISH throughput, shardis against redis-server, with 1 and 100
 * subscribers on one channel.
 *
 *   node dist/bench/pubsub.js [--seconds 3] [--repeat 3] [--publishers 4] [--pipeline 32] [--size 16] [--shards N]
 *
 * Both servers are started on free ports. For each subscriber count, each
 * measured run (servers alternating, `--repeat` pairs) connects the
 * subscribers (raw sockets that only count the bytes they receive), then
 * `--publishers` connections each keep `--pipeline` PUBLISH commands in
 * flight for `--seconds`. The clock stops when every subscriber has received
 * every message, so a server that answers PUBLISH quickly but delivers late
 * gains nothing. Reported: PUBLISH/s, messages delivered/s, server CPU per
 * PUBLISH (every thread, from /proc), and shardis ÷ redis per pair (median).
 */
import net from 'node:net';
import { processCpuSeconds } from './proc-cpu.js';
import { killAll, startRedis, startShardis, type Server } from './servers.js';

interface Options {
  seconds: number;
  repeat: number;
  publishers: number;
  pipeline: number;
  size: number;
  shards: number | null;
  subscribers: number[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 3, repeat: 3, publishers: 4, pipeline: 32, size: 16, shards: null, subscribers: [1, 100] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--seconds': o.seconds = Number(v); i++; break;
      case '--repeat': o.repeat = Number(v); i++; break;
      case '--publishers': o.publishers = Number(v); i++; break;
      case '--pipeline': o.pipeline = Number(v); i++; break;
      case '--size': o.size = Number(v); i++; break;
      case '--shards': o.shards = Number(v); i++; break;
      case '--subscribers': o.subscribers = v.split(',').map(Number); i++; break;
      default: throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/pubsub.ts)`);
    }
  }
  return o;
}

const CHANNEL = 'bench';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

/** A subscriber: counts received bytes; resolves once subscribed. */
async function subscriber(port: number): Promise<{ socket: net.Socket; bytes: () => number }> {
  const socket = await connect(port);
  let total = 0;
  let confirmed: () => void;
  const ready = new Promise<void>((r) => (confirmed = r));
  const confirmation = `*3\r\n$9\r\nsubscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`.length;
  socket.on('data', (d) => {
    total += d.length;
    if (total >= confirmation) confirmed();
  });
  socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n`);
  await ready;
  total -= confirmation;
  return { socket, bytes: () => total };
}

/** One publisher keeping `depth` PUBLISH in flight until stop(); returns how many were answered. */
function publisher(socket: net.Socket, payload: string, depth: number, until: () => boolean): Promise<number> {
  const cmd = Buffer.from(`*3\r\n$7\r\nPUBLISH\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${payload.length}\r\n${payload}\r\n`, 'latin1');
  const batch = Buffer.concat(Array.from({ length: depth }, () => cmd));
  return new Promise((resolve) => {
    let answered = 0;
    let pendingLines = 0;
    let carry = '';
    const send = () => {
      pendingLines = depth;
      socket.write(batch);
    };
    socket.on('data', (d) => {
      // Replies are integers (":N\r\n"): count line ends.
      const text = carry + d.toString('latin1');
      let lines = 0;
      let at = text.indexOf('\n');
      let last = -1;
      while (at >= 0) {
        lines++;
        last = at;
        at = text.indexOf('\n', at + 1);
      }
      carry = text.slice(last + 1);
      answered += lines;
      pendingLines -= lines;
      if (pendingLines > 0) return;
      if (until()) {
        socket.removeAllListeners('data');
        resolve(answered);
      } else {
        send();
      }
    });
    send();
  });
}

interface Run {
  publishes: number;
  seconds: number;
  cpuSeconds: number;
}

async function measure(server: Server, subs: number, o: Options): Promise<Run> {
  const subscribers = await Promise.all(Array.from({ length: subs }, () => subscriber(server.port)));
  const pubs = await Promise.all(Array.from({ length: o.publishers }, () => connect(server.port)));
  const payload = 'x'.repeat(o.size);
  const messageBytes = `*3\r\n$7\r\nmessage\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${o.size}\r\n${payload}\r\n`.length;
  const cpu0 = processCpuSeconds(server.pid);
  const t0 = performance.now();
  const stopAt = t0 + o.seconds * 1000;
  const counts = await Promise.all(pubs.map((p) => publisher(p, payload, o.pipeline, () => performance.now() >= stopAt)));
  const publishes = counts.reduce((a, b) => a + b, 0);
  // Until every subscriber has every message.
  const expected = publishes * messageBytes;
  while (subscribers.some((s) => s.bytes() < expected)) await new Promise((r) => setImmediate(r));
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = processCpuSeconds(server.pid) - cpu0;
  for (const s of subscribers) if (s.bytes() !== expected) throw new Error(`a subscriber got ${s.bytes()} bytes, expected ${expected}`);
  for (const s of [...subscribers.map((x) => x.socket), ...pubs]) s.destroy();
  await new Promise((r) => setTimeout(r, 200));
  return { publishes, seconds, cpuSeconds };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const [redis, shardis] = await Promise.all([startRedis(), startShardis(o.shards)]);
  const servers = { redis, shardis };
  console.log(`# PUBLISH throughput: ${o.publishers} publishers × pipeline ${o.pipeline}, ${o.size}-byte messages, ${o.seconds} s runs, ${o.repeat} pairs, shards ${o.shards ?? 'default'}`);
  console.log('');
  console.log('| subscribers | redis PUBLISH/s | shardis PUBLISH/s | ratio | redis msgs/s | shardis msgs/s | redis CPU µs/PUBLISH | shardis CPU µs/PUBLISH |');
  console.log('|---|---|---|---|---|---|---|---|');
  try {
    for (const subs of o.subscribers) {
      // Warm-up (JIT, caches), not measured.
      for (const s of [redis, shardis]) await measure(s, subs, { ...o, seconds: 0.5 });
      const rates: Record<string, number[]> = { redis: [], shardis: [] };
      const cpus: Record<string, number[]> = { redis: [], shardis: [] };
      const ratios: number[] = [];
      for (let r = 0; r < o.repeat; r++) {
        const order = r % 2 === 0 ? (['redis', 'shardis'] as const) : (['shardis', 'redis'] as const);
        const pair: Record<string, number> = {};
        for (const name of order) {
          const run = await measure(servers[name], subs, o);
          pair[name] = run.publishes / run.seconds;
          rates[name].push(pair[name]);
          cpus[name].push((run.cpuSeconds / run.publishes) * 1e6);
        }
        ratios.push(pair.shardis / pair.redis);
      }
      const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
      console.log(
        `| ${subs} | ${fmt(median(rates.redis))} | ${fmt(median(rates.shardis))} | ${median(ratios).toFixed(2)} | ${fmt(median(rates.redis) * subs)} | ${fmt(median(rates.shardis) * subs)} | ${median(cpus.redis).toFixed(2)} | ${median(cpus.shardis).toFixed(2)} |`,
      );
    }
  } finally {
    await Promise.all([redis.stop(), shardis.stop()]);
  }
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
