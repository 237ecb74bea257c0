/**
 * The shard workers and every ring between them and the acceptors, made once
 * on the main thread at start-up. For each (acceptor, shard) pair: a request
 * ring (the acceptor produces, the shard consumes), a reply ring (the other
 * way) and a side channel for payloads too large for a ring. For each shard:
 * its bell (how acceptors wake it) and its statistics. For each acceptor: its
 * doorbell (how shards wake it). The shards get their ends at spawn time; each
 * acceptor gets its own through acceptorLinks() (workerData for acceptor
 * threads, directly for the main thread's).
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import { createDoorbell } from '../ipc/doorbell.js';
import { createRingBuffer } from '../ipc/ring.js';
import { createShardBell } from '../ipc/shard-bell.js';
import { createShardStats } from '../ipc/shard-stats.js';
import { portMesh } from './port-mesh.js';
import type { AcceptorPair, ShardWorkerData } from '../../workers/shard/shard.js';

const RING_BYTES = 4 * 1024 * 1024;

/** An acceptor's end of one shard (src/net/shard-link.ts). */
export interface LinkEnds {
  shard: number;
  requestRing: SharedArrayBuffer;
  replyRing: SharedArrayBuffer;
  bell: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  bigToShard: MessagePort;
  bigFromShard: MessagePort;
}

/** What one acceptor needs of the pool. */
export interface AcceptorEnds {
  links: LinkEnds[];
  doorbell: SharedArrayBuffer;
  /** Every shard's statistics (INFO sums them on any acceptor). */
  shardStats: SharedArrayBuffer[];
}

export class ShardPool {
  readonly workers: Worker[] = [];
  private readonly ends: AcceptorEnds[];

  private constructor(ends: AcceptorEnds[]) {
    this.ends = ends;
  }

  /** Starts the shard workers for `acceptors` acceptors and waits until each is ready. */
  static async start(config: Config, acceptors: number, registry: SharedArrayBuffer, workerUrl: URL): Promise<ShardPool> {
    const n = config.shards;
    const doorbells = Array.from({ length: acceptors }, () => createDoorbell());
    const bells = Array.from({ length: n }, () => createShardBell());
    const stats = Array.from({ length: n }, () => createShardStats());
    const ends: AcceptorEnds[] = doorbells.map((doorbell) => ({ links: [], doorbell, shardStats: stats }));
    const pairs: AcceptorPair[][] = Array.from({ length: n }, () => []);
    for (let a = 0; a < acceptors; a++) {
      for (let s = 0; s < n; s++) {
        const requestRing = createRingBuffer(RING_BYTES);
        const replyRing = createRingBuffer(RING_BYTES);
        const toShard = new MessageChannel();
        const fromShard = new MessageChannel();
        pairs[s].push({ requestRing, replyRing, doorbell: doorbells[a], bigIn: toShard.port2, bigOut: fromShard.port1 });
        ends[a].links.push({ shard: s, requestRing, replyRing, bell: bells[s], stats: stats[s], bigToShard: toShard.port1, bigFromShard: fromShard.port2 });
      }
    }
    // A port per pair of shards and a wake-up word per shard: cross-shard transactions (workers/shard/transaction.ts).
    const peers = portMesh(n);
    const mailbox = new SharedArrayBuffer(4 * n);
    const pool = new ShardPool(ends);
    for (let s = 0; s < n; s++) {
      const workerData: ShardWorkerData = { config: config.shardConfig(s), acceptors: pairs[s], bell: bells[s], registry, stats: stats[s], peers: peers[s], mailbox };
      const ports = [...pairs[s].flatMap((p) => [p.bigIn, p.bigOut]), ...peers[s].filter((p): p is MessagePort => p !== undefined)];
      pool.workers.push(new Worker(workerUrl, { workerData, transferList: ports, name: `shard-${s}` }));
    }
    await Promise.all(
      pool.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once('message', (m: { type: string }) => (m.type === 'ready' ? resolve() : undefined));
            worker.once('error', reject);
          }),
      ),
    );
    return pool;
  }

  /** Acceptor a's ends of every shard. */
  acceptorEnds(a: number): AcceptorEnds {
    return this.ends[a];
  }

  /** Calls `onFailure` when a shard worker fails or exits on its own. */
  watch(onFailure: (shard: number, err: Error) => void): void {
    this.workers.forEach((worker, s) => {
      worker.on('error', (err) => onFailure(s, err));
      worker.on('exit', (code) => {
        if (!this.stopping) onFailure(s, new Error(`shard worker exited with code ${code}`));
      });
    });
  }

  private stopping = false;

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
