/**
 * Merging the part replies of commands the acceptor split across shards.
 * Parts are RESP, encoded by the shards in the client's protocol.
 */
import { afterHeader, arrayElements, lineInt } from '../resp/reply-scan.js';
import type { SlotMap } from '../cluster/slot-map.js';
import type { FanoutState } from './client.js';

const OK = Buffer.from('+OK\r\n');

export function mergeParts(state: FanoutState, proto: number): Buffer {
  const parts = state.parts.filter((p): p is Buffer => p !== undefined);
  const error = parts.find((p) => p[0] === 45 /* '-' */);
  if (error !== undefined) return error;
  switch (state.merge) {
    case 'sum':
      return Buffer.from(`:${parts.reduce((sum, p) => sum + lineInt(p, 0), 0)}\r\n`);
    case 'ok':
      return OK;
    case 'concat': {
      const total = parts.reduce((sum, p) => sum + lineInt(p, 0), 0);
      return Buffer.concat([Buffer.from(`*${total}\r\n`), ...parts.map(afterHeader)]);
    }
    case 'by-key': {
      const slots: Buffer[] = new Array(state.totalKeys!);
      state.parts.forEach((part, shard) => {
        if (part === undefined) return;
        const order = state.keyOrder![shard];
        arrayElements(part).forEach(([s, e], i) => (slots[order[i]] = part.subarray(s, e)));
      });
      return Buffer.concat([Buffer.from(`*${slots.length}\r\n`), ...slots]);
    }
    case 'random':
      return pickRandom(parts, proto);
    case 'exec':
      return mergeExec(state, parts[0]);
    default:
      throw new Error(`unknown merge ${state.merge}`);
  }
}

/**
 * EXEC: the executor's array holds the replies of the shard commands; the
 * acceptor's own commands' replies go back in their places. A null array
 * (a WATCHed key changed) is the whole reply. Without a part, every queued
 * command was the acceptor's.
 */
function mergeExec(state: FanoutState, part: Buffer | undefined): Buffer {
  // No part: every queued command ran on the acceptor.
  if (part !== undefined && (part[0] !== 42 /* '*' */ || part[1] === 45) /* '*-1' */) return part;
  const shardReplies = part === undefined ? [] : arrayElements(part).map(([s, e]) => part.subarray(s, e));
  const local = state.execLocal!;
  let next = 0;
  const all = local.map((r) => r ?? shardReplies[next++]);
  return Buffer.concat([Buffer.from(`*${all.length}\r\n`), ...all]);
}

/** RANDOMKEY: each part is [key count, key or nil]; pick a shard in proportion to its keys. */
function pickRandom(parts: Buffer[], proto: number): Buffer {
  const candidates = parts
    .map((p) => {
      const [countRange, keyRange] = arrayElements(p);
      return { count: lineInt(p.subarray(countRange[0]), 0), key: p.subarray(keyRange[0], keyRange[1]) };
    })
    .filter((c) => c.count > 0 && c.key[0] === 36 /* '$' */ && c.key[1] !== 45 /* not $-1 */);
  const total = candidates.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return Buffer.from(proto === 3 ? '_\r\n' : '$-1\r\n');
  let r = Math.random() * total;
  for (const c of candidates) {
    if (r < c.count) return c.key;
    r -= c.count;
  }
  return candidates[candidates.length - 1].key;
}

/** SCAN: turn the shard's [position, keys] into [client cursor, keys]. */
export function scanCursorReply(slots: SlotMap, shard: number, part: Buffer): Buffer {
  if (part[0] === 45) return part;
  const [posRange, keysRange] = arrayElements(part);
  const posBulk = part.subarray(posRange[0], posRange[1]);
  const pos = Number(posBulk.latin1Slice(posBulk.indexOf(10) + 1, posBulk.length - 2));
  let cursor: number;
  if (pos >= 0) cursor = slots.cursorBase(shard) + pos;
  else cursor = shard + 1 < slots.shards ? slots.cursorBase(shard + 1) : 0;
  const text = String(cursor);
  return Buffer.concat([Buffer.from(`*2\r\n$${text.length}\r\n${text}\r\n`), part.subarray(keysRange[0], keysRange[1])]);
}
