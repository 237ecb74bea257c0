/** The part of the configuration a shard worker needs (sent at start and on CONFIG SET). */
export interface ShardConfig {
  databases: number;
  protoMaxBulkLen: number;
  /** Microseconds a worker spins on an empty ring before it parks. */
  shardSpinUs: number;
  /** Active expire cycles per second (Redis' hz). */
  hz: number;
  shardCount: number;
  shardIndex: number;
  /** Collection encoding thresholds (Redis' names in camel case; CONFIG SET applies them). */
  listMaxListpackSize: number;
  listCompressDepth: number;
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  /** SLOWLOG threshold in µs (-1: off); LATENCY's in ms (0: off); INFO latencystats on/off. */
  slowlogLogSlowerThan: number;
  latencyMonitorThreshold: number;
  latencyTracking: boolean;
  /** maxmemory-policy is an LFU policy: key accesses update the LFU counter instead of the LRU clock. */
  lfu: boolean;
  lfuLogFactor: number;
  lfuDecayTime: number;
  /** notify-keyspace-events as NOTIFY_* flags (src/server/notify-flags.ts): which events the shard raises. */
  notifyKeyspaceEvents: number;
}
