/** String commands: table entries. Execution: workers/types/string.ts. */
import { arg, command as c } from './define.js';

export const stringCommands = [
  c('get', 2, 'readonly fast', 'string', 'string', {
    keys: [1, 1, 1], summary: 'Reads the string stored at a key.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('set', -3, 'write denyoom', 'string', 'string', {
    keys: [1, 1, 1], summary: 'Stores a string at a key, replacing any value, with optional expiry and conditions.', complexity: 'O(1)',
    keySpecs: [
      { notes: 'RW and ACCESS due to the optional `GET` argument', flags: ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    args: [
      arg.key('key', 0),
      arg.str('value'),
      arg.oneof('condition', [arg.token('NX'), arg.token('XX')], { optional: true, since: '2.6.12' }),
      arg.token('GET', { optional: true, since: '6.2.0' }),
      arg.oneof('expiration', [
        arg.int('seconds', { token: 'EX', since: '2.6.12' }),
        arg.int('milliseconds', { token: 'PX', since: '2.6.12' }),
        arg.time('unix-time-seconds', { token: 'EXAT', since: '6.2.0' }),
        arg.time('unix-time-milliseconds', { token: 'PXAT', since: '6.2.0' }),
        arg.token('KEEPTTL', { since: '6.0.0' }),
      ], { optional: true }),
    ],
  }),
  c('setnx', 3, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['OW', 'INSERT'], summary: 'Stores a string at a key only if the key is absent.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('value')],
  }),
  c('setex', 4, 'write denyoom', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['OW', 'UPDATE'], since: '2.0.0', summary: 'Stores a string at a key with a time to live in seconds.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.int('seconds'), arg.str('value')],
  }),
  c('psetex', 4, 'write denyoom', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['OW', 'UPDATE'], since: '2.6.0', summary: 'Stores a string at a key with a time to live in milliseconds.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.int('milliseconds'), arg.str('value')],
  }),
  c('getset', 3, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`SET` with the `!GET` argument', summary: 'Stores a new string at a key and replies with the one it replaced.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('value')],
  }),
  c('getdel', 2, 'write fast', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], since: '6.2.0', summary: 'Reads the string stored at a key, then removes the key.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('getex', -2, 'write fast', 'string', 'string', {
    keys: [1, 1, 1], since: '6.2.0', summary: 'Reads the string stored at a key and changes or clears its time to live.', complexity: 'O(1)',
    keySpecs: [
      { notes: 'RW and UPDATE because it changes the TTL', flags: ['RW', 'ACCESS', 'UPDATE'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.oneof('expiration', [
        arg.int('seconds', { token: 'EX' }),
        arg.int('milliseconds', { token: 'PX' }),
        arg.time('unix-time-seconds', { token: 'EXAT' }),
        arg.time('unix-time-milliseconds', { token: 'PXAT' }),
        arg.token('PERSIST'),
      ], { optional: true }),
    ],
  }),
  c('mget', -2, 'readonly fast', 'string', 'string', {
    keys: [1, -1, 1], route: 'keys-fanout', merge: 'by-key', tips: ['request_policy:multi_shard'], summary: 'Reads the strings stored at several keys in one call.', complexity: 'O(N) where N is the number of keys to retrieve.',
    args: [arg.key('key', 0, { multiple: true })],
  }),
  c('mset', -3, 'write denyoom', 'string', 'string', {
    keys: [1, -1, 2], route: 'keys-fanout', merge: 'ok', keyFlags: ['OW', 'UPDATE'], since: '1.0.1', tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'], summary: 'Stores strings at several keys in one atomic call.', complexity: 'O(N) where N is the number of keys to set.',
    args: [arg.block('key_value', [arg.key('key', 0), arg.str('value')], { multiple: true })],
  }),
  c('append', 3, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], since: '2.0.0', summary: 'Adds bytes to the end of a string, creating the key when absent.', complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    args: [arg.key('key', 0), arg.str('value')],
  }),
  c('strlen', 2, 'readonly fast', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['RO'], since: '2.2.0', summary: 'Replies with the byte length of the string at a key.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('incr', 2, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], summary: 'Adds 1 to the integer held in a string; a missing key counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('decr', 2, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], summary: 'Subtracts 1 from the integer held in a string; a missing key counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('incrby', 3, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], summary: 'Adds an integer amount to the integer held in a string; a missing key counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.int('increment')],
  }),
  c('decrby', 3, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], summary: 'Subtracts an integer amount from the integer held in a string; a missing key counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.int('decrement')],
  }),
  c('incrbyfloat', 3, 'write denyoom fast', 'string', 'string', {
    keys: [1, 1, 1], since: '2.6.0', summary: 'Adds a floating-point amount to the number held in a string; a missing key counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.dbl('increment')],
  }),
  c('getrange', 4, 'readonly', 'string', 'string', {
    keys: [1, 1, 1], since: '2.4.0', summary: 'Reads a byte range of the string at a key.', complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    args: [arg.key('key', 0), arg.int('start'), arg.int('end')],
  }),
  c('substr', 4, 'readonly', 'string', 'string', {
    keys: [1, 1, 1], docFlags: ['deprecated'], deprecatedSince: '2.0.0', replacedBy: '`GETRANGE`', summary: 'Reads a byte range of the string at a key (older name of GETRANGE).', complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    args: [arg.key('key', 0), arg.int('start'), arg.int('end')],
  }),
  c('setrange', 4, 'write denyoom', 'string', 'string', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.2.0', summary: 'Writes bytes into a string at an offset, padding with zero bytes as needed.', complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    args: [arg.key('key', 0), arg.int('offset'), arg.str('value')],
  }),
  c('lcs', -3, 'readonly', 'string', 'string', {
    keys: [1, 2, 1], since: '7.0.0', summary: 'Computes the longest common subsequence of the strings at two keys.', complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    args: [
      arg.key('key1', 0),
      arg.key('key2', 0),
      arg.token('LEN', { optional: true }),
      arg.token('IDX', { optional: true }),
      arg.int('len', { token: 'MINMATCHLEN', optional: true }),
      arg.token('WITHMATCHLEN', { optional: true }),
    ],
  }),
];
