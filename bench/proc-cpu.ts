/**
 * CPU time of a process and of each of its threads, from /proc (Linux only).
 *
 * /proc/<pid>/stat's utime+stime cover every thread of the process, including
 * threads that already exited; /proc/<pid>/task/<tid>/stat covers one thread.
 * Both count in clock ticks (`getconf CLK_TCK`, 100 on Linux), so with runs of
 * a few seconds the resolution is well under 1%.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | null = null;

/** Clock ticks per second, as `getconf CLK_TCK` reports it. */
export function clockTicksPerSecond(): number {
  if (clockTicks === null) {
    const out = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
    const n = Number(out);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`getconf CLK_TCK printed ${JSON.stringify(out)}`);
    clockTicks = n;
  }
  return clockTicks;
}

/** utime + stime in ticks from a stat line, or null when the file is gone. */
function statTicks(path: string): number | null {
  let line: string;
  try {
    line = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // The comm field is in parentheses and may itself hold spaces or ')': fields
  // after the last ')' start with field 3 (state); utime and stime are 14 and 15.
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds (user + system, all threads) the process has used so far. */
export function processCpuSeconds(pid: number): number {
  const ticks = statTicks(`/proc/${pid}/stat`);
  if (ticks === null) throw new Error(`process ${pid} is gone`);
  return ticks / clockTicksPerSecond();
}

export interface ThreadCpu {
  tid: number;
  /** /proc/<pid>/task/<tid>/comm: the thread's name (shard workers are named shard-N). */
  name: string;
  seconds: number;
}

/** CPU seconds of every live thread of the process. */
export function threadCpuSeconds(pid: number): ThreadCpu[] {
  const out: ThreadCpu[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  const hz = clockTicksPerSecond();
  for (const t of tids) {
    const ticks = statTicks(`/proc/${pid}/task/${t}/stat`);
    if (ticks === null) continue; // exited between readdir and read
    let name = '?';
    try {
      name = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    out.push({ tid: Number(t), name, seconds: ticks / hz });
  }
  return out;
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function residentBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine has been busy (all cores: user, nice, system,
 * irq, softirq, steal from /proc/stat's "cpu" line; idle and iowait left out).
 * The difference over a run, minus what the servers and redis-benchmark used,
 * is what other processes took: the noise figure of that run.
 */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already in user)
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] || 0);
  return busy / clockTicksPerSecond();
}

/** CPU seconds of a process, or null once it is gone (no throw: for polling a child). */
export function processCpuSecondsOrNull(pid: number): number | null {
  const ticks = statTicks(`/proc/${pid}/stat`);
  return ticks === null ? null : ticks / clockTicksPerSecond();
}
