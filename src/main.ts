/**
 * shardis-server: boot, on the main thread. Reads the configuration, starts
 * the shard workers (src/threads/shard-pool.ts), runs acceptor 0 here and
 * the other `io-threads - 1` acceptors in workers (src/threads/acceptor-pool.ts),
 * and stops cleanly on SIGTERM/SIGINT or SHUTDOWN: clients closed, listening
 * socket released, workers ended, exit code 0. A thread that fails stops the
 * whole server, with a log line saying which.
 */
import { ConfigError, loadConfig, REDIS_COMPAT_VERSION, SHARDIS_VERSION, type Config } from './config/config.js';
import { checkLogfile, createLogger } from './log.js';
import { startInfoSampler } from './server/info.js';
import { AcceptorPool } from './threads/acceptor-pool.js';
import { ShardPool } from './threads/shard-pool.js';
import { createServerRegistry } from './ipc/server-registry.js';

/** How long a clean stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

function fatal(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`shardis v=${SHARDIS_VERSION} (Redis ${REDIS_COMPAT_VERSION} compatible) node=${process.version}\n`);
    return;
  }
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(
      'Usage: shardis-server [/path/to/redis.conf] [options] [-]\n' +
        '       shardis-server - (read config from stdin)\n' +
        '       shardis-server -v or --version\n' +
        '       shardis-server -h or --help\n\n' +
        'Examples:\n' +
        '       shardis-server (run with the default configuration)\n' +
        '       shardis-server /etc/redis/6379.conf\n' +
        '       shardis-server --port 7777 --shards 4 --io-threads 2\n' +
        '       shardis-server /etc/myredis.conf --loglevel verbose\n',
    );
    return;
  }
  let config: Config;
  try {
    config = loadConfig(args);
  } catch (err) {
    if ((err as ConfigError).code === 'SHARDIS_ERR_CONFIG') fatal((err as Error).message);
    throw err;
  }
  const logfileError = checkLogfile(config.logfile);
  if (logfileError !== null) fatal(logfileError);
  const log = createLogger(config.loglevel, config.logfile);

  let shards: ShardPool | null = null;
  let acceptors: AcceptorPool | null = null;
  let stopping = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    // A stop that hangs (a worker that does not end) must not keep the process alive forever.
    setTimeout(() => {
      log.error('shutdown took too long, exiting now');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    await acceptors?.stop();
    await shards?.stop();
    log.warn({ reason }, 'shardis is now ready to exit, bye bye...');
    process.exit(exitCode);
  };
  // A failure on the main thread (acceptor 0) stops the server like a worker's: a clear line, exit code 1.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, `the main thread (acceptor 0) failed, stopping the server: ${err.message}`);
    void shutdown('acceptor failure', 1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // As Redis: a second SIGINT while stopping means "now".
      if (stopping && signal === 'SIGINT') {
        log.warn('You insist... exiting now.');
        process.exit(1);
      }
      log.warn(`Received ${signal} scheduling shutdown...`);
      void shutdown(signal, 0);
    });
  }

  const registry = createServerRegistry(config.ioThreads);
  shards = await ShardPool.start(config, config.ioThreads, registry, new URL('../workers/shard/main.js', import.meta.url));
  shards.watch((shard, err) => {
    log.fatal({ err, shard }, `shard ${shard} failed, stopping the server: ${err.message}`);
    void shutdown('shard failure', 1);
  });
  acceptors = new AcceptorPool(config, log, shards, registry, new URL('../workers/acceptor/main.js', import.meta.url));
  acceptors.onShutdown = (reason, exitCode) => void shutdown(reason, exitCode);
  try {
    await acceptors.start();
  } catch (err) {
    log.fatal({ err, port: config.port, bind: config.get('bind') }, `Could not listen on port ${config.port}: ${(err as Error).message}`);
    await acceptors.stop();
    await shards.stop();
    process.exit(1);
  }
  if (stopping) return; // SHUTDOWN or a signal came while the acceptor threads were starting
  const main = acceptors.main;
  startInfoSampler(main);
  log.info(
    // pid: every line carries it (log.ts).
    { version: SHARDIS_VERSION, redisVersion: REDIS_COMPAT_VERSION, port: main.port, shards: config.shards, ioThreads: config.ioThreads },
    `shardis ${SHARDIS_VERSION} ready to accept connections on port ${main.port} with ${config.shards} shard(s) and ${config.ioThreads} io thread(s), pid ${process.pid}`,
  );
}

void main();
