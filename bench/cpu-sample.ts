/**
 * Before/after CPU samples of a server process, and the CPU one run cost,
 * split by thread group: `acceptor` (the main thread, tid == pid: acceptor 0),
 * `acceptor-N` and `shard-N` (threads so named, see thread-names.ts) and
 * `other` (V8's platform threads for GC and compilation, libuv's pool,
 * anything unnamed). Each group but `other` is one thread.
 */
import { processCpuSeconds, threadCpuSeconds } from './proc-cpu.js';

export interface CpuSample {
  process: number;
  /** Seconds per tid, with the group the tid belongs to. */
  threads: Map<number, { group: string; seconds: number }>;
}

function groupOf(pid: number, tid: number, name: string): string {
  if (tid === pid) return 'acceptor';
  if (/^(shard|acceptor)-\d+$/.test(name)) return name;
  return 'other';
}

export type ThreadRole = 'acceptor' | 'shard' | 'other';

/** The role of a group: the main thread and `acceptor-N` accept, `shard-N` hold keys, the rest is `other`. */
export function roleOf(group: string): ThreadRole {
  if (group === 'acceptor' || group.startsWith('acceptor-')) return 'acceptor';
  if (group.startsWith('shard-')) return 'shard';
  return 'other';
}

/** Live threads of the process per role. */
export function threadsByRole(pid: number): Record<ThreadRole, number> {
  const n: Record<ThreadRole, number> = { acceptor: 0, shard: 0, other: 0 };
  for (const t of threadCpuSeconds(pid)) n[roleOf(groupOf(pid, t.tid, t.name))]++;
  return n;
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

/** Orders groups for display: acceptor, acceptor-1, ..., shard-0, shard-1, ..., other. */
export function compareGroups(a: string, b: string): number {
  const rank = (g: string): number => {
    if (g === 'acceptor') return -1;
    const n = Number(g.slice(g.lastIndexOf('-') + 1));
    const role = roleOf(g);
    return role === 'acceptor' ? n : role === 'shard' ? 1e6 + n : 1e9;
  };
  return rank(a) - rank(b);
}
