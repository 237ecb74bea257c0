/**
 * Per-command statistics (INFO commandstats, latencystats, LATENCY HISTOGRAM):
 * for every command id, calls / usec / rejected_calls / failed_calls and a
 * latency histogram. Each shard writes its own area (inside its shared stats
 * buffer, src/ipc/shard-stats.ts) and the acceptor keeps one for the commands
 * it runs; INFO adds them up without a round trip.
 *
 * The histogram is HDR-like: durations in nanoseconds, exact below 16 ns, then
 * 16 linear sub-buckets per power of two (at most 1/16 = 6.25% relative
 * error), up to 2^40 ns (about 18 minutes); longer durations land in the last
 * bucket. Redis' HDR histogram keeps 2 significant digits (1%); ours costs
 * 2.4 KB per command instead of 35 KB.
 */
import { allCommands } from '../commands/table.js';

/** Counter fields per command id. */
export const CALLS = 0;
export const USEC = 1;
export const REJECTED = 2;
export const FAILED = 3;
const FIELDS = 4;

const SUB_BITS = 4;
const SUB = 1 << SUB_BITS;
const MAX_EXP = 40;
export const BUCKETS = SUB + (MAX_EXP - SUB_BITS + 1) * SUB;

export function commandCount(): number {
  return allCommands.length;
}

export function commandStatsBytes(): number {
  const n = commandCount();
  return 8 * FIELDS * n + 4 * BUCKETS * n;
}

/** Bucket index of a duration in ns. */
export function bucketOf(ns: number): number {
  if (ns < SUB) return ns < 0 ? 0 : Math.floor(ns);
  if (ns < 4294967296) {
    // The common case: integer bit tricks, no Math.log2.
    const v = ns >>> 0;
    const e = 31 - Math.clz32(v);
    return SUB + (e - SUB_BITS) * SUB + ((v >>> (e - SUB_BITS)) & (SUB - 1));
  }
  let e = Math.floor(Math.log2(ns));
  if (e > MAX_EXP) return BUCKETS - 1;
  if (2 ** e > ns) e--;
  const sub = Math.floor(ns / 2 ** (e - SUB_BITS)) - SUB;
  return SUB + (e - SUB_BITS) * SUB + sub;
}

/** Lowest value (ns) a bucket holds. */
export function bucketLow(b: number): number {
  if (b < SUB) return b;
  const e = SUB_BITS + Math.floor((b - SUB) / SUB);
  const sub = (b - SUB) % SUB;
  return (SUB + sub) * 2 ** (e - SUB_BITS);
}

/** Highest value (ns) a bucket holds (HDR's highest equivalent value). */
export function bucketHigh(b: number): number {
  return b + 1 < BUCKETS ? bucketLow(b + 1) - 1 : bucketLow(b);
}

export class CommandStats {
  readonly counters: Float64Array;
  readonly hist: Uint32Array;

  constructor(buffer: ArrayBufferLike, byteOffset = 0) {
    const n = commandCount();
    this.counters = new Float64Array(buffer, byteOffset, FIELDS * n);
    this.hist = new Uint32Array(buffer, byteOffset + 8 * FIELDS * n, BUCKETS * n);
  }

  static local(): CommandStats {
    return new CommandStats(new ArrayBuffer(commandStatsBytes()));
  }

  /** A command ran: `usec` µs (fractional), counted as a call unless it was one part of a split command. */
  record(id: number, usec: number, call: boolean, failed: boolean, histogram: boolean): void {
    const c = this.counters;
    const base = id * FIELDS;
    if (call) c[base + CALLS]++;
    c[base + USEC] += usec;
    if (failed) c[base + FAILED]++;
    if (histogram) this.hist[id * BUCKETS + bucketOf(usec * 1000)]++;
  }

  get(id: number, field: number): number {
    return this.counters[id * FIELDS + field];
  }

  add(id: number, field: number, n = 1): void {
    this.counters[id * FIELDS + field] += n;
  }

  reset(): void {
    this.counters.fill(0);
    this.hist.fill(0);
  }
}

/** Sums several areas' histograms of one command (a fresh array). */
export function sumHistograms(areas: CommandStats[], id: number): Float64Array {
  const out = new Float64Array(BUCKETS);
  for (const a of areas) {
    const h = a.hist;
    const base = id * BUCKETS;
    for (let b = 0; b < BUCKETS; b++) out[b] += h[base + b];
  }
  return out;
}

/** HDR's value at percentile: the highest value of the bucket where the cumulative count reaches p% (ns). */
export function valueAtPercentile(h: Float64Array, p: number): number {
  let total = 0;
  for (let b = 0; b < BUCKETS; b++) total += h[b];
  if (total === 0) return 0;
  const wanted = Math.max(1, Math.floor((Math.min(p, 100) / 100) * total + 0.5));
  let seen = 0;
  for (let b = 0; b < BUCKETS; b++) {
    seen += h[b];
    if (seen >= wanted) return bucketHigh(b);
  }
  return bucketHigh(BUCKETS - 1);
}
