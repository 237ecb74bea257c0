/** Pub/sub commands: table entries. Execution: src/server/pubsub.ts on the acceptor (never a shard). */
import { arg, command as c } from './define.js';

export const pubsubCommands = [
  c('subscribe', -2, 'pubsub noscript loading stale sentinel', '', 'pubsub', {
    since: '2.0.0', summary: 'Starts listening for messages published to the given channels.', complexity: 'O(N) where N is the number of channels to subscribe to.',
    args: [arg.str('channel', { multiple: true })],
  }),
  c('unsubscribe', -1, 'pubsub noscript loading stale sentinel', '', 'pubsub', {
    since: '2.0.0', summary: 'Stops listening for messages published to the given channels (or to all of them).', complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    args: [arg.str('channel', { optional: true, multiple: true })],
  }),
  c('psubscribe', -2, 'pubsub noscript loading stale sentinel', '', 'pubsub', {
    since: '2.0.0', summary: 'Starts listening for messages published to channels that match the given patterns.', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    args: [arg.block('pattern', [arg.pattern('pattern')], { multiple: true })],
  }),
  c('punsubscribe', -1, 'pubsub noscript loading stale sentinel', '', 'pubsub', {
    since: '2.0.0', summary: 'Stops listening for messages published to channels that match the given patterns (or all of them).',
    complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    args: [arg.pattern('pattern', { optional: true, multiple: true })],
  }),
  c('publish', 3, 'pubsub loading stale fast may_replicate sentinel', '', 'pubsub', {
    since: '2.0.0', summary: 'Sends a message to a channel and replies with the number of clients that received it.',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    args: [arg.str('channel'), arg.str('message')],
  }),
  c('pubsub', -2, '', '', 'pubsub', {
    since: '2.8.0', summary: 'Groups the pub/sub introspection subcommands.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('pubsub|channels', -2, 'pubsub loading stale', '', 'pubsub', {
        since: '2.8.0', summary: 'Lists the channels that have subscribers, optionally those matching a pattern.',
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        args: [arg.pattern('pattern', { optional: true })],
      }),
      c('pubsub|numsub', -2, 'pubsub loading stale', '', 'pubsub', {
        since: '2.8.0', summary: 'Counts the subscribers of each given channel.', complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
        args: [arg.str('channel', { optional: true, multiple: true })],
      }),
      c('pubsub|numpat', 2, 'pubsub loading stale', '', 'pubsub', { since: '2.8.0', summary: 'Counts the distinct patterns clients are subscribed to.', complexity: 'O(1)' }),
      c('pubsub|shardchannels', -2, 'pubsub loading stale', '', 'pubsub', {
        since: '7.0.0', summary: 'Lists the shard channels that have subscribers, optionally those matching a pattern.',
        complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        args: [arg.pattern('pattern', { optional: true })],
      }),
      c('pubsub|shardnumsub', -2, 'pubsub loading stale', '', 'pubsub', {
        since: '7.0.0', summary: 'Counts the subscribers of each given shard channel.', complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        args: [arg.str('shardchannel', { optional: true, multiple: true })],
      }),
      c('pubsub|help', 2, 'loading stale', '', 'pubsub', { since: '6.2.0', summary: 'Lists the PUBSUB subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
  c('ssubscribe', -2, 'pubsub noscript loading stale', '', 'pubsub', {
    since: '7.0.0', summary: 'Starts listening for messages published to the given shard channels.', complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    keys: [1, -1, 1], keyFlags: ['NOT_KEY'], route: 'acceptor',
    args: [arg.str('shardchannel', { multiple: true })],
  }),
  c('sunsubscribe', -1, 'pubsub noscript loading stale', '', 'pubsub', {
    since: '7.0.0', summary: 'Stops listening for messages published to the given shard channels (or to all of them).', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    keys: [1, -1, 1], keyFlags: ['NOT_KEY'], route: 'acceptor',
    args: [arg.str('shardchannel', { optional: true, multiple: true })],
  }),
  c('spublish', 3, 'pubsub loading stale fast may_replicate', '', 'pubsub', {
    since: '7.0.0', summary: 'Sends a message to a shard channel and replies with the number of clients that received it.', complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    keys: [1, 1, 1], keyFlags: ['NOT_KEY'], route: 'acceptor',
    args: [arg.str('shardchannel'), arg.str('message')],
  }),
];
