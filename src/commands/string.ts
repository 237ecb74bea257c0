/** String commands: table entries. Execution: workers/types/string.ts. */
import { command as c } from './define.js';

export const stringCommands = [
  c('get', 2, 'readonly fast', 'string', 'string', { keys: [1, 1, 1], summary: 'Returns the string value of a key.' }),
  c('set', -3, 'write denyoom', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'],
    summary: 'Sets the string value of a key, ignoring its type. The key is created if it doesn\'t exist.',
  }),
  c('setnx', 3, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['OW', 'INSERT'], summary: 'Set the string value of a key only when the key doesn\'t exist.' }),
  c('setex', 4, 'write denyoom', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['OW', 'UPDATE'], since: '2.0.0', summary: 'Sets the string value and expiration time of a key.' }),
  c('psetex', 4, 'write denyoom', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['OW', 'UPDATE'], since: '2.6.0', summary: 'Sets both string value and expiration time in milliseconds of a key.' }),
  c('getset', 3, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], summary: 'Returns the previous string value of a key after setting it to a new value.' }),
  c('getdel', 2, 'write fast', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], since: '6.2.0', summary: 'Returns the string value of a key after deleting the key.' }),
  c('getex', -2, 'write fast', 'string', 'string', { keys: [1, 1, 1], since: '6.2.0', summary: 'Returns the string value of a key after setting its expiration time.' }),
  c('mget', -2, 'readonly fast', 'string', 'string', { keys: [1, -1, 1], route: 'keys-fanout', merge: 'by-key', complexity: 'O(N) where N is the number of keys to retrieve.', summary: 'Atomically returns the string values of one or more keys.' }),
  c('mset', -3, 'write denyoom', 'string', 'string', { keys: [1, -1, 2], keyFlags: ['OW', 'UPDATE'], route: 'keys-fanout', merge: 'ok', since: '1.0.1', complexity: 'O(N) where N is the number of keys to set.', summary: 'Atomically creates or modifies the string values of one or more keys.' }),
  c('append', 3, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], since: '2.0.0', summary: 'Appends a string to the value of a key. Creates the key if it doesn\'t exist.' }),
  c('strlen', 2, 'readonly fast', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['RO'], since: '2.2.0', summary: 'Returns the length of a string value.' }),
  c('incr', 2, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], summary: 'Increments the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.' }),
  c('decr', 2, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], summary: 'Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.' }),
  c('incrby', 3, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], summary: 'Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.' }),
  c('decrby', 3, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], summary: 'Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn\'t exist.' }),
  c('incrbyfloat', 3, 'write denyoom fast', 'string', 'string', { keys: [1, 1, 1], since: '2.6.0', summary: 'Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.' }),
  c('getrange', 4, 'readonly', 'string', 'string', { keys: [1, 1, 1], since: '2.4.0', complexity: 'O(N) where N is the length of the returned string.', summary: 'Returns a substring of the string stored at a key.' }),
  c('substr', 4, 'readonly', 'string', 'string', { keys: [1, 1, 1], complexity: 'O(N) where N is the length of the returned string.', summary: 'Returns a substring from a string value.' }),
  c('setrange', 4, 'write denyoom', 'string', 'string', { keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.2.0', summary: 'Overwrites a part of a string value with another by an offset. Creates the key if it doesn\'t exist.' }),
  c('lcs', -3, 'readonly', 'string', 'string', { keys: [1, 2, 1], since: '7.0.0', complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively', summary: 'Finds the longest common substring.' }),
];
