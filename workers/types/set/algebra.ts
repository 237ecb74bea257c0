/**
 * SINTER, SINTERCARD, SINTERSTORE, SMEMBERS (sinterGeneric) and SUNION,
 * SDIFF and their STORE forms (sunionDiffGeneric), with Redis' semantics:
 * every key is looked up (and type-checked) before any work, a missing key
 * is an empty set, results are built as Redis builds them (an intset first,
 * converted as members arrive), so the stored encoding and the reply order
 * of an intset result are Redis'.
 */
import type { Ctx } from '../../shard/context.js';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../../../src/server/notify-flags.js';
import { IntSet } from './intset.js';
import { lookupSet } from './lookup.js';
import { SetValue } from './set-value.js';

/**
 * Looks up every key as a read (keys[0] on firstSlot when known); null after
 * a WRONGTYPE reply. Missing keys are null entries.
 */
function lookupAll(ctx: Ctx, keys: string[], firstSlot: number | undefined): (SetValue | null)[] | null {
  const sets: (SetValue | null)[] = new Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const s = lookupSet(ctx, keys[j], j === 0 ? firstSlot : undefined, true);
    if (s === null) return null;
    sets[j] = s ?? null;
  }
  return sets;
}

/** Stores a non-empty result at dst (Redis setKey: any old value and its TTL go), or deletes dst; replies the size. */
function storeResult(ctx: Ctx, dst: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    ctx.db.set(dst, result, 0, false, ctx.slot);
    ctx.w.int(result.size);
    ctx.notify(NOTIFY_SET, event, dst);
  } else {
    ctx.w.int(0);
    if (ctx.db.delete(dst, ctx.slot)) ctx.notify(NOTIFY_GENERIC, 'del', dst);
  }
}

/**
 * Redis sinterGenericCommand. dst: the STORE destination (argv[1], on
 * ctx.slot); cardinalityOnly: SINTERCARD, stopping at limit (0: none).
 */
export function sinterGeneric(ctx: Ctx, keys: string[], firstSlot: number | undefined, dst: string | null, cardinalityOnly: boolean, limit: number): void {
  const found = lookupAll(ctx, keys, firstSlot);
  if (found === null) return;
  if (found.includes(null)) {
    // An intersection with an empty set is empty.
    if (dst !== null) {
      if (ctx.db.delete(dst, ctx.slot)) ctx.notify(NOTIFY_GENERIC, 'del', dst);
      ctx.w.int(0);
    } else if (cardinalityOnly) {
      ctx.w.int(0);
    } else {
      ctx.w.setLen(0);
    }
    return;
  }
  // Smallest first (a stable sort, as glibc's merge-sort qsort): its members are the candidates.
  const sets = (found as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = sets[0];
  const maxIntset = ctx.config.setMaxIntsetEntries;
  const result = dst !== null ? SetValue.emptyIntset() : null;
  const out: string[] = [];
  let cardinality = 0;
  const m = first.members;
  const n = m.size;
  for (let i = 0; i < n; i++) {
    let inAll = true;
    let text: string | null = null;
    if (m instanceof IntSet) {
      // Intset against intset compares integers; against a hashtable, the text.
      const v = m.get(i);
      for (let j = 1; j < sets.length && inAll; j++) {
        const other = sets[j];
        if (other === first) continue;
        const om = other.members;
        if (om instanceof IntSet) inAll = om.has(v);
        else inAll = om.find((text ??= String(v))) >= 0;
      }
      if (inAll) text ??= String(v);
    } else {
      text = m.keys[i];
      for (let j = 1; j < sets.length && inAll; j++) {
        if (sets[j] !== first) inAll = sets[j].has(text);
      }
    }
    if (!inAll) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (limit !== 0 && cardinality >= limit) break;
    } else if (result !== null) {
      result.add(text!, maxIntset);
    } else {
      out.push(text!);
    }
  }
  if (cardinalityOnly) return ctx.w.int(cardinality);
  if (result !== null) return storeResult(ctx, dst!, result, 'sinterstore');
  ctx.w.setLen(out.length);
  for (const s of out) ctx.w.bulk(s);
}

/** Redis sunionDiffGenericCommand: op 'union' or 'diff', replying the result or storing it at dst. */
export function sunionDiffGeneric(ctx: Ctx, keys: string[], firstSlot: number | undefined, dst: string | null, op: 'union' | 'diff'): void {
  const sets = lookupAll(ctx, keys, firstSlot);
  if (sets === null) return;
  const head = sets[0];
  // A later key holding the very same set as the first: the difference is empty.
  const sameSet = head !== null && sets.some((s, j) => j > 0 && s === head);
  let algorithm = 1;
  if (op === 'diff' && head !== null && !sameSet) {
    // Redis' choice: test the first set's members against the others (1), or add the first and remove the others' (2).
    let algoOneWork = 0;
    let algoTwoWork = 0;
    for (const s of sets) {
      if (s === null) continue;
      algoOneWork += head.size;
      algoTwoWork += s.size;
    }
    algoOneWork = Math.floor(algoOneWork / 2);
    algorithm = algoOneWork <= algoTwoWork ? 1 : 2;
  }
  const maxIntset = ctx.config.setMaxIntsetEntries;
  const result = SetValue.emptyIntset();
  let cardinality = 0;
  if (op === 'union') {
    for (const s of sets) {
      if (s === null) continue;
      for (let i = 0; i < s.size; i++) if (result.add(s.at(i), maxIntset)) cardinality++;
    }
  } else if (sameSet || head === null) {
    // Empty.
  } else if (algorithm === 1) {
    for (let i = 0; i < head.size; i++) {
      const member = head.at(i);
      let elsewhere = false;
      for (let j = 1; j < sets.length && !elsewhere; j++) {
        const s = sets[j];
        if (s !== null && s.has(member)) elsewhere = true;
      }
      if (!elsewhere) {
        result.add(member, maxIntset);
        cardinality++;
      }
    }
  } else {
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (s === null) continue;
      for (let i = 0; i < s.size; i++) {
        const member = s.at(i);
        if (j === 0) {
          if (result.add(member, maxIntset)) cardinality++;
        } else if (result.remove(member)) {
          cardinality--;
        }
      }
      // Nothing left to remove from.
      if (cardinality === 0) break;
    }
  }
  if (dst !== null) return storeResult(ctx, dst, result, op === 'union' ? 'sunionstore' : 'sdiffstore');
  ctx.w.setLen(cardinality);
  for (let i = 0; i < result.size; i++) ctx.w.bulk(result.at(i));
}
