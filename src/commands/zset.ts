/** Sorted-set commands: table entries. Execution: workers/types/zset.ts. */
import { arg, command as c } from './define.js';

export const zsetCommands = [
  c('zadd', -4, 'write denyoom fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Adds members with scores to a sorted set, or changes their scores, with conditions.',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
    args: [
      arg.key('key', 0),
      arg.oneof('condition', [arg.token('NX'), arg.token('XX')], { optional: true, since: '3.0.2' }),
      arg.oneof('comparison', [arg.token('GT'), arg.token('LT')], { optional: true, since: '6.2.0' }),
      arg.token('CH', { name: 'change', optional: true, since: '3.0.2' }),
      arg.token('INCR', { name: 'increment', optional: true, since: '3.0.2' }),
      arg.block('score_member', [arg.dbl('score'), arg.str('member')], { multiple: true }),
    ],
  }),
  c('zincrby', 4, 'write denyoom fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Adds an amount to a member\'s score, adding the member when absent.',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    keySpecs: [
      { flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.int('increment'),
      arg.str('member'),
    ],
  }),
  c('zscore', 3, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Replies with the score of one member of a sorted set.',
    complexity: 'O(1)',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('member'),
    ],
  }),
  c('zmscore', -3, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '6.2.0',
    summary: 'Replies with the scores of several members of a sorted set.',
    complexity: 'O(N) where N is the number of members being requested.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('member', { multiple: true }),
    ],
  }),
  c('zcard', 2, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Replies with the number of members of a sorted set.',
    complexity: 'O(1)',
    keySpecs: [
      { flags: ['RO'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
    ],
  }),
  c('zcount', 4, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.0.0',
    summary: 'Counts the members whose score lies within a range.',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.dbl('min'),
      arg.dbl('max'),
    ],
  }),
  c('zlexcount', 4, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.8.9',
    summary: 'Counts the members within a lexicographical range (for equal scores).',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('min'),
      arg.str('max'),
    ],
  }),
  c('zrange', -4, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Replies with members of a sorted set by rank, score or lexicographical range.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.'],
    ],
    args: [
      arg.key('key', 0),
      arg.str('start'),
      arg.str('stop'),
      arg.oneof('sortby', [arg.token('BYSCORE'), arg.token('BYLEX')], { optional: true, since: '6.2.0' }),
      arg.token('REV', { optional: true, since: '6.2.0' }),
      arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true, since: '6.2.0' }),
      arg.token('WITHSCORES', { optional: true }),
    ],
  }),
  c('zrangestore', -5, 'write denyoom', 'sortedset', 'sorted-set', {
    keys: [1, 2, 1],
    since: '6.2.0',
    summary: 'Stores a rank, score or lexicographical range of a sorted set at another key.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('dst', 0),
      arg.key('src', 1),
      arg.str('min'),
      arg.str('max'),
      arg.oneof('sortby', [arg.token('BYSCORE'), arg.token('BYLEX')], { optional: true }),
      arg.token('REV', { optional: true }),
      arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true }),
    ],
  }),
  c('zrevrange', -4, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Replies with members by rank, highest score first.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.int('start'),
      arg.int('stop'),
      arg.token('WITHSCORES', { optional: true }),
    ],
  }),
  c('zrangebyscore', -4, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.0.5',
    summary: 'Replies with members whose score lies within a range, lowest first.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['2.0.0', 'Added the `WITHSCORES` modifier.'],
    ],
    args: [
      arg.key('key', 0),
      arg.dbl('min'),
      arg.dbl('max'),
      arg.token('WITHSCORES', { optional: true, since: '2.0.0' }),
      arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true }),
    ],
  }),
  c('zrevrangebyscore', -4, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.2.0',
    summary: 'Replies with members whose score lies within a range, highest first.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['2.1.6', '`min` and `max` can be exclusive.'],
    ],
    args: [
      arg.key('key', 0),
      arg.dbl('max'),
      arg.dbl('min'),
      arg.token('WITHSCORES', { optional: true }),
      arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true }),
    ],
  }),
  c('zrangebylex', -4, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.8.9',
    summary: 'Replies with members within a lexicographical range, in ascending order.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('min'),
      arg.str('max'),
      arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true }),
    ],
  }),
  c('zrevrangebylex', -4, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.8.9',
    summary: 'Replies with members within a lexicographical range, in descending order.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('max'),
      arg.str('min'),
      arg.block('offset_count', [arg.int('offset'), arg.int('count')], { token: 'LIMIT', optional: true }),
    ],
  }),
  c('zrank', 3, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.0.0',
    summary: 'Replies with the position of a member counted from the lowest score.',
    complexity: 'O(log(N))',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('member'),
    ],
  }),
  c('zrevrank', 3, 'readonly fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.0.0',
    summary: 'Replies with the position of a member counted from the highest score.',
    complexity: 'O(log(N))',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('member'),
    ],
  }),
  c('zrem', -3, 'write fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Removes members from a sorted set; the key goes when none is left.',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
    ],
    args: [
      arg.key('key', 0),
      arg.str('member', { multiple: true }),
    ],
  }),
  c('zremrangebyrank', 4, 'write', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.0.0',
    summary: 'Removes the members within a range of positions.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.int('start'),
      arg.int('stop'),
    ],
  }),
  c('zremrangebyscore', 4, 'write', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '1.2.0',
    summary: 'Removes the members whose score lies within a range.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.dbl('min'),
      arg.dbl('max'),
    ],
  }),
  c('zremrangebylex', 4, 'write', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.8.9',
    summary: 'Removes the members within a lexicographical range.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.str('min'),
      arg.str('max'),
    ],
  }),
  c('zpopmin', -2, 'write fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '5.0.0',
    summary: 'Removes and replies with the members of lowest score.',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.int('count', { optional: true }),
    ],
  }),
  c('zpopmax', -2, 'write fast', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '5.0.0',
    summary: 'Removes and replies with the members of highest score.',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.int('count', { optional: true }),
    ],
  }),
  c('zmpop', -4, 'write movablekeys', 'sortedset', 'sorted-set', {
    keys: [0, 0, 0],
    route: 'shard',
    since: '7.0.0',
    summary: 'Removes and replies with the lowest or highest members of the first non-empty sorted set among several keys.',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.int('numkeys'),
      arg.key('key', 0, { multiple: true }),
      arg.oneof('where', [arg.token('MIN'), arg.token('MAX')]),
      arg.int('count', { token: 'COUNT', optional: true }),
    ],
  }),
  c('zrandmember', -2, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '6.2.0',
    summary: 'Replies with random members of a sorted set, distinct or possibly repeated.',
    complexity: 'O(N) where N is the number of elements returned',
    tips: ['nondeterministic_output'],
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.block('options', [arg.int('count'), arg.token('WITHSCORES', { optional: true })], { optional: true }),
    ],
  }),
  c('zunion', -3, 'readonly movablekeys', 'sortedset', 'sorted-set', {
    keys: [0, 0, 0],
    route: 'shard',
    since: '6.2.0',
    summary: 'Replies with the union of several sorted sets, scores combined.',
    complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.int('numkeys'),
      arg.key('key', 0, { multiple: true }),
      arg.int('weight', { token: 'WEIGHTS', optional: true, multiple: true }),
      arg.oneof('aggregate', [arg.token('SUM'), arg.token('MIN'), arg.token('MAX')], { token: 'AGGREGATE', optional: true }),
      arg.token('WITHSCORES', { optional: true }),
    ],
  }),
  c('zinter', -3, 'readonly movablekeys', 'sortedset', 'sorted-set', {
    keys: [0, 0, 0],
    route: 'shard',
    since: '6.2.0',
    summary: 'Replies with the intersection of several sorted sets, scores combined.',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.int('numkeys'),
      arg.key('key', 0, { multiple: true }),
      arg.int('weight', { token: 'WEIGHTS', optional: true, multiple: true }),
      arg.oneof('aggregate', [arg.token('SUM'), arg.token('MIN'), arg.token('MAX')], { token: 'AGGREGATE', optional: true }),
      arg.token('WITHSCORES', { optional: true }),
    ],
  }),
  c('zdiff', -3, 'readonly movablekeys', 'sortedset', 'sorted-set', {
    keys: [0, 0, 0],
    route: 'shard',
    since: '6.2.0',
    summary: 'Replies with the members of the first sorted set found in none of the others.',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.int('numkeys'),
      arg.key('key', 0, { multiple: true }),
      arg.token('WITHSCORES', { optional: true }),
    ],
  }),
  c('zunionstore', -4, 'write denyoom movablekeys', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.0.0',
    summary: 'Stores the union of several sorted sets at a key.',
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.key('destination', 0),
      arg.int('numkeys'),
      arg.key('key', 1, { multiple: true }),
      arg.int('weight', { token: 'WEIGHTS', optional: true, multiple: true }),
      arg.oneof('aggregate', [arg.token('SUM'), arg.token('MIN'), arg.token('MAX')], { token: 'AGGREGATE', optional: true }),
    ],
  }),
  c('zinterstore', -4, 'write denyoom movablekeys', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.0.0',
    summary: 'Stores the intersection of several sorted sets at a key.',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.key('destination', 0),
      arg.int('numkeys'),
      arg.key('key', 1, { multiple: true }),
      arg.int('weight', { token: 'WEIGHTS', optional: true, multiple: true }),
      arg.oneof('aggregate', [arg.token('SUM'), arg.token('MIN'), arg.token('MAX')], { token: 'AGGREGATE', optional: true }),
    ],
  }),
  c('zdiffstore', -4, 'write denyoom movablekeys', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '6.2.0',
    summary: 'Stores the difference of several sorted sets at a key.',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.key('destination', 0),
      arg.int('numkeys'),
      arg.key('key', 1, { multiple: true }),
    ],
  }),
  c('zintercard', -3, 'readonly movablekeys', 'sortedset', 'sorted-set', {
    keys: [0, 0, 0],
    route: 'shard',
    since: '7.0.0',
    summary: 'Counts the members common to several sorted sets, optionally stopping at a limit.',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.int('numkeys'),
      arg.key('key', 0, { multiple: true }),
      arg.int('limit', { token: 'LIMIT', optional: true }),
    ],
  }),
  c('zscan', -3, 'readonly', 'sortedset', 'sorted-set', {
    keys: [1, 1, 1],
    since: '2.8.0',
    summary: 'Iterates over the members and scores of a sorted set with a cursor.',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: ['nondeterministic_output'],
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: 0, step: 1, limit: 0 } } },
    ],
    args: [
      arg.key('key', 0),
      arg.int('cursor'),
      arg.pattern('pattern', { token: 'MATCH', optional: true }),
      arg.int('count', { token: 'COUNT', optional: true }),
    ],
  }),
  c('bzpopmin', -3, 'write noscript blocking fast', 'sortedset', 'sorted-set', {
    keys: [1, -2, 1],
    since: '5.0.0',
    summary: 'Removes and replies with the lowest member of the first non-empty sorted set, waiting for one when all are empty.',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: -2, step: 1, limit: 0 } } },
    ],
    history: [
      ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
    ],
    args: [
      arg.key('key', 0, { multiple: true }),
      arg.dbl('timeout'),
    ],
  }),
  c('bzpopmax', -3, 'write noscript blocking fast', 'sortedset', 'sorted-set', {
    keys: [1, -2, 1],
    since: '5.0.0',
    summary: 'Removes and replies with the highest member of the first non-empty sorted set, waiting for one when all are empty.',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { range: { lastKey: -2, step: 1, limit: 0 } } },
    ],
    history: [
      ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
    ],
    args: [
      arg.key('key', 0, { multiple: true }),
      arg.dbl('timeout'),
    ],
  }),
  c('bzmpop', -5, 'write blocking movablekeys', 'sortedset', 'sorted-set', {
    keys: [0, 0, 0],
    route: 'shard',
    since: '7.0.0',
    summary: 'Removes and replies with the lowest or highest members of the first non-empty sorted set, waiting for one when all are empty.',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 2 }, findKeys: { keynum: { keyNumIdx: 0, firstKey: 1, step: 1 } } },
    ],
    args: [
      arg.dbl('timeout'),
      arg.int('numkeys'),
      arg.key('key', 0, { multiple: true }),
      arg.oneof('where', [arg.token('MIN'), arg.token('MAX')]),
      arg.int('count', { token: 'COUNT', optional: true }),
    ],
  }),
];
