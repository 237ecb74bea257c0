/**
 * Counters a shard publishes in shared memory for INFO and DBSIZE-free
 * introspection: the acceptor reads them without a round trip to the shard.
 * Float64 slots; only the owning shard writes.
 */
import { CommandStats, commandStatsBytes } from './command-stats.js';

const FIELDS = [
  'commandsProcessed',
  'expiredKeys',
  'keyspaceHits',
  'keyspaceMisses',
  'heapUsed',
  'heapTotal',
  'blockedClients',
  'blockedWithTimeout',
  'expireCycleMs',
  'expireTimeCapReached',
  'expiredStalePerc',
] as const;
export type StatField = (typeof FIELDS)[number];
const MAX_DBS = 256;
const DB_BASE = FIELDS.length;

/** Byte offset of the per-command statistics that follow the counters (command-stats.ts). */
export const COMMAND_STATS_OFFSET = 8 * (FIELDS.length + 2 * MAX_DBS);

export function createShardStats(): SharedArrayBuffer {
  return new SharedArrayBuffer(COMMAND_STATS_OFFSET + commandStatsBytes());
}

export class ShardStats {
  private readonly f: Float64Array;

  /** Per-command calls, time, failures and latency histograms (INFO commandstats). */
  readonly commands: CommandStats;

  constructor(sab: SharedArrayBuffer) {
    this.f = new Float64Array(sab, 0, COMMAND_STATS_OFFSET / 8);
    this.commands = new CommandStats(sab, COMMAND_STATS_OFFSET);
  }

  set(field: StatField, value: number): void {
    this.f[FIELDS.indexOf(field)] = value;
  }

  get(field: StatField): number {
    return this.f[FIELDS.indexOf(field)];
  }

  setDb(db: number, keys: number, expires: number): void {
    if (db >= MAX_DBS) return;
    this.f[DB_BASE + 2 * db] = keys;
    this.f[DB_BASE + 2 * db + 1] = expires;
  }

  db(db: number): { keys: number; expires: number } {
    return { keys: this.f[DB_BASE + 2 * db], expires: this.f[DB_BASE + 2 * db + 1] };
  }
}
