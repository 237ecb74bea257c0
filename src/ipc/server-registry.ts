/**
 * Server-wide facts every thread reads without asking anyone, in shared
 * memory:
 * - the client id counter (ids are unique across acceptors, in connection
 *   order, as Redis' are) and the connected-client count (maxclients holds for
 *   the server, not per acceptor);
 * - the token counter of cross-shard waits;
 * - per acceptor, how many pub/sub subscriptions its clients hold (a shard
 *   sends keyspace events only to acceptors where someone listens; PUBLISH
 *   asks only such peers) and how many MONITOR clients it has (every
 *   acceptor then sends them its command lines);
 * - the server's run id and replication ids (INFO shows the same on every
 *   acceptor; DEBUG CHANGE-REPL-ID changes them for all).
 */
import { randomBytes } from 'node:crypto';

const NEXT_CLIENT_ID = 0;
const CONNECTED = 16;
const NEXT_WATCH_TOKEN = 32;
const PER_ACCEPTOR = 48;
/** 40 hex characters each. */
const ID_BYTES = 40;

function wordsFor(acceptors: number): number {
  return PER_ACCEPTOR + 4 * acceptors;
}

export function createServerRegistry(acceptors: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(4 * wordsFor(acceptors) + 3 * ID_BYTES);
  const registry = new ServerRegistry(sab, acceptors);
  registry.setId('run', randomBytes(20).toString('hex'));
  registry.setId('replid', randomBytes(20).toString('hex'));
  registry.setId('replid2', '0'.repeat(ID_BYTES));
  return sab;
}

const ID_SLOT = { run: 0, replid: 1, replid2: 2 } as const;
export type ServerId = keyof typeof ID_SLOT;

export class ServerRegistry {
  private readonly words: Int32Array;
  private readonly ids: Uint8Array;

  constructor(
    sab: SharedArrayBuffer,
    readonly acceptors: number,
  ) {
    const words = wordsFor(acceptors);
    this.words = new Int32Array(sab, 0, words);
    this.ids = new Uint8Array(sab, 4 * words, 3 * ID_BYTES);
  }

  /** A new client id: 1, 2, 3 ... across all acceptors. */
  nextClientId(): number {
    return Atomics.add(this.words, NEXT_CLIENT_ID, 1) + 1;
  }

  /** Counts a connection in (returns the count with it) or out. */
  addConnected(delta: number): number {
    return Atomics.add(this.words, CONNECTED, delta) + delta;
  }

  get connected(): number {
    return Atomics.load(this.words, CONNECTED);
  }

  /** A token for a cross-shard wait, unique across acceptors (shards key their watches by it). */
  nextWatchToken(): number {
    return Atomics.add(this.words, NEXT_WATCH_TOKEN, 1) + 1;
  }

  /** Subscriptions (channels, patterns, shard channels) held by acceptor a's clients. */
  subscriptions(a: number): number {
    return Atomics.load(this.words, PER_ACCEPTOR + a);
  }

  addSubscriptions(a: number, delta: number): void {
    Atomics.add(this.words, PER_ACCEPTOR + a, delta);
  }

  /** MONITOR clients on acceptor a. */
  monitors(a: number): number {
    return Atomics.load(this.words, PER_ACCEPTOR + this.acceptors + a);
  }

  addMonitors(a: number, delta: number): void {
    Atomics.add(this.words, PER_ACCEPTOR + this.acceptors + a, delta);
  }

  /** Whether any acceptor has MONITOR clients. */
  anyMonitors(): boolean {
    for (let a = 0; a < this.acceptors; a++) if (this.monitors(a) > 0) return true;
    return false;
  }

  /** Peer messages posted to each acceptor and not yet handled, one word per acceptor (src/ipc/peers.ts). */
  peerInbox(): Int32Array {
    return this.words.subarray(PER_ACCEPTOR + 2 * this.acceptors, PER_ACCEPTOR + 3 * this.acceptors);
  }

  /** Counts a client of acceptor a in or out; returns a's count with it. */
  addClients(a: number, delta: number): number {
    return Atomics.add(this.words, PER_ACCEPTOR + 3 * this.acceptors + a, delta) + delta;
  }

  /** The run id or a replication id (40 hex characters). */
  id(which: ServerId): string {
    const at = ID_SLOT[which] * ID_BYTES;
    return Buffer.from(this.ids.subarray(at, at + ID_BYTES)).toString('latin1');
  }

  /** Written at start-up and by DEBUG CHANGE-REPL-ID; readers may see a half-written id only during that command. */
  setId(which: ServerId, value: string): void {
    this.ids.set(Buffer.from(value, 'latin1'), ID_SLOT[which] * ID_BYTES);
  }
}
