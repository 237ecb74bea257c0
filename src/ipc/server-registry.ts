/**
 * Server-wide facts every thread reads without asking anyone, in shared
 * memory: the client id counter (ids are unique across acceptors, in
 * connection order, as Redis' are), the connected-client count (maxclients
 * holds for the server, not per acceptor), the token counter of cross-shard
 * waits, and how many pub/sub subscriptions each acceptor's clients hold
 * (a shard sends keyspace events only to acceptors where someone listens; an
 * acceptor asks only such peers to deliver a PUBLISH).
 */
const NEXT_CLIENT_ID = 0;
const CONNECTED = 16;
const NEXT_WATCH_TOKEN = 32;
const SUBSCRIPTIONS = 48;

export function createServerRegistry(acceptors: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (SUBSCRIPTIONS + acceptors));
}

export class ServerRegistry {
  private readonly words: Int32Array;
  readonly acceptors: number;

  constructor(sab: SharedArrayBuffer) {
    this.words = new Int32Array(sab);
    this.acceptors = this.words.length - SUBSCRIPTIONS;
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
    return Atomics.load(this.words, SUBSCRIPTIONS + a);
  }

  addSubscriptions(a: number, delta: number): void {
    Atomics.add(this.words, SUBSCRIPTIONS + a, delta);
  }
}
