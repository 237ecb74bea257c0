/**
 * INFO commandstats, errorstats and latencystats (server.c
 * genRedisInfoString), the replication ids, and the memory figures INFO
 * memory and MEMORY STATS share.
 */
import { randomBytes } from 'node:crypto';
import { memoryUsage } from 'node:process';
import { allCommands } from '../../commands/table.js';
import { CALLS, FAILED, REJECTED, USEC, sumHistograms, valueAtPercentile } from '../../ipc/command-stats.js';
import type { AcceptorReport } from '../acceptor-report.js';
import type { Host } from '../host.js';

type Field = [string, string | number];

/** DEBUG CHANGE-REPL-ID (changeReplicationId + clearReplicationId2), for every acceptor at once (the ids are shared). */
export function changeReplicationId(a: Host): void {
  a.registry.setId('replid', randomBytes(20).toString('hex'));
  a.registry.setId('replid2', '0'.repeat(40));
}

/** Redis' %.2f / %f-trimmed number formats. */
function fixed2(n: number): string {
  return n.toFixed(2);
}

export function commandstats(a: Host): Field[] {
  const areas = a.introspect.areas();
  const out: Field[] = [];
  for (const spec of allCommands) {
    if (spec.name.startsWith('shardis|')) continue;
    let calls = 0;
    let usec = 0;
    let rejected = 0;
    let failed = 0;
    for (const area of areas) {
      calls += area.get(spec.id, CALLS);
      usec += area.get(spec.id, USEC);
      rejected += area.get(spec.id, REJECTED);
      failed += area.get(spec.id, FAILED);
    }
    if (calls === 0 && failed === 0 && rejected === 0) continue;
    const us = Math.floor(usec);
    out.push([
      `cmdstat_${spec.name}`,
      `calls=${calls},usec=${us},usec_per_call=${fixed2(calls === 0 ? 0 : us / calls)},rejected_calls=${rejected},failed_calls=${failed}`,
    ]);
  }
  return out;
}

/** Error counts by prefix, summed over every acceptor's report, in Redis' order (its rax of prefixes: byte order). */
export function errorstats(_a: Host, reports: AcceptorReport[]): Field[] {
  const counts = new Map<string, number>();
  for (const r of reports) for (const [prefix, n] of r.errors) counts.set(prefix, (counts.get(prefix) ?? 0) + n);
  return [...counts].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([prefix, count]) => [`errorstat_${prefix}`, `count=${count}`]);
}

/** Redis formats percentile names with %f trimmed of trailing zeros (p50, p99.9). */
function percentileName(p: number): string {
  return `p${Number(p.toFixed(6))}`;
}

export function latencystats(a: Host): Field[] {
  const spec = a.config.get('latency-tracking-info-percentiles') ?? '';
  const percentiles = spec === '' ? [] : spec.split(' ').map(Number);
  const areas = a.introspect.areas();
  const out: Field[] = [];
  for (const cmd of allCommands) {
    if (cmd.name.startsWith('shardis|')) continue;
    const h = sumHistograms(areas, cmd.id);
    if (!h.some((x) => x > 0)) continue;
    const parts = percentiles.map((p) => `${percentileName(p)}=${(valueAtPercentile(h, p) / 1000).toFixed(3)}`);
    out.push([`latency_percentiles_usec_${cmd.name}`, parts.join(',')]);
  }
  return out;
}

/** Figures for INFO memory and MEMORY STATS: every thread's V8 heap, the process RSS, the key count. */
export interface MemoryFigures {
  used: number;
  peak: number;
  startup: number;
  rss: number;
  heapTotal: number;
  clients: number;
  overhead: number;
  dataset: number;
  datasetPerc: number;
  peakPerc: number;
  keys: number;
  dbs: [number, { overheadMain: number; overheadExpires: number }][];
}

let startupMemory = 0;
let peakMemory = 0;

/** Raises the peak to the current used memory (INFO's 100 ms sampler, as Redis' serverCron). */
export function samplePeakMemory(a: Host): void {
  peakMemory = Math.max(peakMemory, usedMemory(a));
}

/** The used memory at start-up (used_memory_startup), taken once the shards are ready. */
export function noteStartupMemory(a: Host): void {
  startupMemory = usedMemory(a);
}

/** Every thread's V8 heap in use: the shards' (published) and the acceptors' (their reports; this one's alone without them). */
export function usedMemory(a: Host, reports: AcceptorReport[] | null = null): number {
  let used = 0;
  if (reports === null) {
    const m = memoryUsage();
    used = m.heapUsed + m.external;
  } else {
    for (const r of reports) used += r.heapUsed;
  }
  for (let s = 0; s < a.shards.count; s++) used += a.shards.stats(s).get('heapUsed');
  return used;
}

/** Keys and keys with a TTL in database `db`, summed over the shards' published counts. */
export function dbKeyCounts(a: Host, db: number): { keys: number; expires: number } {
  let keys = 0;
  let expires = 0;
  for (let s = 0; s < a.shards.count; s++) {
    const d = a.shards.stats(s).db(db);
    keys += d.keys;
    expires += d.expires;
  }
  return { keys, expires };
}

export function memoryFigures(a: Host, reports: AcceptorReport[]): MemoryFigures {
  const m = memoryUsage();
  const used = usedMemory(a, reports);
  peakMemory = Math.max(peakMemory, used);
  if (startupMemory === 0) startupMemory = Math.min(used, m.heapUsed + m.external);
  let keys = 0;
  const dbs: MemoryFigures['dbs'] = [];
  let tableOverhead = 0;
  for (let db = 0; db < a.config.databases; db++) {
    const { keys: k, expires: e } = dbKeyCounts(a, db);
    if (k === 0) continue;
    keys += k;
    // Our per-key index and parallel array entries (slot-dict.ts): about 18 bytes a key, 8 more for a TTL.
    const main = k * 18;
    const expires = e * 8;
    tableOverhead += main + expires;
    dbs.push([db, { overheadMain: main, overheadExpires: expires }]);
  }
  const clients = reports.reduce((n, r) => n + r.clients, 0) * 1024;
  const overhead = startupMemory + clients + tableOverhead;
  const dataset = Math.max(0, used - overhead);
  return {
    used,
    peak: peakMemory,
    startup: startupMemory,
    rss: m.rss,
    heapTotal: m.heapTotal,
    clients,
    overhead,
    dataset,
    datasetPerc: used - startupMemory > 0 ? (dataset * 100) / (used - startupMemory) : 0,
    peakPerc: (used * 100) / Math.max(1, peakMemory),
    keys,
    dbs,
  };
}
