/**
 * Counters a shard publishes in shared memory for INFO and DBSIZE-free
 * introspection: the acceptor reads them without a round trip to the shard.
 * Float64 slots; only the owning shard writes.
 */
const FIELDS = ['commandsProcessed', 'expiredKeys', 'keyspaceHits', 'keyspaceMisses', 'heapUsed', 'blockedClients', 'blockedWithTimeout'] as const;
export type StatField = (typeof FIELDS)[number];
const MAX_DBS = 256;
const DB_BASE = FIELDS.length;

export function createShardStats(): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * (FIELDS.length + 2 * MAX_DBS));
}

export class ShardStats {
  private readonly f: Float64Array;

  constructor(sab: SharedArrayBuffer) {
    this.f = new Float64Array(sab);
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
