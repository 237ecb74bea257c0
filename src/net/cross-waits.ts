/**
 * Clients blocked on keys of several shards (DESIGN.md: such waits live in
 * the acceptor). The executor of the command's transaction answered
 * WOULD_BLOCK_PREFIX; the key owners watch the keys and notify this acceptor;
 * the command runs again, one attempt at a time, until it replies or times
 * out. Watch tokens come from the server registry, so they are unique across
 * acceptors.
 */
import { keySlotOfBytes } from '../cluster/keyslot.js';
import { allCommands } from '../commands/table.js';
import type { ServerRegistry } from '../ipc/server-registry.js';
import type { Replies } from '../server/host.js';
import { keyPositionsIn, type ArgSource } from './arg-source.js';
import type { Client } from './client.js';
import type { Router } from './router.js';

export class CrossWaits {
  private readonly waits = new Map<number, Client>();
  /** Clients to answer as unblocked when their attempt in flight finds nothing, with whether as an error. */
  private readonly pendingUnblocks = new Map<Client, boolean>();

  constructor(
    private readonly router: Router,
    private readonly replies: Replies,
    private readonly registry: ServerRegistry,
  ) {}

  /** Clients blocked on keys of several shards, and how many of them have a deadline (INFO clients). */
  counts(): { blocked: number; withTimeout: number } {
    let withTimeout = 0;
    for (const c of this.waits.values()) if (c.crossWait?.timer != null) withTimeout++;
    return { blocked: this.waits.size, withTimeout };
  }

  /** The executor found nothing to serve: watch the keys on their shards (or answer a pending unblock, or retry). */
  onWouldBlock(client: Client, seq: number, text: string): void {
    if (this.pendingUnblocks.size > 0 && this.pendingUnblocks.has(client)) {
      const error = this.pendingUnblocks.get(client)!;
      this.pendingUnblocks.delete(client);
      return this.answerUnblocked(client, seq, error);
    }
    const wait = client.crossWait;
    if (wait !== null) {
      wait.inFlight = false;
      if (wait.timedOut) return this.replyNullArray(client, seq);
      if (wait.again) this.retry(client);
      return;
    }
    const blocked = client.blockedCommand;
    if (blocked === null) return this.replyNullArray(client, seq);
    const [, type, deadlineText] = text.split(' ');
    const deadline = Number(deadlineText);
    const spec = allCommands[blocked.specId];
    const { buf, starts, lens, argc } = blocked.cmd;
    const src: ArgSource = { buf, starts, lens };
    const byShard = new Map<number, string[]>();
    for (const p of keyPositionsIn(spec, src, argc)) {
      const shard = this.router.slots.owner[keySlotOfBytes(buf, starts[p], lens[p])];
      let keys = byShard.get(shard);
      if (keys === undefined) byShard.set(shard, (keys = []));
      keys.push(buf.latin1Slice(starts[p], starts[p] + lens[p]));
    }
    const token = this.registry.nextWatchToken();
    const newWait = { token, shards: [...byShard.keys()], timer: null as NodeJS.Timeout | null, inFlight: false, again: false, timedOut: false };
    client.crossWait = newWait;
    this.waits.set(token, client);
    if (deadline > 0) newWait.timer = setTimeout(() => this.onTimeout(client), Math.max(0, deadline - Date.now()));
    for (const [shard, keys] of byShard) this.router.sendInternalTo(shard, 'shardis|watch-keys', String(token), String(client.db), type, ...keys);
    this.router.publishAll();
  }

  /** A watched key may be ready: run the command again (unless an attempt is on its way). */
  onWatchNotify(token: number): void {
    const client = this.waits.get(token);
    if (client === undefined || client.crossWait === null) return;
    if (client.crossWait.inFlight) {
      client.crossWait.again = true;
      return;
    }
    this.retry(client);
  }

  private retry(client: Client): void {
    const wait = client.crossWait!;
    const blocked = client.blockedCommand!;
    wait.inFlight = true;
    wait.again = false;
    const { buf, starts, lens, argc } = blocked.cmd;
    this.router.routeToOwner(client, client.blockedSeq, allCommands[blocked.specId], { buf, starts, lens }, argc);
    this.router.publishAll();
  }

  private onTimeout(client: Client): void {
    const wait = client.crossWait;
    if (wait === null) return;
    wait.timer = null;
    if (wait.inFlight) {
      wait.timedOut = true;
      return;
    }
    this.replyNullArray(client, client.blockedSeq);
  }

  /** CLIENT UNBLOCK of a client blocked on keys of several shards. */
  unblock(client: Client, error: boolean): void {
    if (client.crossWait !== null && !client.crossWait.inFlight) return this.answerUnblocked(client, client.blockedSeq, error);
    // An attempt is on its way: if it finds nothing, the client is answered as unblocked (onWouldBlock).
    this.pendingUnblocks.set(client, error);
  }

  private answerUnblocked(client: Client, seq: number, error: boolean): void {
    if (error) this.replies.replyLocal(client, seq, (w) => w.error('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
    else this.replyNullArray(client, seq);
  }

  private replyNullArray(client: Client, seq: number): void {
    this.replies.replyLocal(client, seq, (w) => w.nilArray());
  }

  /** The client is no longer blocked (answered, or gone): stop its watches. */
  end(client: Client): void {
    if (this.pendingUnblocks.size > 0) this.pendingUnblocks.delete(client);
    const wait = client.crossWait;
    if (wait === null) return;
    client.crossWait = null;
    this.waits.delete(wait.token);
    if (wait.timer !== null) clearTimeout(wait.timer);
    for (const shard of wait.shards) this.router.sendInternalTo(shard, 'shardis|unwatch-keys', String(wait.token));
    this.router.publishAll();
  }
}
