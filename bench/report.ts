/**
 * The report: Markdown tables (also what the console shows) and the files in
 * bench/results/ — <UTC timestamp>.json with every run, <timestamp>.md and
 * latest.md with the tables, the command line and the machine. The table,
 * number, file and command-line helpers serve scaling-report.ts too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine.js';
import { shellQuote } from './shell-quote.js';
import type { BenchReport, CaseResult } from './summary.js';

/** A Markdown table with padded columns, readable as plain text too. */
export function table(header: string[], rows: string[][], rightAligned: (col: number) => boolean): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (rightAligned(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (rightAligned(c) ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

export function ops(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'error';
}

/** The row's name, with its failures and a `*` when a pair in it was disturbed by other processes. */
export function caseName(c: CaseResult): string {
  const failed = c.summary.failedRuns > 0 ? ` (${c.summary.failedRuns} failed)` : '';
  return `${c.label}${failed}${c.summary.disturbedPairs > 0 ? ' *' : ''}`;
}

/** Throughput, CPU per op and latency (p50, p99, as redis-benchmark measures them: closed loop) of both servers, side by side. */
export function mainTable(cases: CaseResult[]): string {
  const header = ['test', 'P', 'redis ops/s', 'shardis ops/s', 'ratio', 'redis CPU µs/op', 'shardis CPU µs/op', 'CPU ratio', 'redis p50 ms', 'shardis p50 ms', 'redis p99 ms', 'shardis p99 ms'];
  const rows = cases.map((c) => {
    const s = c.summary;
    return [caseName(c), String(c.pipeline), ops(s.redisRps), ops(s.shardisRps), fixed(s.ratio, 2), fixed(s.redisCpuUs, 2), fixed(s.shardisCpuUs, 2), fixed(s.cpuRatio, 2), fixed(s.redisP50Ms, 3), fixed(s.shardisP50Ms, 3), fixed(s.redisP99Ms, 3), fixed(s.shardisP99Ms, 3)];
  });
  return table(header, rows, (c) => c > 0);
}

/** shardis' CPU per op split by thread: where its time goes. */
export function threadTable(cases: CaseResult[]): string {
  const groups: string[] = [];
  for (const c of cases) for (const g of Object.keys(c.summary.shardisThreadUs)) if (!groups.includes(g)) groups.push(g);
  const header = ['test', 'P', ...groups.map((g) => `${g} µs/op`), 'process µs/op'];
  const rows = cases.map((c) => [caseName(c), String(c.pipeline), ...groups.map((g) => fixed(c.summary.shardisThreadUs[g] ?? NaN, 2)), fixed(c.summary.shardisCpuUs, 2)]);
  return table(header, rows, (c) => c > 0);
}

/** How busy each party was: saturation and noise from the rest of the machine. */
export function loadTable(cases: CaseResult[]): string {
  const header = ['test', 'P', 'requests', 'redis CPU %', 'shardis CPU %', 'redis-benchmark CPU %', 'others' + "' CPU % (max)", 'idle redis / shardis CPU % (max)'];
  const rows = cases.map((c) => {
    const s = c.summary;
    return [
      caseName(c),
      String(c.pipeline),
      c.requests.toLocaleString('en-US'),
      fixed(s.redisCpuPct, 0),
      fixed(s.shardisCpuPct, 0),
      fixed(s.clientCpuPct, 0),
      fixed(s.foreignCpuPctMax, 0),
      `${fixed(s.idleServerCpuPctMax.redis, 1)} / ${fixed(s.idleServerCpuPctMax.shardis, 1)}`,
    ];
  });
  return table(header, rows, (c) => c > 0);
}

/** The machine and versions, as the header's first list items. */
export function machineLines(m: MachineInfo): string[] {
  return [`- machine: ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.kernel}`, `- node ${m.node}; ${m.redisServer}; ${m.redisBenchmark}`];
}

/** Items of the report as Markdown list entries, continuation lines indented. */
export function listItems(items: string[]): string[] {
  return items.map((i) => `- ${i.replace(/\n/g, '\n  ')}`);
}

export function markdown(r: BenchReport): string {
  const m = r.machine;
  const o = r.options;
  const lines = [
    `# shardis vs redis-server — ${r.startedAt}`,
    '',
    '```',
    r.command,
    '```',
    '',
    ...machineLines(m),
    `- shardis ${m.shardisCommit}, ${r.shardis.shards} shard(s)${o.shards === null ? ' (its default)' : ''}; \`${r.shardis.command}\``,
    `- redis: \`${r.redis.command}\``,
    `- load: ${o.clients} clients, value ${o.dataSize} B, ${o.keyspace > 0 ? `keyspace ${o.keyspace} (-r)` : 'one key'}, ` +
      `${o.repeat} pair(s) per row (medians${o.repeat > 1 ? ', order alternating' : ''}); ` +
      `a pair during which other processes used > ${o.maxNoise}% of a core is run again, up to ${o.retries}×` +
      `${o.quick ? '; QUICK mode (small -n: smoke test only)' : ''}`,
    `- load average at start ${m.loadAverageStart.join(' ')}, at end ${(m.loadAverageEnd ?? []).join(' ')}` +
      ' (other processes share this machine: see the "others\' CPU" column)',
    `- finished ${r.finishedAt}`,
    '',
    '## Throughput, CPU per operation, median latency',
    '',
    mainTable(r.cases),
    '',
    'ratio = shardis ops/s ÷ redis ops/s (higher is better for shardis); CPU ratio = shardis CPU/op ÷ redis CPU/op ' +
      '(lower is better); both are medians of per-pair ratios. See bench/README.md.',
    ...(r.cases.some((c) => c.summary.disturbedPairs > 0)
      ? ['', `\\* other processes used more than ${o.maxNoise}% of a core during a run of this row even after ${o.retries} retries: its figures are unreliable.`]
      : []),
    ...(r.cases.some((c) => c.discarded.length > 0)
      ? ['', `Pairs run again because other processes disturbed them: ${r.cases.filter((c) => c.discarded.length > 0).map((c) => `${c.label} P${c.pipeline} ×${c.discarded.length}`).join(', ')} (in the JSON as "discarded").`]
      : []),
    '',
    '## shardis CPU per operation by thread',
    '',
    threadTable(r.cases),
    '',
    '## Load on the machine during the runs',
    '',
    loadTable(r.cases),
    '',
  ];
  if (r.incidents.length > 0) lines.push('## Incidents', '', ...listItems(r.incidents), '');
  return lines.join('\n');
}

/** 2025-01-31T12-00-00Z: sortable, and no ':' in file names. */
export function fileStamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/**
 * Writes <stamp>.json (`data`) and <stamp>.md (`md`) into `dir`, made if
 * missing, and latest.md too when asked; returns the paths.
 */
export function writeResultFiles(dir: string, startedAt: string, data: unknown, md: string, updateLatest: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = fileStamp(startedAt);
  const files = [path.join(dir, `${stamp}.json`), path.join(dir, `${stamp}.md`)];
  writeFileSync(files[0], `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(files[1], md);
  if (updateLatest) {
    files.push(path.join(dir, 'latest.md'));
    writeFileSync(files[2], md);
  }
  return files;
}

export function writeReport(r: BenchReport, dir: string, updateLatest: boolean): string[] {
  return writeResultFiles(dir, r.startedAt, r, markdown(r), updateLatest);
}

/** An absolute path under the current directory, made relative (for readable reports). */
export function shortPath(arg: string): string {
  if (!path.isAbsolute(arg)) return arg;
  const rel = path.relative(process.cwd(), arg);
  return rel.startsWith('..') ? arg : rel;
}

/** A server's command line to show: node's own path as `node`, paths under the current directory relative. */
export function displayCommand(command: string[]): string {
  const [file, ...args] = command;
  return [file === process.execPath ? 'node' : file, ...args.map(shortPath)].map(shellQuote).join(' ');
}

/** This program's command line as typed: the npm form when `npm run <npmScript>` started it. */
export function commandLine(npmScript: string): string {
  const args = process.argv.slice(2).map(shellQuote);
  if (process.env.npm_lifecycle_event === npmScript) return [`npm run ${npmScript}`, ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  return ['node', path.relative(process.cwd(), process.argv[1]) || process.argv[1], ...args].join(' ');
}
