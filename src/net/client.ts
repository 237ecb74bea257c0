/**
 * One client connection on the acceptor: its socket, request parser,
 * connection state (db, protocol, name, auth), and the replies it is owed.
 *
 * Every request gets a sequence number when parsed. Replies may complete out
 * of order (a pipeline spanning shards, or a local command behind a shard
 * command), so each completed reply waits in `stash` until all earlier ones
 * have been written: the client always sees replies in request order.
 */
import type { Socket } from 'node:net';
import { RequestParser } from '../resp/parser.js';

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
}

export class Client {
  readonly parser: RequestParser;
  db = 0;
  proto = 2;
  name = '';
  authenticated: boolean;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  /** Next sequence number to assign to a request, and next one to write. */
  nextSeq = 0;
  nextToWrite = 0;
  private readonly stash = new Map<number, Buffer>();
  /** Commands split across shards, by sequence number. */
  readonly fanouts = new Map<number, FanoutState>();
  /** Replies ready to write in this tick. */
  private out: Buffer[] = [];
  private outBytes = 0;
  /** Close once the reply with this sequence number has been written. */
  closeAfterSeq = -1;
  closed = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    onCommand: (client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array) => void,
    onProtocolError: (client: Client, message: string) => void,
    limits: { protoMaxBulkLen: number; requirePass: () => string },
  ) {
    this.authenticated = limits.requirePass() === '';
    this.parser = new RequestParser(
      {
        onCommand: (buf, argc, starts, lens) => onCommand(this, buf, argc, starts, lens),
        onProtocolError: (message) => onProtocolError(this, message),
      },
      { protoMaxBulkLen: limits.protoMaxBulkLen, authRequired: () => !this.authenticated },
    );
  }

  get addr(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  get laddr(): string {
    return `${this.socket.localAddress}:${this.socket.localPort}`;
  }

  /** Replies still owed to this client. */
  get pendingReplies(): number {
    return this.nextSeq - this.nextToWrite;
  }

  /** Records the reply to request `seq`; returns true when something became writable. */
  complete(seq: number, reply: Buffer): boolean {
    if (seq !== this.nextToWrite) {
      this.stash.set(seq, reply);
      return false;
    }
    this.push(reply);
    while (this.stash.size > 0) {
      const next = this.stash.get(this.nextToWrite);
      if (next === undefined) break;
      this.stash.delete(this.nextToWrite);
      this.push(next);
    }
    return true;
  }

  private push(reply: Buffer): void {
    if (reply.length > 0) {
      this.out.push(reply);
      this.outBytes += reply.length;
    }
    this.nextToWrite++;
  }

  /** Writes everything completed so far in one socket write; closes when QUIT or a protocol error asked for it. */
  flush(): void {
    if (this.closed) return;
    if (this.out.length > 0) {
      const data = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out, this.outBytes);
      this.out = [];
      this.outBytes = 0;
      this.socket.write(data);
    }
    if (this.closeAfterSeq >= 0 && this.nextToWrite > this.closeAfterSeq) {
      this.closed = true;
      this.socket.end();
    }
  }
}
