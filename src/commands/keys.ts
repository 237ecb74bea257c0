/** Generic keyspace commands: table entries. Execution: workers/types/keys.ts. */
import { command as c } from './define.js';

const ro = ['RO', 'ACCESS'];

export const keyCommands = [
  c('del', -2, 'write', 'keyspace', 'generic', { keys: [1, -1, 1], keyFlags: ['RM', 'DELETE'], route: 'keys-fanout', merge: 'sum', complexity: 'O(N) where N is the number of keys that will be removed.', summary: 'Deletes one or more keys.' }),
  c('unlink', -2, 'write fast', 'keyspace', 'generic', { keys: [1, -1, 1], keyFlags: ['RM', 'DELETE'], route: 'keys-fanout', merge: 'sum', since: '4.0.0', complexity: 'O(1) for each key removed regardless of its size.', summary: 'Asynchronously deletes one or more keys.' }),
  c('exists', -2, 'readonly fast', 'keyspace', 'generic', { keys: [1, -1, 1], keyFlags: ['RO'], route: 'keys-fanout', merge: 'sum', complexity: 'O(N) where N is the number of keys to check.', summary: 'Determines whether one or more keys exist.' }),
  c('touch', -2, 'readonly fast', 'keyspace', 'generic', { keys: [1, -1, 1], keyFlags: ['RO'], route: 'keys-fanout', merge: 'sum', since: '3.2.1', complexity: 'O(N) where N is the number of keys that will be touched.', summary: 'Returns the number of existing keys out of those specified after updating the time they were last accessed.' }),
  c('type', 2, 'readonly fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ['RO'], summary: 'Determines the type of value stored at a key.' }),
  c('expire', -3, 'write fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], summary: 'Sets the expiration time of a key in seconds.' }),
  c('pexpire', -3, 'write fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.6.0', summary: 'Sets the expiration time of a key in milliseconds.' }),
  c('expireat', -3, 'write fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '1.2.0', summary: 'Sets the expiration time of a key to a Unix timestamp.' }),
  c('pexpireat', -3, 'write fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.6.0', summary: 'Sets the expiration time of a key to a Unix milliseconds timestamp.' }),
  c('ttl', 2, 'readonly fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ro, summary: 'Returns the expiration time in seconds of a key.' }),
  c('pttl', 2, 'readonly fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ro, since: '2.6.0', summary: 'Returns the expiration time in milliseconds of a key.' }),
  c('expiretime', 2, 'readonly fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ro, since: '7.0.0', summary: 'Returns the expiration time of a key as a Unix timestamp.' }),
  c('pexpiretime', 2, 'readonly fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ro, since: '7.0.0', summary: 'Returns the expiration time of a key as a Unix milliseconds timestamp.' }),
  c('persist', 2, 'write fast', 'keyspace', 'generic', { keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.2.0', summary: 'Removes the expiration time of a key.' }),
  c('keys', 2, 'readonly', 'keyspace dangerous', 'generic', { route: 'all-shards', merge: 'concat', complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', summary: 'Returns all key names that match a pattern.' }),
  c('scan', -2, 'readonly touches_arbitrary_keys', 'keyspace', 'generic', { route: 'scan', since: '2.8.0', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', summary: 'Iterates over the key names in the database.' }),
  c('randomkey', 1, 'readonly touches_arbitrary_keys', 'keyspace', 'generic', { route: 'all-shards', merge: 'random', summary: 'Returns a random key name from the database.' }),
  c('dbsize', 1, 'readonly fast', 'keyspace', 'server', { route: 'all-shards', merge: 'sum', summary: 'Returns the number of keys in the database.' }),
  c('flushdb', -1, 'write', 'keyspace dangerous', 'server', { route: 'all-shards', merge: 'ok', complexity: 'O(N) where N is the number of keys in the selected database', summary: 'Remove all keys from the current database.' }),
  c('flushall', -1, 'write', 'keyspace dangerous', 'server', { route: 'all-shards', merge: 'ok', complexity: 'O(N) where N is the total number of keys in all databases', summary: 'Removes all keys from all databases.' }),
  c('swapdb', 3, 'write fast', 'keyspace dangerous', 'server', { route: 'all-shards', merge: 'ok', since: '4.0.0', complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.', summary: 'Swaps two Redis databases.' }),
  c('move', 3, 'write fast', 'keyspace', 'generic', { keys: [1, 1, 1], summary: 'Moves a key to another database.' }),
  c('rename', 3, 'write', 'keyspace', 'generic', {
    keys: [1, 2, 1], summary: 'Renames a key and overwrites the destination.',
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['OW', 'UPDATE'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
  }),
  c('renamenx', 3, 'write fast', 'keyspace', 'generic', {
    keys: [1, 2, 1], summary: 'Renames a key only when the target key name doesn\'t exist.',
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['OW', 'INSERT'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
  }),
  c('copy', -3, 'write denyoom', 'keyspace', 'generic', {
    keys: [1, 2, 1], since: '6.2.0', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', summary: 'Copies the value of a key to a new key.',
    keySpecs: [
      { flags: ['RO', 'ACCESS'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['OW', 'UPDATE'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
  }),
  c('object', -2, '', '', 'generic', {
    since: '2.2.3', summary: 'A container for object introspection commands.', complexity: 'Depends on subcommand.',
    subcommands: [
      c('object|encoding', 3, 'readonly', 'keyspace', 'generic', { keys: [2, 2, 1], keyFlags: ['RO'], since: '2.2.3', summary: 'Returns the internal encoding of a Redis object.' }),
      c('object|freq', 3, 'readonly', 'keyspace', 'generic', { keys: [2, 2, 1], keyFlags: ['RO'], since: '4.0.0', summary: 'Returns the logarithmic access frequency counter of a Redis object.' }),
      c('object|idletime', 3, 'readonly', 'keyspace', 'generic', { keys: [2, 2, 1], keyFlags: ['RO'], since: '2.2.3', summary: 'Returns the time since the last access to a Redis object.' }),
      c('object|refcount', 3, 'readonly', 'keyspace', 'generic', { keys: [2, 2, 1], keyFlags: ['RO'], since: '2.2.3', summary: 'Returns the reference count of a value of a key.' }),
      c('object|help', 2, 'loading stale', 'keyspace', 'generic', { since: '6.2.0', summary: 'Returns helpful text about the different subcommands.' }),
    ],
  }),
];
