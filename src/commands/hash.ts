/** Hash commands: table entries. Execution: workers/types/hash.ts. */
import { arg, command as c } from './define.js';
import type { CommandSpec } from './spec.js';

const fieldValuePairs = arg.block('field_value', [arg.str('field'), arg.str('value')], { multiple: true });

export const hashCommands: CommandSpec[] = [
  c('hset', -4, 'write denyoom fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.0.0', summary: 'Stores one or more field-value pairs in a hash, creating the key when absent.',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    args: [arg.key('key', 0), fieldValuePairs],
  }),
  c('hsetnx', 4, 'write denyoom fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], since: '2.0.0', summary: 'Stores a field in a hash only if the field is absent.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('field'), arg.str('value')],
  }),
  c('hget', 3, 'readonly fast', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.0.0', summary: 'Reads the value of one field of a hash.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('field')],
  }),
  c('hmset', -4, 'write denyoom fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], since: '2.0.0', summary: 'Stores one or more field-value pairs in a hash (older form of HSET, replies OK).',
    complexity: 'O(N) where N is the number of fields being set.',
    docFlags: ['deprecated'], deprecatedSince: '4.0.0', replacedBy: '`HSET` with multiple field-value pairs',
    args: [arg.key('key', 0), fieldValuePairs],
  }),
  c('hmget', -3, 'readonly fast', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.0.0', summary: 'Reads the values of several fields of a hash, nil for each absent one.',
    complexity: 'O(N) where N is the number of fields being requested.',
    args: [arg.key('key', 0), arg.str('field', { multiple: true })],
  }),
  c('hgetall', 2, 'readonly', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.0.0', tips: ['nondeterministic_output_order'], summary: 'Reads every field and value of a hash.',
    complexity: 'O(N) where N is the size of the hash.',
    args: [arg.key('key', 0)],
  }),
  c('hdel', -3, 'write fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RW', 'DELETE'], since: '2.0.0', summary: 'Removes fields from a hash and counts how many existed; the key goes with its last field.',
    complexity: 'O(N) where N is the number of fields to be removed.',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    args: [arg.key('key', 0), arg.str('field', { multiple: true })],
  }),
  c('hexists', 3, 'readonly fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RO'], since: '2.0.0', summary: 'Tells whether a field is present in a hash.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('field')],
  }),
  c('hlen', 2, 'readonly fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RO'], since: '2.0.0', summary: 'Replies with the number of fields in a hash.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('hkeys', 2, 'readonly', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.0.0', tips: ['nondeterministic_output_order'], summary: 'Reads every field name of a hash.',
    complexity: 'O(N) where N is the size of the hash.',
    args: [arg.key('key', 0)],
  }),
  c('hvals', 2, 'readonly', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.0.0', tips: ['nondeterministic_output_order'], summary: 'Reads every value of a hash.',
    complexity: 'O(N) where N is the size of the hash.',
    args: [arg.key('key', 0)],
  }),
  c('hstrlen', 3, 'readonly fast', 'hash', 'hash', {
    keys: [1, 1, 1], keyFlags: ['RO'], since: '3.2.0', summary: 'Replies with the byte length of the value of a hash field.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('field')],
  }),
  c('hincrby', 4, 'write denyoom fast', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.0.0', summary: 'Adds an integer amount to the integer held in a hash field; an absent field counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('field'), arg.int('increment')],
  }),
  c('hincrbyfloat', 4, 'write denyoom fast', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.6.0', summary: 'Adds a floating-point amount to the number held in a hash field; an absent field counts as 0.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('field'), arg.dbl('increment')],
  }),
  c('hrandfield', -2, 'readonly', 'hash', 'hash', {
    keys: [1, 1, 1], since: '6.2.0', tips: ['nondeterministic_output'], summary: 'Picks random fields of a hash, distinct or with repetitions, optionally with their values.',
    complexity: 'O(N) where N is the number of fields returned',
    args: [
      arg.key('key', 0),
      arg.block('options', [arg.int('count'), arg.token('WITHVALUES', { optional: true })], { optional: true }),
    ],
  }),
  c('hscan', -3, 'readonly', 'hash', 'hash', {
    keys: [1, 1, 1], since: '2.8.0', tips: ['nondeterministic_output'], summary: 'Iterates over the fields and values of a hash with a cursor.',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    args: [
      arg.key('key', 0),
      arg.int('cursor'),
      arg.pattern('pattern', { token: 'MATCH', optional: true }),
      arg.int('count', { token: 'COUNT', optional: true }),
    ],
  }),
];
