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
}

export type LocalHandler = (ctx: LocalCtx, argv: string[]) => void;

/** Replies to the current request. */
export function reply(ctx: LocalCtx, write: (w: ReplyWriter) => void): void {
  ctx.host.replies.replyLocal(ctx.client, ctx.seq, write);
}

/** Redis clientSetNameOrReply: no spaces, newlines or non-printable characters. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}
