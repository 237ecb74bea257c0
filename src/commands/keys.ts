/** Generic keyspace commands: table entries. Execution: workers/types/keys.ts. */
import { arg, command as c } from './define.js';

export const keyCommands = [
  c('del', -2, 'write', 'keyspace', 'generic', {
    keys: [1, -1, 1], route: 'keys-fanout', merge: 'sum', keyFlags: ['RM', 'DELETE'], tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], summary: 'Removes the given keys and counts how many existed.', complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    args: [arg.key('key', 0, { multiple: true })],
  }),
  c('unlink', -2, 'write fast', 'keyspace', 'generic', {
    keys: [1, -1, 1], route: 'keys-fanout', merge: 'sum', keyFlags: ['RM', 'DELETE'], since: '4.0.0', tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], summary: 'Removes the given keys, freeing their memory in the background.', complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    args: [arg.key('key', 0, { multiple: true })],
  }),
  c('exists', -2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, -1, 1], route: 'keys-fanout', merge: 'sum', keyFlags: ['RO'], tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], summary: 'Counts how many of the given keys exist.', complexity: 'O(N) where N is the number of keys to check.',
    history: [
      ['3.0.3', 'Accepts multiple `key` arguments.'],
    ],
    args: [arg.key('key', 0, { multiple: true })],
  }),
  c('touch', -2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, -1, 1], route: 'keys-fanout', merge: 'sum', keyFlags: ['RO'], since: '3.2.1', tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], summary: 'Marks the given keys as accessed and counts how many exist.', complexity: 'O(N) where N is the number of keys that will be touched.',
    args: [arg.key('key', 0, { multiple: true })],
  }),
  c('type', 2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], keyFlags: ['RO'], summary: 'Names the data type of the value at a key.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('expire', -3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], summary: 'Gives a key a time to live in seconds.', complexity: 'O(1)',
    history: [
      ['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.'],
    ],
    args: [
      arg.key('key', 0),
      arg.int('seconds'),
      arg.oneof('condition', [arg.token('NX'), arg.token('XX'), arg.token('GT'), arg.token('LT')], { optional: true, since: '7.0.0' }),
    ],
  }),
  c('pexpire', -3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.6.0', summary: 'Gives a key a time to live in milliseconds.', complexity: 'O(1)',
    history: [
      ['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.'],
    ],
    args: [
      arg.key('key', 0),
      arg.int('milliseconds'),
      arg.oneof('condition', [arg.token('NX'), arg.token('XX'), arg.token('GT'), arg.token('LT')], { optional: true, since: '7.0.0' }),
    ],
  }),
  c('expireat', -3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '1.2.0', summary: 'Makes a key expire at a Unix time in seconds.', complexity: 'O(1)',
    history: [
      ['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.'],
    ],
    args: [
      arg.key('key', 0),
      arg.time('unix-time-seconds'),
      arg.oneof('condition', [arg.token('NX'), arg.token('XX'), arg.token('GT'), arg.token('LT')], { optional: true, since: '7.0.0' }),
    ],
  }),
  c('pexpireat', -3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.6.0', summary: 'Makes a key expire at a Unix time in milliseconds.', complexity: 'O(1)',
    history: [
      ['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.'],
    ],
    args: [
      arg.key('key', 0),
      arg.time('unix-time-milliseconds'),
      arg.oneof('condition', [arg.token('NX'), arg.token('XX'), arg.token('GT'), arg.token('LT')], { optional: true, since: '7.0.0' }),
    ],
  }),
  c('ttl', 2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], tips: ['nondeterministic_output'], summary: 'Replies with the seconds a key has left to live.', complexity: 'O(1)',
    history: [
      ['2.8.0', 'Added the -2 reply.'],
    ],
    args: [arg.key('key', 0)],
  }),
  c('pttl', 2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], since: '2.6.0', tips: ['nondeterministic_output'], summary: 'Replies with the milliseconds a key has left to live.', complexity: 'O(1)',
    history: [
      ['2.8.0', 'Added the -2 reply.'],
    ],
    args: [arg.key('key', 0)],
  }),
  c('expiretime', 2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], since: '7.0.0', summary: 'Replies with the Unix time in seconds at which a key expires.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('pexpiretime', 2, 'readonly fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], since: '7.0.0', summary: 'Replies with the Unix time in milliseconds at which a key expires.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('persist', 2, 'write fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.2.0', summary: 'Clears the time to live of a key so it no longer expires.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('keys', 2, 'readonly', 'keyspace dangerous', 'generic', {
    route: 'all-shards', merge: 'concat', tips: ['request_policy:all_shards', 'nondeterministic_output_order'], summary: 'Lists every key name matching a glob pattern.', complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    args: [arg.pattern('pattern')],
  }),
  c('scan', -2, 'readonly touches_arbitrary_keys', 'keyspace', 'generic', {
    route: 'scan', since: '2.8.0', tips: ['nondeterministic_output', 'request_policy:special'], summary: 'Walks the key names of the database a batch at a time with a cursor.', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    history: [
      ['6.0.0', 'Added the `TYPE` subcommand.'],
    ],
    args: [
      arg.int('cursor'),
      arg.pattern('pattern', { token: 'MATCH', optional: true }),
      arg.int('count', { token: 'COUNT', optional: true }),
      arg.str('type', { token: 'TYPE', optional: true, since: '6.0.0' }),
    ],
  }),
  c('randomkey', 1, 'readonly touches_arbitrary_keys', 'keyspace', 'generic', {
    route: 'all-shards', merge: 'random', tips: ['request_policy:all_shards', 'nondeterministic_output'], summary: 'Picks a key name at random from the database.', complexity: 'O(1)',
  }),
  c('dbsize', 1, 'readonly fast', 'keyspace', 'server', {
    route: 'all-shards', merge: 'sum', tips: ['request_policy:all_shards', 'response_policy:agg_sum'], summary: 'Counts the keys in the selected database.', complexity: 'O(1)',
  }),
  c('flushdb', -1, 'write', 'keyspace dangerous', 'server', {
    route: 'all-shards', merge: 'ok', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], summary: 'Deletes every key in the selected database.', complexity: 'O(N) where N is the number of keys in the selected database',
    history: [
      ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
      ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
    ],
    args: [arg.oneof('async', [arg.token('ASYNC', { since: '4.0.0' }), arg.token('SYNC', { since: '6.2.0' })], { optional: true })],
  }),
  c('flushall', -1, 'write', 'keyspace dangerous', 'server', {
    route: 'all-shards', merge: 'ok', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], summary: 'Deletes every key in every database.', complexity: 'O(N) where N is the total number of keys in all databases',
    history: [
      ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
      ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
    ],
    args: [arg.oneof('async', [arg.token('ASYNC', { since: '4.0.0' }), arg.token('SYNC', { since: '6.2.0' })], { optional: true })],
  }),
  c('swapdb', 3, 'write fast', 'keyspace dangerous', 'server', {
    route: 'all-shards', merge: 'ok', since: '4.0.0', summary: 'Exchanges the contents of two databases.', complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    args: [arg.int('index1'), arg.int('index2')],
  }),
  c('move', 3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 1, 1], summary: 'Transfers a key from the selected database to another one.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.int('db')],
  }),
  c('rename', 3, 'write', 'keyspace', 'generic', {
    keys: [1, 2, 1], summary: 'Gives a key a new name, overwriting any key of that name.', complexity: 'O(1)',
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['OW', 'UPDATE'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
    ],
    args: [arg.key('key', 0), arg.key('newkey', 1)],
  }),
  c('renamenx', 3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 2, 1], summary: 'Gives a key a new name only if no key has that name yet.', complexity: 'O(1)',
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['OW', 'INSERT'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['3.2.0', 'The command no longer returns an error when source and destination names are the same.'],
    ],
    args: [arg.key('key', 0), arg.key('newkey', 1)],
  }),
  c('copy', -3, 'write denyoom', 'keyspace', 'generic', {
    keys: [1, 2, 1], since: '6.2.0', summary: 'Duplicates the value of a key under another key name.', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    keySpecs: [
      { flags: ['RO', 'ACCESS'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['OW', 'UPDATE'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('source', 0),
      arg.key('destination', 1),
      arg.int('destination-db', { token: 'DB', optional: true }),
      arg.token('REPLACE', { optional: true }),
    ],
  }),
  c('object', -2, '', '', 'generic', {
    since: '2.2.3', summary: 'Groups subcommands that inspect the value stored at a key.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('object|encoding', 3, 'readonly', 'keyspace', 'generic', {
        keys: [2, 2, 1], keyFlags: ['RO'], since: '2.2.3', tips: ['nondeterministic_output'], summary: 'Names the internal representation of the value at a key.', complexity: 'O(1)',
        args: [arg.key('key', 0)],
      }),
      c('object|freq', 3, 'readonly', 'keyspace', 'generic', {
        keys: [2, 2, 1], keyFlags: ['RO'], since: '4.0.0', tips: ['nondeterministic_output'], summary: 'Reports the logarithmic access-frequency counter of a key.', complexity: 'O(1)',
        args: [arg.key('key', 0)],
      }),
      c('object|idletime', 3, 'readonly', 'keyspace', 'generic', {
        keys: [2, 2, 1], keyFlags: ['RO'], since: '2.2.3', tips: ['nondeterministic_output'], summary: 'Reports the seconds since a key was last accessed.', complexity: 'O(1)',
        args: [arg.key('key', 0)],
      }),
      c('object|refcount', 3, 'readonly', 'keyspace', 'generic', {
        keys: [2, 2, 1], keyFlags: ['RO'], since: '2.2.3', tips: ['nondeterministic_output'], summary: 'Reports how many references share the value at a key.', complexity: 'O(1)',
        args: [arg.key('key', 0)],
      }),
      c('object|help', 2, 'loading stale', 'keyspace', 'generic', { since: '6.2.0', summary: 'Lists the OBJECT subcommands and what they do.', complexity: 'O(1)' }),
    ],
  }),
];
