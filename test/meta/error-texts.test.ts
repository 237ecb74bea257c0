/**
 * Error replies are data clients match on: pin them byte for byte against the
 * texts Redis 7.0 sends (quoted from its source).
 */
import { describe, expect, it } from 'vitest';
import { ERR } from '../../src/resp/errors.js';

describe('error texts', () => {
  it('match Redis 7.0 exactly', () => {
    expect(ERR.WRONGTYPE).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(ERR.SYNTAX).toBe('ERR syntax error');
    expect(ERR.NOT_INTEGER).toBe('ERR value is not an integer or out of range');
    expect(ERR.NOT_FLOAT).toBe('ERR value is not a valid float');
    expect(ERR.OVERFLOW).toBe('ERR increment or decrement would overflow');
    expect(ERR.NO_SUCH_KEY).toBe('ERR no such key');
    expect(ERR.DB_INDEX_OUT_OF_RANGE).toBe('ERR DB index is out of range');
    expect(ERR.SAME_OBJECT).toBe('ERR source and destination objects are the same');
    expect(ERR.NOAUTH).toBe('NOAUTH Authentication required.');
    expect(ERR.WRONGPASS).toBe('WRONGPASS invalid username-password pair or user is disabled.');
    expect(ERR.INVALID_EXPIRE('set')).toBe("ERR invalid expire time in 'set' command");
    expect(ERR.wrongArity('get')).toBe("ERR wrong number of arguments for 'get' command");
    expect(ERR.unknownSubcommand('foo', 'object')).toBe("ERR unknown subcommand 'foo'. Try OBJECT HELP.");
    expect(ERR.protocol('invalid bulk length')).toBe('ERR Protocol error: invalid bulk length');
  });

  it('sets: match Redis 7.0 exactly (t_set.c, object.c)', () => {
    expect(ERR.SET_NUMKEYS_NOT_POSITIVE).toBe('ERR numkeys should be greater than 0');
    expect(ERR.SET_NUMKEYS_TOO_MANY).toBe("ERR Number of keys can't be greater than number of args");
    expect(ERR.SET_LIMIT_NEGATIVE).toBe("ERR LIMIT can't be negative");
    expect(ERR.SET_COUNT_NOT_POSITIVE).toBe('ERR value is out of range, must be positive');
    expect(ERR.SET_COUNT_OUT_OF_RANGE).toBe('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  });

  it('hashes: match Redis 7.0 exactly (t_hash.c, object.c getRangeLongFromObjectOrReply)', () => {
    expect(ERR.HASH_VALUE_NOT_INTEGER).toBe('ERR hash value is not an integer');
    expect(ERR.HASH_VALUE_NOT_FLOAT).toBe('ERR hash value is not a float');
    expect(ERR.HASH_INCR_NAN_INF).toBe('ERR value is NaN or Infinity');
    expect(ERR.HRANDFIELD_COUNT_RANGE).toBe('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    expect(ERR.HRANDFIELD_WITHVALUES_RANGE).toBe('ERR value is out of range');
  });
});

it('error texts of lists match Redis 7.0 (t_list.c, object.c)', () => {
  expect(ERR.MUST_BE_POSITIVE).toBe('ERR value is out of range, must be positive');
  expect(ERR.LPOS_RANK_ZERO).toBe(
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  );
  expect(ERR.LPOS_COUNT_NEGATIVE).toBe("ERR COUNT can't be negative");
  expect(ERR.LPOS_MAXLEN_NEGATIVE).toBe("ERR MAXLEN can't be negative");
  expect(ERR.NUMKEYS_NOT_POSITIVE).toBe('ERR numkeys should be greater than 0');
  expect(ERR.COUNT_NOT_POSITIVE).toBe('ERR count should be greater than 0');
});

describe('error texts: sorted sets', () => {
  it('match Redis 7.0 t_zset.c and object.c exactly', () => {
    expect(ERR.ZSET_XX_NX).toBe('ERR XX and NX options at the same time are not compatible');
    expect(ERR.GT_LT_NX).toBe('ERR GT, LT, and/or NX options at the same time are not compatible');
    expect(ERR.ZSET_INCR_PAIR).toBe('ERR INCR option supports a single increment-element pair');
    expect(ERR.ZSET_NAN).toBe('ERR resulting score is not a number (NaN)');
    expect(ERR.ZSET_MINMAX_FLOAT).toBe('ERR min or max is not a float');
    expect(ERR.ZSET_MINMAX_LEX).toBe('ERR min or max not valid string range item');
    expect(ERR.ZSET_LIMIT_NEEDS_BY).toBe('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    expect(ERR.ZSET_WITHSCORES_BYLEX).toBe('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    expect(ERR.ZSET_WEIGHT_NOT_FLOAT).toBe('ERR weight value is not a float');
    expect(ERR.ZSET_AT_LEAST_ONE_KEY('zunionstore')).toBe("ERR at least 1 input key is needed for 'zunionstore' command");
    expect(ERR.ZSET_LIMIT_NEGATIVE).toBe("ERR LIMIT can't be negative");
    expect(ERR.ZSET_NUMKEYS).toBe('ERR numkeys should be greater than 0');
    expect(ERR.ZSET_COUNT).toBe('ERR count should be greater than 0');
    expect(ERR.ZSET_MUST_BE_POSITIVE).toBe('ERR value is out of range, must be positive');
    expect(ERR.ZSET_OUT_OF_RANGE).toBe('ERR value is out of range');
    expect(ERR.ZSET_RANDMEMBER_RANGE).toBe('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  });
});

it('error texts of SORT match Redis 7.0 (sort.c)', () => {
  expect(ERR.SORT_NOT_DOUBLE).toBe("ERR One or more scores can't be converted into double");
});
