/**
 * Configuration: Redis' option names and value syntax, from a redis.conf-style
 * file and/or command-line flags (`shardis-server ./redis.conf --port 7000`),
 * plus shardis' own options. Unknown or invalid options stop start-up with a
 * message naming the option, in the shape of Redis' "FATAL CONFIG FILE ERROR".
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { splitInlineArgs } from '../resp/parser.js';
import type { ShardConfig } from './shard-config.js';

export const REDIS_COMPAT_VERSION = '7.0.15';

type Kind = 'int' | 'memory' | 'string' | 'enum' | 'bool' | 'list';

interface OptionSpec {
  name: string;
  kind: Kind;
  default: string;
  min?: number;
  max?: number;
  values?: string[];
  /** Can be changed with CONFIG SET at run time. */
  mutable: boolean;
  /** Hidden from CONFIG GET output of secrets? (requirepass is shown, as Redis does.) */
  aliases?: string[];
}

/** Default shard count: one per core, minus one for the acceptor thread (measured: docs/decisions.md). */
export function defaultShards(): number {
  return Math.max(1, availableParallelism() - 1);
}

const OPTIONS: OptionSpec[] = [
  { name: 'port', kind: 'int', default: '6379', min: 0, max: 65535, mutable: false },
  { name: 'bind', kind: 'list', default: '* -::*', mutable: false },
  { name: 'requirepass', kind: 'string', default: '', mutable: true },
  { name: 'databases', kind: 'int', default: '16', min: 1, max: 256, mutable: false },
  { name: 'loglevel', kind: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning', 'nothing'], mutable: true },
  { name: 'logfile', kind: 'string', default: '', mutable: false },
  { name: 'maxclients', kind: 'int', default: '10000', min: 1, max: 2147483647, mutable: true },
  { name: 'timeout', kind: 'int', default: '0', min: 0, max: 2147483647, mutable: true },
  { name: 'tcp-keepalive', kind: 'int', default: '300', min: 0, max: 2147483647, mutable: true },
  { name: 'tcp-backlog', kind: 'int', default: '511', min: 0, max: 2147483647, mutable: false },
  { name: 'proto-max-bulk-len', kind: 'memory', default: '536870912', min: 1024 * 1024, max: 2 ** 53, mutable: true },
  { name: 'client-query-buffer-limit', kind: 'memory', default: '1073741824', min: 1024 * 1024, max: 2 ** 53, mutable: true },
  { name: 'hz', kind: 'int', default: '10', min: 1, max: 500, mutable: true },
  { name: 'daemonize', kind: 'bool', default: 'no', mutable: false },
  { name: 'shards', kind: 'int', default: String(defaultShards()), min: 1, max: 256, mutable: false },
  { name: 'shard-spin-us', kind: 'int', default: '50', min: 0, max: 100000, mutable: true },
];

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));

export class ConfigError extends Error {
  readonly code = 'SHARDIS_ERR_CONFIG';
}

/** Redis memtoull: "1gb", "512mb", "100k" (1000), "1kb" (1024), plain bytes. */
export function parseMemory(s: string): number | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const mul: Record<string, number> = { '': 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return Number(m[1]) * mul[(m[2] ?? '').toLowerCase()];
}

export class Config {
  private readonly values = new Map<string, string>();
  /** The file given at start-up, for CONFIG REWRITE later. */
  configFile: string | null = null;

  constructor() {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
  }

  /** Validates and stores a value; returns an error message, or null. */
  set(name: string, args: string[], atRuntime = false): string | null {
    const spec = BY_NAME.get(name.toLowerCase());
    if (spec === undefined) return 'Bad directive or wrong number of arguments';
    if (atRuntime && !spec.mutable) return `can't set immutable config`;
    let value: string;
    if (spec.kind === 'list') value = args.join(' ');
    else if (args.length !== 1) return 'wrong number of arguments';
    else value = args[0];
    switch (spec.kind) {
      case 'int': {
        if (!/^-?\d+$/.test(value)) return 'argument couldn\'t be parsed into an integer';
        const n = Number(value);
        if (n < spec.min! || n > spec.max!) return `argument must be between ${spec.min} and ${spec.max} inclusive`;
        value = String(n);
        break;
      }
      case 'memory': {
        const n = parseMemory(value);
        if (n === null) return 'argument must be a memory value';
        if (n < spec.min! || n > spec.max!) return `argument must be between ${spec.min} and ${spec.max} inclusive`;
        value = String(n);
        break;
      }
      case 'enum':
        value = value.toLowerCase();
        if (!spec.values!.includes(value)) return `argument(s) must be one of the following: ${spec.values!.join(', ')}`;
        break;
      case 'bool':
        value = value.toLowerCase();
        if (value !== 'yes' && value !== 'no') return 'argument must be \'yes\' or \'no\'';
        break;
      default:
        break;
    }
    this.values.set(spec.name, value);
    return null;
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Option names matching a glob, for CONFIG GET. */
  names(): string[] {
    return OPTIONS.map((o) => o.name);
  }

  private int(name: string): number {
    return Number(this.values.get(name));
  }

  get port(): number { return this.int('port'); }
  get bind(): string[] { return this.values.get('bind')!.split(' ').filter(Boolean); }
  get requirepass(): string { return this.values.get('requirepass')!; }
  get databases(): number { return this.int('databases'); }
  get loglevel(): string { return this.values.get('loglevel')!; }
  get logfile(): string { return this.values.get('logfile')!; }
  get maxclients(): number { return this.int('maxclients'); }
  get timeout(): number { return this.int('timeout'); }
  get tcpKeepalive(): number { return this.int('tcp-keepalive'); }
  get tcpBacklog(): number { return this.int('tcp-backlog'); }
  get protoMaxBulkLen(): number { return this.int('proto-max-bulk-len'); }
  get clientQueryBufferLimit(): number { return this.int('client-query-buffer-limit'); }
  get hz(): number { return this.int('hz'); }
  get shards(): number { return this.int('shards'); }

  shardConfig(shardIndex: number): ShardConfig {
    return {
      databases: this.databases,
      protoMaxBulkLen: this.protoMaxBulkLen,
      shardSpinUs: this.int('shard-spin-us'),
      hz: this.hz,
      shardCount: this.shards,
      shardIndex,
    };
  }
}

/**
 * Reads the configuration from argv, the way redis-server does: an optional
 * config file first (or '-' for stdin), then `--name value ...` options that
 * override it. Throws ConfigError with Redis-style text on a bad option.
 */
export function loadConfig(argv: string[]): Config {
  const config = new Config();
  let text = '';
  let i = 0;
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    const file = argv[0];
    config.configFile = file === '-' ? null : file;
    try {
      text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'latin1');
    } catch (err) {
      throw new ConfigError(`Fatal error, can't open config file '${file}': ${(err as Error).message}`);
    }
    i = 1;
  }
  // Command-line options become config lines appended after the file, as in redis-server.
  const extra: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      extra.push(a.slice(2));
    } else if (extra.length === 0) {
      throw new ConfigError(`Invalid argument '${a}': options must start with --`);
    } else {
      extra[extra.length - 1] += ` ${quote(a)}`;
    }
  }
  const fileLines = text.split('\n');
  const lines = [...fileLines, ...extra];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const buf = Buffer.from(line, 'latin1');
    const args = splitInlineArgs(buf, 0, buf.length)?.map((b) => b.toString('latin1'));
    const fail = (msg: string) => {
      const where = index < fileLines.length ? `at line ${index + 1}` : 'from the command line';
      throw new ConfigError(
        `\n*** FATAL CONFIG FILE ERROR (shardis, Redis ${REDIS_COMPAT_VERSION} compatible) ***\nReading the configuration file, ${where}\n>>> '${line}'\n${msg}`,
      );
    };
    if (args === undefined) return fail('Unbalanced quotes in configuration line');
    if (args.length === 0) return;
    const [name, ...values] = args;
    if (!BY_NAME.has(name.toLowerCase())) return fail(`Bad directive or wrong number of arguments: unknown option '${name}'`);
    const error = config.set(name, values);
    if (error !== null) return fail(`Invalid argument for '${name}': ${error}`);
  });
  return config;
}

/** Quotes a command-line value so the config line parser reads it back as one argument. */
function quote(s: string): string {
  if (s !== '' && !/[\s"'\\]/.test(s)) return s;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
