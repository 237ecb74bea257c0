/**
 * Active expiry (the contract of Redis' activeExpireCycle): hz times a second
 * the shard deletes keys whose TTL has passed even if nobody reads them, in
 * at most a time budget per cycle (25% of the period); the next cycle resumes
 * where this one stopped. Lazy expiry on access (keyspace.ts) covers keys in
 * between, so a read never sees an expired key.
 *
 * Redis samples random volatile keys from its expires table. Here each slot
 * knows a lower bound of its earliest expire time (SlotDict.minExp), so a
 * cycle visits only the slots where a key is actually due and deletes every
 * due key there: the work is proportional to the expired keys, not to the
 * volatile ones, and no expired key lingers longer than one cycle unless the
 * budget runs out.
 */
import { performance } from 'node:perf_hooks';
import type { Db, Keyspace } from './keyspace.js';

/** Slots visited between two reads of the clock. */
const CHECK_EVERY = 64;

export class ActiveExpirer {
  /** Position of the slot walk per db, so a cycle cut short resumes where it stopped. */
  private cursor: number[];

  constructor(
    private readonly ks: Keyspace,
    /** The slots this shard owns. */
    private readonly slots: number[],
  ) {
    this.cursor = ks.dbs.map(() => 0);
  }

  /** Cycles that ran out of their time budget (INFO expired_time_cap_reached_count). */
  timeCapReached = 0;
  /**
   * Redis' stat_expired_stale_perc: a moving average (5% weight per cycle) of the share of
   * keys with a TTL, among those a cycle examined, that it found expired.
   */
  stalePerc = 0;
  private sampled = 0;

  /** Runs one cycle of at most budgetMs; returns the number of keys expired. */
  cycle(budgetMs: number): number {
    const deadline = performance.now() + budgetMs;
    const now = Date.now();
    let expired = 0;
    this.sampled = 0;
    for (let dbi = 0; dbi < this.ks.dbs.length; dbi++) {
      const db = this.ks.dbs[dbi];
      if (db.volatileCount === 0) continue;
      const r = this.expireDb(db, dbi, now, deadline);
      expired += r.expired;
      if (r.outOfTime) {
        this.timeCapReached++;
        break;
      }
    }
    this.ks.stats.expiredKeys += expired;
    const current = this.sampled > 0 ? expired / this.sampled : 0;
    this.stalePerc = current * 0.05 + this.stalePerc * 0.95;
    return expired;
  }

  private expireDb(db: Db, dbi: number, now: number, deadline: number): { expired: number; outOfTime: boolean } {
    const n = this.slots.length;
    let pos = this.cursor[dbi] % n;
    let expired = 0;
    const remove = (d: NonNullable<Db['slots'][number]>) => (i: number) => db.expire(d, i);
    for (let visited = 0; visited < n; visited++) {
      const d = db.slots[this.slots[pos]];
      pos = pos + 1 === n ? 0 : pos + 1;
      if (d !== undefined && d.minExp <= now) {
        this.sampled += d.volatileCount;
        expired += d.expireDue(now, remove(d));
        if (performance.now() >= deadline) {
          this.cursor[dbi] = pos;
          return { expired, outOfTime: true };
        }
      } else if ((visited & (CHECK_EVERY - 1)) === CHECK_EVERY - 1 && performance.now() >= deadline) {
        this.cursor[dbi] = pos;
        return { expired, outOfTime: true };
      }
      if (db.volatileCount === 0) break;
    }
    this.cursor[dbi] = pos;
    return { expired, outOfTime: false };
  }
}
