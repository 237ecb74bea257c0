/** Connection and server commands: table entries. Execution: src/server/*.ts on the acceptor. */
import { arg, command as c } from './define.js';

export const connectionCommands = [
  c('ping', -1, 'fast sentinel', 'connection', 'connection', {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], summary: 'Checks that the server answers, optionally echoing a message.', complexity: 'O(1)',
    args: [arg.str('message', { optional: true })],
  }),
  c('echo', 2, 'loading stale fast', 'connection', 'connection', {
    summary: 'Replies with the message it was given.', complexity: 'O(1)',
    args: [arg.str('message')],
  }),
  c('quit', -1, 'allow_busy noscript loading stale fast no_auth', 'connection', 'connection', { summary: 'Asks the server to close this connection.', complexity: 'O(1)' }),
  c('reset', 1, 'noscript loading stale fast no_auth allow_busy', 'connection', 'connection', { since: '6.2.0', summary: 'Returns this connection to its initial state.', complexity: 'O(1)' }),
  c('hello', -1, 'noscript loading stale fast no_auth sentinel allow_busy', 'connection', 'connection', {
    since: '6.0.0', summary: 'Negotiates the protocol version, and optionally authenticates and names the connection.', complexity: 'O(1)',
    history: [
      ['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.'],
    ],
    args: [
      arg.block('arguments', [
        arg.int('protover'),
        arg.block('username_password', [arg.str('username'), arg.str('password')], { token: 'AUTH', optional: true }),
        arg.str('clientname', { token: 'SETNAME', optional: true }),
      ], { optional: true }),
    ],
  }),
  c('auth', -2, 'noscript loading stale fast no_auth sentinel allow_busy', 'connection', 'connection', {
    summary: 'Logs this connection in with a password (and user name).', complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [
      ['6.0.0', 'Added ACL style (username and password).'],
    ],
    args: [arg.str('username', { optional: true, since: '6.0.0' }), arg.str('password')],
  }),
  c('select', 2, 'loading stale fast', 'connection', 'connection', {
    summary: 'Switches this connection to another database by index.', complexity: 'O(1)',
    args: [arg.int('index')],
  }),
  c('client', -2, 'sentinel', '', 'connection', {
    since: '2.4.0', summary: 'Groups subcommands that inspect and manage client connections.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('client|id', 2, 'noscript loading stale sentinel', 'connection', 'connection', { since: '5.0.0', summary: 'Replies with this connection\'s numeric id.', complexity: 'O(1)' }),
      c('client|setname', 3, 'noscript loading stale sentinel', 'connection', 'connection', {
        since: '2.6.9', summary: 'Gives this connection a name.', complexity: 'O(1)',
        args: [arg.str('connection-name')],
      }),
      c('client|getname', 2, 'noscript loading stale sentinel', 'connection', 'connection', { since: '2.6.9', summary: 'Replies with the name given to this connection.', complexity: 'O(1)' }),
      c('client|info', 2, 'noscript loading stale sentinel', 'connection', 'connection', {
        since: '6.2.0', tips: ['nondeterministic_output'], summary: 'Describes this connection in the format of CLIENT LIST.', complexity: 'O(1)',
      }),
      c('client|list', -2, 'admin noscript loading stale sentinel', 'connection', 'connection', {
        since: '2.4.0', tips: ['nondeterministic_output'], summary: 'Describes every client connection, one line each.', complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added unique client `id` field.'],
          ['5.0.0', 'Added optional `TYPE` filter.'],
          ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
          ['7.0.3', 'Added `ssub` field.'],
        ],
        args: [
          arg.oneof('normal_master_replica_pubsub', [
            arg.token('NORMAL'),
            arg.token('MASTER'),
            arg.token('REPLICA'),
            arg.token('PUBSUB'),
          ], { token: 'TYPE', optional: true, since: '5.0.0' }),
          arg.block('id', [arg.int('client-id', { multiple: true })], { token: 'ID', optional: true, since: '6.2.0' }),
        ],
      }),
      c('client|kill', -3, 'admin noscript loading stale sentinel', 'connection', 'connection', {
        since: '2.4.0', summary: 'Closes the connections that match an address or a set of filters.', complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added new filter format.'],
          ['2.8.12', '`ID` option.'],
          ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
          ['6.2.0', '`LADDR` option.'],
        ],
        args: [
          arg.oneof('filter', [
            arg.str('ip:port', { deprecatedSince: '2.8.12' }),
            arg.oneof('new-format', [
              arg.int('client-id', { token: 'ID', optional: true, since: '2.8.12' }),
              arg.oneof('normal_master_slave_pubsub', [
                arg.token('NORMAL'),
                arg.token('MASTER', { since: '3.2.0' }),
                arg.token('SLAVE'),
                arg.token('REPLICA', { since: '5.0.0' }),
                arg.token('PUBSUB'),
              ], { token: 'TYPE', optional: true, since: '2.8.12' }),
              arg.str('username', { token: 'USER', optional: true }),
              arg.str('ip:port', { token: 'ADDR', optional: true }),
              arg.str('ip:port', { token: 'LADDR', optional: true, since: '6.2.0' }),
              arg.str('yes/no', { token: 'SKIPME', optional: true }),
            ], { multiple: true }),
          ]),
        ],
      }),
      c('client|pause', -3, 'admin noscript loading stale sentinel', 'connection', 'connection', {
        since: '2.9.50', summary: 'Holds the commands of every client (or only their writes) for a number of milliseconds.', complexity: 'O(1)',
        history: [
          ['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.'],
        ],
        args: [
          arg.int('timeout'),
          arg.oneof('mode', [arg.token('WRITE'), arg.token('ALL')], { optional: true, since: '6.2.0' }),
        ],
      }),
      c('client|unpause', 2, 'admin noscript loading stale sentinel', 'connection', 'connection', {
        since: '6.2.0', summary: 'Ends a CLIENT PAUSE and lets the held commands run.', complexity: 'O(N) Where N is the number of paused clients',
      }),
      c('client|reply', 3, 'noscript loading stale sentinel', 'connection', 'connection', {
        since: '3.2.0', summary: 'Turns the replies to this connection off, on, or off for the next command only.', complexity: 'O(1)',
        args: [arg.oneof('on_off_skip', [arg.token('ON'), arg.token('OFF'), arg.token('SKIP')])],
      }),
      c('client|no-evict', 3, 'admin noscript loading stale sentinel', 'connection', 'connection', {
        since: '7.0.0', summary: 'Exempts this connection from client eviction, or makes it subject to it again.', complexity: 'O(1)',
        args: [arg.oneof('enabled', [arg.token('ON'), arg.token('OFF')])],
      }),
      c('client|unblock', -3, 'admin noscript loading stale sentinel', 'connection', 'connection', {
        since: '5.0.0', summary: 'Ends the blocking command another connection waits in, as a timeout or as an error.', complexity: 'O(log N) where N is the number of client connections',
        args: [
          arg.int('client-id'),
          arg.oneof('timeout_error', [arg.token('TIMEOUT'), arg.token('ERROR')], { optional: true }),
        ],
      }),
      c('client|help', 2, 'loading stale sentinel', 'connection', 'connection', { since: '5.0.0', summary: 'Lists the CLIENT subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
  c('monitor', 1, 'admin noscript loading stale', '', 'server', { summary: 'Streams every command the server runs to this connection, as it runs them.' }),
  c('time', 1, 'loading stale fast', '', 'server', { since: '2.6.0', tips: ['nondeterministic_output'], summary: 'Replies with the server clock as seconds and microseconds.', complexity: 'O(1)' }),
  c('info', -1, 'loading stale sentinel', 'dangerous', 'server', {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], summary: 'Reports server state and statistics, by section.', complexity: 'O(1)',
    history: [
      ['7.0.0', 'Added support for taking multiple section arguments.'],
    ],
    args: [arg.str('section', { optional: true, multiple: true })],
  }),
  c('shutdown', -1, 'admin noscript loading stale no_multi sentinel allow_busy', '', 'server', {
    summary: 'Stops the server, optionally saving data first.', complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [
      ['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.'],
    ],
    args: [
      arg.oneof('nosave_save', [arg.token('NOSAVE'), arg.token('SAVE')], { optional: true }),
      arg.token('NOW', { optional: true, since: '7.0.0' }),
      arg.token('FORCE', { optional: true, since: '7.0.0' }),
      arg.token('ABORT', { optional: true, since: '7.0.0' }),
    ],
  }),
  c('command', -1, 'loading stale sentinel', 'connection', 'server', {
    since: '2.8.13', tips: ['nondeterministic_output_order'], summary: 'Describes every command the server knows.', complexity: 'O(N) where N is the total number of Redis commands',
    subcommands: [
      c('command|count', 2, 'loading stale sentinel', 'connection', 'server', { since: '2.8.13', summary: 'Counts the commands the server knows.', complexity: 'O(1)' }),
      c('command|info', -2, 'loading stale sentinel', 'connection', 'server', {
        since: '2.8.13', tips: ['nondeterministic_output_order'], summary: 'Describes the named commands, or all of them.', complexity: 'O(N) where N is the number of commands to look up',
        history: [
          ['7.0.0', 'Allowed to be called with no argument to get info on all commands.'],
        ],
        args: [arg.str('command-name', { optional: true, multiple: true })],
      }),
      c('command|docs', -2, 'loading stale sentinel', 'connection', 'server', {
        since: '7.0.0', tips: ['nondeterministic_output_order'], summary: 'Gives the documentation of the named commands, or of all of them.', complexity: 'O(N) where N is the number of commands to look up',
        args: [arg.str('command-name', { optional: true, multiple: true })],
      }),
      c('command|getkeys', -4, 'loading stale sentinel', 'connection', 'server', {
        since: '2.8.13', summary: 'Finds which arguments of a full command line are keys.', complexity: 'O(N) where N is the number of arguments to the command',
      }),
      c('command|getkeysandflags', -4, 'loading stale sentinel', 'connection', 'server', {
        since: '7.0.0', summary: 'Finds which arguments of a full command line are keys, with how each is accessed.', complexity: 'O(N) where N is the number of arguments to the command',
      }),
      c('command|list', -2, 'loading stale sentinel', 'connection', 'server', {
        since: '7.0.0', tips: ['nondeterministic_output_order'], summary: 'Lists command names, optionally filtered.', complexity: 'O(N) where N is the total number of Redis commands',
        args: [
          arg.oneof('filterby', [
            arg.str('module-name', { token: 'MODULE' }),
            arg.str('category', { token: 'ACLCAT' }),
            arg.pattern('pattern', { token: 'PATTERN' }),
          ], { token: 'FILTERBY', optional: true }),
        ],
      }),
      c('command|help', 2, 'loading stale sentinel', 'connection', 'server', { since: '5.0.0', summary: 'Lists the COMMAND subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
  c('config', -2, '', '', 'server', {
    since: '2.0.0', summary: 'Groups subcommands that read and change the server configuration.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('config|get', -3, 'admin noscript loading stale', '', 'server', {
        since: '2.0.0', summary: 'Reads configuration parameters whose names match glob patterns.', complexity: 'O(N) when N is the number of configuration parameters provided',
        history: [
          ['7.0.0', 'Added the ability to pass multiple pattern parameters in one call'],
        ],
        args: [arg.block('parameter', [arg.str('parameter')], { multiple: true })],
      }),
      c('config|set', -4, 'admin noscript loading stale', '', 'server', {
        since: '2.0.0', tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], summary: 'Changes configuration parameters while the server runs.', complexity: 'O(N) when N is the number of configuration parameters provided',
        history: [
          ['7.0.0', 'Added the ability to set multiple parameters in one call.'],
        ],
        args: [arg.block('parameter_value', [arg.str('parameter'), arg.str('value')], { multiple: true })],
      }),
      c('config|resetstat', 2, 'admin noscript loading stale', '', 'server', { since: '2.0.0', summary: 'Sets the counters INFO reports back to zero.', complexity: 'O(1)' }),
      c('config|rewrite', 2, 'admin noscript loading stale', '', 'server', { since: '2.8.0', summary: 'Writes the configuration in effect back to the config file.', complexity: 'O(1)' }),
      c('config|help', 2, 'loading stale', '', 'server', { since: '5.0.0', summary: 'Lists the CONFIG subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
];
