/**
 * shardis-server: boot. Reads the configuration, starts the shard workers,
 * listens, and stops cleanly on SIGTERM/SIGINT or SHUTDOWN (exit code 0).
 */
import { Acceptor } from './net/acceptor.js';
import { ConfigError, loadConfig, REDIS_COMPAT_VERSION } from './config/config.js';
import { createLogger } from './log.js';

const VERSION = '0.1.0';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`shardis v=${VERSION} (Redis ${REDIS_COMPAT_VERSION} compatible) node=${process.version}\n`);
    return;
  }
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write('Usage: shardis-server [/path/to/redis.conf] [--option value ...]\n');
    return;
  }
  let config;
  try {
    config = loadConfig(args);
  } catch (err) {
    if ((err as ConfigError).code === 'SHARDIS_ERR_CONFIG') {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.loglevel, config.logfile);
  const acceptor = new Acceptor(config, log);
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.warn({ reason }, 'shardis is now ready to exit, bye bye...');
    await acceptor.close();
    log.flush();
    process.exit(0);
  };
  acceptor.onShutdown = (reason) => void shutdown(reason);
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await acceptor.startShards(new URL('../workers/shard/main.js', import.meta.url));
  try {
    await acceptor.listen();
  } catch (err) {
    log.fatal({ err, port: config.port }, `Could not listen on port ${config.port}: ${(err as Error).message}`);
    await acceptor.close();
    process.exit(1);
  }
  log.info(
    { version: VERSION, redisVersion: REDIS_COMPAT_VERSION, port: acceptor.port, shards: config.shards, pid: process.pid },
    `shardis ${VERSION} ready to accept connections on port ${acceptor.port} with ${config.shards} shard(s), pid ${process.pid}`,
  );
}

void main();
