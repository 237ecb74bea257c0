/**
 * One acceptor thread's parts, wired together: the listener (sockets and
 * clients), dispatch (processCommand), the router (rings to the shards), the
 * reply pump (replies back, in order, written once per turn) and the
 * cross-shard waits. There are `io-threads` acceptors, each on its own
 * thread with its own clients and its own rings to every shard; acceptor 0
 * runs on the main thread (src/main.ts), the others in acceptor workers
 * (workers/acceptor/main.ts). What spans acceptors goes through the server
 * registry (shared memory) and peer messages (src/ipc/peers.ts).
 *
 * src/server/* sees this class only as a Host (src/server/host.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { SlotMap } from '../cluster/slot-map.js';
import type { Config } from '../config/config.js';
import { Doorbell } from '../ipc/doorbell.js';
import { GlobalOrder } from '../ipc/global-order.js';
import { Peers } from '../ipc/peers.js';
import { ServerRegistry } from '../ipc/server-registry.js';
import type { Logger } from '../log.js';
import type { AcceptorStats, ClientFlow, Host } from '../server/host.js';
import { Introspection } from '../server/introspect/state.js';
import { registerPeerOps } from '../server/peer-ops.js';
import { PubSub } from '../server/pubsub.js';
import { unwatchAll } from '../server/transactions.js';
import type { AcceptorEnds } from '../threads/shard-pool.js';
import type { Client } from './client.js';
import { CrossWaits } from './cross-waits.js';
import { Dispatch } from './dispatch.js';
import { Listener, type ListenTarget } from './listener.js';
import { ReplyPump } from './reply-pump.js';
import { Router } from './router.js';
import { ShardLink } from './shard-link.js';

/** What an acceptor is given: its ends of the shards and of the other acceptors, and the shared memory. */
export interface AcceptorSetup {
  index: number;
  ends: AcceptorEnds;
  slotMap: SharedArrayBuffer;
  order: SharedArrayBuffer;
  registry: SharedArrayBuffer;
  /** Ports to the other acceptors, by index (undefined for this one). */
  peers: (MessagePort | undefined)[];
  /** Every acceptor's own command statistics (INFO commandstats sums them), by index. */
  commandStats: SharedArrayBuffer[];
}

export class Acceptor implements Host {
  readonly index: number;
  readonly clients = new Map<number, Client>();
  readonly stats: AcceptorStats = {
    startedAt: Date.now(),
    totalConnections: 0,
    rejectedConnections: 0,
    totalCommands: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
    crossShardCommands: 0,
    readsProcessed: 0,
    writesProcessed: 0,
  };
  readonly registry: ServerRegistry;
  readonly peers: Peers;
  readonly introspect: Introspection;
  readonly pubsub: PubSub;
  readonly replies: ReplyPump;
  readonly shards: Router;
  readonly flow: ClientFlow;
  private readonly listener: Listener;
  private readonly dispatch: Dispatch;
  private readonly crossWaits: CrossWaits;
  /** SHUTDOWN, or a failure that must stop the server (the owner of the process decides how). */
  onShutdown: (reason: string) => void = () => {};

  constructor(
    readonly config: Config,
    readonly log: Logger,
    setup: AcceptorSetup,
  ) {
    this.index = setup.index;
    this.registry = new ServerRegistry(setup.registry, setup.peers.length);
    this.peers = new Peers(setup.index, setup.peers, this.registry.peerInbox());
    this.introspect = new Introspection(this, setup.commandStats);
    this.pubsub = new PubSub(this);
    const links = setup.ends.links.map((ends) => new ShardLink(ends));
    const slots = new SlotMap(setup.slotMap, links.length);
    const order = this.peers.count > 1 ? new GlobalOrder(setup.order) : null;
    this.replies = new ReplyPump(links, new Doorbell(setup.ends.doorbell), this.clients, this.stats, this.introspect);
    this.shards = new Router(links, slots, order, config, this.replies, this.replies, this.introspect, this.stats);
    this.shards.onParked = () => this.replies.scheduleTurnEnd();
    this.peers.afterMessage = () => this.replies.scheduleTurnEnd();
    this.crossWaits = new CrossWaits(this.shards, this.replies, this.registry);
    this.listener = new Listener(setup.index, this.clients, config, this.registry, this.stats, log);
    this.dispatch = new Dispatch(this, this.shards, this.replies, this.crossWaits, log, (c) => this.listener.closeClient(c));

    const { dispatch, crossWaits, shards, replies } = this;
    replies.hooks = {
      onWouldBlock: (client, seq, text) => crossWaits.onWouldBlock(client, seq, text),
      onWatchNotify: (token) => crossWaits.onWatchNotify(token),
      onKeyspaceEvent: (origin, bytes, start) => this.onKeyspaceEvent(origin, bytes, start),
      unblocked: (client) => dispatch.unblocked(client),
      scanReply: (shard, part) => shards.scanReply(shard, part),
      beforeFlush: () => {
        dispatch.runReleased();
        shards.wakeParked();
      },
    };
    this.listener.hooks = {
      onCommand: (c, buf, argc, starts, lens) => dispatch.onCommand(c, buf, argc, starts, lens),
      onProtocolError: (c, message) => dispatch.onProtocolError(c, message),
      beforeRead: () => {
        this.peers.drain();
        replies.beforeRead();
      },
      endOfStep: () => replies.endOfStep(),
      flushSoon: (c) => replies.markDirty(c),
      forget: (c) => this.forget(c),
    };
    const listener = this.listener;
    this.flow = {
      proceed: (client, seq, spec, buf, argc, starts, lens) => dispatch.proceed(client, seq, spec, buf, argc, starts, lens),
      runLocal: (client, seq, spec, argv, capture) => dispatch.runLocal(client, seq, spec, argv, capture),
      unblocked: (client) => dispatch.unblocked(client),
      get special() {
        return dispatch.special;
      },
      set special(on: boolean) {
        dispatch.special = on;
      },
      closeClient: (client) => listener.closeClient(client),
      unblockCrossWait: (client, error) => crossWaits.unblock(client, error),
      crossWaitCounts: () => crossWaits.counts(),
    };
    registerPeerOps(this);
  }

  get port(): number {
    return this.listener.port;
  }

  get socketIo(): 'raw' | 'stream' {
    return this.listener.socketIo;
  }

  /** The listening descriptor (acceptor 0's), for the other acceptors. */
  get listenFd(): number {
    return this.listener.fd;
  }

  /** Starts taking replies from the shards and accepting connections. */
  async start(target: ListenTarget): Promise<void> {
    this.replies.start();
    await this.listener.listen(target);
  }

  shutdown(reason: string): void {
    this.onShutdown(reason);
  }

  /** What a closed client leaves behind elsewhere. */
  private forget(client: Client): void {
    // A blocked client is queued on a shard (or watched across shards): have it forgotten there.
    if (client.blockedSeq >= 0) this.shards.sendInternal('shardis|client-gone', String(client.id));
    this.crossWaits.end(client);
    unwatchAll(this, client);
    this.pubsub.removeClient(client);
    this.replies.forget(client);
  }

  /**
   * A keyspace event record from a shard (workers/shard/notify.ts): origin is
   * the id of the client whose request raised it (0: none, e.g. active
   * expiry); the payload is that request's seq, the db, the event and the key.
   */
  private onKeyspaceEvent(originClient: number, bytes: Buffer, start: number): void {
    const originSeq = bytes.readUInt32LE(start);
    const db = bytes.readUInt32LE(start + 4);
    const eventLen = bytes.readUInt32LE(start + 8);
    const keyLen = bytes.readUInt32LE(start + 12);
    const p = start + 16;
    const event = bytes.latin1Slice(p, p + eventLen);
    const key = bytes.latin1Slice(p + eventLen, p + eventLen + keyLen);
    // The origin client is this acceptor's only if it is in its table; elsewhere it is a plain subscriber's event.
    const origin = originClient !== 0 && this.clients.has(originClient) ? { clientId: originClient, seq: originSeq } : null;
    this.pubsub.keyspaceEvent(db, event, key, origin);
  }

  /** Stops accepting, closes clients and the peer ports. The shards are the pool's to stop. */
  async close(): Promise<void> {
    this.replies.stop();
    await this.listener.close();
    this.peers.close();
  }
}
