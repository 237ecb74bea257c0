/**
 * Micro-benchmark of the RESP request parser (src/resp/parser.ts RequestParser):
 * nanoseconds per command on a pipelined stream of GET and SET commands as
 * redis-benchmark sends them (`key:000000012345`, 3-byte values).
 *
 *   npm run build && node dist/bench/micro/parser.js [--commands 20000] [--rounds 9] [--ms 300]
 *
 * The same bytes are fed in three ways, as a socket would deliver them:
 *   - 1 command per read:   pipeline 1 (every read is one whole command)
 *   - 16 commands per read: pipeline 16
 *   - 64 KiB reads:         a long pipeline; commands split across reads take
 *                           the parser's copy-and-append path
 * The sink only counts commands and touches one argument byte, so the figure
 * is the parser alone, not the acceptor's dispatch.
 */
import { RequestParser, type CommandSink } from '../../src/resp/parser.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(n > 0)) throw new Error(`--${name} needs a positive number`);
  return n;
}

const COMMANDS = option('commands', 20_000);
const ROUNDS = option('rounds', 9);
/** Minimum duration of one timed round. */
const ROUND_MS = option('ms', 300);

function bulk(s: string): string {
  return `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
}

/** GET and SET alternating, on redis-benchmark's key shape, as one RESP byte stream; also each command's end offset. */
function buildStream(n: number): { bytes: Buffer; ends: number[] } {
  const parts: string[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const key = `key:${String((i * 7919) % 100_000).padStart(12, '0')}`;
    const cmd = i % 2 === 0 ? `*3\r\n${bulk('SET')}${bulk(key)}${bulk('xxx')}` : `*2\r\n${bulk('GET')}${bulk(key)}`;
    parts.push(cmd);
    offset += cmd.length;
    ends.push(offset);
  }
  return { bytes: Buffer.from(parts.join(''), 'latin1'), ends };
}

/** Splits the stream into reads of `perRead` whole commands each. */
function byCommands(bytes: Buffer, ends: number[], perRead: number): Buffer[] {
  const reads: Buffer[] = [];
  let start = 0;
  for (let i = perRead - 1; i < ends.length + perRead - 1; i += perRead) {
    const end = ends[Math.min(i, ends.length - 1)];
    reads.push(bytes.subarray(start, end));
    start = end;
  }
  return reads;
}

/** Splits the stream into reads of `size` bytes, cutting through commands. */
function byBytes(bytes: Buffer, size: number): Buffer[] {
  const reads: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) reads.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
  return reads;
}

class CountingSink implements CommandSink {
  commands = 0;
  checksum = 0;
  onCommand(buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    this.commands++;
    this.checksum += buf[starts[argc - 1]] + lens[0];
  }
  onProtocolError(message: string): void {
    throw new Error(`protocol error: ${message}`);
  }
}

const limits = { protoMaxBulkLen: () => 512 * 1024 * 1024, authRequired: () => false };

/** Feeds every read once; returns elapsed nanoseconds. */
function pass(parser: RequestParser, reads: Buffer[]): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reads.length; i++) parser.feed(reads[i]);
  return Number(process.hrtime.bigint() - t0);
}

function measure(reads: Buffer[], commands: number): { median: number; min: number } {
  const sink = new CountingSink();
  const parser = new RequestParser(sink, limits);
  // Warm-up: let V8 optimize feed/parse before timing.
  const warmUntil = Date.now() + ROUND_MS;
  while (Date.now() < warmUntil) pass(parser, reads);
  const perCommand: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let ns = 0;
    let n = 0;
    const until = Date.now() + ROUND_MS;
    do {
      ns += pass(parser, reads);
      n += commands;
    } while (Date.now() < until);
    perCommand.push(ns / n);
  }
  if (sink.commands % commands !== 0) throw new Error(`parsed ${sink.commands} commands, not a multiple of ${commands}`);
  perCommand.sort((a, b) => a - b);
  return { median: perCommand[perCommand.length >> 1], min: perCommand[0] };
}

const { bytes, ends } = buildStream(COMMANDS);
const cases: [string, Buffer[]][] = [
  ['1 command per read (P1)', byCommands(bytes, ends, 1)],
  ['16 commands per read (P16)', byCommands(bytes, ends, 16)],
  ['64 KiB reads', byBytes(bytes, 64 * 1024)],
];
process.stdout.write(
  `RequestParser: ${COMMANDS} GET/SET commands (${(bytes.length / COMMANDS).toFixed(1)} bytes each), ` +
    `${ROUNDS} rounds of >= ${ROUND_MS} ms, node ${process.version}\n\n`,
);
process.stdout.write(`| ${'feed'.padEnd(26)} | ns/command (median) | ns/command (min) | Mcommands/s |\n`);
process.stdout.write(`|${'-'.repeat(28)}|--------------------:|-----------------:|------------:|\n`);
for (const [name, reads] of cases) {
  const { median, min } = measure(reads, COMMANDS);
  process.stdout.write(
    `| ${name.padEnd(26)} | ${median.toFixed(1).padStart(19)} | ${min.toFixed(1).padStart(16)} | ${(1e3 / median).toFixed(2).padStart(11)} |\n`,
  );
}
