/**
 * What each acceptor reports of itself for the server-wide figures of INFO
 * and MEMORY: its clients, counters, error counts, subscriptions and heap.
 * INFO on any acceptor asks the others for theirs (one message each, only
 * when there are others) and adds them up; with one acceptor the report is
 * read at once.
 */
import { getHeapStatistics } from 'node:v8';
import type { AcceptorStats, Host } from './host.js';
import { postponedCount } from './client-control.js';

export interface AcceptorReport {
  index: number;
  clients: number;
  /** Largest unparsed input and unwritten output of one client, and the total of both. */
  maxInput: number;
  maxOutput: number;
  bufferBytes: number;
  /** Clients blocked on keys of several shards (with a deadline), and clients held by CLIENT PAUSE. */
  crossBlocked: number;
  crossWithTimeout: number;
  postponed: number;
  stats: AcceptorStats;
  /** instantaneous_ops_per_sec, _input_kbps, _output_kbps of this acceptor (info.ts samples them). */
  instantaneous: { ops: number; netIn: number; netOut: number };
  /** errorstats: error prefix → count. */
  errors: [string, number][];
  channels: string[];
  patterns: string[];
  shardChannels: string[];
  /** This thread's V8 heap, used and reserved. */
  heapUsed: number;
  heapTotal: number;
}

/** Set by info.ts: the instantaneous metrics this thread samples. */
export const instantaneousOf = { read: (): AcceptorReport['instantaneous'] => ({ ops: 0, netIn: 0, netOut: 0 }) };

export function reportOf(host: Host): AcceptorReport {
  let maxInput = 0;
  let maxOutput = 0;
  let bufferBytes = 0;
  for (const c of host.clients.values()) {
    const input = c.parser.buffered;
    const output = c.pendingOutputBytes;
    if (input > maxInput) maxInput = input;
    if (output > maxOutput) maxOutput = output;
    bufferBytes += input + output;
  }
  const cross = host.flow.crossWaitCounts();
  const h = getHeapStatistics();
  return {
    index: host.index,
    clients: host.clients.size,
    maxInput,
    maxOutput,
    bufferBytes,
    crossBlocked: cross.blocked,
    crossWithTimeout: cross.withTimeout,
    postponed: postponedCount(host),
    stats: { ...host.stats },
    instantaneous: instantaneousOf.read(),
    errors: [...host.introspect.errors],
    channels: [...host.pubsub.channels.keys()],
    patterns: [...host.pubsub.patterns.keys()],
    shardChannels: [...host.pubsub.shardChannels.keys()],
    heapUsed: h.used_heap_size + h.external_memory,
    heapTotal: h.total_heap_size + h.external_memory,
  };
}

/** Every acceptor's report, by index, to `done` (at once with one acceptor). */
export function gatherReports(host: Host, done: (reports: AcceptorReport[]) => void): void {
  const own = reportOf(host);
  host.peers.ask('report', null, (others) => {
    const all = [own, ...(others as AcceptorReport[])];
    all.sort((x, y) => x.index - y.index);
    done(all);
  });
}

/** The sum of a counter over the reports. */
export function sumOf(reports: AcceptorReport[], field: keyof AcceptorStats): number {
  let total = 0;
  for (const r of reports) total += r.stats[field];
  return total;
}

/** The number of distinct names over the reports (a channel subscribed on two acceptors counts once). */
export function distinct(reports: AcceptorReport[], pick: (r: AcceptorReport) => string[]): number {
  const names = new Set<string>();
  for (const r of reports) for (const n of pick(r)) names.add(n);
  return names.size;
}
