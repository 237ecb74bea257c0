/**
 * Preloaded into shardis by the benchmark (`node --import dist/bench/thread-names.js
 * dist/src/main.js ...`) so that per-thread CPU can be attributed.
 *
 * Why: Node 20 gives the OS thread of a Worker no name of its own (every
 * thread's /proc/<pid>/task/<tid>/comm reads "node", whatever `new Worker(url,
 * { name })` says). Worker threads inherit --import, so this module also runs
 * at the start of every worker, on the worker's own thread, before its main
 * module; a synchronous write to /proc/thread-self/comm renames exactly that
 * thread. The main thread is left alone (it is acceptor 0: tid == pid).
 * It runs once per thread at start-up and costs nothing afterwards.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread, threadId, workerData } from 'node:worker_threads';

if (!isMainThread) {
  // A shard worker's workerData carries its ShardConfig (src/config/shard-config.ts), an
  // acceptor worker's its AcceptorSetup (src/threads/acceptor-pool.ts).
  const data = workerData as { config?: { shardIndex?: unknown }; setup?: { index?: unknown } } | undefined;
  const shard = data?.config?.shardIndex;
  const acceptor = data?.setup?.index;
  // comm holds at most 15 bytes; longer names are truncated by the kernel.
  const name = typeof shard === 'number' ? `shard-${shard}` : typeof acceptor === 'number' ? `acceptor-${acceptor}` : `worker-${threadId}`;
  try {
    writeFileSync('/proc/thread-self/comm', name);
  } catch {
    // Not Linux, or /proc not mounted: per-thread figures are just unnamed.
  }
}
