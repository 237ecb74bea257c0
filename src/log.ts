/**
 * Logging through pino. Redis' loglevel names map onto pino's levels; the
 * logfile option ('' = standard output) picks the destination. Writes are
 * synchronous: the log carries start-up, shutdown and warnings, not
 * per-command traffic, and a line must be on disk before the process exits.
 */
import { closeSync, openSync } from 'node:fs';
import pino from 'pino';

export type Logger = pino.Logger;

const LEVELS: Record<string, pino.LevelWithSilent> = {
  debug: 'debug',
  verbose: 'debug',
  notice: 'info',
  warning: 'warn',
};

/**
 * Checks that the log file can be opened for appending, as Redis does at
 * start-up ("Can't open the log file"); returns the error text or null.
 */
export function checkLogfile(logfile: string): string | null {
  if (logfile === '') return null;
  try {
    closeSync(openSync(logfile, 'a'));
    return null;
  } catch (err) {
    return `Can't open the log file: ${(err as Error).message}`;
  }
}

export function createLogger(loglevel: string, logfile: string): Logger {
  const destination = logfile === '' ? pino.destination({ dest: 1, sync: true }) : pino.destination({ dest: logfile, append: true, sync: true });
  return pino({ level: LEVELS[loglevel] ?? 'info', base: { pid: process.pid } }, destination);
}

export function setLogLevel(log: Logger, loglevel: string): void {
  log.level = LEVELS[loglevel] ?? 'info';
}
