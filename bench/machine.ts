/**
 * What the benchmark ran on, for the report: results only compare within one
 * run on one machine, so the machine and versions travel with them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  kernel: string;
  node: string;
  redisServer: string;
  redisBenchmark: string;
  /** shardis' git commit, with "-dirty" when the work tree has changes. */
  shardisCommit: string;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
}

function run(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(benchmarkVersion: string): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const commit = run('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    nproc: Number(run('nproc', [])) || os.availableParallelism(),
    cpuModel: model,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    redisServer: run('redis-server', ['--version']),
    redisBenchmark: benchmarkVersion,
    shardisCommit: dirty !== '' && dirty !== 'unknown' ? `${commit}-dirty` : commit,
    loadAverageStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
