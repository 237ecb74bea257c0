/**
 * The router of one acceptor: which shard(s) a command goes to, and writing
 * it into their rings (DESIGN.md, "Ordering and atomicity across shards").
 *
 * - One shard owns every key of the command (the common case): one record,
 *   one hop, no lock.
 * - Fan-out (MGET, MSET, DEL ... and DBSIZE, KEYS, FLUSHALL ...): a part per
 *   shard, merged by the reply pump.
 * - Keys that must be seen together on several shards (RENAME, SMOVE ...):
 *   a cross-shard transaction, park markers to the participants and the
 *   command to the executor.
 *
 * Every multi-shard send writes all its records in one synchronous step. With
 * several acceptors it first takes a ticket per shard from the global order
 * (src/ipc/global-order.ts), so every shard meets multi-shard commands in the
 * same order whichever acceptor sent them.
 */
import { keySlotOfBytes } from '../cluster/keyslot.js';
import type { SlotMap } from '../cluster/slot-map.js';
import { sortReadsPatternKeys } from '../commands/sort.js';
import { keyPositions, type CommandSpec } from '../commands/spec.js';
import { allCommands, internalCommand } from '../commands/table.js';
import type { Config } from '../config/config.js';
import { QUERY_CLIENT, REQ_PART, REQ_RESP3, REQ_TXN } from '../ipc/frame.js';
import type { GlobalOrder } from '../ipc/global-order.js';
import type { ShardStats } from '../ipc/shard-stats.js';
import { ERR } from '../resp/errors.js';
import type { AcceptorStats, Replies, Shards } from '../server/host.js';
import type { Introspection } from '../server/introspect/state.js';
import { preRouteChecks } from '../server/pre-route-checks.js';
import { parseScanCursor } from '../util/scan-cursor.js';
import { argSourceOf, argvOf, copyCommand, keyPositionsIn, withArgument, type ArgSource } from './arg-source.js';
import type { Client, FanoutState } from './client.js';
import { scanCursorReply } from './merge.js';
import type { ShardLink } from './shard-link.js';

/** Commands whose keys depend on their arguments (flag 'movablekeys'), by id: routed by their key specs. */
const MOVABLE_KEYS = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('movablekeys') ? 1 : 0));
/** SORT and SORT_RO, by id: their patterns may read keys on every shard. */
const SORTS = Uint8Array.from(allCommands, (spec) => (spec.name === 'sort' || spec.name === 'sort_ro' ? 1 : 0));
/** Commands that may block (flag 'blocking'), by id: a cross-shard one is kept to run again. */
const BLOCKING = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('blocking') ? 1 : 0));

const TXN_PARK_ID = internalCommand('shardis|txn-park').id;

/** The argument source of an internal command. */
function internalArgs(name: string, ...args: string[]): ArgSource {
  return argSourceOf([name, ...args]);
}

export class Router implements Shards {
  /** Tickets taken for one multi-shard send (reused). */
  private readonly tickets: number[] = [];
  /** Set when a publish found a parked shard: wake them at the end of the turn. */
  onParked: () => void = () => {};

  constructor(
    private readonly links: ShardLink[],
    readonly slots: SlotMap,
    /** null with one acceptor: its ring order already is the global order. */
    private readonly order: GlobalOrder | null,
    private readonly config: Config,
    private readonly replies: Replies,
    /** Where the replies of the router's own queries come back. */
    private readonly pump: { registerQuery(parts: number, done: (parts: Buffer[]) => void): number },
    private readonly introspect: Introspection,
    private readonly counters: AcceptorStats,
  ) {}

  get count(): number {
    return this.links.length;
  }

  stats(shard: number): ShardStats {
    return this.links[shard].stats;
  }

  /** The shard owning the key at argument `p`. */
  private ownerOf(src: ArgSource, p: number): number {
    return this.slots.owner[keySlotOfBytes(src.buf, src.starts[p], src.lens[p])];
  }

  private cmdWord(spec: CommandSpec, client: Client, part: boolean): number {
    return spec.id | (client.db << 16) | (((client.proto === 3 ? REQ_RESP3 : 0) | (part ? REQ_PART : 0)) << 24);
  }

  /** Tickets for a multi-shard send to `shards` (all -1 with one acceptor). */
  private takeTickets(shards: readonly number[]): number[] {
    const t = this.tickets;
    t.length = shards.length;
    if (this.order === null) t.fill(-1);
    else this.order.take(shards, t);
    return t;
  }

  /** Routes a command by its table entry's route (every route but 'acceptor'). */
  route(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    switch (spec.route) {
      case 'shard':
        return this.routeToOwner(client, seq, spec, src, argc);
      case 'keys-fanout':
        return this.routeByKey(client, seq, spec, src, argc);
      case 'all-shards':
        return this.routeToAll(client, seq, spec, src, argc);
      case 'scan':
        return this.routeScan(client, seq, spec, src, argc);
      default:
        throw new Error(`route '${spec.route}' is not a shard route`);
    }
  }

  /**
   * A command whose keys must be seen together. All on one shard (the common
   * case): one hop. On several: a cross-shard transaction (routeTransaction).
   */
  routeToOwner(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    let positions: number[] | null = null;
    const n = this.links.length;
    if (MOVABLE_KEYS[spec.id] === 1) {
      positions = keyPositionsIn(spec, src, argc);
      if (positions.length === 0) {
        // No keys found (a bad numkeys ...): any shard gives the command's own error reply.
        return this.links[0].send(client.id, seq, this.cmdWord(spec, client, false), 0, src, argc, null);
      }
    } else if (spec.lastKey !== spec.firstKey && n > 1) {
      positions = keyPositions(spec, argc);
    }
    const first = positions === null ? spec.firstKey : positions[0];
    const slot = keySlotOfBytes(src.buf, src.starts[first], src.lens[first]);
    const shard = this.slots.owner[slot];
    // SORT BY/GET patterns name keys that only the sorted values reveal: they may live on any shard, so all take part.
    if (SORTS[spec.id] === 1 && n > 1 && sortReadsPatternKeys(argvOf(src, argc))) {
      const everyShard = [shard, ...[...this.links.keys()].filter((s) => s !== shard)];
      return this.routeTransaction(client, seq, spec, src, argc, slot, everyShard);
    }
    if (positions !== null && n > 1) {
      let involved: number[] | null = null;
      for (let k = 1; k < positions.length; k++) {
        const other = this.ownerOf(src, positions[k]);
        if (other !== shard) {
          involved ??= [shard];
          if (!involved.includes(other)) involved.push(other);
        }
      }
      if (involved !== null) return this.routeTransaction(client, seq, spec, src, argc, slot, involved);
    }
    this.links[shard].send(client.id, seq, this.cmdWord(spec, client, false), slot, src, argc, null);
  }

  /**
   * DESIGN.md rule 2: the first key's shard executes the whole command while
   * the other shards involved wait parked at a marker. Markers and command
   * are enqueued in this one synchronous step, in the global order, so every
   * shard meets transactions in the same order (workers/shard/transaction.ts).
   */
  private routeTransaction(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number, slot: number, involved: number[]): void {
    const executor = involved[0];
    const participants = involved.slice(1);
    const tickets = this.takeTickets(involved);
    const park = internalArgs('shardis|txn-park', String(executor));
    for (let i = 0; i < participants.length; i++) this.links[participants[i]].send(0, 0, TXN_PARK_ID, 0, park, 2, null, tickets[i + 1]);
    // The participants travel as an extra last argument, which the executor removes.
    const withList = withArgument(src, argc, argc, Buffer.from(participants.join(','), 'latin1'));
    // A blocking command may find nothing: keep it to run again (cross-waits.ts).
    if (BLOCKING[spec.id] === 1 && client.blockedCommand === null) client.blockedCommand = { specId: spec.id, cmd: copyCommand(src.buf, argc, src.starts, src.lens) };
    this.links[executor].send(client.id, seq, this.cmdWord(spec, client, false) | (REQ_TXN << 24), slot, withList, argc + 1, null, tickets[0]);
    this.counters.crossShardCommands++;
  }

  /** MGET, MSET, DEL, EXISTS ...: each shard gets its own keys, replies are merged. */
  private routeByKey(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    // MSET's key/value pairs: an odd count is an arity error (msetGenericCommand), checked before splitting.
    if (spec.step > 1 && (argc - spec.firstKey) % spec.step !== 0) {
      return this.replies.replyLocal(client, seq, (w) => w.error(ERR.wrongArity(spec.name)));
    }
    const positions = keyPositions(spec, argc);
    const n = this.links.length;
    if (n === 1) {
      const slot = keySlotOfBytes(src.buf, src.starts[1], src.lens[1]);
      return this.links[0].send(client.id, seq, this.cmdWord(spec, client, false), slot, src, argc, null);
    }
    const picks: number[][] = Array.from({ length: n }, () => []);
    const keyOrder: number[][] = Array.from({ length: n }, () => []);
    const firstSlot = new Int32Array(n).fill(-1);
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k];
      const slot = keySlotOfBytes(src.buf, src.starts[p], src.lens[p]);
      const shard = this.slots.owner[slot];
      if (firstSlot[shard] < 0) firstSlot[shard] = slot;
      for (let j = 0; j < spec.step; j++) picks[shard].push(p + j);
      keyOrder[shard].push(k);
    }
    const involved: number[] = [];
    for (let s = 0; s < n; s++) if (picks[s].length > 0) involved.push(s);
    if (involved.length === 1) {
      const shard = involved[0];
      return this.links[shard].send(client.id, seq, this.cmdWord(spec, client, false), firstSlot[shard], src, argc, null);
    }
    const state: FanoutState = { merge: spec.merge!, remaining: involved.length, parts: new Array(n), keyOrder, totalKeys: positions.length };
    this.introspect.splitCall(spec.id);
    client.fanouts.set(seq, state);
    const word = this.cmdWord(spec, client, true);
    const tickets = this.takeTickets(involved);
    for (let i = 0; i < involved.length; i++) {
      const s = involved[i];
      this.links[s].send(client.id, seq, word, firstSlot[s], src, argc, picks[s], tickets[i]);
    }
  }

  /** DBSIZE, KEYS, FLUSHALL, RANDOMKEY ...: every shard runs it, replies are merged. */
  private routeToAll(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    const check = preRouteChecks[spec.name];
    if (check !== undefined) {
      const error = check(argvOf(src, argc), this.config);
      if (error !== null) return this.replies.replyLocal(client, seq, (w) => w.error(error));
    }
    const n = this.links.length;
    if (n === 1 && spec.merge !== 'random') {
      return this.links[0].send(client.id, seq, this.cmdWord(spec, client, false), 0, src, argc, null);
    }
    client.fanouts.set(seq, { merge: spec.merge!, remaining: n, parts: new Array(n) });
    this.introspect.splitCall(spec.id);
    this.sendToEveryShard(client.id, seq, this.cmdWord(spec, client, true), src, argc);
  }

  /** One record to every shard, in the global order. */
  private sendToEveryShard(clientId: number, seq: number, cmdWord: number, src: ArgSource, argc: number): void {
    const every = [...this.links.keys()];
    const tickets = this.takeTickets(every);
    for (let s = 0; s < every.length; s++) this.links[s].send(clientId, seq, cmdWord, 0, src, argc, null, tickets[s]);
  }

  /**
   * SCAN: the client's cursor numbers the slots shard by shard (slot-map.ts),
   * so it is a plain number with no server state. The owning shard scans
   * whole slots from that position.
   */
  private routeScan(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number): void {
    const cursorText = src.buf.latin1Slice(src.starts[1], src.starts[1] + src.lens[1]);
    const cursor = parseScanCursor(cursorText);
    if (cursor === null) return this.replies.replyLocal(client, seq, (w) => w.error(ERR.INVALID_CURSOR));
    const pos = this.slots.cursorToPosition(cursor);
    if (pos === null) {
      return this.replies.replyLocal(client, seq, (w) => {
        w.arrayLen(2);
        w.bulk('0');
        w.arrayLen(0);
      });
    }
    const [shard, local] = pos;
    // Same arguments, with the cursor replaced by the shard-local position.
    const withLocal = withArgument(src, argc, 1, Buffer.from(String(local), 'latin1'));
    client.fanouts.set(seq, { merge: 'scan', remaining: 1, parts: [], scanShard: shard });
    this.introspect.splitCall(spec.id);
    this.links[shard].send(client.id, seq, this.cmdWord(spec, client, true), 0, withLocal, argc, null);
  }

  /** SCAN's part reply as the client's cursor reply. */
  scanReply(shard: number, part: Buffer): Buffer {
    return scanCursorReply(this.slots, shard, part);
  }

  applyConfig(client: Client, seq: number, morePart: boolean): void {
    const spec = internalCommand('shardis|apply-config');
    const n = this.links.length;
    client.fanouts.set(seq, { merge: 'ok', remaining: n + (morePart ? 1 : 0), parts: new Array(n) });
    const name = Buffer.from(spec.name, 'latin1');
    for (const link of this.links) {
      const json = Buffer.from(JSON.stringify(this.config.shardConfig(link.index)), 'latin1');
      const src: ArgSource = { buf: Buffer.concat([name, json]), starts: Int32Array.of(0, name.length), lens: Int32Array.of(name.length, json.length) };
      link.send(client.id, seq, this.cmdWord(spec, client, true), 0, src, 2, null);
    }
    this.publishAll();
  }

  queryShards(name: string, args: string[], done: (parts: Buffer[]) => void): void {
    const spec = internalCommand(name);
    const id = this.pump.registerQuery(this.links.length, done);
    const src = internalArgs(name, ...args);
    for (const link of this.links) link.send(QUERY_CLIENT, id, spec.id, 0, src, args.length + 1, null);
    this.publishAll();
  }

  sendInternalTo(shard: number, name: string, ...args: string[]): void {
    const spec = internalCommand(name);
    this.links[shard].send(0, 0, spec.id, 0, internalArgs(name, ...args), args.length + 1, null);
  }

  sendInternal(name: string, ...args: string[]): void {
    for (let shard = 0; shard < this.links.length; shard++) this.sendInternalTo(shard, name, ...args);
    this.publishAll();
  }

  sendAcross(client: Client, seq: number, spec: CommandSpec, src: ArgSource, argc: number, slot: number, involved: number[]): void {
    if (involved.length > 1) return this.routeTransaction(client, seq, spec, src, argc, slot, involved);
    this.links[involved[0]].send(client.id, seq, this.cmdWord(spec, client, false), slot, src, argc, null);
  }

  publishAll(): void {
    for (const link of this.links) if (link.publish()) this.onParked();
  }

  /** Wakes the shards that parked (once per event-loop turn: requests from many sockets share one notify). */
  wakeParked(): void {
    for (const link of this.links) link.wake();
  }
}
