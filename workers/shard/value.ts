/**
 * What a key holds. Strings are latin1 JS strings (one char per byte: binary
 * safe and compact); collections are objects that say their type.
 */
export interface CollectionValue {
  readonly type: 'list' | 'hash' | 'set' | 'zset' | 'stream';
  /** Redis' name of the current encoding (OBJECT ENCODING). */
  encoding(): string;
  /** A deep copy with the same encoding (COPY). */
  duplicate(): CollectionValue;
  /**
   * The value as plain data a structured clone can carry (arrays, strings,
   * numbers, typed arrays), with its encoding: how a value moves to another
   * shard in a cross-shard command. reviveValue() rebuilds it.
   */
  toTransfer(): TransferredCollection;
}

export interface TransferredCollection {
  type: CollectionValue['type'];
  encoding: string;
  data: unknown;
}

/** Rebuilds a collection from toTransfer()'s form, one function per type (registered by workers/types/*). */
const revivers = new Map<string, (t: TransferredCollection) => CollectionValue>();

export function registerReviver(type: CollectionValue['type'], revive: (t: TransferredCollection) => CollectionValue): void {
  revivers.set(type, revive);
}

export function reviveValue(v: string | TransferredCollection): Value {
  if (typeof v === 'string') return v;
  const revive = revivers.get(v.type);
  if (revive === undefined) throw new Error(`no reviver for ${v.type}`);
  return revive(v);
}

export type Value = string | CollectionValue;

export function typeName(v: Value): string {
  return typeof v === 'string' ? 'string' : v.type;
}

/**
 * How a string value was produced, which decides its encoding in Redis
 * (kept per key beside the access clock, slot-dict.ts):
 * - ENCODED: stored by SET, MSET, INCR ... through tryObjectEncoding: int when
 *   it parses as a 64-bit integer, embstr up to 44 bytes, raw beyond;
 * - RAW: modified in place (APPEND to an existing key, SETRANGE): always raw;
 * - NOT_INT: made from a long double (INCRBYFLOAT): embstr or raw by length;
 * - INT_UNSHARED: an int copied by COPY (dupStringObject): int, refcount 1.
 */
export const StringForm = { ENCODED: 0, RAW: 1, NOT_INT: 2, INT_UNSHARED: 3 } as const;

/** Redis' OBJECT ENCODING of a string value. */
export function stringEncoding(s: string, form: number = StringForm.ENCODED): string {
  if (form === StringForm.RAW) return 'raw';
  if ((form === StringForm.ENCODED || form === StringForm.INT_UNSHARED) && s.length <= 20 && parseInteger(s) !== null) return 'int';
  return s.length <= 44 ? 'embstr' : 'raw';
}

/** Redis shares the integers 0..9999 (OBJ_SHARED_INTEGERS) between keys stored through tryObjectEncoding. */
export function isSharedInteger(s: string, form: number): boolean {
  return form === StringForm.ENCODED && /^(0|[1-9][0-9]{0,3})$/.test(s);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Redis' string2ll: optional '-', decimal digits, no leading zeros (but "0"),
 * no '+', no spaces, within the signed 64-bit range. Returns a number when the
 * value is a safe integer, a bigint beyond that, and null when it does not parse.
 */
export function parseInteger(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  const negative = s.charCodeAt(0) === 45;
  if (negative) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (n - i <= 15) {
    let v = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
  }
  const b = BigInt(s);
  if (b < INT64_MIN || b > INT64_MAX) return null;
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

export function fitsInt64(b: bigint): boolean {
  return b >= INT64_MIN && b <= INT64_MAX;
}
