/**
 * Command-line options of `npm run bench` (bench/run.ts), and the flags
 * bench/scaling-options.ts shares with it. Flags follow redis-benchmark's
 * meaning where one exists (-c, -n, -P, -d, -r).
 */

/** The options run.ts and scaling.ts share (same flags, same meaning). */
export interface SharedOptions {
  /** redis-benchmark test names (`-t`), e.g. set, get, incr, mset, ping_mbulk. */
  tests: string[];
  pipelines: number[];
  /** Fixed `-n` for every run; null = calibrated per test and pipeline (see pairs.ts). */
  requests: number | null;
  dataSize: number;
  /** `-r`: keys are key:000000000000..keyspace-1; 0 = one fixed key. */
  keyspace: number;
  repeat: number;
  /** A pair during which other processes used more than this % of a core is run again. */
  maxNoise: number;
  /** How many times a disturbed pair is run again at most. */
  retries: number;
  /** Seconds a pipeline-1 run should last on the faster server when -n is calibrated. */
  seconds: number;
  /** Where the .json/.md files go. */
  outDir: string | null;
}

export interface BenchOptions extends SharedOptions {
  clients: number;
  /** shardis --shards; null = its default (cores - 1). */
  shards: number | null;
  quick: boolean;
}

export const STRING_TESTS = ['set', 'get', 'incr', 'mset', 'ping'];
/**
 * Issue 4's collection tests, in an order where each read or pop finds what a push before it
 * left: LRANGE reads the list LPUSH filled, before LPOP and RPOP empty it.
 */
export const COLLECTION_TESTS = ['lpush', 'lrange_100', 'lrange_600', 'lpop', 'rpop', 'sadd', 'spop', 'hset', 'zadd', 'zpopmin'];
export const DEFAULT_TESTS = [...STRING_TESTS, ...COLLECTION_TESTS];
/** Names for groups of tests in --tests. */
const TEST_GROUPS: Record<string, string[]> = { strings: STRING_TESTS, collections: COLLECTION_TESTS, all: DEFAULT_TESTS };

/** Our short names for redis-benchmark's: `ping` alone would select PING_INLINE as well. */
const TEST_ALIASES: Record<string, string> = { ping: 'ping_mbulk' };

export const USAGE = `Usage: npm run bench -- [options]   (or: node dist/bench/run.js [options])
  --tests set,get,...              redis-benchmark tests (-t); ping means PING_MBULK; groups:
                                   strings (set,get,incr,mset,ping), collections (lpush,lrange_100,
                                   lrange_600,lpop,rpop,sadd,spop,hset,zadd,zpopmin), all
                                   (the default)
  --pipelines 1,16                 pipeline depths (-P)
  --clients 50                     parallel connections (-c)
  --requests N                     requests per run (-n); default: calibrated so that a run
                                   lasts about --seconds on redis-server
  --seconds 3.5                    target duration of one run when -n is calibrated
  --data-size 3                    SET/GET value size in bytes (-d)
  --keyspace 100000                random keys (-r); 0 = one key
  --shards N                       shardis --shards (default: shardis' own, cores - 1)
  --repeat K                       run every pair K times, alternating which server goes first;
                                   the tables show medians
  --max-noise 25                   a pair during which other processes used more than this % of
                                   a core is run again (up to --retries times; 0 retries = never)
  --retries 2
  --quick                          small -n, no calibration: smoke-tests the tool in < 30 s
  --out DIR                        results directory (default bench/results)
`;

export function positiveInt(name: string, value: string | undefined, min = 1): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) throw new Error(`--${name} needs an integer >= ${min}, got ${value}`);
  return n;
}

export function intList(name: string, value: string | undefined): number[] {
  if (value === undefined) throw new Error(`--${name} needs a value`);
  return value.split(',').map((v) => positiveInt(name, v.trim()));
}

/** run.ts' defaults; scaling.ts overrides some. */
export function sharedDefaults(): SharedOptions {
  return { tests: DEFAULT_TESTS, pipelines: [1, 16], requests: null, dataSize: 3, keyspace: 100_000, repeat: 1, maxNoise: 25, retries: 2, seconds: 3.5, outDir: null };
}

/**
 * Applies `flag value` to `o` when it is one of the shared flags (each takes a
 * value) and returns true; false leaves the flag to the caller.
 */
export function parseSharedFlag(o: SharedOptions, flag: string, value: string | undefined): boolean {
  switch (flag) {
    case '--tests':
      if (value === undefined) throw new Error('--tests needs a value');
      o.tests = value
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t.length > 0)
        .flatMap((t) => TEST_GROUPS[t] ?? [t]);
      return true;
    case '--pipelines': o.pipelines = intList('pipelines', value); return true;
    case '--requests': o.requests = positiveInt('requests', value); return true;
    case '--data-size': o.dataSize = positiveInt('data-size', value); return true;
    case '--keyspace': o.keyspace = positiveInt('keyspace', value, 0); return true;
    case '--repeat': o.repeat = positiveInt('repeat', value); return true;
    case '--retries': o.retries = positiveInt('retries', value, 0); return true;
    case '--max-noise': o.maxNoise = positiveInt('max-noise', value, 0); return true;
    case '--seconds': {
      const s = Number(value);
      if (!(s > 0)) throw new Error(`--seconds needs a positive number, got ${value}`);
      o.seconds = s;
      return true;
    }
    case '--out':
      if (value === undefined) throw new Error('--out needs a directory');
      o.outDir = value;
      return true;
    default:
      return false;
  }
}

export function parseOptions(argv: string[]): BenchOptions {
  const o: BenchOptions = { ...sharedDefaults(), clients: 50, shards: null, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (parseSharedFlag(o, flag, value)) {
      i++;
      continue;
    }
    switch (flag) {
      case '--clients': o.clients = positiveInt('clients', value); i++; break;
      case '--shards': o.shards = positiveInt('shards', value); i++; break;
      case '--quick': o.quick = true; break;
      case '--help': case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  // Quick runs last milliseconds: tick rounding makes their noise figure meaningless, so no retries.
  if (o.quick && !argv.includes('--retries')) o.retries = 0;
  return o;
}

/** The name redis-benchmark's `-t` expects. */
export function benchmarkTestName(test: string): string {
  return TEST_ALIASES[test] ?? test;
}
