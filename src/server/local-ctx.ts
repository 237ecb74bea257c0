/**
 * What a command the acceptor runs itself gets (src/server/local-commands.ts
 * collects the handlers): the host it runs on, the client, the request's
 * place in the client's reply order, and its table entry.
 */
import type { CommandSpec } from '../commands/spec.js';
import type { Client } from '../net/client.js';
import type { ReplyWriter } from '../resp/writer.js';
import type { Host } from './host.js';

export interface LocalCtx {
  host: Host;
  client: Client;
  seq: number;
  spec: CommandSpec;
  /**
   * Set while EXEC runs its queued acceptor commands: the reply goes here
   * (now, or later for a command that asks other acceptors) instead of to
   * the client, and EXEC puts it in its place in the array.
   */
  capture?: (reply: Buffer) => void;
  /** The reply is for another acceptor's client (forwarded command): that acceptor counts an error reply, not this one. */
  forPeer?: boolean;
}

export type LocalHandler = (ctx: LocalCtx, argv: string[]) => void;

/** Replies to the current request (at once, or later from a callback: the reply keeps its place). */
export function reply(ctx: LocalCtx, write: (w: ReplyWriter) => void): void {
  if (ctx.capture !== undefined) ctx.capture(ctx.host.replies.render(ctx.client, write, ctx.forPeer !== true));
  else ctx.host.replies.replyLocal(ctx.client, ctx.seq, write);
}

/** Replies with bytes already encoded (another acceptor's answer), counting an error reply as replyLocal does. */
export function replyBytes(ctx: LocalCtx, bytes: Buffer): void {
  ctx.host.replies.noteError(bytes);
  if (ctx.capture !== undefined) ctx.capture(bytes);
  else ctx.host.replies.complete(ctx.client, ctx.seq, bytes);
}

/**
 * A command whose state lives on acceptor 0 (SLOWLOG, LATENCY): run there.
 * Another acceptor forwards it and replies with acceptor 0's answer.
 */
export function onMainAcceptor(handler: LocalHandler): LocalHandler {
  return (ctx, argv) => {
    if (ctx.host.index === 0) return handler(ctx, argv);
    ctx.host.peers.ask('run-on-main', { name: ctx.spec.name, argv, proto: ctx.client.proto } satisfies ForwardedCommand, ([bytes]) => replyBytes(ctx, Buffer.from(bytes as Uint8Array)), [0]);
  };
}

/** A command another acceptor forwarded to acceptor 0, and the protocol to answer in. */
export interface ForwardedCommand {
  name: string;
  argv: string[];
  proto: number;
}

/** Redis clientSetNameOrReply: no spaces, newlines or non-printable characters. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}
