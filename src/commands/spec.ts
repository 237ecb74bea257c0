/**
 * The shape of a command table entry. One declarative table (table.ts) drives
 * arity checks, key extraction, routing, COMMAND / COMMAND INFO / COMMAND DOCS
 * and ACL categories; handlers never re-check what the table states.
 *
 * Meanings follow Redis: a negative arity means "at least -arity arguments,
 * counting the command name"; lastKey -1 means "up to the last argument";
 * step is the distance between keys (2 for MSET's key/value pairs).
 */

/** Where a command runs. */
export type Route =
  /** On the acceptor: connection state and server-wide commands, no keys. */
  | 'acceptor'
  /** On the shard that owns its keys (all keys must live on one shard). */
  | 'shard'
  /** Split by key across shards, each part executed by the owning shard, replies merged (MGET, DEL ...). */
  | 'keys-fanout'
  /** Sent to every shard, replies merged (DBSIZE, KEYS, FLUSHALL ...). */
  | 'all-shards'
  /** SCAN: one shard at a time, chosen by the cursor. */
  | 'scan';

/** How the acceptor merges the part replies of a fan-out command. */
export type Merge =
  /** Integer parts are added up (DEL, EXISTS, DBSIZE). */
  | 'sum'
  /** Every part says +OK; the first error wins otherwise (MSET, FLUSHALL). */
  | 'ok'
  /** Array parts are put back in the order of the keys in the request (MGET). */
  | 'by-key'
  /** Array parts are concatenated (KEYS). */
  | 'concat'
  /** Each part is [count, key|nil]; one key is chosen weighted by count (RANDOMKEY). */
  | 'random';

export interface ArgSpec {
  name: string;
  type: 'key' | 'string' | 'integer' | 'double' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  /** "multiple_token" in Redis docs: the token repeats with each value. */
  multipleToken?: boolean;
  since?: string;
  deprecatedSince?: string;
  /** For key arguments: the index of the key spec that finds this key. */
  keySpecIndex?: number;
  args?: ArgSpec[];
}

export interface CommandSpec {
  /** Lower case; subcommands are 'container|sub' (e.g. 'object|encoding'). */
  name: string;
  arity: number;
  /** Redis command flags, lower case: write readonly denyoom admin pubsub noscript blocking loading stale skip_monitor skip_slowlog fast no_auth may_replicate sentinel only_sentinel no_mandatory_keys protected module allow_busy no_async_loading no_multi movablekeys allow_busy. */
  flags: string[];
  firstKey: number;
  lastKey: number;
  step: number;
  /** ACL categories without '@' (string, keyspace, read, write, fast, slow, connection, admin, dangerous ...). */
  acl: string[];
  group: 'string' | 'generic' | 'connection' | 'server' | 'list' | 'hash' | 'set' | 'sorted-set' | 'pubsub' | 'transactions' | 'scripting' | 'bitmap' | 'hyperloglog' | 'geo' | 'stream' | 'cluster';
  since: string;
  summary: string;
  /** Time complexity as Redis documents it (absent for a few commands, as in Redis). */
  complexity?: string;
  args: ArgSpec[];
  /** Redis command tips, lower case ('request_policy:all_shards', 'nondeterministic_output' ...). */
  tips?: string[];
  /** COMMAND DOCS doc_flags: 'deprecated', 'syscmd'. */
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  /** Redis 7 key specs, in the form COMMAND INFO shows them. */
  keySpecs: KeySpec[];
  /** Optional: docs history entries [version, text]. */
  history?: [string, string][];
  route: Route;
  merge?: Merge;
  subcommands?: CommandSpec[];
  /** Position in the table: the id carried in ring records. Assigned by table.ts. */
  id: number;
}

export interface KeySpec {
  /** Redis key spec flags (RO RW OW RM ACCESS UPDATE INSERT DELETE NOT_KEY INCOMPLETE VARIABLE_FLAGS), any case. */
  flags: string[];
  /** unknown: the keys cannot be found from the arguments' positions (SORT's BY/GET and STORE); a key finder in key-specs.ts does it. */
  beginSearch: { index: number } | { keyword: string; startFrom: number } | { unknown: true };
  findKeys: { range: { lastKey: number; step: number; limit: number } } | { keynum: { keyNumIdx: number; firstKey: number; step: number } } | { unknown: true };
  notes?: string;
}

/**
 * Positions of the key arguments in argv, from firstKey/lastKey/step (the
 * legacy triple, enough for every command routed by key so far).
 */
export function keyPositions(spec: CommandSpec, argc: number): number[] {
  if (spec.firstKey <= 0) return [];
  const last = spec.lastKey < 0 ? argc + spec.lastKey : Math.min(spec.lastKey, argc - 1);
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last; i += spec.step) out.push(i);
  return out;
}

/** Redis' arity rule (commandCheckArity). */
export function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity > 0 ? argc === spec.arity : argc >= -spec.arity;
}
