/**
 * The listener of one acceptor: accepts connections, turns each into a
 * Client, feeds its socket reads to the parser, and closes clients (idle
 * timeout, maxclients, EOF, errors). Acceptor 0, on the main thread, opens
 * the listening socket; every other acceptor listens on the same descriptor
 * (`listen({ fd })`: descriptors are per process, so every thread's event
 * loop can poll it, and whichever wakes first accepts a connection).
 */
import type { Server } from 'node:net';
import type { Config } from '../config/config.js';
import type { ServerRegistry } from '../ipc/server-registry.js';
import type { Logger } from '../log.js';
import type { AcceptorStats } from '../server/host.js';
import { isSubscribed } from '../server/pubsub.js';
import { cachedNow } from '../util/cached-clock.js';
import { Client } from './client.js';
import { createConnectionServer, type Connection, type ConnectionEvents, type SocketIoMode } from './connection.js';

const MAX_CLIENTS_REACHED = Buffer.from('-ERR max number of clients reached\r\n');
/** A word nobody notifies: Atomics.wait on it is a plain sleep. */
const YIELD_WORD = new Int32Array(new SharedArrayBuffer(4));

/** Where to listen: a port and address (acceptor 0), or the descriptor acceptor 0 listens on. */
export type ListenTarget = { port: number; host: string | undefined; backlog: number } | { fd: number };

/** What the listener hands on. */
export interface ListenerHooks {
  onCommand(client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void;
  onProtocolError(client: Client, message: string): void;
  /** Before a socket read is handled: replies the shards published already go first. */
  beforeRead(): void;
  /** After a socket read was handled (publish requests, schedule writes). */
  endOfStep(): void;
  /** A client closes after the replies it is owed: make sure they get written. */
  flushSoon(client: Client): void;
  /** Everything a closing client leaves behind elsewhere (blocked waits, WATCH, subscriptions ...). */
  forget(client: Client): void;
}

export class Listener {
  private server: Server | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** How client sockets are driven (src/net/connection.ts); SHARDIS_SOCKET_IO=stream forces net.Socket. */
  socketIo: SocketIoMode = 'raw';
  hooks!: ListenerHooks;

  constructor(
    /** This acceptor's index. */
    private readonly index: number,
    private readonly clients: Map<number, Client>,
    private readonly config: Config,
    private readonly registry: ServerRegistry,
    private readonly stats: AcceptorStats,
    private readonly log: Logger,
  ) {}

  listen(target: ListenTarget): Promise<void> {
    const requested: SocketIoMode = process.env.SHARDIS_SOCKET_IO === 'stream' ? 'stream' : 'raw';
    const created = createConnectionServer(requested, (attach) => this.accept(attach));
    const server = created.server;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const options = 'fd' in target ? { fd: target.fd } : target;
      server.listen(options, () => {
        server.off('error', reject);
        this.socketIo = created.mode;
        const a = server.address();
        if (typeof a === 'object' && a !== null) this.boundPort = a.port;
        resolve();
      });
      this.idleTimer = setInterval(() => this.closeIdleClients(), 1000);
      this.idleTimer.unref();
    });
  }

  /** The listening socket's descriptor (for the other acceptors to listen on). */
  get fd(): number {
    const handle = (this.server as unknown as { _handle?: { fd?: number } } | null)?._handle;
    return handle?.fd ?? -1;
  }

  /** The port listened on (read once: the descriptor may be closed at shutdown). */
  private boundPort = 0;

  get port(): number {
    return this.boundPort === 0 ? this.config.port : this.boundPort;
  }

  private accept(attach: (events: ConnectionEvents) => Connection): void {
    this.stats.totalConnections++;
    let client: Client | null = null;
    const conn = attach({
      onData: (chunk, len) => this.onData(client, chunk, len),
      onEnd: () => this.onEnd(client),
      onClose: () => this.closeClient(client),
    });
    // maxclients holds for the whole server: the count is shared by every acceptor.
    if (this.registry.addConnected(1) > this.config.maxclients) {
      this.registry.addConnected(-1);
      this.stats.rejectedConnections++;
      conn.write(MAX_CLIENTS_REACHED, MAX_CLIENTS_REACHED.length);
      conn.end();
      return;
    }
    if (this.config.tcpKeepalive > 0) conn.setKeepAlive(this.config.tcpKeepalive * 1000);
    const hooks = this.hooks;
    client = new Client(
      this.registry.nextClientId(),
      conn,
      (c, buf, argc, starts, lens) => hooks.onCommand(c, buf, argc, starts, lens),
      (c, message) => hooks.onProtocolError(c, message),
      { protoMaxBulkLen: () => this.config.protoMaxBulkLen, requirePass: () => this.config.requirepass },
    );
    this.clients.set(client.id, client);
    this.yieldAcceptsIfAhead();
  }

  /**
   * Spreading connections over the acceptors. The kernel wakes every acceptor
   * polling the shared descriptor and the first to call accept() wins, so a
   * burst of connections can all land on one. An acceptor holding more than
   * its share of the server's clients sleeps 1 ms after accepting (inside
   * libuv's accept loop, which accepts one connection at a time with
   * UV_TCP_SINGLE_ACCEPT), letting the others win the next ones. Only during
   * connection bursts; nothing with one acceptor.
   */
  private yieldAcceptsIfAhead(): void {
    const registry = this.registry;
    if (registry.acceptors === 1) return;
    const mine = registry.addClients(this.index, 1);
    if (mine > Math.ceil(registry.connected / registry.acceptors)) Atomics.wait(YIELD_WORD, 0, 0, 1);
  }

  /** A socket read of `len` bytes into `chunk`, which is borrowed (the parser copies what it keeps). */
  private onData(client: Client | null, chunk: Buffer, len: number): void {
    if (client === null) return; // refused (maxclients)
    this.stats.netInputBytes += len;
    this.stats.readsProcessed++;
    client.lastInteraction = cachedNow();
    // As readQueryFromClient: unparsed bytes plus this read over client-query-buffer-limit closes
    // the client before anything in the read runs. The limit is at least 1 MB, so most reads skip reading it.
    const queryBuffer = client.parser.buffered + len;
    if (queryBuffer > 1024 * 1024 && !client.closed && queryBuffer > this.config.clientQueryBufferLimit) {
      this.log.warn({ client: client.id, addr: client.addr }, 'closing client that reached max query buffer length');
      this.closeClient(client);
      return;
    }
    this.hooks.beforeRead();
    client.parser.feed(chunk, len, true);
    this.hooks.endOfStep();
  }

  /**
   * End of input: as Redis, which has written the replies of everything it read before it sees
   * the EOF, answer the commands already received, then close.
   */
  private onEnd(client: Client | null): void {
    if (client === null || client.closed) return;
    // A blocked client is freed at once (Redis frees a client whose read sees EOF; only
    // replies it has already computed went out before).
    if (client.nextSeq === 0 || client.blockedSeq >= 0) return this.closeClient(client);
    // Close after the last reply owed, through the same flush that writes it (completed
    // replies may still wait for the end of this event-loop turn).
    if (client.closeAfterSeq < 0) client.closeAfterSeq = client.nextSeq - 1;
    this.hooks.flushSoon(client);
  }

  closeClient(client: Client | null): void {
    if (client === null || !this.clients.delete(client.id)) return;
    this.registry.addConnected(-1);
    if (this.registry.acceptors > 1) this.registry.addClients(this.index, -1);
    this.hooks.forget(client);
    client.closed = true;
    client.conn.destroy();
  }

  private closeIdleClients(): void {
    const timeout = this.config.timeout;
    if (timeout <= 0) return;
    const limit = Date.now() - timeout * 1000;
    for (const client of this.clients.values()) {
      // No timeout for pub/sub clients (clientsCronHandleTimeout).
      if (client.lastInteraction < limit && client.pendingReplies === 0 && !isSubscribed(client)) this.closeClient(client);
    }
  }

  /** Stops accepting and closes every client. */
  async close(): Promise<void> {
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const client of [...this.clients.values()]) this.closeClient(client);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
