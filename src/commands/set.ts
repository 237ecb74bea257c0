/** Set commands: table entries. Execution: workers/types/set.ts. */
import { arg, command as c } from './define.js';
import type { KeySpec } from './spec.js';

const range = (index: number, lastKey: number, flags: string[]): KeySpec => ({
  flags,
  beginSearch: { index },
  findKeys: { range: { lastKey, step: 1, limit: 0 } },
});

/** The *STORE commands: the destination, then the source keys. */
const storeKeySpecs = (destFlags: string[]): KeySpec[] => [range(1, 0, destFlags), range(2, -1, ['RO', 'ACCESS'])];
const storeArgs = [arg.key('destination', 0), arg.key('key', 1, { multiple: true })];

const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';
const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const acceptsMultipleMembers: [string, string] = ['2.4.0', 'Accepts multiple `member` arguments.'];

export const setCommands = [
  c('sadd', -3, 'write denyoom fast', 'set', 'set', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], summary: 'Adds members to a set, creating it when the key is absent.',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [acceptsMultipleMembers], args: [arg.key('key', 0), arg.str('member', { multiple: true })],
  }),
  c('srem', -3, 'write fast', 'set', 'set', {
    keys: [1, 1, 1], keyFlags: ['RW', 'DELETE'], summary: 'Removes members from a set, deleting the key when it becomes empty.',
    complexity: 'O(N) where N is the number of members to be removed.',
    history: [acceptsMultipleMembers], args: [arg.key('key', 0), arg.str('member', { multiple: true })],
  }),
  c('sismember', 3, 'readonly fast', 'set', 'set', {
    keys: [1, 1, 1], keyFlags: ['RO'], summary: 'Tells whether a value belongs to a set.', complexity: 'O(1)',
    args: [arg.key('key', 0), arg.str('member')],
  }),
  c('smismember', -3, 'readonly fast', 'set', 'set', {
    keys: [1, 1, 1], since: '6.2.0', summary: 'Tells, for each of several values, whether it belongs to a set.',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    args: [arg.key('key', 0), arg.str('member', { multiple: true })],
  }),
  c('smembers', 2, 'readonly', 'set', 'set', {
    keys: [1, 1, 1], tips: ['nondeterministic_output_order'], summary: 'Lists every member of a set.',
    complexity: 'O(N) where N is the set cardinality.', args: [arg.key('key', 0)],
  }),
  c('scard', 2, 'readonly fast', 'set', 'set', {
    keys: [1, 1, 1], keyFlags: ['RO'], summary: 'Counts the members of a set.', complexity: 'O(1)', args: [arg.key('key', 0)],
  }),
  c('spop', -2, 'write fast', 'set', 'set', {
    keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], tips: ['nondeterministic_output'],
    summary: 'Removes random members from a set and replies with them.',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    history: [['3.2.0', 'Added the `count` argument.']],
    args: [arg.key('key', 0), arg.int('count', { optional: true, since: '3.2.0' })],
  }),
  c('srandmember', -2, 'readonly', 'set', 'set', {
    keys: [1, 1, 1], tips: ['nondeterministic_output'], summary: 'Replies with random members of a set, leaving it unchanged.',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    history: [['2.6.0', 'Added the optional `count` argument.']],
    args: [arg.key('key', 0), arg.int('count', { optional: true, since: '2.6.0' })],
  }),
  c('sinter', -2, 'readonly', 'set', 'set', {
    keys: [1, -1, 1], tips: ['nondeterministic_output_order'], summary: 'Replies with the members common to all the given sets.',
    complexity: INTER_COMPLEXITY, args: [arg.key('key', 0, { multiple: true })],
  }),
  c('sintercard', -3, 'readonly movablekeys', 'set', 'set', {
    route: 'shard', since: '7.0.0', summary: 'Counts the members common to all the given sets, optionally stopping at a limit.',
    keySpecs: [{ flags: ['RO', 'ACCESS'], beginSearch: { index: 1 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } }],
    complexity: INTER_COMPLEXITY,
    args: [arg.int('numkeys'), arg.key('key', 0, { multiple: true }), arg.int('limit', { token: 'LIMIT', optional: true })],
  }),
  c('sinterstore', -3, 'write denyoom', 'set', 'set', {
    keys: [1, -1, 1], keySpecs: storeKeySpecs(['RW', 'UPDATE']), summary: 'Stores the members common to all the given sets at a key.',
    complexity: INTER_COMPLEXITY, args: storeArgs,
  }),
  c('sunion', -2, 'readonly', 'set', 'set', {
    keys: [1, -1, 1], tips: ['nondeterministic_output_order'], summary: 'Replies with the members of any of the given sets.',
    complexity: UNION_COMPLEXITY, args: [arg.key('key', 0, { multiple: true })],
  }),
  c('sunionstore', -3, 'write denyoom', 'set', 'set', {
    keys: [1, -1, 1], keySpecs: storeKeySpecs(['OW', 'UPDATE']), summary: 'Stores the members of any of the given sets at a key.',
    complexity: UNION_COMPLEXITY, args: storeArgs,
  }),
  c('sdiff', -2, 'readonly', 'set', 'set', {
    keys: [1, -1, 1], tips: ['nondeterministic_output_order'], summary: 'Replies with the members of the first set that are in none of the others.',
    complexity: UNION_COMPLEXITY, args: [arg.key('key', 0, { multiple: true })],
  }),
  c('sdiffstore', -3, 'write denyoom', 'set', 'set', {
    keys: [1, -1, 1], keySpecs: storeKeySpecs(['OW', 'UPDATE']), summary: 'Stores the members of the first set that are in none of the others at a key.',
    complexity: UNION_COMPLEXITY, args: storeArgs,
  }),
  c('smove', 4, 'write fast', 'set', 'set', {
    keys: [1, 2, 1], keySpecs: [range(1, 0, ['RW', 'ACCESS', 'DELETE']), range(2, 0, ['RW', 'INSERT'])],
    summary: 'Moves a member from one set to another.', complexity: 'O(1)',
    args: [arg.key('source', 0), arg.key('destination', 1), arg.str('member')],
  }),
  c('sscan', -3, 'readonly', 'set', 'set', {
    keys: [1, 1, 1], since: '2.8.0', tips: ['nondeterministic_output'], summary: 'Walks the members of a set a batch at a time with a cursor.',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    args: [arg.key('key', 0), arg.int('cursor'), arg.pattern('pattern', { token: 'MATCH', optional: true }), arg.int('count', { token: 'COUNT', optional: true })],
  }),
];
