/**
 * Every error reply shardis sends, with Redis 7.0's exact text (without the
 * leading '-' and trailing CRLF, which the writer adds). Keep them all here:
 * test/meta/error-texts.test.ts pins them byte for byte.
 */
export const ERR = {
  WRONGTYPE: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  SYNTAX: 'ERR syntax error',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  NOT_FLOAT: 'ERR value is not a valid float',
  OVERFLOW: 'ERR increment or decrement would overflow',
  INCR_NAN_INF: 'ERR increment would produce NaN or Infinity',
  NO_SUCH_KEY: 'ERR no such key',
  OUT_OF_RANGE: 'ERR index out of range',
  DB_INDEX_OUT_OF_RANGE: 'ERR DB index is out of range',
  INVALID_DB_INDEX: 'ERR invalid DB index',
  SAME_OBJECT: 'ERR source and destination objects are the same',
  OUT_OF_INT_RANGE: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  INVALID_EXPIRE: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  STRING_TOO_LONG: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  OFFSET_OUT_OF_RANGE: 'ERR offset is out of range',
  DECREMENT_OVERFLOW: 'ERR decrement would overflow',
  LCS_NOT_STRINGS: 'ERR The specified keys must contain string values',
  LCS_LEN_AND_IDX: 'ERR If you want both the length and indexes, please just use IDX.',
  LCS_TOO_BIG: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  INVALID_CURSOR: 'ERR invalid cursor',
  NOAUTH: 'NOAUTH Authentication required.',
  WRONGPASS: 'WRONGPASS invalid username-password pair or user is disabled.',
  AUTH_NOT_CONFIGURED:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  NOPROTO: 'NOPROTO unsupported protocol version',
  PROTOCOL_VERSION_NOT_INTEGER: 'ERR Protocol version is not an integer or out of range',
  CLIENT_NAME_SPACES: 'ERR Client names cannot contain spaces, newlines or special characters.',
  CROSSSLOT: "CROSSSLOT Keys in request don't hash to the same slot",
  NX_XX_GT_LT: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  GT_LT_NX: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  TIMEOUT_NEGATIVE: 'ERR timeout is negative',

  // Lists (workers/types/list.ts)
  MUST_BE_POSITIVE: 'ERR value is out of range, must be positive',
  LPOS_RANK_ZERO:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  LPOS_COUNT_NEGATIVE: "ERR COUNT can't be negative",
  LPOS_MAXLEN_NEGATIVE: "ERR MAXLEN can't be negative",
  NUMKEYS_NOT_POSITIVE: 'ERR numkeys should be greater than 0',
  COUNT_NOT_POSITIVE: 'ERR count should be greater than 0',

  // Hashes (workers/types/hash.ts)
  HASH_VALUE_NOT_INTEGER: 'ERR hash value is not an integer',
  HASH_VALUE_NOT_FLOAT: 'ERR hash value is not a float',
  HASH_INCR_NAN_INF: 'ERR value is NaN or Infinity',
  /** HRANDFIELD's count: a long in -LONG_MAX..LONG_MAX (getRangeLongFromObjectOrReply). */
  HRANDFIELD_COUNT_RANGE: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  /** HRANDFIELD's count with WITHVALUES: within ±LONG_MAX/2, so the reply length fits. */
  HRANDFIELD_WITHVALUES_RANGE: 'ERR value is out of range',

  // Sets (workers/types/set.ts)
  SET_NUMKEYS_NOT_POSITIVE: 'ERR numkeys should be greater than 0',
  SET_NUMKEYS_TOO_MANY: "ERR Number of keys can't be greater than number of args",
  SET_LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
  SET_COUNT_NOT_POSITIVE: 'ERR value is out of range, must be positive',
  SET_COUNT_OUT_OF_RANGE: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',

  // Sorted sets (workers/types/zset.ts)
  ZSET_XX_NX: 'ERR XX and NX options at the same time are not compatible',
  ZSET_INCR_PAIR: 'ERR INCR option supports a single increment-element pair',
  ZSET_NAN: 'ERR resulting score is not a number (NaN)',
  ZSET_MINMAX_FLOAT: 'ERR min or max is not a float',
  ZSET_MINMAX_LEX: 'ERR min or max not valid string range item',
  ZSET_LIMIT_NEEDS_BY: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  ZSET_WITHSCORES_BYLEX: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  ZSET_WEIGHT_NOT_FLOAT: 'ERR weight value is not a float',
  ZSET_AT_LEAST_ONE_KEY: (cmd: string) => `ERR at least 1 input key is needed for '${cmd}' command`,
  ZSET_LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
  ZSET_NUMKEYS: 'ERR numkeys should be greater than 0',
  ZSET_COUNT: 'ERR count should be greater than 0',
  ZSET_MUST_BE_POSITIVE: 'ERR value is out of range, must be positive',
  ZSET_OUT_OF_RANGE: 'ERR value is out of range',
  ZSET_RANDMEMBER_RANGE: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',

  // SORT (workers/types/sort.ts)
  SORT_NOT_DOUBLE: "ERR One or more scores can't be converted into double",

  wrongArity: (cmd: string) => `ERR wrong number of arguments for '${cmd}' command`,
  unknownCommand: (name: string, args: string[]) =>
    `ERR unknown command '${truncate(name)}', with args beginning with: ${args.map((a) => `'${truncate(a)}' `).join('')}`,
  unknownSubcommand: (sub: string, cmd: string) =>
    `ERR unknown subcommand '${truncate(sub)}'. Try ${cmd.toUpperCase()} HELP.`,
  protocol: (what: string) => `ERR Protocol error: ${what}`,
} as const;

/** Redis truncates names echoed in errors to 128 bytes (sdscatlen with a 128 cap). */
function truncate(s: string): string {
  return s.length > 128 ? s.slice(0, 128) : s;
}
