/**
 * The acceptor threads, made on the main thread: acceptor 0 runs here, the
 * other `io-threads - 1` in workers (workers/acceptor/main.ts), each with its
 * ends of every shard (src/threads/shard-pool.ts), a port to every other
 * acceptor (src/ipc/peers.ts) and the shared memory they all read: the slot
 * map, the global order of multi-shard commands, the server registry and
 * each acceptor's command statistics.
 *
 * Acceptor 0 opens the listening socket; the others listen on its
 * descriptor, so the kernel hands each new connection to whichever acceptor
 * takes it first. libuv is told to accept one connection at a time
 * (UV_TCP_SINGLE_ACCEPT), so a burst of connections spreads over the
 * acceptors instead of going to the first one awake.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { portMesh } from './port-mesh.js';
import { createSlotMap } from '../cluster/slot-map.js';
import type { Config } from '../config/config.js';
import { commandStatsBytes } from '../ipc/command-stats.js';
import { createGlobalOrder } from '../ipc/global-order.js';
import type { Logger } from '../log.js';
import { Acceptor, type AcceptorSetup } from '../net/acceptor.js';
import type { ShardPool } from './shard-pool.js';

/** What an acceptor worker is started with. */
export interface AcceptorWorkerData {
  setup: AcceptorSetup;
  /** The main thread's configuration values and file (Config.fromValues). */
  configValues: Map<string, string>;
  configFile: string | null;
  /** The listening socket's descriptor, opened by acceptor 0. */
  listenFd: number;
}

/** Messages from an acceptor worker to the main thread. */
export type AcceptorWorkerMessage = { type: 'ready' } | { type: 'shutdown'; reason: string } | { type: 'stopped' };

export class AcceptorPool {
  main!: Acceptor;
  private readonly workers: Worker[] = [];
  private stopping = false;
  /** SHUTDOWN on any acceptor, or a failed acceptor thread (exit code 1). */
  onShutdown: (reason: string, exitCode: number) => void = () => {};

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly shards: ShardPool,
    private readonly registry: SharedArrayBuffer,
    private readonly workerUrl: URL,
  ) {}

  async start(): Promise<void> {
    const n = this.config.ioThreads;
    const slotMap = createSlotMap(this.config.shards);
    const order = createGlobalOrder(this.config.shards);
    const commandStats = Array.from({ length: n }, () => new SharedArrayBuffer(commandStatsBytes()));
    const ports = portMesh(n);
    const setup = (index: number): AcceptorSetup => ({ index, ends: this.shards.acceptorEnds(index), slotMap, order, registry: this.registry, peers: ports[index], commandStats });
    if (n > 1) process.env.UV_TCP_SINGLE_ACCEPT = '1';
    this.main = new Acceptor(this.config, this.log, setup(0));
    this.main.onShutdown = (reason) => this.onShutdown(reason, 0);
    const binds = this.config.bind;
    // One listening socket; several bind addresses would need one server each (first one used for now).
    await this.main.start({ port: this.config.port, host: binds[0] === '*' ? undefined : binds[0], backlog: this.config.tcpBacklog });
    const listenFd = this.main.listenFd;
    const started: Promise<void>[] = [];
    for (let a = 1; a < n; a++) {
      const s = setup(a);
      const workerData: AcceptorWorkerData = { setup: s, configValues: this.config.snapshot(), configFile: this.config.configFile, listenFd };
      const transfer = [...s.ends.links.flatMap((l) => [l.bigToShard, l.bigFromShard]), ...s.peers.filter((p): p is MessagePort => p !== undefined)];
      const worker = new Worker(this.workerUrl, { workerData, transferList: transfer, name: `acceptor-${a}` });
      this.workers.push(worker);
      started.push(this.watch(worker, a));
    }
    await Promise.all(started);
  }

  /** Resolves when the worker is ready; afterwards, its failure or SHUTDOWN stops the server. */
  private watch(worker: Worker, a: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: AcceptorWorkerMessage) => {
        if (m.type === 'ready') {
          ready = true;
          resolve();
        } else if (m.type === 'shutdown') {
          this.onShutdown(m.reason, 0);
        }
      });
      worker.on('error', (err) => {
        if (!ready) return reject(err);
        this.log.fatal({ err, acceptor: a }, `acceptor thread ${a} failed, stopping the server: ${err.message}`);
        this.onShutdown('acceptor failure', 1);
      });
      worker.on('exit', (code) => {
        if (this.stopping) return;
        if (!ready) return reject(new Error(`acceptor thread ${a} exited with code ${code}`));
        this.log.fatal({ acceptor: a, code }, `acceptor thread ${a} exited with code ${code}, stopping the server`);
        this.onShutdown('acceptor failure', 1);
      });
    });
  }

  /** Closes every acceptor's clients, then the workers, then the main thread's listener (which owns the descriptor). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 2000);
            worker.once('exit', () => resolve());
            worker.on('message', (m: AcceptorWorkerMessage) => {
              if (m.type !== 'stopped') return;
              clearTimeout(timer);
              resolve();
            });
            worker.postMessage({ type: 'stop' });
          }),
      ),
    );
    await Promise.all(this.workers.map((w) => w.terminate()));
    await this.main?.close();
  }
}
