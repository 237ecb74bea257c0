/**
 * One client connection on the acceptor: its socket, request parser,
 * connection state (db, protocol, name, auth), and the replies it is owed.
 *
 * Every request gets a sequence number when parsed. Replies may complete out
 * of order (a pipeline spanning shards, or a local command behind a shard
 * command), so each completed reply waits in `stash` until all earlier ones
 * have been written: the client always sees replies in request order.
 */
import type { Connection } from './connection.js';
import { RequestParser } from '../resp/parser.js';
import { copyBytes } from '../util/bytes.js';
import { cachedNow } from '../util/cached-clock.js';
import type { QueuedCommand } from '../server/transactions.js';
import type { ClientPubSub } from '../server/pubsub.js';

export interface FanoutState {
  merge: string;
  /** Parts still missing. */
  remaining: number;
  /** Part replies by shard index. */
  parts: (Buffer | undefined)[];
  /** For 'by-key': for each shard, the original key index of each key it got. */
  keyOrder?: number[][];
  totalKeys?: number;
  /** For SCAN: which shard answered, to turn its position into the client's cursor. */
  scanShard?: number;
  /** For EXEC: the replies of the queued commands the acceptor ran (null where the executor's reply goes). */
  execLocal?: (Buffer | null)[];
}

/** A parsed request kept aside while the client is blocked (its own copy of the bytes). */
export interface HeldCommand {
  buf: Buffer;
  argc: number;
  starts: Int32Array;
  lens: Int32Array;
}

/** A client blocked on keys of several shards: the acceptor watches them and retries the command. */
export interface CrossShardWait {
  token: number;
  /** Shards asked to watch keys. */
  shards: number[];
  timer: NodeJS.Timeout | null;
  /** A retry is on its way; notifications meanwhile set `again`. */
  inFlight: boolean;
  again: boolean;
  /** The deadline passed while a retry was in flight: if it finds nothing, reply null then. */
  timedOut: boolean;
}

export class Client {
  readonly parser: RequestParser;
  db = 0;
  proto = 2;
  name = '';
  /** Redis' c->authenticated: set by AUTH / HELLO AUTH, or at connection time when no password is required. */
  authenticatedFlag: boolean;
  private readonly requirePass: () => string;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  /** Next sequence number to assign to a request, and next one to write. */
  nextSeq = 0;
  nextToWrite = 0;
  private readonly stash = new Map<number, Buffer>();
  /** Commands split across shards, by sequence number. */
  readonly fanouts = new Map<number, FanoutState>();
  /** Replies ready to write in this tick, in order (a reused scratch buffer). */
  private out: Buffer = Buffer.allocUnsafe(16 * 1024);
  private outLen = 0;
  /**
   * Sequence number of a blocking command still waiting for its reply (-1:
   * none). Like Redis, which reads nothing more from a blocked client, the
   * commands that follow it are held (not run) until it is answered.
   */
  blockedSeq = -1;
  readonly held: HeldCommand[] = [];
  /** Commands queued since MULTI (null: not in MULTI), and whether one was refused (EXEC then answers EXECABORT). */
  multi: QueuedCommand[] | null = null;
  multiAborted = false;
  /** Shards holding this client's WATCHed keys. */
  watchShards: Set<number> | null = null;
  /** The blocking command run as a cross-shard transaction, kept to run it again (acceptor.ts, cross-shard waits). */
  blockedCommand: { specId: number; cmd: HeldCommand } | null = null;
  /** The acceptor's wait when that command found nothing. */
  crossWait: CrossShardWait | null = null;
  /** Close once the reply with this sequence number has been written. */
  closeAfterSeq = -1;
  closed = false;
  /** Queued in the acceptor's list of clients to flush at the end of this step. */
  dirty = false;
  /** CLIENT REPLY OFF / SKIP: requests whose replies are dropped (null: none). See src/server/client-control.ts. */
  suppressed: Set<number> | null = null;
  /** CLIENT REPLY state (REPLY_ON / REPLY_OFF / REPLY_SKIP_NEXT in client-control.ts); checked once per request. */
  replyMode = 0;
  /** In MONITOR mode (src/server/monitor.ts). */
  monitor = false;
  /** CLIENT NO-EVICT ON (flag 'e'; shardis evicts no clients yet). */
  noEvict = false;
  /** Pub/sub subscriptions and output-buffer-limit state (src/server/pubsub.ts); null until the first SUBSCRIBE. */
  pubsub: ClientPubSub | null = null;
  /** Bytes of completed replies waiting in `stash` (output buffer accounting). */
  private stashBytes = 0;
  /** Out-of-band messages to write just before a given reply (pushBefore). */
  private prefixes: Map<number, Buffer[]> | null = null;

  constructor(
    readonly id: number,
    readonly conn: Connection,
    onCommand: (client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array) => void,
    onProtocolError: (client: Client, message: string) => void,
    limits: { protoMaxBulkLen: () => number; requirePass: () => string },
  ) {
    this.requirePass = limits.requirePass;
    this.authenticatedFlag = limits.requirePass() === '';
    this.parser = new RequestParser(
      {
        onCommand: (buf, argc, starts, lens) => onCommand(this, buf, argc, starts, lens),
        onProtocolError: (message) => onProtocolError(this, message),
      },
      { protoMaxBulkLen: limits.protoMaxBulkLen, authRequired: () => !this.authenticated },
    );
  }

  /**
   * False when commands must be refused with NOAUTH (Redis' authRequired()):
   * not authenticated while a password is set. Clearing requirepass at run
   * time frees clients that never authenticated, as in Redis.
   */
  get authenticated(): boolean {
    return this.authenticatedFlag || this.requirePass() === '';
  }

  set authenticated(value: boolean) {
    this.authenticatedFlag = value;
  }

  private peerId: string | null = null;
  private sockName: string | null = null;

  /** Peer address as Redis prints it (getClientPeerId): `ip:port`, `[ipv6]:port`; kept after the socket closes. */
  get addr(): string {
    if (this.peerId === null) {
      const a = this.conn.remoteAddress();
      this.peerId = formatAddress(a.address, a.port);
    }
    return this.peerId;
  }

  /** Local address of the connection (getClientSockname). */
  get laddr(): string {
    if (this.sockName === null) {
      const a = this.conn.localAddress();
      this.sockName = formatAddress(a.address, a.port);
    }
    return this.sockName;
  }

  /** Replies still owed to this client. */
  get pendingReplies(): number {
    return this.nextSeq - this.nextToWrite;
  }

  /** Records the reply to request `seq`; returns true when something became writable. */
  complete(seq: number, reply: Buffer): boolean {
    if (this.suppressed !== null && this.suppressed.delete(seq)) reply = NO_REPLY;
    if (seq !== this.nextToWrite) {
      this.stash.set(seq, reply);
      this.stashBytes += reply.length;
      return false;
    }
    if (this.prefixes !== null) this.writePrefixes(seq);
    this.append(reply, 0, reply.length);
    this.nextToWrite++;
    this.writeStashed();
    return true;
  }

  /**
   * Like complete(), for a reply that is only valid during the call (it sits
   * in a reply ring): in-order replies are appended straight to the output,
   * out-of-order ones copied into the stash.
   */
  completeFrom(seq: number, src: Buffer, start: number, len: number): boolean {
    if (this.suppressed !== null && this.suppressed.delete(seq)) len = 0;
    if (seq !== this.nextToWrite) {
      const copy = Buffer.allocUnsafe(len);
      copyBytes(src, start, copy, 0, len);
      this.stash.set(seq, copy);
      this.stashBytes += len;
      return false;
    }
    if (this.prefixes !== null) this.writePrefixes(seq);
    this.append(src, start, len);
    this.nextToWrite++;
    this.writeStashed();
    return true;
  }

  private writeStashed(): void {
    while (this.stash.size > 0) {
      const next = this.stash.get(this.nextToWrite);
      if (next === undefined) break;
      this.stash.delete(this.nextToWrite);
      this.stashBytes -= next.length;
      if (this.prefixes !== null) this.writePrefixes(this.nextToWrite);
      this.append(next, 0, next.length);
      this.nextToWrite++;
    }
  }

  /**
   * An out-of-band message (pub/sub): it follows every reply owed so far, as
   * in Redis, where those commands have already run when it is published. With
   * replies still owed it takes the next place in the reply sequence.
   * Returns true when something became writable.
   */
  push(msg: Buffer): boolean {
    if (this.nextToWrite === this.nextSeq) {
      this.append(msg, 0, msg.length);
      return true;
    }
    return this.complete(this.nextSeq++, msg);
  }

  /**
   * A message raised by this client's own request `seq` (PUBLISH to itself, a
   * keyspace event of its write): Redis writes it before that request's reply.
   */
  pushBefore(seq: number, msg: Buffer): boolean {
    if (seq < this.nextToWrite) return this.push(msg);
    if (seq === this.nextToWrite) {
      this.append(msg, 0, msg.length);
      return true;
    }
    this.prefixes ??= new Map();
    const list = this.prefixes.get(seq);
    if (list === undefined) this.prefixes.set(seq, [msg]);
    else list.push(msg);
    this.stashBytes += msg.length;
    return false;
  }

  private writePrefixes(seq: number): void {
    const list = this.prefixes!.get(seq);
    if (list === undefined) return;
    this.prefixes!.delete(seq);
    if (this.prefixes!.size === 0) this.prefixes = null;
    for (const msg of list) {
      this.stashBytes -= msg.length;
      this.append(msg, 0, msg.length);
    }
  }

  /** Completed output not yet handed to the socket (written at the end of the event-loop turn). */
  get unflushedBytes(): number {
    return this.outLen;
  }

  /** Output this client has not taken yet: what the socket buffers, plus what waits here (client-output-buffer-limit). */
  get pendingOutputBytes(): number {
    return this.conn.bufferedBytes + this.outLen + this.stashBytes;
  }

  private append(src: Buffer, start: number, len: number): void {
    if (this.outLen + len > this.out.length) {
      let size = this.out.length * 2;
      while (size < this.outLen + len) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.out.copy(grown, 0, 0, this.outLen);
      this.out = grown;
    }
    copyBytes(src, start, this.out, this.outLen, len);
    this.outLen += len;
  }

  /** Writes everything completed so far in one socket write; closes when QUIT or a protocol error asked for it. */
  /** Returns the number of bytes handed to the socket. */
  flush(): number {
    if (this.closed) return 0;
    const written = this.outLen;
    if (this.outLen > 0) {
      // One write per event-loop turn; a connection that keeps the buffer (the kernel took
      // only part of it) gets it for good and we start a new one.
      if (this.conn.write(this.out, this.outLen)) this.out = Buffer.allocUnsafe(16 * 1024);
      else if (this.out.length > 1024 * 1024) this.out = Buffer.allocUnsafe(16 * 1024);
      this.outLen = 0;
      // Writing counts as interaction for CLIENT LIST idle and the timeout, as in Redis' writeToClient.
      this.lastInteraction = cachedNow();
    }
    if (this.closeAfterSeq >= 0 && this.nextToWrite > this.closeAfterSeq) {
      // Redis' CLIENT_CLOSE_AFTER_REPLY: write what is owed, then close the connection
      // entirely (not just our side: a client that keeps sending must not keep it open).
      this.closed = true;
      this.conn.end();
    }
    return written;
  }
}

/** What a suppressed reply becomes (CLIENT REPLY OFF / SKIP): nothing, in its place in the order. */
const NO_REPLY = Buffer.alloc(0);

/**
 * Redis' address string (anetFdToString + formatting in connFormatFdAddr):
 * IPv4 as `a.b.c.d:port`, IPv6 as `[addr]:port`. A dual-stack listener sees
 * IPv4 clients as `::ffff:a.b.c.d`; Redis binds IPv4 and IPv6 separately and
 * shows them as plain IPv4, so the mapping prefix is dropped.
 */
export function formatAddress(ip: string | undefined, port: number | undefined): string {
  if (ip === undefined || port === undefined) return '?:0';
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
