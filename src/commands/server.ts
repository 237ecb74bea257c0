/**
 * Introspection commands (SLOWLOG, LATENCY, MEMORY, DEBUG, LOLWUT): table
 * entries. Execution: src/server/introspect/*.ts on the acceptor, MEMORY USAGE
 * and DEBUG OBJECT on the key's shard (workers/shard/introspect.ts).
 */
import { arg, command as c } from './define.js';

export const serverCommands = [
  c('slowlog', -2, '', '', 'server', {
    since: '2.2.12', summary: 'Groups subcommands that read and clear the log of slow commands.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('slowlog|get', -2, 'admin loading stale', '', 'server', {
        since: '2.2.12', tips: ['request_policy:all_nodes', 'nondeterministic_output'], summary: 'Lists the most recent entries of the slow command log.', complexity: 'O(N) where N is the number of entries returned',
        history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
        args: [arg.int('count', { optional: true })],
      }),
      c('slowlog|len', 2, 'admin loading stale', '', 'server', {
        since: '2.2.12', tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'], summary: 'Counts the entries in the slow command log.', complexity: 'O(1)',
      }),
      c('slowlog|reset', 2, 'admin loading stale', '', 'server', {
        since: '2.2.12', tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], summary: 'Empties the slow command log.', complexity: 'O(N) where N is the number of entries in the slowlog',
      }),
      c('slowlog|help', 2, 'loading stale', '', 'server', { since: '6.2.0', summary: 'Lists the SLOWLOG subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
  c('latency', -2, '', '', 'server', {
    since: '2.8.13', summary: 'Groups subcommands that report latency spikes and command latency distributions.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('latency|histogram', -2, 'admin noscript loading stale', '', 'server', {
        since: '7.0.0', tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Gives the cumulative latency distribution of some or all commands.', complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
        args: [arg.str('command', { optional: true, multiple: true })],
      }),
      c('latency|latest', 2, 'admin noscript loading stale', '', 'server', {
        since: '2.8.13', tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], summary: 'Gives the most recent spike of every latency event.', complexity: 'O(1)',
      }),
      c('latency|history', 3, 'admin noscript loading stale', '', 'server', {
        since: '2.8.13', tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], summary: 'Gives the recorded spikes of one latency event with their times.', complexity: 'O(1)',
        args: [arg.str('event')],
      }),
      c('latency|reset', -2, 'admin noscript loading stale', '', 'server', {
        since: '2.8.13', tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], summary: 'Forgets the recorded spikes of some or all latency events.', complexity: 'O(1)',
        args: [arg.str('event', { optional: true, multiple: true })],
      }),
      c('latency|doctor', 2, 'admin noscript loading stale', '', 'server', {
        since: '2.8.13', tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], summary: 'Writes an analysis of the recorded latency spikes for people to read.', complexity: 'O(1)',
      }),
      c('latency|graph', 3, 'admin noscript loading stale', '', 'server', {
        since: '2.8.13', tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], summary: 'Draws the recorded spikes of one latency event as ASCII art.', complexity: 'O(1)',
        args: [arg.str('event')],
      }),
      c('latency|help', 2, 'loading stale', '', 'server', { since: '2.8.13', summary: 'Lists the LATENCY subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
  c('memory', -2, '', '', 'server', {
    since: '4.0.0', summary: 'Groups subcommands that report how memory is used.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('memory|doctor', 2, '', '', 'server', {
        since: '4.0.0', tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], summary: 'Writes an analysis of memory use problems for people to read.', complexity: 'O(1)',
      }),
      c('memory|malloc-stats', 2, '', '', 'server', {
        since: '4.0.0', tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], summary: 'Reports the memory allocator\'s own statistics.', complexity: 'Depends on how much memory is allocated, could be slow',
      }),
      c('memory|help', 2, 'loading stale', '', 'server', { since: '4.0.0', summary: 'Lists the MEMORY subcommands and what they do.', complexity: 'O(1)' }),
      c('memory|usage', -3, 'readonly', '', 'server', {
        keys: [2, 2, 1], keyFlags: ['RO'], since: '4.0.0', summary: 'Estimates how many bytes a key and its value take.', complexity: 'O(N) where N is the number of samples.',
        args: [arg.key('key', 0), arg.int('count', { token: 'SAMPLES', optional: true })],
      }),
      c('memory|stats', 2, '', '', 'server', {
        since: '4.0.0', tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], summary: 'Breaks the server\'s memory use down by purpose.', complexity: 'O(1)',
      }),
      c('memory|purge', 2, '', '', 'server', {
        since: '4.0.0', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], summary: 'Asks the memory allocator to give unused memory back.', complexity: 'Depends on how much memory is allocated, could be slow',
      }),
    ],
  }),
  c('debug', -2, 'admin noscript loading stale', '', 'server', {
    summary: 'Runs debugging and testing operations on the server.', complexity: 'Depends on subcommand.', docFlags: ['syscmd'],
  }),
  c('lolwut', -1, 'readonly fast', '', 'server', {
    since: '5.0.0', summary: 'Draws some computer art and shows the server version.',
    args: [arg.int('version', { token: 'VERSION', optional: true })],
  }),
];
