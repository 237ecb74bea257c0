/**
 * Configuration: Redis' option names, value syntax, bounds and error texts
 * (config.c), from a redis.conf-style file and/or command-line flags
 * (`shardis-server ./redis.conf --port 7000`), plus shardis' own options.
 * Unknown or invalid options stop start-up with a message naming the option,
 * in the shape of Redis' "FATAL CONFIG FILE ERROR"; CONFIG SET uses the same
 * parsers, with Redis' all-or-nothing semantics and error replies.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitInlineArgs } from '../resp/parser.js';
import type { ShardConfig } from './shard-config.js';
import { keyspaceEventsToFlags, keyspaceFlagsToString } from '../server/notify-flags.js';

export const REDIS_COMPAT_VERSION = '7.0.15';
export const SHARDIS_VERSION = '0.1.0';

const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;

/**
 * Default acceptor threads (io-threads): 1 below 4 cores, else half the cores.
 * An acceptor costs about three times a shard's CPU per request at pipeline 1
 * and about as much at pipeline 16 (docs/scaling.md), so half the cores as
 * acceptors and half as shards balances the two at deep pipelines and leaves
 * the acceptors the larger share at pipeline 1, where they are the limit.
 * On 2 and 3 cores a second acceptor only takes the core the shard needs.
 */
export function defaultIoThreads(cores = availableParallelism()): number {
  return cores < 4 ? 1 : Math.floor(cores / 2);
}

/** Default shard count: the cores the acceptor threads leave, at least one (measured: docs/decisions.md). */
export function defaultShards(cores = availableParallelism()): number {
  return Math.max(1, cores - defaultIoThreads(cores));
}

/**
 * Default spin budget of a shard on an empty ring: 50 µs when the host has a
 * core to spare beyond the shards and the acceptors, else 0 (park at once).
 * Measured on 2 cores with 1 shard (redis-benchmark -c 50, same run as
 * redis-server): spinning 50 µs took the CPU the acceptor needed and cost
 * 10–20% of throughput at pipeline 1 (docs/decisions.md).
 */
export function defaultSpinUs(shards: number, acceptors: number): number {
  return availableParallelism() >= shards + acceptors + 1 ? 50 : 0;
}

type Parsed = { value: string } | { error: string };

interface OptionSpec {
  name: string;
  /** Value as CONFIG GET shows it before anything sets it. */
  default: string;
  /** Can be changed with CONFIG SET while running. */
  mutable: boolean;
  /** Takes several arguments (bind, save); a single argument is split at spaces. */
  multiArg?: boolean;
  /** Validates the argument(s) and returns the value in CONFIG GET form, or Redis' error text (`current`: the value now, for options that change in parts). */
  parse(args: string[], current: string): Parsed;
  /**
   * How CONFIG REWRITE writes it (config.c's rewrite functions): 'plain' as
   * "name value", 'memory' with a kb/mb/gb unit when exact, 'string' quoted,
   * 'secret' quoted and left out when empty (requirepass), and bind / save
   * as Redis writes them.
   */
  rewrite: 'plain' | 'memory' | 'string' | 'secret' | 'bind' | 'save' | 'always';
  /** Redis' second name for it (hash-max-ziplist-entries ...): CONFIG GET patterns list both. */
  alias?: string;
  /** How CONFIG GET shows a stored value when it is kept in another form (notify-keyspace-events' flags). */
  show?: (stored: string) => string;
}

/** Redis string2ll: optional '-', no leading zeros, no '+', no spaces, within int64. */
function string2ll(s: string): bigint | null {
  if (!/^(0|-?[1-9]\d*)$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -LONG_MAX - 1n && v <= LONG_MAX ? v : null;
}

/** Redis memtoull: digits and an optional unit (b, k, kb, m, mb, g, gb, any case), wrapping at 64 bits as C does. */
export function memtoull(s: string): bigint | null {
  const m = /^(\d*)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const mul: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };
  let v = m[1] === '' ? 0n : BigInt(m[1]);
  if (v > 18446744073709551615n) v = 18446744073709551615n; // strtoull saturates
  return BigInt.asUintN(64, v * mul[(m[2] ?? '').toLowerCase()]);
}

/** Redis' numeric configs: type decides signed or unsigned bounds checks, as numericBoundaryCheck. */
function numeric(
  name: string,
  def: bigint,
  min: bigint,
  max: bigint,
  opts: { mutable: boolean; memory?: boolean; unsigned?: boolean; clamp?: [bigint, bigint] },
): OptionSpec {
  return {
    name,
    default: String(def),
    mutable: opts.mutable,
    rewrite: opts.memory ? 'memory' : 'plain',
    parse([s]) {
      let v = opts.memory ? memtoull(s) : null;
      if (v !== null) v = BigInt.asIntN(64, v); // stored in a long long, as Redis does
      else if (!opts.memory) v = string2ll(s);
      if (v === null) return { error: opts.memory ? 'argument must be a memory value' : "argument couldn't be parsed into an integer" };
      const checked = opts.unsigned ? BigInt.asUintN(64, v) : v;
      if (checked < min || checked > max) return { error: `argument must be between ${min} and ${max} inclusive` };
      // hz: any int is accepted, and stored capped (Redis' updateHZ), so CONFIG GET shows the capped value.
      if (opts.clamp) v = v < opts.clamp[0] ? opts.clamp[0] : v > opts.clamp[1] ? opts.clamp[1] : v;
      return { value: String(opts.memory ? BigInt.asUintN(64, v) : v) };
    },
  };
}

/** Redis yesnotoi: 'yes' or 'no', any case. */
function bool(name: string, def: 'yes' | 'no', mutable: boolean, refuse?: (v: string) => string | null): OptionSpec {
  return {
    name,
    default: def,
    mutable,
    rewrite: 'plain',
    parse([s]) {
      const v = s.toLowerCase();
      if (v !== 'yes' && v !== 'no') return { error: "argument must be 'yes' or 'no'" };
      const refused = refuse?.(v);
      return refused ? { error: refused } : { value: v };
    },
  };
}

function enumOption(name: string, values: string[], def: string, mutable: boolean): OptionSpec {
  return {
    name,
    default: def,
    mutable,
    rewrite: 'plain',
    parse([s]) {
      const v = values.find((x) => x === s.toLowerCase());
      return v === undefined ? { error: `argument(s) must be one of the following: ${values.join(', ')}` } : { value: v };
    },
  };
}

function str(name: string, def: string, mutable: boolean, rewrite: 'string' | 'secret' = 'string'): OptionSpec {
  return { name, default: def, mutable, rewrite, parse: ([s]) => ({ value: s }) };
}

/**
 * save: Redis' syntax ("" or pairs of seconds >= 1 and changes >= 0), but
 * shardis has no persistence yet, so any save point is refused rather than
 * silently ignored.
 */
const saveOption: OptionSpec = {
  name: 'save',
  default: '',
  mutable: true,
  multiArg: true,
  rewrite: 'save',
  parse(args) {
    if (args.length === 1 && args[0] === '') args = [];
    if (args.length % 2 !== 0) return { error: 'Invalid save parameters' };
    for (let j = 0; j < args.length; j++) {
      // strtoll with the whole argument consumed.
      if (!/^\s*[+-]?\d+$/.test(args[j]) && args[j] !== '') return { error: 'Invalid save parameters' };
      const v = args[j] === '' ? 0 : Number(args[j]);
      if ((j % 2 === 0 && v < 1) || (j % 2 === 1 && v < 0)) return { error: 'Invalid save parameters' };
    }
    if (args.length > 0) return { error: 'shardis has no persistence yet: RDB snapshots are not implemented, so save must be ""' };
    return { value: '' };
  },
};

/**
 * bind: Redis accepts up to 16 addresses ('-' marks one as optional; '*' and
 * '::*' are all IPv4 / all IPv6 addresses). The acceptor listens on one
 * address, so several distinct addresses are refused with a clear message
 * instead of listening on only the first.
 */
const bindOption: OptionSpec = {
  name: 'bind',
  default: '* -::*',
  mutable: false,
  multiArg: true,
  rewrite: 'bind',
  parse(args) {
    if (args.length > 16) return { error: 'Too many bind addresses specified.' };
    if (args.length === 1 && args[0] === '') args = [];
    if (listenAddresses(args).length > 1) {
      return { error: `shardis listens on one address (or on all with '*'), and bind names several: ${args.join(' ')}` };
    }
    return { value: args.join(' ') };
  },
};

/** The addresses to listen on for a bind value: ['*'] for all addresses, else one or more host names. */
function listenAddresses(bind: string[]): string[] {
  const out = new Set<string>();
  for (let a of bind) {
    if (a.startsWith('-')) a = a.slice(1); // optional address: Redis skips it if it cannot be bound
    out.add(a === '*' || a === '::*' ? '*' : a);
  }
  return out.size === 0 ? ['*'] : [...out];
}

/** SLOWLOG, LATENCY, INFO latencystats and the LFU counter (Redis 7.0's names, defaults and bounds). */
/**
 * latency-tracking-info-percentiles: Redis always writes it on CONFIG REWRITE.
 */
const percentilesOption: OptionSpec = {
    name: 'latency-tracking-info-percentiles',
    default: '50 99 99.9',
    mutable: true,
    multiArg: true,
    rewrite: 'always',
    parse(args) {
      if (args.length === 1 && args[0] === '') args = [];
      const out: string[] = [];
      for (const a of args) {
        if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a) || a !== a.trim()) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
        const v = Number(a);
        if (v > 100 || v < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
        out.push(String(Number(v.toFixed(6))));
      }
      return { value: out.join(' ') };
    },
  };

const INTROSPECTION_OPTIONS: OptionSpec[] = [
  percentilesOption,
  numeric('slowlog-log-slower-than', 10000n, -1n, LONG_MAX, { mutable: true }),
  numeric('slowlog-max-len', 128n, 0n, LONG_MAX, { mutable: true, unsigned: true }),
  numeric('latency-monitor-threshold', 0n, 0n, LONG_MAX, { mutable: true }),
  bool('latency-tracking', 'yes', true),
  enumOption('maxmemory-policy', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], 'noeviction', true),
  numeric('lfu-log-factor', 10n, 0n, INT_MAX, { mutable: true }),
  numeric('lfu-decay-time', 1n, 0n, INT_MAX, { mutable: true }),
];
/** Output buffer limit classes in the order CONFIG GET lists them (getClientTypeName). */
const OBUF_CLASSES = ['normal', 'slave', 'pubsub'];

/**
 * client-output-buffer-limit (updateClientOutputBufferLimit): groups of
 * <class> <hard> <soft> <soft seconds>; the classes named change, the others
 * keep their values; all groups are checked before any is applied.
 */
const outputBufferLimitOption: OptionSpec = {
  name: 'client-output-buffer-limit',
  default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
  mutable: true,
  multiArg: true,
  rewrite: 'plain',
  parse(args, current) {
    if (args.length === 1 && args[0] === '') args = [];
    if (args.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
    const words = current.split(' ');
    const values = new Map<string, string[]>();
    for (let j = 0; j < words.length; j += 4) values.set(words[j], words.slice(j + 1, j + 4));
    for (let j = 0; j < args.length; j += 4) {
      let cls = args[j].toLowerCase();
      if (cls === 'replica') cls = 'slave';
      if (!OBUF_CLASSES.includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
      const hard = memtoull(args[j + 1]);
      const soft = memtoull(args[j + 2]);
      // strtoll: leading spaces and a sign accepted, the whole argument consumed, not negative.
      const secondsOk = /^\s*[+-]?\d*$/.test(args[j + 3]);
      const seconds = secondsOk ? Number(args[j + 3].trim() || '0') : -1;
      if (hard === null || soft === null || !secondsOk || seconds < 0) {
        return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      }
      values.set(cls, [String(hard), String(soft), String(seconds)]);
    }
    return { value: OBUF_CLASSES.map((cls) => `${cls} ${values.get(cls)!.join(' ')}`).join(' ') };
  },
};

/** notify-keyspace-events: flag letters, shown in Redis' canonical order. */
const notifyKeyspaceEventsOption: OptionSpec = {
  name: 'notify-keyspace-events',
  // Kept as the flags number: Redis' canonical string drops 'n' after 'A', but the class stays enabled.
  default: '0',
  mutable: true,
  rewrite: 'string',
  parse([s]) {
    const flags = keyspaceEventsToFlags(s);
    if (flags < 0) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
    return { value: String(flags) };
  },
  show: (stored) => keyspaceFlagsToString(Number(stored)),
};

const OPTIONS: OptionSpec[] = [
  numeric('port', 6379n, 0n, 65535n, { mutable: false }),
  bindOption,
  str('requirepass', '', true, 'secret'),
  numeric('databases', 16n, 1n, 256n, { mutable: false }), // Redis allows INT_MAX; shard stats hold 256 (src/ipc/shard-stats.ts)
  enumOption('loglevel', ['debug', 'verbose', 'notice', 'warning'], 'notice', true),
  str('logfile', '', false),
  numeric('maxclients', 10000n, 1n, UINT_MAX, { mutable: true, unsigned: true }),
  numeric('timeout', 0n, 0n, INT_MAX, { mutable: true }),
  numeric('tcp-keepalive', 300n, 0n, INT_MAX, { mutable: true }),
  numeric('tcp-backlog', 511n, 0n, INT_MAX, { mutable: false }),
  numeric('proto-max-bulk-len', 536870912n, 1048576n, LONG_MAX, { mutable: true, memory: true }),
  numeric('client-query-buffer-limit', 1073741824n, 1048576n, LONG_MAX, { mutable: true, memory: true, unsigned: true }),
  numeric('hz', 10n, 0n, INT_MAX, { mutable: true, clamp: [1n, 500n] }),
  bool('daemonize', 'no', false, (v) => (v === 'yes' ? 'shardis does not daemonize: run it in the foreground under a supervisor' : null)),
  saveOption,
  bool('appendonly', 'no', true, (v) => (v === 'yes' ? 'shardis has no persistence yet: the AOF is not implemented, so appendonly must be no' : null)),
  numeric('shards', BigInt(defaultShards()), 1n, 256n, { mutable: false }),
  // Redis' name and bounds (IO_THREADS_MAX_NUM): here, the number of acceptor threads.
  numeric('io-threads', BigInt(defaultIoThreads()), 1n, 128n, { mutable: false }),
  // -1: automatic (defaultSpinUs); spinning only pays when the shard has a core of its own.
  numeric('shard-spin-us', -1n, -1n, 100000n, { mutable: true }),
  // Collection encodings (Redis 7.0 defaults and bounds): when small collections convert.
  aliased(numeric('list-max-listpack-size', -2n, -(INT_MAX + 1n), INT_MAX, { mutable: true }), 'list-max-ziplist-size'),
  numeric('list-compress-depth', 0n, 0n, INT_MAX, { mutable: true }),
  aliased(numeric('hash-max-listpack-entries', 512n, 0n, LONG_MAX, { mutable: true }), 'hash-max-ziplist-entries'),
  aliased(numeric('hash-max-listpack-value', 64n, 0n, LONG_MAX, { mutable: true, memory: true }), 'hash-max-ziplist-value'),
  numeric('set-max-intset-entries', 512n, 0n, LONG_MAX, { mutable: true }),
  aliased(numeric('zset-max-listpack-entries', 128n, 0n, LONG_MAX, { mutable: true }), 'zset-max-ziplist-entries'),
  aliased(numeric('zset-max-listpack-value', 64n, 0n, LONG_MAX, { mutable: true, memory: true }), 'zset-max-ziplist-value'),
  ...INTROSPECTION_OPTIONS,
  // Pub/sub (src/server/pubsub.ts) and keyspace notifications (workers/shard/notify.ts).
  outputBufferLimitOption,
  notifyKeyspaceEventsOption,
];

function aliased(spec: OptionSpec, alias: string): OptionSpec {
  return { ...spec, alias };
}

const BY_NAME = new Map<string, OptionSpec>();
for (const o of OPTIONS) {
  BY_NAME.set(o.name, o);
  if (o.alias !== undefined) BY_NAME.set(o.alias, o);
}

export class ConfigError extends Error {
  readonly code = 'SHARDIS_ERR_CONFIG';
}

/** Splits a config line the way sdssplitargs does; null on unbalanced quotes. */
function splitArgs(line: string): string[] | null {
  const buf = Buffer.from(line, 'latin1');
  return splitInlineArgs(buf, 0, buf.length)?.map((b) => b.toString('latin1')) ?? null;
}

export class Config {
  private readonly values = new Map<string, string>();
  /** Absolute path of the file given at start-up (INFO config_file, CONFIG REWRITE later). */
  configFile: string | null = null;

  constructor() {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
  }

  /** Whether an option of this name exists (any case). */
  static has(name: string): boolean {
    return BY_NAME.has(name.toLowerCase());
  }

  /** Whether CONFIG SET may change this option. */
  static mutable(name: string): boolean {
    return BY_NAME.get(name.toLowerCase())?.mutable ?? false;
  }

  /** The canonical (lower-case) name of an option. */
  static canonical(name: string): string | undefined {
    return BY_NAME.get(name.toLowerCase())?.name;
  }

  /**
   * Sets an option from the arguments of a config line; returns Redis' error
   * text, or null. A multi-argument option given one non-empty argument
   * splits it (`--bind "127.0.0.1 ::1"`), as Redis does.
   */
  setFromLine(name: string, args: string[]): string | null {
    const spec = BY_NAME.get(name.toLowerCase());
    if (spec === undefined) return 'Bad directive or wrong number of arguments';
    if (!spec.multiArg && args.length !== 1) return 'wrong number of arguments';
    if (spec.multiArg && args.length === 1 && args[0] !== '') {
      const split = splitArgs(args[0]);
      if (split === null) return 'Unbalanced quotes in configuration line';
      args = split;
    }
    return this.store(spec, args);
  }

  /** Sets an option from one CONFIG SET value (multi-argument options split at single spaces, as Redis). */
  setFromValue(name: string, value: string): string | null {
    const spec = BY_NAME.get(name.toLowerCase())!;
    return this.store(spec, spec.multiArg ? (value === '' ? [] : value.split(' ')) : [value]);
  }

  private store(spec: OptionSpec, args: string[]): string | null {
    const r = spec.parse(args, this.values.get(spec.name)!);
    if ('error' in r) return r.error;
    this.values.set(spec.name, r.value);
    this.numbers.delete(spec.name);
    return null;
  }

  /** The value as CONFIG GET shows it. */
  get(name: string): string | undefined {
    const spec = BY_NAME.get(name.toLowerCase());
    if (spec === undefined) return undefined;
    const stored = this.values.get(spec.name)!;
    return spec.show === undefined ? stored : spec.show(stored);
  }

  /** Every option name, for CONFIG REWRITE. */
  names(): string[] {
    return OPTIONS.map((o) => o.name);
  }

  /**
   * Every name and alias, for CONFIG GET patterns. Aliases come first: Redis
   * skips a name whose option is already matched, and its dictionary order
   * happens to visit these aliases first, so a pattern lists both names.
   */
  namesAndAliases(): string[] {
    return OPTIONS.flatMap((o) => (o.alias === undefined ? [o.name] : [o.alias, o.name]));
  }

  /**
   * The line CONFIG REWRITE writes for an option, and whether it must be
   * written even if the file does not mention it (its value is not the
   * default); line null: the option must not appear in the file at all.
   */
  rewriteLine(name: string): { line: string | null; force: boolean } {
    const spec = BY_NAME.get(name)!;
    const stored = this.values.get(name)!;
    const force = stored !== spec.default;
    const value = spec.show === undefined ? stored : spec.show(stored);
    switch (spec.rewrite) {
      case 'plain':
        return { line: `${name} ${value}`, force };
      case 'memory':
        return { line: `${name} ${formatMemory(BigInt(value))}`, force };
      case 'string':
        return { line: `${name} ${repr(value)}`, force };
      case 'secret':
        return value === '' ? { line: null, force: false } : { line: `${name} ${repr(value)}`, force: true };
      case 'save':
        return { line: 'save ""', force: true };
      case 'always':
        return { line: `${name} ${value === '' ? '""' : value}`, force: true };
      case 'bind':
        if (!force) return { line: null, force: false };
        return { line: `bind ${value === '' ? '""' : value}`, force: true };
    }
  }

  /** A configuration with these values (an acceptor thread's copy of the main thread's). */
  static fromValues(values: Map<string, string>, configFile: string | null): Config {
    const config = new Config();
    config.restore(values);
    config.configFile = configFile;
    return config;
  }

  /** A copy of every value, to restore when a CONFIG SET fails half-way. */
  snapshot(): Map<string, string> {
    return new Map(this.values);
  }

  restore(snapshot: Map<string, string>): void {
    for (const [k, v] of snapshot) this.values.set(k, v);
    this.numbers.clear();
  }

  /** Numeric values parsed once per change: some are read on every request (proto-max-bulk-len). */
  private readonly numbers = new Map<string, number>();

  /** A yes/no option's value as a boolean (parsed once per change, like int()). */
  yes(name: string): boolean {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.values.get(name) === 'yes' ? 1 : 0;
      this.numbers.set(name, n);
    }
    return n === 1;
  }

  /** A numeric option's value (parsed once per change). */
  int(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = Number(this.values.get(name));
      this.numbers.set(name, n);
    }
    return n;
  }

  get port(): number { return this.int('port'); }
  /** Addresses for the acceptor to listen on: ['*'] means every address (IPv4 and IPv6). */
  get bind(): string[] {
    const v = this.values.get('bind')!;
    return listenAddresses(v === '' ? [] : v.split(' '));
  }
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
  /** Active-expiry cycles per second, 1..500 (stored capped, as Redis' updateHZ does). */
  get hz(): number { return this.int('hz'); }
  get shards(): number { return this.int('shards'); }
  /** Acceptor threads (io-threads), the main thread's included. */
  get ioThreads(): number { return this.int('io-threads'); }
  /** notify-keyspace-events as NOTIFY_* flags (src/server/notify-flags.ts). */
  get notifyFlags(): number {
    return this.int('notify-keyspace-events');
  }

  /** client-output-buffer-limit of one class ('normal', 'slave', 'pubsub'), in bytes and seconds. */
  outputLimit(cls: string): { hard: number; soft: number; softSeconds: number } {
    const key = `client-output-buffer-limit:${cls}`;
    const cached = this.limits.get(key);
    if (cached !== undefined && cached.source === this.values.get('client-output-buffer-limit')) return cached.limit;
    const source = this.values.get('client-output-buffer-limit')!;
    const words = source.split(' ');
    const at = words.indexOf(cls);
    const limit = { hard: Number(words[at + 1]), soft: Number(words[at + 2]), softSeconds: Number(words[at + 3]) };
    this.limits.set(key, { source, limit });
    return limit;
  }

  private readonly limits = new Map<string, { source: string; limit: { hard: number; soft: number; softSeconds: number } }>();

  shardConfig(shardIndex: number): ShardConfig {
    return {
      databases: this.databases,
      protoMaxBulkLen: this.protoMaxBulkLen,
      shardSpinUs: this.int('shard-spin-us') >= 0 ? this.int('shard-spin-us') : defaultSpinUs(this.shards, this.ioThreads),
      hz: this.hz,
      shardCount: this.shards,
      shardIndex,
      listMaxListpackSize: this.int('list-max-listpack-size'),
      listCompressDepth: this.int('list-compress-depth'),
      hashMaxListpackEntries: this.int('hash-max-listpack-entries'),
      hashMaxListpackValue: this.int('hash-max-listpack-value'),
      setMaxIntsetEntries: this.int('set-max-intset-entries'),
      zsetMaxListpackEntries: this.int('zset-max-listpack-entries'),
      zsetMaxListpackValue: this.int('zset-max-listpack-value'),
      slowlogLogSlowerThan: this.int('slowlog-log-slower-than'),
      latencyMonitorThreshold: this.int('latency-monitor-threshold'),
      latencyTracking: this.values.get('latency-tracking') === 'yes',
      lfu: this.values.get('maxmemory-policy')!.endsWith('-lfu'),
      lfuLogFactor: this.int('lfu-log-factor'),
      lfuDecayTime: this.int('lfu-decay-time'),
      notifyKeyspaceEvents: this.notifyFlags,
    };
  }
}

/**
 * Turns redis-server style arguments into config lines (server.c main()):
 * `--name` starts an option; the argument after a bare `--name` is always
 * its value, even if it starts with `--`; further plain arguments are more
 * values; `--save` with nothing after it means `save ""`.
 */
export function argvToConfigLines(argv: string[]): string[] {
  const lines: string[] = [];
  let valuePending = false; // a bare --name was seen: the next argument is its value
  for (let j = 0; j < argv.length; j++) {
    const a = argv[j];
    if (!valuePending && a.startsWith('--')) {
      let line = `${a.slice(2)} `;
      const words = splitArgs(a);
      if (words !== null && words.length === 1) {
        valuePending = true;
        const nextIsOption = j + 1 < argv.length && argv[j + 1].startsWith('--');
        if (a.toLowerCase() === '--save' && (nextIsOption || j === argv.length - 1)) {
          line += '""';
          valuePending = false;
        }
      }
      lines.push(line);
    } else {
      if (lines.length === 0) lines.push('');
      lines[lines.length - 1] += `${repr(a)} `;
      valuePending = false;
    }
  }
  return lines;
}

/** Redis rewriteConfigFormatMemory: the largest of gb, mb, kb that divides the value exactly. */
function formatMemory(bytes: bigint): string {
  for (const [unit, size] of [['gb', 1073741824n], ['mb', 1048576n], ['kb', 1024n]] as const) {
    if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** sdscatrepr: a double-quoted string that sdssplitargs reads back as the same bytes. */
function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c < 32 || c > 126) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Reads the configuration from argv, the way redis-server does: an optional
 * config file first (a first argument not starting with '-'), '-' (first or
 * last) for stdin, then `--name value ...` options that override both.
 * Throws ConfigError with Redis-style text on a bad option.
 */
export function loadConfig(argv: string[], readStdin: () => string = () => readFileSync(0, 'latin1')): Config {
  const config = new Config();
  let text = '';
  let rest = argv;
  if (argv.length > 0 && !argv[0].startsWith('-')) {
    const file = path.resolve(argv[0]);
    config.configFile = file;
    try {
      text = readFileSync(file, 'latin1');
    } catch (err) {
      throw new ConfigError(`Fatal error, can't open config file '${file}': ${(err as NodeJS.ErrnoException).message}`);
    }
    rest = argv.slice(1);
  }
  // '-' as the first or last argument: more config from standard input, read after the file.
  const stdinAt = rest.findIndex((a, j) => a === '-' && (argv.length - rest.length + j === 0 || j === rest.length - 1));
  if (stdinAt >= 0) {
    rest = rest.filter((_, j) => j !== stdinAt);
    text += readStdin();
  }
  const fileLines = text.split('\n');
  const lines = [...fileLines, ...argvToConfigLines(rest)];
  lines.forEach((raw, index) => {
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) return;
    const fail = (msg: string) => {
      const where = index < fileLines.length ? `at line ${index + 1}` : 'from the command line';
      throw new ConfigError(
        `\n*** FATAL CONFIG FILE ERROR (shardis ${SHARDIS_VERSION}, Redis ${REDIS_COMPAT_VERSION} compatible) ***\nReading the configuration file, ${where}\n>>> '${line}'\n${msg}`,
      );
    };
    const args = splitArgs(line);
    if (args === null) return fail('Unbalanced quotes in configuration line');
    if (args.length === 0) return;
    const [name, ...values] = args;
    if (!Config.has(name)) return fail(`Bad directive or wrong number of arguments: unknown option '${name}'`);
    const error = config.setFromLine(name, values);
    if (error !== null) return fail(`Invalid argument for '${name.toLowerCase()}': ${error}`);
  });
  return config;
}
