/**
 * Command-line options of bench/scaling.ts, and the rule that derives its
 * defaults from the host's cores, so that the same command makes a sensible
 * grid on 2, 16 or 64 cores.
 */
import { intList, parseSharedFlag, positiveInt, sharedDefaults, type SharedOptions } from './options.js';

export interface ScalingOptions extends SharedOptions {
  /** shardis --io-threads values (acceptor threads); null = from the cores (defaultGrid). */
  ioThreads: number[] | null;
  /** shardis --shards values; null = from the cores (defaultGrid). */
  shards: number[] | null;
  /** -c for every configuration; null = max(50, 10 × io-threads) (clientsFor). */
  clients: number | null;
  /** redis-benchmark --threads; null = max(1, min(8, floor(cores / 4))). */
  threads: number | null;
  /** Also run configurations with io-threads + shards > cores + 1. */
  oversubscribe: boolean;
}

export interface Configuration {
  ioThreads: number;
  shards: number;
}

export const SCALING_USAGE = `Usage: npm run bench:scaling -- [options]   (or: node dist/bench/scaling.js [options])
  --io-threads 1,2,4               shardis --io-threads values (acceptor threads); default: 1, 2, 4 ...
                                   up to max(2, cores / 2)
  --shards 1,2,4                   shardis --shards values; default: 1, 2, 4 ... up to max(2, cores - 1)
  --oversubscribe                  also run configurations with io-threads + shards > cores + 1
                                   (skipped by default: their threads would share cores)
  --clients N                      parallel connections (-c) for every configuration;
                                   default max(50, 10 × io-threads), per configuration
  --threads T                      redis-benchmark --threads; default max(1, min(8, cores / 4))
  --tests set,get                  redis-benchmark tests (-t), as in npm run bench (default set,get)
  --pipelines 1,16                 pipeline depths (-P)
  --seconds 3                      target duration of one run (a warm-up run sizes -n)
  --requests N                     fixed -n instead
  --repeat 2                       pairs per row, alternating which server goes first (medians)
  --data-size 3, --keyspace 100000, --max-noise 25, --retries 2: as in npm run bench
  --out DIR                        results directory (default bench/results/scaling)
`;

/** 1, 2, 4 ... up to `max` (at least 1). */
export function powersOfTwoUpTo(max: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= Math.max(1, max); n *= 2) out.push(n);
  return out;
}

/**
 * The default grid for `cores` cores: powers of two up to half the cores for
 * acceptors (shardis' own default is half) and up to all cores but one for
 * shards, but always 1 and 2 of each, so that even 2 cores show a step.
 */
export function defaultGrid(cores: number): { ioThreads: number[]; shards: number[] } {
  return { ioThreads: powersOfTwoUpTo(Math.max(2, Math.floor(cores / 2))), shards: powersOfTwoUpTo(Math.max(2, cores - 1)) };
}

export function defaultBenchmarkThreads(cores: number): number {
  return Math.max(1, Math.min(8, Math.floor(cores / 4)));
}

/** At least 10 connections per acceptor: fewer would leave acceptors idle (connections spread over them). */
export function clientsFor(o: ScalingOptions, ioThreads: number): number {
  return o.clients ?? Math.max(50, 10 * ioThreads);
}

/**
 * Every io-threads × shards pair, split into those to run and those skipped:
 * beyond cores + 1 threads shardis' own threads share cores (with the client
 * too), and the figures measure the scheduler more than shardis. The + 1
 * admits 1 acceptor + 2 shards on 2 cores: shards park when idle.
 */
export function planGrid(o: ScalingOptions, cores: number): { run: Configuration[]; skipped: Configuration[]; limit: number } {
  const grid = defaultGrid(cores);
  const limit = cores + 1;
  const run: Configuration[] = [];
  const skipped: Configuration[] = [];
  for (const ioThreads of o.ioThreads ?? grid.ioThreads) {
    for (const shards of o.shards ?? grid.shards) {
      const c = { ioThreads, shards };
      if (ioThreads + shards > limit && !o.oversubscribe) skipped.push(c);
      else run.push(c);
    }
  }
  return { run, skipped, limit };
}

/** Sorted, without repeats: the table reads in order. */
function sortedSet(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

export function parseScalingOptions(argv: string[]): ScalingOptions {
  const o: ScalingOptions = {
    ...sharedDefaults(),
    tests: ['set', 'get'],
    seconds: 3,
    repeat: 2,
    ioThreads: null,
    shards: null,
    clients: null,
    threads: null,
    oversubscribe: false,
    // Writes to bench/results/scaling/ (scaling.ts) unless --out says otherwise.
    outDir: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (parseSharedFlag(o, flag, value)) {
      i++;
      continue;
    }
    switch (flag) {
      case '--io-threads': o.ioThreads = sortedSet(intList('io-threads', value)); i++; break;
      case '--shards': o.shards = sortedSet(intList('shards', value)); i++; break;
      case '--clients': o.clients = positiveInt('clients', value); i++; break;
      case '--threads': o.threads = positiveInt('threads', value); i++; break;
      case '--oversubscribe': o.oversubscribe = true; break;
      case '--help': case '-h':
        process.stdout.write(SCALING_USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${SCALING_USAGE}`);
    }
  }
  return o;
}
