/**
 * processCommand for one acceptor's clients: every parsed request is looked
 * up in the command table and checked in Redis' order (lookup → arity → auth
 * → subscribed mode → pause / monitor), then queued inside MULTI, run here
 * (the acceptor's own commands, src/server/local-commands.ts), or handed to
 * the router for its shard(s).
 *
 * A client blocked in a command sends nothing more to the shards: its next
 * requests are held until the blocking command is answered (Redis reads
 * nothing more from a blocked client).
 */
import { performance } from 'node:perf_hooks';
import { arityOk, type CommandSpec } from '../commands/spec.js';
import { lookupCommand } from '../commands/lookup.js';
import { allCommands, findSubcommand } from '../commands/table.js';
import type { Logger } from '../log.js';
import { ERR } from '../resp/errors.js';
import { replyModeStep, specialCommand } from '../server/client-control.js';
import type { Host } from '../server/host.js';
import { localHandlers } from '../server/local-commands.js';
import { reply, type LocalCtx } from '../server/local-ctx.js';
import { subscribedModeError } from '../server/pubsub.js';
import { refusedInMulti, RUN_INSIDE_MULTI } from '../server/transactions.js';
import { argvOf, copyCommand, type ArgSource } from './arg-source.js';
import type { Client } from './client.js';
import type { CrossWaits } from './cross-waits.js';
import type { ReplyPump } from './reply-pump.js';
import type { Router } from './router.js';

/** Commands that may block (flag 'blocking'), by id: their client's next commands wait for their reply. */
const BLOCKING = Uint8Array.from(allCommands, (spec) => (spec.flags.includes('blocking') ? 1 : 0));

/**
 * Redis closes a connection whose first word is POST or Host: (a browser
 * tricked into talking to the server: cross-protocol scripting).
 */
function isCrossProtocolAttack(buf: Buffer, start: number, len: number): boolean {
  const word = buf.latin1Slice(start, start + len).toLowerCase();
  return word === 'post' || word === 'host:';
}

/** Redis' unknown-command error: arguments quoted, 128 bytes of them at most, newlines made spaces. */
function unknownCommandText(name: string, args: string[]): string {
  let list = '';
  for (const a of args) {
    if (list.length >= 128) break;
    list += `'${a.slice(0, 128 - list.length)}' `;
  }
  return `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`;
}

export class Dispatch {
  /**
   * Set while clients are paused or MONITOR clients are attached: commands then
   * go through specialCommand() (src/server/client-control.ts), which may hold
   * them, and feed the monitors after they run.
   */
  special = false;
  /** Blocked clients that got their reply and have held commands to run (at the end of the turn). */
  private readonly released: Client[] = [];

  constructor(
    private readonly host: Host,
    private readonly router: Router,
    private readonly pump: ReplyPump,
    private readonly crossWaits: CrossWaits,
    private readonly log: Logger,
    private readonly closeClient: (client: Client) => void,
  ) {}

  onCommand(client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    if (client.closeAfterSeq >= 0) return; // QUIT was seen: Redis ignores the rest of the pipeline
    if (client.blockedSeq >= 0) return this.hold(client, buf, argc, starts, lens);
    if ((lens[0] === 4 || lens[0] === 5) && isCrossProtocolAttack(buf, starts[0], lens[0])) {
      this.log.warn(
        { client: client.id, addr: client.addr },
        'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
      );
      return this.closeClient(client);
    }
    const seq = client.nextSeq++;
    // CLIENT REPLY OFF / SKIP (src/server/client-control.ts): one check when never used.
    if (client.replyMode !== 0) replyModeStep(client, seq);
    let spec = lookupCommand(buf, starts[0], lens[0]);
    const introspect = this.host.introspect;
    // Like Redis' c->lastcmd: set at lookup, so refused commands show in CLIENT LIST too.
    client.lastCommand = spec === undefined ? 'NULL' : spec.name;
    if (spec === undefined) {
      const nameRaw = buf.latin1Slice(starts[0], starts[0] + lens[0]);
      const args: string[] = [];
      for (let i = 1; i < argc; i++) args.push(buf.latin1Slice(starts[i], starts[i] + lens[i]));
      this.flagTransaction(client);
      return this.pump.replyLocal(client, seq, (w) => w.error(unknownCommandText(nameRaw, args)));
    }
    if (spec.subcommands !== undefined && argc >= 2) {
      const subName = buf.latin1Slice(starts[1], starts[1] + lens[1]);
      const sub = findSubcommand(spec, subName.toLowerCase());
      if (sub === undefined) {
        client.lastCommand = 'NULL';
        const container = spec.name;
        this.flagTransaction(client);
        return this.pump.replyLocal(client, seq, (w) => w.error(ERR.unknownSubcommand(subName, container)));
      }
      spec = sub;
      client.lastCommand = sub.name;
    }
    if (!arityOk(spec, argc)) {
      const name = spec.name;
      introspect.rejected(spec.id);
      this.flagTransaction(client);
      return this.pump.replyLocal(client, seq, (w) => w.error(ERR.wrongArity(name)));
    }
    if (!client.authenticated && !spec.flags.includes('no_auth')) {
      introspect.rejected(spec.id);
      this.flagTransaction(client);
      return this.pump.replyLocal(client, seq, (w) => w.error(ERR.NOAUTH));
    }
    // RESP2 subscribed mode: only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET (processCommand).
    if (client.pubsub !== null) {
      const refused = subscribedModeError(client, spec.name);
      if (refused !== null) {
        this.flagTransaction(client);
        return this.pump.replyLocal(client, seq, (w) => w.error(refused));
      }
    }
    // CLIENT PAUSE in effect or MONITOR clients attached (client-control.ts, monitor.ts): one check when neither.
    if (this.special) return specialCommand(this.host, client, seq, spec, buf, argc, starts, lens);
    this.proceed(client, seq, spec, buf, argc, starts, lens);
  }

  /** The end of processCommand: queue inside MULTI, or route and run the command. */
  proceed(client: Client, seq: number, spec: CommandSpec, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    if (client.multi !== null && !RUN_INSIDE_MULTI.has(spec.name)) return this.queueInMulti(client, seq, spec, buf, argc, starts, lens);
    const src: ArgSource = { buf, starts, lens };
    if (BLOCKING[spec.id] === 1) client.blockedSeq = seq;
    if (spec.route === 'acceptor') this.runTimed(client, seq, spec, argvOf(src, argc));
    else this.router.route(client, seq, spec, src, argc);
    // Like Redis, a command counts once it has run (INFO does not count itself; refused commands never count).
    this.host.stats.totalCommands++;
  }

  /** Redis' flagTransaction: a command refused inside MULTI makes EXEC fail with EXECABORT. */
  private flagTransaction(client: Client): void {
    if (client.multi !== null) client.multiAborted = true;
  }

  /** Inside MULTI: queue the command (its own copy) and answer +QUEUED, or refuse it. */
  private queueInMulti(client: Client, seq: number, spec: CommandSpec, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    const refused = spec.flags.includes('no_multi') ? 'ERR Command not allowed inside a transaction' : refusedInMulti(spec, this.router.count);
    if (refused !== null) {
      this.host.introspect.rejected(spec.id);
      this.flagTransaction(client);
      return this.pump.replyLocal(client, seq, (w) => w.error(refused));
    }
    // An aborted transaction keeps nothing (queueMultiCommand), but still answers QUEUED.
    if (!client.multiAborted) client.multi!.push({ spec, cmd: copyCommand(buf, argc, starts, lens) });
    this.pump.replyLocal(client, seq, (w) => w.simple('QUEUED'));
    this.host.stats.totalCommands++;
  }

  /** Runs one of the acceptor's own commands (src/server/local-commands.ts). */
  runLocal(client: Client, seq: number, spec: CommandSpec, argv: string[], capture?: (reply: Buffer) => void): void {
    const ctx: LocalCtx = { host: this.host, client, seq, spec, capture };
    const handler = localHandlers[spec.name];
    if (handler === undefined) return reply(ctx, (w) => w.error(`ERR '${spec.name}' is not available on this server`));
    handler(ctx, argv);
  }

  /** runLocal() with the command's statistics, slow log and latency (Redis' call()). */
  private runTimed(client: Client, seq: number, spec: CommandSpec, argv: string[]): void {
    const stats = this.host.stats;
    const errorsBefore = stats.errorReplies;
    const t0 = performance.now();
    this.runLocal(client, seq, spec, argv);
    this.host.introspect.localCommand(client, spec.id, argv, performance.now() - t0, stats.errorReplies > errorsBefore);
  }

  /** Keeps a request of a blocked client, with its own copy of the argument bytes. */
  private hold(client: Client, buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): void {
    client.held.push(copyCommand(buf, argc, starts, lens));
  }

  /** A blocked client got its reply: run the commands it sent meanwhile (at the end of the turn), until one blocks again. */
  unblocked(client: Client): void {
    client.blockedSeq = -1;
    client.blockedCommand = null;
    this.crossWaits.end(client);
    if (client.held.length === 0) return;
    this.released.push(client);
    this.pump.scheduleTurnEnd();
  }

  /** Runs the held commands of released clients. */
  runReleased(): void {
    if (this.released.length === 0) return;
    while (this.released.length > 0) {
      const client = this.released.shift()!;
      while (client.held.length > 0 && client.blockedSeq < 0 && !client.closed) {
        const h = client.held.shift()!;
        this.onCommand(client, h.buf, h.argc, h.starts, h.lens);
      }
    }
    this.router.publishAll();
  }

  /** A request the parser could not read: Redis' protocol error reply, then the connection closes. */
  onProtocolError(client: Client, message: string): void {
    // After QUIT Redis parses nothing more, so bad bytes behind it get no error reply.
    if (client.closeAfterSeq >= 0) return;
    const seq = client.nextSeq++;
    this.log.debug({ client: client.id, message }, 'protocol error');
    client.closeAfterSeq = seq;
    // Not through replyLocal: like before the split, protocol errors are not counted in errorstats.
    this.pump.complete(client, seq, Buffer.from(`-${ERR.protocol(message).replace(/[\r\n]/g, ' ')}\r\n`, 'latin1'));
  }
}
