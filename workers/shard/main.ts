/**
 * Shard worker entry point: builds the shard from what the shard pool handed
 * over (src/threads/shard-pool.ts) and runs it (shard.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Shard, type ShardWorkerData } from './shard.js';

export type { ShardWorkerData };

const shard = new Shard(workerData as ShardWorkerData);
parentPort!.postMessage({ type: 'ready' });
void shard.run();
