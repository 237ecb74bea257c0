/** MULTI / EXEC / DISCARD / WATCH / UNWATCH: table entries. Execution: src/server/transactions.ts (acceptor), workers/shard/exec.ts and watch.ts. */
import { arg, command as c } from './define.js';

export const transactionCommands = [
  c('multi', 1, 'noscript loading stale fast allow_busy', 'transaction', 'transactions', {
    since: '1.2.0', summary: 'Starts a transaction: the commands that follow are queued until EXEC.', complexity: 'O(1)',
  }),
  c('exec', 1, 'noscript loading stale skip_slowlog', 'transaction', 'transactions', {
    since: '1.2.0', summary: 'Runs every command queued since MULTI, as one atomic step.', complexity: 'Depends on commands in the transaction',
  }),
  c('discard', 1, 'noscript loading stale fast allow_busy', 'transaction', 'transactions', {
    since: '2.0.0', summary: 'Drops the commands queued since MULTI and leaves the transaction.', complexity: 'O(N), when N is the number of queued commands',
  }),
  c('watch', -2, 'noscript loading stale fast allow_busy', 'transaction', 'transactions', {
    keys: [1, -1, 1], keyFlags: ['RO'], route: 'acceptor', since: '2.2.0', summary: 'Makes the next EXEC fail if any of these keys changes before it.', complexity: 'O(1) for every key.',
    args: [arg.key('key', 0, { multiple: true })],
  }),
  c('unwatch', 1, 'noscript loading stale fast allow_busy', 'transaction', 'transactions', {
    since: '2.2.0', summary: 'Forgets every key this connection watches.', complexity: 'O(1)',
  }),
];
