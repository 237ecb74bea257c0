/**
 * The acceptor's introspection state: the slow log, the latency monitor's
 * event series, error statistics by prefix, and per-command statistics of the
 * commands the acceptor itself runs (shards keep theirs in shared memory:
 * src/ipc/command-stats.ts). Shards report slow commands and latency events
 * as out-of-band records in their reply rings (workers/shard/introspect.ts).
 */
import { allCommands } from '../../commands/table.js';
import { CommandStats, REJECTED } from '../../ipc/command-stats.js';
import type { Host } from '../host.js';
import type { Client } from '../../net/client.js';

export interface SlowlogEntry {
  id: number;
  time: number;
  duration: number;
  argv: string[];
  peer: string;
  name: string;
}

interface SlowEntryArgs {
  argv: string[];
  duration: number;
  time: number;
  peer: string;
  name: string;
}

interface LatencyArgs {
  event: string;
  latency: number;
  time: number;
}

/** Redis' LATENCY_TS_LEN: samples kept per event. */
export const LATENCY_TS_LEN = 160;

export interface LatencySeries {
  samples: { time: number; latency: number }[];
  idx: number;
  max: number;
}

const SKIP_SLOWLOG = Uint8Array.from(allCommands, (s) => (s.flags.includes('skip_slowlog') ? 1 : 0));
const FAST = Uint8Array.from(allCommands, (s) => (s.flags.includes('fast') ? 1 : 0));

export class Introspection {
  /** Per-command statistics of the commands run on this acceptor (and calls of commands split across shards). */
  readonly local: CommandStats;
  /** Every acceptor's, this one's included (shared memory: INFO on any acceptor sums them all). */
  private readonly acceptorAreas: CommandStats[];
  readonly errors = new Map<string, number>();
  /** Newest first, as Redis' list. */
  slowlog: SlowlogEntry[] = [];
  private slowlogNextId = 0;
  readonly latency = new Map<string, LatencySeries>();

  constructor(
    private readonly host: Host,
    /** By acceptor index. */
    commandStats: SharedArrayBuffer[],
  ) {
    this.acceptorAreas = commandStats.map((sab) => new CommandStats(sab, 0));
    this.local = this.acceptorAreas[host.index];
  }

  /** Every per-command statistics area: every acceptor's and every shard's. */
  areas(): CommandStats[] {
    const shards = this.host.shards;
    const out = [...this.acceptorAreas];
    for (let s = 0; s < shards.count; s++) out.push(shards.stats(s).commands);
    return out;
  }

  /** An error reply went to a client: count it by its prefix (afterErrorReply). */
  errorReply(bytes: Buffer, start: number, len: number): void {
    const end = Math.min(start + len, start + 32);
    let space = -1;
    for (let p = start + 1; p < end; p++) {
      if (bytes[p] === 32) {
        space = p;
        break;
      }
    }
    const prefix = space < 0 ? 'ERR' : bytes.latin1Slice(start + 1, space);
    this.errors.set(prefix, (this.errors.get(prefix) ?? 0) + 1);
  }

  /** A command refused before it ran (arity, auth, MULTI): rejected_calls. */
  rejected(id: number): void {
    this.local.add(id, REJECTED);
  }

  /** A call of a command whose parts run on several shards (they count only its time). */
  splitCall(id: number): void {
    this.local.add(id, 0);
  }

  /** A command the acceptor ran itself, `ms` long. */
  localCommand(client: Client, id: number, argv: string[], ms: number, failed: boolean): void {
    const usec = ms * 1000;
    const config = this.host.config;
    this.local.record(id, usec, true, failed, config.yes('latency-tracking'));
    const duration = Math.floor(usec);
    const threshold = config.int('latency-monitor-threshold');
    if (threshold > 0 && Math.floor(duration / 1000) >= threshold) this.addLatencySample(FAST[id] === 1 ? 'fast-command' : 'command', Math.floor(duration / 1000));
    const slower = config.int('slowlog-log-slower-than');
    if (slower >= 0 && duration >= slower && SKIP_SLOWLOG[id] === 0) this.pushSlowlog(client, redactedArgs(allCommands[id].name, argv), duration, Math.floor(Date.now() / 1000));
  }

  /** An out-of-band record from a shard: a slow command or a latency event. */
  onShardRecord(bytes: Buffer, start: number, len: number): void {
    const r = JSON.parse(bytes.latin1Slice(start, start + len)) as
      | { k: 'slow'; c: number; t: number; d: number; a: string[] }
      | { k: 'lat'; e: string; ms: number; t: number };
    if (r.k === 'lat') return this.addLatencySample(r.e, r.ms, r.t);
    const client = this.host.clients.get(r.c);
    this.pushSlowlogEntry(r.a, r.d, r.t, client?.addr ?? '', client?.name ?? '');
  }

  private pushSlowlog(client: Client, argv: string[], duration: number, time: number): void {
    const out = argv.length > 32 || argv.some((a) => a.length > 128) ? truncateArgs(argv) : argv.slice();
    this.pushSlowlogEntry(out, duration, time, client.addr, client.name);
  }

  /** The slow log and the latency series are kept on acceptor 0; the others send it their entries, in order on one port. */
  private pushSlowlogEntry(argv: string[], duration: number, time: number, peer: string, name: string): void {
    if (this.host.index !== 0) return this.host.peers.tell('slowlog-entry', { argv, duration, time, peer, name } satisfies SlowEntryArgs, [0]);
    const max = this.host.config.int('slowlog-max-len');
    this.slowlog.unshift({ id: this.slowlogNextId++, time, duration, argv, peer, name });
    if (this.slowlog.length > max) this.slowlog.length = max;
  }

  resetSlowlog(): void {
    this.slowlog = [];
  }

  /** latencyAddSample: one sample per second per event, the highest kept. */
  addLatencySample(event: string, latency: number, time = Math.floor(Date.now() / 1000)): void {
    if (this.host.index !== 0) return this.host.peers.tell('latency-sample', { event, latency, time } satisfies LatencyArgs, [0]);
    let ts = this.latency.get(event);
    if (ts === undefined) {
      ts = { samples: Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 })), idx: 0, max: 0 };
      this.latency.set(event, ts);
    }
    if (latency > ts.max) ts.max = latency;
    const prev = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    if (ts.samples[prev].time === time) {
      if (latency > ts.samples[prev].latency) ts.samples[prev].latency = latency;
      return;
    }
    ts.samples[ts.idx] = { time, latency };
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** What acceptor 0 does with the others' slow log entries and latency samples (src/server/peer-ops.ts). */
  registerPeerOps(): void {
    const peers = this.host.peers;
    peers.handle('slowlog-entry', (args) => {
      const e = args as SlowEntryArgs;
      this.pushSlowlogEntry(e.argv, e.duration, e.time, e.peer, e.name);
    });
    peers.handle('latency-sample', (args) => {
      const l = args as LatencyArgs;
      this.addLatencySample(l.event, l.latency, l.time);
    });
  }

  /** CONFIG RESETSTAT: command and error statistics (the shards reset theirs through their rings). */
  resetStats(): void {
    this.local.reset();
    this.errors.clear();
  }
}

/** slowlogCreateEntry's truncation: 32 arguments, 128 bytes each. */
export function truncateArgs(argv: string[]): string[] {
  const argc = Math.min(argv.length, 32);
  const out: string[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) out.push(`... (${argv.length - argc + 1} more arguments)`);
    else if (argv[j].length > 128) out.push(`${argv[j].slice(0, 128)}... (${argv[j].length - 128} more bytes)`);
    else out.push(argv[j]);
  }
  return out;
}

/** Redis redacts secrets before they reach the slow log (redactClientCommandArgument). */
function redactedArgs(name: string, argv: string[]): string[] {
  if (name === 'auth') return argv.map((a, i) => (i === 0 ? a : '(redacted)'));
  if (name === 'hello') {
    const out = argv.slice();
    for (let j = 2; j < out.length; j++) {
      if (out[j].toLowerCase() === 'auth' && j + 2 < out.length) {
        out[j + 1] = '(redacted)';
        out[j + 2] = '(redacted)';
        j += 2;
      }
    }
    return out;
  }
  if (name === 'config|set') return argv.map((a, i) => (i >= 3 && i % 2 === 1 && argv[i - 1].toLowerCase() === 'requirepass' ? '(redacted)' : a));
  return argv;
}
