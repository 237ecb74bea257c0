/**
 * Messages between acceptor threads, for what spans all clients: CLIENT
 * LIST / KILL / PAUSE, PUBLISH to subscribers elsewhere, MONITOR lines, INFO's
 * sums, CONFIG SET. Each acceptor owns its clients; a server-wide question
 * is asked of every other acceptor, and answered once all have answered.
 *
 * One MessagePort per pair of acceptors, so messages between two acceptors
 * arrive in the order they were sent (what keeps PUBLISH in order per
 * publisher). With one acceptor there are no peers and every ask() answers
 * at once, synchronously: the single-acceptor server pays nothing.
 *
 * Messages are structured clones (plain objects, strings, numbers, arrays).
 *
 * Causality: a message posted before something a client can observe (a
 * reply, a closed connection) must be handled before that client's next
 * request on the receiving acceptor. Port messages and socket reads are
 * separate events in the receiver's loop, in no fixed order, so senders
 * count their messages in shared memory (`inbox`, one word per acceptor)
 * and a receiver with messages counted takes them synchronously before it
 * handles a socket read (drain()).
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What an op's handler gets: the message's arguments and the asking acceptor. */
export type PeerHandler = (args: unknown, from: number, answer: (result: unknown) => void) => void;

type PeerMessage =
  | { kind: 'ask'; id: number; op: string; args: unknown }
  | { kind: 'tell'; op: string; args: unknown }
  | { kind: 'answer'; id: number; result: unknown };

interface Pending {
  results: unknown[];
  remaining: number;
  done: (results: unknown[]) => void;
}

export class Peers {
  private readonly handlers = new Map<string, PeerHandler>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Called after each message is handled (the acceptor writes the replies it produced, at the end of the turn). */
  afterMessage: () => void = () => {};

  constructor(
    /** This acceptor's index. */
    readonly self: number,
    /** ports[a]: the port to acceptor a (undefined for this one). */
    private readonly ports: (MessagePort | undefined)[],
    /** Messages posted to each acceptor and not yet handled (shared by all acceptors). */
    private readonly inbox: Int32Array,
  ) {
    ports.forEach((port, a) =>
      port?.on('message', (m: PeerMessage) => {
        this.take(a, m);
        this.afterMessage();
      }),
    );
  }

  /** Handles every message already posted to this acceptor, synchronously (before a socket read). */
  drain(): void {
    if (Atomics.load(this.inbox, this.self) === 0) return;
    for (let a = 0; a < this.ports.length; a++) {
      const port = this.ports[a];
      if (port === undefined) continue;
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) this.take(a, m.message as PeerMessage);
    }
  }

  private take(from: number, m: PeerMessage): void {
    Atomics.sub(this.inbox, this.self, 1);
    this.onMessage(from, m);
  }

  private post(to: number, m: PeerMessage): void {
    Atomics.add(this.inbox, to, 1);
    this.ports[to]!.postMessage(m);
  }

  /** Number of acceptors, this one included. */
  get count(): number {
    return this.ports.length;
  }

  /** Registers what this acceptor does for an op asked or told by a peer. */
  handle(op: string, handler: PeerHandler): void {
    this.handlers.set(op, handler);
  }

  /**
   * Asks `to` (default: every other acceptor) and calls done with their
   * results, by position in `to`, once all have answered; at once when there
   * is no one to ask.
   */
  ask(op: string, args: unknown, done: (results: unknown[]) => void, to: number[] = this.others()): void {
    if (to.length === 0) return done([]);
    const id = this.nextId++;
    this.pending.set(id, { results: new Array(to.length), remaining: to.length, done });
    to.forEach((a, i) => this.post(a, { kind: 'ask', id: id * 256 + i, op, args }));
  }

  /** Sends an op to `to` (default: every other acceptor) without waiting for anything. */
  tell(op: string, args: unknown, to: number[] = this.others()): void {
    for (const a of to) this.post(a, { kind: 'tell', op, args });
  }

  /** Every acceptor but this one. */
  others(): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.ports.length; a++) if (a !== this.self) out.push(a);
    return out;
  }

  private onMessage(from: number, m: PeerMessage): void {
    if (m.kind === 'answer') {
      const p = this.pending.get(Math.floor(m.id / 256));
      if (p === undefined) return;
      p.results[m.id % 256] = m.result;
      if (--p.remaining === 0) {
        this.pending.delete(Math.floor(m.id / 256));
        p.done(p.results);
      }
      return;
    }
    const handler = this.handlers.get(m.op);
    if (handler === undefined) throw new Error(`acceptor ${this.self}: no handler for peer op '${m.op}'`);
    if (m.kind === 'tell') return handler(m.args, from, () => {});
    handler(m.args, from, (result) => this.post(from, { kind: 'answer', id: m.id, result }));
  }

  close(): void {
    for (const port of this.ports) port?.close();
  }
}
