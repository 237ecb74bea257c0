/**
 * Logging through pino. Redis' loglevel names map onto pino's levels; the
 * logfile option ('' = standard output) picks the destination.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const LEVELS: Record<string, pino.LevelWithSilent> = {
  debug: 'debug',
  verbose: 'debug',
  notice: 'info',
  warning: 'warn',
  nothing: 'silent',
};

export function createLogger(loglevel: string, logfile: string): Logger {
  const destination = logfile === '' ? pino.destination(1) : pino.destination({ dest: logfile, mkdir: true, sync: false });
  return pino({ level: LEVELS[loglevel] ?? 'info', base: { pid: process.pid } }, destination);
}

export function setLogLevel(log: Logger, loglevel: string): void {
  log.level = LEVELS[loglevel] ?? 'info';
}
