/**
 * A shard's side of the operator's view: per-command statistics, slow log
 * and latency events measured where commands run, MEMORY USAGE, DEBUG OBJECT
 * and the LFU settings.
 *
 * Statistics go to the shard's shared stats buffer (src/ipc/command-stats.ts),
 * which the acceptor sums for INFO. A command slower than
 * slowlog-log-slower-than, or than latency-monitor-threshold, is reported to
 * the acceptor as an out-of-band record in the reply ring (client id
 * INTROSPECT_CLIENT, JSON payload), only then: the common command writes
 * nothing extra.
 */
import { allCommands } from '../../src/commands/table.js';
import type { ShardConfig } from '../../src/config/shard-config.js';
import type { CommandStats } from '../../src/ipc/command-stats.js';
import { ERR } from '../../src/resp/errors.js';
import type { Ctx, Handler } from './context.js';
import { idleSeconds, lruClock } from './keyspace.js';
import { lfu } from './lfu.js';
import { DenseDict } from './dense-dict.js';
import { StringForm, isSharedInteger, parseInteger, stringEncoding, type CollectionValue } from './value.js';

/** Internal commands are not counted: Redis has no such commands. */
const INTERNAL = Uint8Array.from(allCommands, (s) => (s.name.startsWith('shardis|') ? 1 : 0));
const SKIP_SLOWLOG = Uint8Array.from(allCommands, (s) => (s.flags.includes('skip_slowlog') ? 1 : 0));
const FAST = Uint8Array.from(allCommands, (s) => (s.flags.includes('fast') ? 1 : 0));

/** Redis' SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
const MAX_ARGC = 32;
const MAX_STRING = 128;

let stats: CommandStats | null = null;
let emit: (payload: Buffer) => void = () => {};
let slowerThan = 10000;
let latencyThreshold = 0;
let tracking = true;
/** DEBUG SET-ACTIVE-EXPIRE. */
export const activeExpire = { enabled: true };

let originalName: () => string = () => '';

export function initIntrospection(commandStats: CommandStats, emitRecord: (payload: Buffer) => void, name: () => string, config: ShardConfig): void {
  stats = commandStats;
  emit = emitRecord;
  originalName = name;
  configureIntrospection(config);
}

export function configureIntrospection(config: ShardConfig): void {
  slowerThan = config.slowlogLogSlowerThan;
  latencyThreshold = config.latencyMonitorThreshold;
  tracking = config.latencyTracking;
  lfu.on = config.lfu;
  lfu.logFactor = config.lfuLogFactor;
  lfu.decayTime = config.lfuDecayTime;
}

/**
 * After a command ran (Redis call()'s bookkeeping): `ms` its duration,
 * `failed` whether its reply is an error, `part` whether it is one part of a
 * command the acceptor split (the acceptor counts that call), `blocked`
 * whether it blocked (counted as a call, but no latency sample, as Redis).
 */
export function afterCommand(id: number, argv: string[], ms: number, failed: boolean, part: boolean, blocked: boolean, clientId: number, fromRing: boolean): void {
  if (INTERNAL[id] === 1) return;
  const usec = ms * 1000;
  stats!.record(id, usec, !part, failed, tracking && !blocked);
  const duration = Math.floor(usec);
  if (latencyThreshold > 0 && Math.floor(duration / 1000) >= latencyThreshold) {
    emit(record({ k: 'lat', e: FAST[id] === 1 ? 'fast-command' : 'command', ms: Math.floor(duration / 1000), t: Math.floor(Date.now() / 1000) }));
  }
  if (slowerThan >= 0 && duration >= slowerThan && !blocked && SKIP_SLOWLOG[id] === 0) {
    // argv[0] is the table's name; the slow log shows the name as sent (MULTI's queued commands keep theirs).
    const args = slowlogArgs(argv);
    if (fromRing) args[0] = originalName();
    emit(record({ k: 'slow', c: clientId, t: Math.floor(Date.now() / 1000), d: duration, a: args }));
  }
}

/** A latency event of the shard itself (expire-cycle ...), when over the threshold. */
export function latencyEvent(event: string, ms: number): boolean {
  if (latencyThreshold === 0 || ms < latencyThreshold) return false;
  emit(record({ k: 'lat', e: event, ms: Math.floor(ms), t: Math.floor(Date.now() / 1000) }));
  return true;
}

function record(o: unknown): Buffer {
  // Arguments are latin1 strings: JSON escapes control characters and keeps the rest one char per byte.
  return Buffer.from(JSON.stringify(o), 'latin1');
}

/** slowlogCreateEntry's argument vector: 32 arguments at most, 128 bytes of each. */
export function slowlogArgs(argv: string[]): string[] {
  const argc = Math.min(argv.length, MAX_ARGC);
  const out: string[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`);
    } else if (argv[j].length > MAX_STRING) {
      out.push(`${argv[j].slice(0, MAX_STRING)}... (${argv[j].length - MAX_STRING} more bytes)`);
    } else {
      out.push(argv[j]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// MEMORY USAGE: an estimate from our own structures on the V8 heap (pointer
// compression: 4-byte references; a one-byte string is a 12-byte header and
// its bytes, rounded to 8). Large collections are sampled, as Redis'
// objectComputeSize: the first `samples` elements' average times the count.
// ---------------------------------------------------------------------------

const REF = 4;
/** A key's share of its slot dictionary: key, value and clock entries and its hash index entry (3/4 full). */
const KEY_ENTRY = REF + REF + 4 + 6;
const OBJECT = 16;

function strBytes(s: string): number {
  return (12 + s.length + 7) & ~7;
}

function arrayOverhead(n: number): number {
  return 16 + n * REF;
}

function sampled(n: number, samples: number, at: (i: number) => number): number {
  if (n === 0) return 0;
  const k = samples === 0 ? n : Math.min(n, samples);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += at(i);
  return (sum / k) * n;
}

function denseDictBytes(d: DenseDict<unknown>, samples: number, withValues: boolean): number {
  const n = d.keys.length;
  let total = OBJECT + 2 * arrayOverhead(n) + 8 * n; // keys, values, index (Int32, ~1/2 full)
  total += sampled(n, samples, (i) => strBytes(d.keys[i]) + (withValues && typeof d.vals[i] === 'string' ? strBytes(d.vals[i] as string) : 0));
  return total;
}

export function valueBytes(v: string | CollectionValue, samples: number): number {
  if (typeof v === 'string') return strBytes(v);
  const any = v as unknown as Record<string, unknown>;
  switch (v.type) {
    case 'hash': {
      const body = any.body as string | DenseDict<string>;
      return OBJECT + (typeof body === 'string' ? strBytes(body) : denseDictBytes(body, samples, true));
    }
    case 'set': {
      const m = any.members as { data?: string } | DenseDict<undefined>;
      return OBJECT + (m instanceof DenseDict ? denseDictBytes(m, samples, false) : strBytes((m as { data: string }).data));
    }
    case 'list': {
      const chunks = any.chunks as { buf: Buffer }[];
      const packed = any.packed as string | null;
      let total = OBJECT + arrayOverhead(chunks.length) + (packed !== null ? strBytes(packed) : 0);
      for (const c of chunks) total += 48 + c.buf.length;
      return total;
    }
    default: {
      // Types without a dedicated estimate: the size of their transfer form.
      return OBJECT + transferBytes(v.toTransfer().data, samples);
    }
  }
}

function transferBytes(d: unknown, samples: number): number {
  if (typeof d === 'string') return strBytes(d);
  if (typeof d === 'number') return 8;
  if (ArrayBuffer.isView(d)) return 16 + d.byteLength;
  if (Array.isArray(d)) return arrayOverhead(d.length) + sampled(d.length, samples, (i) => transferBytes(d[i], samples));
  if (d !== null && typeof d === 'object') {
    let total = OBJECT;
    for (const x of Object.values(d)) total += transferBytes(x, samples);
    return total;
  }
  return 0;
}

/** RDB-style serialized length (DEBUG OBJECT serializedlength), without LZF compression. */
function rdbStringLen(s: string, form: number): number {
  const asInt = form !== StringForm.RAW && s.length <= 11 ? parseInteger(s) : null;
  if (typeof asInt === 'number') {
    if (asInt >= -128 && asInt <= 127) return 2;
    if (asInt >= -32768 && asInt <= 32767) return 3;
    if (asInt >= -2147483648 && asInt <= 2147483647) return 5;
  }
  return rdbLenLen(s.length) + s.length;
}

function rdbLenLen(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** A stable pseudo address for DEBUG OBJECT's "Value at:" (we have no pointers to show). */
function pseudoAddress(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `0x7f${((h >>> 0) * 16).toString(16).padStart(10, '0')}`;
}

function debugObject(ctx: Ctx, key: string): void {
  const i = ctx.db.findRead(key, ctx.slot);
  if (i < 0) return ctx.w.error(ERR.NO_SUCH_KEY);
  const d = ctx.db.dict;
  const v = d.val(i);
  const form = d.stringForm(i);
  const clock = d.accessClock(i);
  let encoding: string;
  let refcount = 1;
  let serialized: number;
  let extra = '';
  if (typeof v === 'string') {
    encoding = stringEncoding(v, form);
    if (isSharedInteger(v, form)) refcount = 2147483647;
    serialized = rdbStringLen(v, form);
  } else {
    encoding = v.encoding();
    serialized = Math.max(1, Math.round(valueBytes(v, 0) / 2));
    if (v.type === 'list') {
      const chunks = (v as unknown as { chunks: { count: number; end: number; start: number }[]; length: number; fill: number }).chunks;
      const ql = v as unknown as { length: number; fill: number };
      const nodes = Math.max(1, chunks.length);
      const bytes = chunks.reduce((a, c) => a + (c.end - c.start), 0);
      extra = ` ql_nodes:${nodes} ql_avg_node:${(ql.length / nodes).toFixed(2)} ql_listpack_max:${ql.fill} ql_compressed:0 ql_uncompressed_size:${bytes}`;
    }
  }
  const idle = lfu.on ? 0 : idleSeconds(clock);
  ctx.w.simple(`Value at:${pseudoAddress(key)} refcount:${refcount} encoding:${encoding} serializedlength:${serialized} lru:${clock} lru_seconds_idle:${idle}${extra}`);
}

export const introspectHandlers: Record<string, Handler> = {
  /** MEMORY USAGE key [SAMPLES count] (memoryCommand). */
  'memory|usage'(ctx, argv) {
    let samples = 5;
    for (let j = 3; j < argv.length; j++) {
      if (argv[j].toLowerCase() === 'samples' && j + 1 < argv.length) {
        const n = parseInteger(argv[j + 1]);
        if (n === null || typeof n !== 'number') return ctx.w.error(ERR.NOT_INTEGER);
        if (n < 0) return ctx.w.error(ERR.SYNTAX);
        samples = n === 0 ? Number.MAX_SAFE_INTEGER : n;
        j++;
      } else {
        return ctx.w.error(ERR.SYNTAX);
      }
    }
    const i = ctx.db.findRead(argv[2], ctx.slot);
    if (i < 0) return ctx.w.nil();
    const d = ctx.db.dict;
    const exp = d.expireExact(i) !== 0 ? 8 : 0;
    ctx.w.int(Math.round(KEY_ENTRY + exp + strBytes(argv[2]) + valueBytes(d.val(i), samples === Number.MAX_SAFE_INTEGER ? 0 : samples)));
  },

  'shardis|resetstat'(ctx) {
    stats!.reset();
    ctx.w.ok();
  },

  /** DEBUG subcommands that need the keyspace (the acceptor forwards them): argv = [name, sub, args...]. */
  'shardis|debug'(ctx, argv) {
    const sub = argv[1].toLowerCase();
    if (sub === 'object') return debugObject(ctx, argv[2]);
    if (sub === 'set-active-expire') {
      activeExpire.enabled = argv[2] !== '0';
      return ctx.w.ok();
    }
    ctx.w.error(`ERR unknown DEBUG subcommand '${argv[1]}'`);
  },
};

/** OBJECT FREQ / IDLETIME under the current policy: the reply, or null to let the LRU path answer. */
export function lfuMode(): boolean {
  return lfu.on;
}

export { lruClock };
