/** Connection and server commands: table entries. Execution: src/server/*.ts on the acceptor. */
import { command as c } from './define.js';

const sub = (name: string, arity: number, flags: string, acl: string, since: string, summary: string) =>
  c(name, arity, flags, acl, 'connection', { since, summary });
const srv = (name: string, arity: number, flags: string, acl: string, since: string, summary: string) =>
  c(name, arity, flags, acl, 'server', { since, summary });

export const connectionCommands = [
  c('ping', -1, 'fast sentinel', 'connection', 'connection', { summary: 'Returns the server\'s liveliness response.' }),
  c('echo', 2, 'loading stale fast', 'connection', 'connection', { summary: 'Returns the given string.' }),
  c('quit', -1, 'allow_busy noscript loading stale fast no_auth', 'connection', 'connection', { summary: 'Closes the connection.' }),
  c('reset', 1, 'noscript loading stale fast no_auth allow_busy', 'connection', 'connection', { since: '6.2.0', summary: 'Resets the connection.' }),
  c('hello', -1, 'noscript loading stale fast no_auth sentinel allow_busy', 'connection', 'connection', { since: '6.0.0', summary: 'Handshakes with the Redis server.' }),
  c('auth', -2, 'noscript loading stale fast no_auth sentinel allow_busy', 'connection', 'connection', { summary: 'Authenticates the connection.' }),
  c('select', 2, 'loading stale fast', 'connection', 'connection', { summary: 'Changes the selected database.' }),
  c('client', -2, 'sentinel', '', 'connection', {
    since: '2.4.0', summary: 'A container for client connection commands.', complexity: 'Depends on subcommand.',
    subcommands: [
      sub('client|id', 2, 'noscript loading stale sentinel', 'connection', '5.0.0', 'Returns the unique client ID of the connection.'),
      sub('client|setname', 3, 'noscript loading stale sentinel', 'connection', '2.6.9', 'Sets the connection name.'),
      sub('client|getname', 2, 'noscript loading stale sentinel', 'connection', '2.6.9', 'Returns the name of the connection.'),
      sub('client|info', 2, 'noscript loading stale sentinel', 'connection', '6.2.0', 'Returns information about the connection.'),
      sub('client|list', -2, 'admin noscript loading stale sentinel', 'connection', '2.4.0', 'Lists open connections.'),
      sub('client|help', 2, 'loading stale sentinel', 'connection', '5.0.0', 'Returns helpful text about the different subcommands.'),
    ],
  }),
  srv('time', 1, 'loading stale fast', '', '2.6.0', 'Returns the server time.'),
  srv('info', -1, 'loading stale sentinel', 'dangerous', '1.0.0', 'Returns information and statistics about the server.'),
  srv('shutdown', -1, 'admin noscript loading stale no_multi sentinel allow_busy', '', '1.0.0', 'Synchronously saves the database(s) to disk and shuts down the Redis server.'),
  c('command', -1, 'loading stale sentinel', 'connection', 'server', {
    since: '2.8.13', summary: 'Returns detailed information about all commands.', complexity: 'O(N) where N is the total number of Redis commands',
    subcommands: [
      srv('command|count', 2, 'loading stale sentinel', 'connection', '2.8.13', 'Returns a count of commands.'),
      srv('command|info', -2, 'loading stale sentinel', 'connection', '2.8.13', 'Returns information about one, multiple or all commands.'),
      srv('command|docs', -2, 'loading stale sentinel', 'connection', '7.0.0', 'Returns documentary information about one, multiple or all commands.'),
      srv('command|getkeys', -4, 'loading stale sentinel', 'connection', '2.8.13', 'Extracts the key names from an arbitrary command.'),
      srv('command|getkeysandflags', -4, 'loading stale sentinel', 'connection', '7.0.0', 'Extracts the key names and access flags for an arbitrary command.'),
      srv('command|list', -2, 'loading stale sentinel', 'connection', '7.0.0', 'Returns a list of command names.'),
      srv('command|help', 2, 'loading stale sentinel', 'connection', '5.0.0', 'Returns helpful text about the different subcommands.'),
    ],
  }),
  c('config', -2, '', '', 'server', {
    since: '2.0.0', summary: 'A container for server configuration commands.', complexity: 'Depends on subcommand.',
    subcommands: [
      srv('config|get', -3, 'admin noscript loading stale', '', '2.0.0', 'Returns the effective values of configuration parameters.'),
      srv('config|set', -4, 'admin noscript loading stale', '', '2.0.0', 'Sets configuration parameters in-flight.'),
      srv('config|help', 2, 'loading stale', '', '5.0.0', 'Returns helpful text about the different subcommands.'),
    ],
  }),
];
