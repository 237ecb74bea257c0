/** List commands: table entries. Execution: workers/types/list.ts. */
import { arg, command as c } from './define.js';
import type { KeySpec } from './spec.js';

/** A key spec for the single key at argv[index]. */
const oneKey = (index: number, flags: string[]): KeySpec => ({
  flags,
  beginSearch: { index },
  findKeys: { range: { lastKey: 0, step: 1, limit: 0 } },
});

/** numkeys at argv[index], the keys right after it (LMPOP, BLMPOP). */
const keynumKeys = (index: number): KeySpec => ({
  flags: ['RW', 'ACCESS', 'DELETE'],
  beginSearch: { index },
  findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } },
});

const leftRight = (name: string) => arg.oneof(name, [arg.token('LEFT'), arg.token('RIGHT')]);
/** Source then destination (LMOVE, RPOPLPUSH, and their blocking forms). */
const moveKeySpecs = [oneKey(1, ['RW', 'ACCESS', 'DELETE']), oneKey(2, ['RW', 'INSERT'])];
const moveKeys = [arg.key('source', 0), arg.key('destination', 1)];
const timeoutAsDouble: [string, string] = ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'];
const pushComplexity = 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

export const listCommands = [
  c('lpush', -3, 'write denyoom fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], summary: 'Adds elements at the head of a list, creating it when absent.', complexity: pushComplexity,
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key', 0), arg.str('element', { multiple: true })],
  }),
  c('rpush', -3, 'write denyoom fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], summary: 'Adds elements at the tail of a list, creating it when absent.', complexity: pushComplexity,
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key', 0), arg.str('element', { multiple: true })],
  }),
  c('lpushx', -3, 'write denyoom fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], since: '2.2.0', summary: 'Adds elements at the head of a list, only when the list already exists.', complexity: pushComplexity,
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key', 0), arg.str('element', { multiple: true })],
  }),
  c('rpushx', -3, 'write denyoom fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], since: '2.2.0', summary: 'Adds elements at the tail of a list, only when the list already exists.', complexity: pushComplexity,
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: [arg.key('key', 0), arg.str('element', { multiple: true })],
  }),
  c('lpop', -2, 'write fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], summary: 'Takes elements off the head of a list and replies with them.', complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    args: [arg.key('key', 0), arg.int('count', { optional: true, since: '6.2.0' })],
  }),
  c('rpop', -2, 'write fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], summary: 'Takes elements off the tail of a list and replies with them.', complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    args: [arg.key('key', 0), arg.int('count', { optional: true, since: '6.2.0' })],
  }),
  c('llen', 2, 'readonly fast', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RO'], summary: 'Replies with the number of elements in a list.', complexity: 'O(1)',
    args: [arg.key('key', 0)],
  }),
  c('lrange', 4, 'readonly', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RO', 'ACCESS'], summary: 'Replies with the elements of a list between two indexes.',
    complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    args: [arg.key('key', 0), arg.int('start'), arg.int('stop')],
  }),
  c('lindex', 3, 'readonly', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RO', 'ACCESS'], summary: 'Replies with the element of a list at an index.',
    complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    args: [arg.key('key', 0), arg.int('index')],
  }),
  c('lset', 4, 'write denyoom', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'], summary: 'Overwrites the element of a list at an index.',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    args: [arg.key('key', 0), arg.int('index'), arg.str('element')],
  }),
  c('linsert', 5, 'write denyoom', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'INSERT'], since: '2.2.0', summary: 'Inserts an element before or after the first occurrence of another one in a list.',
    complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    args: [arg.key('key', 0), arg.oneof('where', [arg.token('BEFORE'), arg.token('AFTER')]), arg.str('pivot'), arg.str('element')],
  }),
  c('lrem', 4, 'write', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'DELETE'], summary: 'Removes occurrences of an element from a list, from the head or from the tail.',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    args: [arg.key('key', 0), arg.int('count'), arg.str('element')],
  }),
  c('ltrim', 4, 'write', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RW', 'DELETE'], summary: 'Keeps only the elements of a list between two indexes.',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    args: [arg.key('key', 0), arg.int('start'), arg.int('stop')],
  }),
  c('lpos', -3, 'readonly', 'list', 'list', {
    keys: [1, 1, 1], keyFlags: ['RO', 'ACCESS'], since: '6.0.6', summary: 'Replies with the indexes at which an element occurs in a list.',
    complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    args: [
      arg.key('key', 0),
      arg.str('element'),
      arg.int('rank', { token: 'RANK', optional: true }),
      arg.int('num-matches', { token: 'COUNT', optional: true }),
      arg.int('len', { token: 'MAXLEN', optional: true }),
    ],
  }),
  c('lmove', 5, 'write denyoom', 'list', 'list', {
    keys: [1, 2, 1], keySpecs: moveKeySpecs, since: '6.2.0', summary: 'Takes an element off one end of a list and adds it at one end of another.', complexity: 'O(1)',
    args: [...moveKeys, leftRight('wherefrom'), leftRight('whereto')],
  }),
  c('rpoplpush', 3, 'write denyoom', 'list', 'list', {
    keys: [1, 2, 1], keySpecs: moveKeySpecs, since: '1.2.0', docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    summary: 'Takes the last element of a list and adds it at the head of another.', complexity: 'O(1)',
    args: moveKeys,
  }),
  c('lmpop', -4, 'write movablekeys', 'list', 'list', {
    route: 'shard', keySpecs: [keynumKeys(1)], since: '7.0.0', summary: 'Takes elements off one end of the first non-empty list among several keys.',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    args: [arg.int('numkeys'), arg.key('key', 0, { multiple: true }), leftRight('where'), arg.int('count', { token: 'COUNT', optional: true })],
  }),
  c('blpop', -3, 'write noscript blocking', 'list', 'list', {
    keys: [1, -2, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], since: '2.0.0', summary: 'Takes the head element of the first non-empty list among several keys, waiting for one when all are empty.',
    complexity: 'O(N) where N is the number of provided keys.', history: [timeoutAsDouble],
    args: [arg.key('key', 0, { multiple: true }), arg.dbl('timeout')],
  }),
  c('brpop', -3, 'write noscript blocking', 'list', 'list', {
    keys: [1, -2, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'], since: '2.0.0', summary: 'Takes the tail element of the first non-empty list among several keys, waiting for one when all are empty.',
    complexity: 'O(N) where N is the number of provided keys.', history: [timeoutAsDouble],
    args: [arg.key('key', 0, { multiple: true }), arg.dbl('timeout')],
  }),
  c('blmove', 6, 'write denyoom noscript blocking', 'list', 'list', {
    keys: [1, 2, 1], keySpecs: moveKeySpecs, since: '6.2.0', summary: 'Moves an element from one end of a list to one end of another, waiting for the source to have one.', complexity: 'O(1)',
    args: [...moveKeys, leftRight('wherefrom'), leftRight('whereto'), arg.dbl('timeout')],
  }),
  c('brpoplpush', 4, 'write denyoom noscript blocking', 'list', 'list', {
    keys: [1, 2, 1], keySpecs: moveKeySpecs, since: '2.2.0', history: [timeoutAsDouble], docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments', summary: 'Moves the last element of a list to the head of another, waiting for the source to have one.', complexity: 'O(1)',
    args: [...moveKeys, arg.dbl('timeout')],
  }),
  c('blmpop', -5, 'write blocking movablekeys', 'list', 'list', {
    route: 'shard', keySpecs: [keynumKeys(2)], since: '7.0.0', summary: 'Takes elements off one end of the first non-empty list among several keys, waiting for one when all are empty.',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    args: [arg.dbl('timeout'), arg.int('numkeys'), arg.key('key', 0, { multiple: true }), leftRight('where'), arg.int('count', { token: 'COUNT', optional: true })],
  }),
];
