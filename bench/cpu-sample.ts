/**
 * Before/after CPU samples of a server process, and the CPU one run cost,
 * split by thread group: `acceptor` (the main thread, tid == pid), `shard-N`
 * (threads so named, see thread-names.ts) and `other` (V8's platform threads
 * for GC and compilation, libuv's pool, anything unnamed).
 */
import { processCpuSeconds, threadCpuSeconds } from './proc-cpu.js';

export interface CpuSample {
  process: number;
  /** Seconds per tid, with the group the tid belongs to. */
  threads: Map<number, { group: string; seconds: number }>;
}

function groupOf(pid: number, tid: number, name: string): string {
  if (tid === pid) return 'acceptor';
  if (/^shard-\d+$/.test(name)) return name;
  return 'other';
}

export function sampleCpu(pid: number, perThread: boolean): CpuSample {
  const threads = new Map<number, { group: string; seconds: number }>();
  if (perThread) {
    for (const t of threadCpuSeconds(pid)) threads.set(t.tid, { group: groupOf(pid, t.tid, t.name), seconds: t.seconds });
  }
  // Read the process total last so it covers at least what the threads show.
  return { process: processCpuSeconds(pid), threads };
}

export interface CpuDelta {
  seconds: number;
  /** CPU seconds per thread group (empty when threads were not sampled). */
  groups: Record<string, number>;
}

export function cpuDelta(before: CpuSample, after: CpuSample): CpuDelta {
  const groups: Record<string, number> = {};
  for (const [tid, a] of after.threads) {
    // A thread born during the run started from 0.
    const b = before.threads.get(tid)?.seconds ?? 0;
    groups[a.group] = (groups[a.group] ?? 0) + (a.seconds - b);
  }
  return { seconds: after.process - before.process, groups };
}

/** Orders groups for display: acceptor, shard-0, shard-1, ..., other. */
export function compareGroups(a: string, b: string): number {
  const rank = (g: string): number => (g === 'acceptor' ? -1 : g === 'other' ? 1e9 : Number(g.slice('shard-'.length)));
  return rank(a) - rank(b);
}
