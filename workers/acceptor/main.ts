/**
 * Acceptor worker entry point: one of the `io-threads - 1` acceptors beyond
 * the main thread's (src/threads/acceptor-pool.ts). It listens on the main
 * thread's listening descriptor and serves the clients it accepts, exactly as
 * acceptor 0 does (src/net/acceptor.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Config } from '../../src/config/config.js';
import { createLogger } from '../../src/log.js';
import { Acceptor } from '../../src/net/acceptor.js';
import { startInfoSampler } from '../../src/server/info.js';
import type { AcceptorWorkerData, AcceptorWorkerMessage } from '../../src/threads/acceptor-pool.js';

const data = workerData as AcceptorWorkerData;
const config = Config.fromValues(data.configValues, data.configFile);
const log = createLogger(config.loglevel, config.logfile).child({ acceptor: data.setup.index });
const acceptor = new Acceptor(config, log, data.setup);
const post = (m: AcceptorWorkerMessage) => parentPort!.postMessage(m);
acceptor.onShutdown = (reason) => post({ type: 'shutdown', reason });
parentPort!.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  void acceptor.close().then(() => post({ type: 'stopped' }));
});
await acceptor.start({ fd: data.listenFd });
startInfoSampler(acceptor);
post({ type: 'ready' });
