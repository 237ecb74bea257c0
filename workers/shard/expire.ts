/**
 * Active expiry (the contract of Redis' activeExpireCycle): every 1000/hz ms
 * each database's slots that hold keys with a TTL are visited in turn and their
 * expired keys deleted, until a time budget (25% of the period) runs out; the
 * next cycle resumes where this one stopped.
 * Lazy expiry on access (keyspace.ts) covers the keys the sampling misses.
 */
import type { Keyspace } from './keyspace.js';

export class ActiveExpirer {
  /** Position of the slot walk per db, so successive cycles cover all slots. */
  private cursor: number[];

  constructor(private readonly ks: Keyspace, private readonly slots: number[]) {
    this.cursor = ks.dbs.map(() => 0);
  }

  /** Runs one cycle of at most budgetMs; returns the number of keys expired. */
  cycle(budgetMs: number): number {
    const deadline = performance.now() + budgetMs;
    let expired = 0;
    const now = Date.now();
    for (let dbi = 0; dbi < this.ks.dbs.length; dbi++) {
      const db = this.ks.dbs[dbi];
      if (db.volatileCount === 0) continue;
      let visited = 0;
      while (visited < this.slots.length && performance.now() < deadline) {
        const pos = this.cursor[dbi] % this.slots.length;
        const d = db.slots[this.slots[pos]];
        visited++;
        this.cursor[dbi] = pos + 1;
        if (d === undefined || d.volatileCount === 0) continue;
        // Slots are small (keys / 16384), so a linear pass over the slot's expiry times is exact and cheap.
        for (let i = d.size - 1; i >= 0; i--) {
          const exp = d.exps[i];
          if (exp !== 0 && exp <= now) {
            db.removeAt(d, i);
            expired++;
          }
        }
      }
    }
    this.ks.stats.expiredKeys += expired;
    return expired;
  }
}
