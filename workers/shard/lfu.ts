/**
 * Redis' LFU counter (evict.c), kept in the 24-bit access-clock field of each
 * key (slot-dict.ts) exactly as Redis keeps it in robj.lru: 16 bits of time in
 * minutes (when the counter was last decremented) and an 8-bit logarithmic
 * counter. The field means the LRU clock or the LFU counter according to
 * maxmemory-policy, as in Redis, so LFU costs no memory per key; switching
 * policies at run time leaves old values to be reinterpreted (Redis' OBJECT
 * FREQ error text warns about the same). Off (the default), a key access pays
 * one boolean check.
 */

export const LFU_INIT_VAL = 5;

export const lfu = {
  /** maxmemory-policy is volatile-lfu or allkeys-lfu. */
  on: false,
  logFactor: 10,
  decayTime: 1,
};

/** Redis LFUGetTimeInMinutes: 16 bits of Unix time in minutes. */
export function lfuTimeInMinutes(): number {
  return Math.floor(Date.now() / 60000) & 65535;
}

/** Minutes since `ldt`, across the 16-bit wrap (LFUTimeElapsed). */
function timeElapsed(ldt: number): number {
  const now = lfuTimeInMinutes();
  return now >= ldt ? now - ldt : 65535 - ldt + now;
}

/** LFUDecrAndReturn: the counter decayed by the minutes since its last decrement. */
export function lfuDecrAndReturn(word: number): number {
  const ldt = word >>> 8;
  const counter = word & 255;
  const periods = lfu.decayTime ? Math.floor(timeElapsed(ldt) / lfu.decayTime) : 0;
  if (periods) return periods > counter ? 0 : counter - periods;
  return counter;
}

/** LFULogIncr: grows the counter with probability 1/((counter-5)*lfu-log-factor+1). */
function logIncr(counter: number): number {
  if (counter === 255) return 255;
  const r = Math.random();
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * lfu.logFactor + 1);
  return r < p ? counter + 1 : counter;
}

/** updateLFU: the new 24-bit field after an access. */
export function lfuTouch(word: number): number {
  const counter = logIncr(lfuDecrAndReturn(word));
  return (lfuTimeInMinutes() << 8) | counter;
}

/** A new key's field under LFU (createObject). */
export function lfuInit(): number {
  return (lfuTimeInMinutes() << 8) | LFU_INIT_VAL;
}
