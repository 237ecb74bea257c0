/**
 * SLOWLOG, LATENCY, MEMORY (but USAGE, which runs on the key's shard), DEBUG
 * and LOLWUT on the acceptor, with Redis 7.0's replies (slowlog.c, latency.c,
 * object.c, debug.c, lolwut.c).
 */
import { memoryUsage } from 'node:process';
import { keySlot } from '../../cluster/keyslot.js';
import { findSubcommand, commandTable, internalCommand, allCommands } from '../../commands/table.js';
import { REDIS_COMPAT_VERSION } from '../../config/config.js';
import { sumHistograms, BUCKETS, bucketHigh, CALLS } from '../../ipc/command-stats.js';
import { argSourceOf } from '../../net/arg-source.js';
import { ERR } from '../../resp/errors.js';
import type { ReplyWriter } from '../../resp/writer.js';
import { onMainAcceptor, reply, type ForwardedCommand, type LocalCtx, type LocalHandler } from '../local-ctx.js';
import { LATENCY_TS_LEN } from './state.js';
import { changeReplicationId, memoryFigures, type MemoryFigures } from './info-sections.js';
import { gatherReports } from '../acceptor-report.js';
import type { Host } from '../host.js';
import type { Client } from '../../net/client.js';

function help(ctx: LocalCtx, container: string, lines: string[]): void {
  const all = [`${container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Prints this help.'];
  reply(ctx, (w) => {
    w.arrayLen(all.length);
    for (const l of all) w.simple(l);
  });
}

function syntaxError(ctx: LocalCtx, argv: string[]): void {
  reply(ctx, (w) => w.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`));
}

/** Redis string2l within [min, max], or null. */
function parseLong(s: string, min: number, max: number): number | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(s)) return null;
  const v = BigInt(s);
  if (v < BigInt(min) || v > BigInt(max)) return null;
  return Number(v);
}

// ---------------------------------------------------------------------------
// SLOWLOG
// ---------------------------------------------------------------------------

const slowlog: Record<string, LocalHandler> = {
  'slowlog|get'(ctx, argv) {
    if (argv.length > 3) return syntaxError(ctx, argv);
    const log = ctx.host.introspect.slowlog;
    let count = 10;
    if (argv.length === 3) {
      const n = parseLong(argv[2], -1, Number.MAX_SAFE_INTEGER);
      if (n === null) return reply(ctx, (w) => w.error('ERR count should be greater than or equal to -1'));
      count = n === -1 ? log.length : n;
    }
    const entries = log.slice(0, count);
    reply(ctx, (w) => {
      w.arrayLen(entries.length);
      for (const e of entries) {
        w.arrayLen(6);
        w.int(e.id);
        w.int(e.time);
        w.int(e.duration);
        w.arrayLen(e.argv.length);
        for (const a of e.argv) w.bulk(a);
        w.bulk(e.peer);
        w.bulk(e.name);
      }
    });
  },
  'slowlog|len'(ctx) {
    reply(ctx, (w) => w.int(ctx.host.introspect.slowlog.length));
  },
  'slowlog|reset'(ctx) {
    ctx.host.introspect.resetSlowlog();
    reply(ctx, (w) => w.ok());
  },
  'slowlog|help'(ctx) {
    help(ctx, 'SLOWLOG', [
      'GET [<count>]',
      '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
      '    Entries are made of:',
      '    id, timestamp, time in microseconds, arguments array, client IP and port,',
      '    client name',
      'LEN',
      '    Return the length of the slowlog.',
      'RESET',
      '    Reset the slowlog.',
    ]);
  },
};

// ---------------------------------------------------------------------------
// LATENCY
// ---------------------------------------------------------------------------

/** LATENCY HISTOGRAM's per-command map (fillCommandCDF): calls, and cumulative counts at 1, 2, 4 ... µs. */
function writeCdf(w: ReplyWriter, h: Float64Array): void {
  let total = 0;
  for (let b = 0; b < BUCKETS; b++) total += h[b];
  w.mapLen(2);
  w.bulk('calls');
  w.int(total);
  w.bulk('histogram_usec');
  const points: [number, number][] = [];
  // HDR's logarithmic iteration from 1024 ns, doubling; at each step the values up to its highest equivalent value.
  let cumulative = 0;
  let b = 0;
  let previous = 0;
  for (let level = 1024; cumulative < total; level *= 2) {
    const limit = level + level / 128 - 1;
    while (b < BUCKETS && bucketHigh(b) <= limit) cumulative += h[b++];
    if (b < BUCKETS && cumulative < total && level >= 2 ** 40) {
      while (b < BUCKETS) cumulative += h[b++];
    }
    if (cumulative > previous) points.push([Math.floor(limit / 1000), cumulative]);
    previous = cumulative;
  }
  w.mapLen(points.length);
  for (const [us, n] of points) {
    w.int(us);
    w.int(n);
  }
}

function latencyReport(ctx: LocalCtx): string {
  const intro = ctx.host.introspect;
  const threshold = ctx.host.config.int('latency-monitor-threshold');
  if (intro.latency.size === 0) {
    if (threshold === 0) {
      return 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
    }
    return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  let report = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let i = 1;
  let commandEvents = false;
  for (const [event, ts] of intro.latency) {
    const samples = ts.samples.filter((s) => s.time !== 0);
    const avg = samples.reduce((a, s) => a + s.latency, 0) / samples.length;
    const first = Math.min(...samples.map((s) => s.time));
    report += `${i++}. ${event}: ${samples.length} latency spikes (average ${Math.round(avg)}ms, mean deviation ${Math.round(samples.reduce((a, s) => a + Math.abs(s.latency - avg), 0) / samples.length)}ms, period ${samples.length > 1 ? ((Math.floor(Date.now() / 1000) - first) / samples.length).toFixed(2) : '0.00'} sec). Worst all time event ${ts.max}ms.\n`;
    if (event === 'command' || event === 'fast-command') commandEvents = true;
  }
  report += '\nI have a few advices for you:\n\n';
  if (commandEvents) {
    report +=
      '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  } else {
    report += '- The system is slow to execute shardis code paths: check the host\'s CPU load and other threads competing with the shards.\n';
  }
  return report;
}

/** LATENCY GRAPH (latencyCommandGenSparkeline): a column per sample, tallest for the highest. */
function latencyGraph(event: string, ts: { samples: { time: number; latency: number }[]; idx: number; max: number }): string {
  const samples: { time: number; latency: number }[] = [];
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN];
    if (s.time !== 0) samples.push(s);
  }
  const min = Math.min(...samples.map((s) => s.latency));
  const max = Math.max(...samples.map((s) => s.latency));
  let out = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
  out += `${'-'.repeat(80)}\n`;
  const rows = 4;
  const now = Math.floor(Date.now() / 1000);
  for (let r = rows; r >= 1; r--) {
    let line = '';
    for (const s of samples) {
      const height = max === min ? rows : Math.round(((s.latency - min) / (max - min)) * (rows - 1)) + 1;
      line += height >= r ? (height === r ? '_' : '|') : ' ';
      if (r === rows && height >= r) line = `${line.slice(0, -1)}#`;
    }
    out += `${line}\n`;
  }
  out += '\n';
  const labels = samples.map((s) => {
    const ago = now - s.time;
    return ago < 60 ? `${ago}s` : ago < 3600 ? `${Math.floor(ago / 60)}m` : `${Math.floor(ago / 3600)}h`;
  });
  const width = Math.max(0, ...labels.map((l) => l.length));
  for (let c = 0; c < width; c++) out += `${labels.map((l) => l[c] ?? ' ').join('')}\n`;
  return out;
}

const latency: Record<string, LocalHandler> = {
  'latency|latest'(ctx) {
    const events = [...ctx.host.introspect.latency];
    reply(ctx, (w) => {
      w.arrayLen(events.length);
      for (const [event, ts] of events) {
        const last = ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
        w.arrayLen(4);
        w.bulk(event);
        w.int(last.time);
        w.int(last.latency);
        w.int(ts.max);
      }
    });
  },
  'latency|history'(ctx, argv) {
    const ts = ctx.host.introspect.latency.get(argv[2]);
    const samples: { time: number; latency: number }[] = [];
    if (ts !== undefined) {
      for (let j = 0; j < LATENCY_TS_LEN; j++) {
        const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN];
        if (s.time !== 0) samples.push(s);
      }
    }
    reply(ctx, (w) => {
      w.arrayLen(samples.length);
      for (const s of samples) {
        w.arrayLen(2);
        w.int(s.time);
        w.int(s.latency);
      }
    });
  },
  'latency|reset'(ctx, argv) {
    const events = ctx.host.introspect.latency;
    let resets = 0;
    if (argv.length === 2) {
      resets = events.size;
      events.clear();
    } else {
      for (const e of argv.slice(2)) if (events.delete(e)) resets++;
    }
    reply(ctx, (w) => w.int(resets));
  },
  'latency|doctor'(ctx) {
    const text = latencyReport(ctx);
    reply(ctx, (w) => w.verbatim(text));
  },
  'latency|graph'(ctx, argv) {
    const ts = ctx.host.introspect.latency.get(argv[2]);
    if (ts === undefined) return reply(ctx, (w) => w.error(`ERR No samples available for event '${argv[2]}'`));
    const text = latencyGraph(argv[2], ts);
    reply(ctx, (w) => w.verbatim(text));
  },
  'latency|histogram'(ctx, argv) {
    const areas = ctx.host.introspect.areas();
    const ids: number[] = [];
    if (argv.length === 2) {
      for (const spec of allCommands) if (!spec.name.startsWith('shardis|')) ids.push(spec.id);
    } else {
      for (const name of argv.slice(2)) {
        const [top, sub] = name.toLowerCase().split('|', 2);
        const container = commandTable.get(top);
        const spec = container && sub !== undefined ? findSubcommand(container, sub) : container;
        if (spec !== undefined && !ids.includes(spec.id)) ids.push(spec.id);
      }
    }
    const withData: [string, Float64Array][] = [];
    for (const id of ids) {
      const h = sumHistograms(areas, id);
      if (h.some((x) => x > 0)) withData.push([allCommands[id].name, h]);
    }
    reply(ctx, (w) => {
      w.mapLen(withData.length);
      for (const [name, h] of withData) {
        w.bulk(name);
        writeCdf(w, h);
      }
    });
  },
  'latency|help'(ctx) {
    help(ctx, 'LATENCY', [
      'DOCTOR',
      '    Return a human readable latency analysis report.',
      'GRAPH <event>',
      '    Return an ASCII latency graph for the <event> class.',
      'HISTORY <event>',
      '    Return time-latency samples for the <event> class.',
      'LATEST',
      '    Return the latest latency samples for all events.',
      'RESET [<event> ...]',
      '    Reset latency data of one or more <event> classes.',
      '    (default: reset all data for all event classes)',
      'HISTOGRAM [COMMAND ...]',
      '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
      '    If no commands are specified then all histograms are replied.',
    ]);
  },
};

// ---------------------------------------------------------------------------
// MEMORY (USAGE runs on the key's shard: workers/shard/introspect.ts)
// ---------------------------------------------------------------------------

const memory: Record<string, LocalHandler> = {
  'memory|stats'(ctx) {
    gatherReports(ctx.host, (reports) => memoryStats(ctx, memoryFigures(ctx.host, reports)));
  },
  'memory|doctor'(ctx) {
    gatherReports(ctx.host, (reports) => memoryDoctor(ctx, memoryFigures(ctx.host, reports)));
  },
};

function memoryStats(ctx: LocalCtx, m: MemoryFigures): void {
  const fields: [string, number | Record<string, number>, 'int' | 'double'][] = [
    ['peak.allocated', m.peak, 'int'],
    ['total.allocated', m.used, 'int'],
    ['startup.allocated', m.startup, 'int'],
    ['replication.backlog', 0, 'int'],
    ['clients.slaves', 0, 'int'],
    ['clients.normal', m.clients, 'int'],
    ['cluster.links', 0, 'int'],
    ['aof.buffer', 0, 'int'],
    ['lua.caches', 0, 'int'],
    ['functions.caches', 0, 'int'],
  ];
  for (const [db, keys] of m.dbs) {
    fields.push([`db.${db}`, { 'overhead.hashtable.main': keys.overheadMain, 'overhead.hashtable.expires': keys.overheadExpires }, 'int']);
  }
  fields.push(
    ['overhead.total', m.overhead, 'int'],
    ['keys.count', m.keys, 'int'],
    ['keys.bytes-per-key', m.keys > 0 ? Math.floor((m.used - m.startup) / m.keys) : 0, 'int'],
    ['dataset.bytes', m.dataset, 'int'],
    ['dataset.percentage', m.datasetPerc, 'double'],
    ['peak.percentage', m.peakPerc, 'double'],
    ['allocator.allocated', m.used, 'int'],
    ['allocator.active', m.heapTotal, 'int'],
    ['allocator.resident', m.rss, 'int'],
    ['allocator-fragmentation.ratio', m.heapTotal / Math.max(1, m.used), 'double'],
    ['allocator-fragmentation.bytes', m.heapTotal - m.used, 'int'],
    ['allocator-rss.ratio', m.rss / Math.max(1, m.heapTotal), 'double'],
    ['allocator-rss.bytes', m.rss - m.heapTotal, 'int'],
    ['rss-overhead.ratio', 1, 'double'],
    ['rss-overhead.bytes', 0, 'int'],
    ['fragmentation', m.rss / Math.max(1, m.used), 'double'],
    ['fragmentation.bytes', m.rss - m.used, 'int'],
  );
  reply(ctx, (w) => {
    w.mapLen(fields.length);
    for (const [name, value, kind] of fields) {
      w.bulk(name);
      if (typeof value === 'object') {
        const entries = Object.entries(value);
        w.mapLen(entries.length);
        for (const [k, v] of entries) {
          w.bulk(k);
          w.int(v);
        }
      } else if (kind === 'double') {
        w.double(value);
      } else {
        w.int(Math.round(value));
      }
    }
  });
}

function memoryDoctor(ctx: LocalCtx, m: MemoryFigures): void {
  let text: string;
  if (m.used < 1024 * 1024 * 5) {
    text =
      "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.";
  } else if (m.peak / m.used > 1.5) {
    text =
      "Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\nI'm here to keep you safe, Sam. I want to help you.\n";
  } else {
    text = 'Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.';
  }
  reply(ctx, (w) => w.verbatim(text));
}

const moreMemory: Record<string, LocalHandler> = {
  'memory|malloc-stats'(ctx) {
    // Node has no jemalloc: the V8 heap figures are the allocator statistics we have.
    const m = memoryUsage();
    const text = `___ Begin V8 heap statistics (host thread) ___\nrss: ${m.rss}\nheap_total: ${m.heapTotal}\nheap_used: ${m.heapUsed}\nexternal: ${m.external}\narray_buffers: ${m.arrayBuffers}\n--- End V8 heap statistics ---\n`;
    reply(ctx, (w) => w.verbatim(text));
  },
  'memory|purge'(ctx) {
    // V8 frees on garbage collection; with --expose-gc we could force one. Nothing to purge otherwise.
    (globalThis as { gc?: () => void }).gc?.();
    reply(ctx, (w) => w.ok());
  },
  'memory|help'(ctx) {
    help(ctx, 'MEMORY', [
      'DOCTOR',
      '    Return memory problems reports.',
      'MALLOC-STATS',
      '    Return internal statistics report from the memory allocator.',
      'PURGE',
      '    Attempt to purge dirty pages for reclamation by the allocator.',
      'STATS',
      '    Return information about the memory usage of the server.',
      'USAGE <key> [SAMPLES <count>]',
      '    Return memory in bytes used by <key> and its value. Nested values are',
      '    sampled up to <count> times (default: 5, 0 means sample all).',
    ]);
  },
};

// ---------------------------------------------------------------------------
// DEBUG, LOLWUT
// ---------------------------------------------------------------------------

const DEBUG_HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'HELP',
  '    Prints this help.',
];

const sleepWord = new Int32Array(new SharedArrayBuffer(4));

/** C's strtod on a prefix, 0 when there is none (DEBUG SLEEP's parsing). */
function strtod(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf(inity)?|nan)/i.exec(s);
  return m ? Number(m[0].replace(/inf(inity)?/i, 'Infinity')) || 0 : 0;
}


const other: Record<string, LocalHandler> = {
  debug(ctx, argv) {
    const sub = argv[1].toLowerCase();
    const a = ctx.host;
    if (sub === 'help' && argv.length === 2) {
      return reply(ctx, (w) => {
        w.arrayLen(DEBUG_HELP.length);
        for (const l of DEBUG_HELP) w.simple(l);
      });
    }
    if (sub === 'sleep' && argv.length === 3) {
      // The whole server stops, as Redis' nanosleep on its one thread: every acceptor sleeps, and the shards get nothing meanwhile.
      const ms = Math.trunc(strtod(argv[2]) * 1e6) / 1000;
      if (ms > 0) {
        a.peers.tell('debug-sleep', ms);
        Atomics.wait(sleepWord, 0, 0, ms);
      }
      return reply(ctx, (w) => w.ok());
    }
    if (sub === 'object' && argv.length === 3) {
      const spec = internalCommand('shardis|debug');
      const slot = keySlot(argv[2]);
      a.shards.sendAcross(ctx.client, ctx.seq, spec, argSourceOf(['shardis|debug', 'object', argv[2]]), 3, slot, [a.shards.slots.owner[slot]]);
      return;
    }
    if (sub === 'set-active-expire' && argv.length === 3) {
      const on = Number.parseInt(argv[2], 10) ? '1' : '0';
      for (let s = 0; s < a.shards.count; s++) a.shards.sendInternalTo(s, 'shardis|debug', 'set-active-expire', on);
      a.shards.publishAll();
      return reply(ctx, (w) => w.ok());
    }
    if (sub === 'panic' && argv.length === 2) {
      // Redis aborts the whole process. Here the acceptor thread fails, as a bug in it would, and the
      // server stops on that failure (src/main.ts, src/threads/acceptor-pool.ts): exit code 1, a log line naming the thread.
      a.log.warn({ client: ctx.client.id }, 'DEBUG PANIC called at Unix time');
      setImmediate(() => {
        throw new Error('DEBUG PANIC');
      });
      return;
    }
    if (sub === 'change-repl-id' && argv.length === 2) {
      changeReplicationId(a);
      a.log.warn('Changing replication IDs after receiving DEBUG change-repl-id');
      return reply(ctx, (w) => w.ok());
    }
    syntaxError(ctx, argv);
  },

  /** LOLWUT [VERSION v]: 7.0's own output is the version line (lolwutUnstableCommand). */
  lolwut(ctx, argv) {
    let version = 7;
    if (argv.length >= 3 && argv[1].toLowerCase() === 'version') {
      const v = parseLong(argv[2], -(2 ** 63), 2 ** 63);
      if (v === null) return reply(ctx, (w) => w.error(ERR.NOT_INTEGER));
      version = v >>> 0;
    }
    if (version === 5 || version === 6) {
      // Redis draws random art for these versions (Schotter, skyscrapers); we draw none and say so.
      const text = `LOLWUT version ${version} art is not drawn by this server.\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_COMPAT_VERSION}\n`;
      return reply(ctx, (w) => w.verbatim(text));
    }
    const text = `Redis ver. ${REDIS_COMPAT_VERSION}\n`;
    reply(ctx, (w) => w.verbatim(text));
  },
};

/** SLOWLOG and LATENCY keep their state on acceptor 0: the others forward them there. */
const onMain: Record<string, LocalHandler> = { ...slowlog, ...latency };
const forwarded = Object.fromEntries(Object.entries(onMain).map(([name, handler]) => [name, onMainAcceptor(handler)]));

export const introspectCommands: Record<string, LocalHandler> = { ...forwarded, ...memory, ...moreMemory, ...other };

/** What acceptor 0 does for the SLOWLOG and LATENCY commands the others forward (src/server/peer-ops.ts). */
export function registerIntrospectPeerOps(host: Host): void {
  host.introspect.registerPeerOps();
  host.peers.handle('debug-sleep', (ms) => Atomics.wait(sleepWord, 0, 0, ms as number));
  if (host.index !== 0) return;
  host.peers.handle('run-on-main', (args, _from, answer) => {
    const { name, argv, proto } = args as ForwardedCommand;
    const spec = allCommands.find((s) => s.name === name)!;
    // The client is the other acceptor's: only its protocol matters to these replies.
    const client = { proto } as Client;
    onMain[name]({ host, client, seq: 0, spec, capture: (bytes) => answer(bytes), forPeer: true }, argv);
  });
}

/** Calls counted for a command id, every area summed (tests and INFO). */
export function totalCalls(ctx: LocalCtx, id: number): number {
  return ctx.host.introspect.areas().reduce((n, a) => n + a.get(id, CALLS), 0);
}
