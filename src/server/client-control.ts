/**
 * CLIENT PAUSE / UNPAUSE, CLIENT REPLY, CLIENT KILL, CLIENT UNBLOCK,
 * CLIENT NO-EVICT and MONITOR (Redis networking.c clientCommand, server.c
 * processCommand and call()).
 *
 * The acceptor's hooks, each one check per command when unused:
 * - `client.replyMode !== 0` → replyModeStep(): which replies CLIENT REPLY
 *   OFF / SKIP drop (Client.suppressed).
 * - `acceptor.flow.special` (clients paused, or monitors attached) →
 *   specialCommand(): refuses keyspace commands from monitors, holds the
 *   commands a pause covers, runs the command, then feeds the monitors.
 */
import type { CommandSpec } from '../commands/spec.js';
import { allCommands } from '../commands/table.js';
import type { Host } from './host.js';
import type { Client, HeldCommand } from '../net/client.js';
import { ERR } from '../resp/errors.js';
import { string2ll } from '../resp/parser.js';
import { lineInt } from '../resp/reply-scan.js';
import { reply, type LocalHandler } from './local-ctx.js';
import { isSubscribed, subscriptionCounts } from './pubsub.js';
import { copyCommand } from '../net/arg-source.js';
import { addMonitor, anyMonitors, feedMonitors, removeMonitor, snapshotExec } from './monitor.js';

// ---------------------------------------------------------------------------
// CLIENT REPLY
// ---------------------------------------------------------------------------

export const REPLY_ON = 0;
/** CLIENT_REPLY_OFF: no reply until CLIENT REPLY ON. */
export const REPLY_OFF = 1;
/** CLIENT_REPLY_SKIP_NEXT: the reply of the next command is dropped. */
export const REPLY_SKIP_NEXT = 2;

/**
 * Called with every request's sequence number while a client's reply mode is
 * not ON: Redis drops the replies of every command while OFF, and of the one
 * command after CLIENT REPLY SKIP (whatever it is: refused commands too).
 */
export function replyModeStep(client: Client, seq: number): void {
  if (client.replyMode === REPLY_SKIP_NEXT) client.replyMode = REPLY_ON;
  (client.suppressed ??= new Set()).add(seq);
}

// ---------------------------------------------------------------------------
// CLIENT PAUSE
// ---------------------------------------------------------------------------

const PAUSE_OFF = 0;
const PAUSE_WRITE = 1;
const PAUSE_ALL = 2;

/** blockedSeq of a client whose command waits for the end of a pause (Redis' BLOCKED_POSTPONE). */
export const POSTPONED = 0x7ffffff0;

interface PauseState {
  type: number;
  /** Absolute ms. */
  end: number;
  timer: NodeJS.Timeout | null;
  /** Clients whose command waits, in the order they were held. */
  postponed: Client[];
}

const pauses = new WeakMap<Host, PauseState>();

function pauseOf(host: Host): PauseState {
  let p = pauses.get(host);
  if (p === undefined) pauses.set(host, (p = { type: PAUSE_OFF, end: 0, timer: null, postponed: [] }));
  return p;
}

/** Clients waiting for the end of a pause (INFO blocked_clients counts them, as Redis does). */
export function postponedCount(host: Host): number {
  const p = pauses.get(host);
  if (p === undefined) return 0;
  let n = 0;
  for (const c of p.postponed) if (!c.closed) n++;
  return n;
}

/** The acceptor takes the slow path while clients are paused or monitors are attached (on any acceptor). */
export function updateSpecial(host: Host): void {
  host.flow.special = pauseOf(host).type !== PAUSE_OFF || anyMonitors(host);
}

/** pauseClients: the more restrictive type and the later end win. */
function pause(host: Host, end: number, type: number): void {
  const p = pauseOf(host);
  p.type = Math.max(p.type, type);
  p.end = Math.max(p.end, end);
  if (p.timer !== null) clearTimeout(p.timer);
  p.timer = setTimeout(() => unpause(host), Math.max(0, p.end - Date.now()));
  updateSpecial(host);
}

/** unpauseClients: every held command runs again (and may be held again by a newer pause). */
function unpause(host: Host): void {
  const p = pauseOf(host);
  if (p.timer !== null) clearTimeout(p.timer);
  p.timer = null;
  p.type = PAUSE_OFF;
  p.end = 0;
  const waiting = p.postponed;
  p.postponed = [];
  updateSpecial(host);
  for (const c of waiting) if (!c.closed && c.blockedSeq === POSTPONED) host.flow.unblocked(c);
}

/** Commands a CLIENT PAUSE WRITE holds: write and may_replicate ones, and EXEC of a block holding one (processCommand). */
const MAY_REPLICATE = Uint8Array.from(allCommands, (s) => (s.flags.includes('write') || s.flags.includes('may_replicate') ? 1 : 0));
/** Commands a MONITOR client (a replica in Redis' eyes) may not run: those that read or write keys. */
const KEYSPACE = Uint8Array.from(allCommands, (s) => (s.flags.includes('write') || s.flags.includes('readonly') || s.flags.includes('may_replicate') ? 1 : 0));

function execHas(client: Client, flags: Uint8Array): boolean {
  return client.multi !== null && client.multi.some((q) => flags[q.spec.id] === 1);
}

/**
 * processCommand from the replica check on, while clients are paused or
 * monitors attached; then call()'s feed of the monitors.
 */
export function specialCommand(
  host: Host,
  client: Client,
  seq: number,
  spec: CommandSpec,
  buf: Buffer,
  argc: number,
  starts: Int32Array,
  lens: Int32Array,
): void {
  const isExec = spec.name === 'exec';
  if (client.monitor) {
    // MONITOR makes the client a replica in Redis' eyes: no keyspace access, never paused.
    if (KEYSPACE[spec.id] === 1 || (isExec && execHas(client, KEYSPACE))) {
      if (client.multi !== null) client.multiAborted = true;
      return host.replies.replyLocal(client, seq, (w) => w.error("ERR Replica can't interact with the keyspace"));
    }
  } else {
    const p = pauseOf(host);
    if (p.type === PAUSE_ALL || (p.type === PAUSE_WRITE && (MAY_REPLICATE[spec.id] === 1 || (isExec && execHas(client, MAY_REPLICATE))))) {
      // Held whole, before it has a place in the reply order: it gets one again when it runs.
      client.nextSeq--;
      if (client.suppressed !== null && client.suppressed.delete(seq) && client.replyMode === REPLY_ON) client.replyMode = REPLY_SKIP_NEXT;
      client.held.unshift(copyCommand(buf, argc, starts, lens));
      client.blockedSeq = POSTPONED;
      p.postponed.push(client);
      return;
    }
  }
  const monitored = anyMonitors(host);
  const exec = monitored && isExec ? snapshotExec(client) : null;
  // The line is built after the command ran (SELECT shows its new db), from a copy when the command may reuse the buffer.
  const cmd: HeldCommand = { buf, argc, starts, lens };
  host.flow.proceed(client, seq, spec, buf, argc, starts, lens);
  if (client.monitor && spec.name === 'reset') removeMonitor(host, client);
  if (monitored && (client.multi === null || RUNS_IN_MULTI.has(spec.name))) feedMonitors(host, client, spec, cmd, exec);
}

/** Commands that run (and are shown) while their client is in MULTI; the rest are only queued. */
const RUNS_IN_MULTI = new Set(['multi', 'watch', 'quit', 'reset']);

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

/** getClientType for the types shardis has: every client is normal, or pubsub while subscribed (hook below). */
export function clientTypeOf(c: Client): 'normal' | 'pubsub' {
  return clientPubSubHook.subscribed(c) ? 'pubsub' : 'normal';
}

/**
 * Pub/sub's part of CLIENT LIST / KILL (src/server/pubsub.ts): whether a
 * client is subscribed (flag P, type pubsub) and its sub, psub and ssub counts.
 */
export const clientPubSubHook = {
  subscribed: isSubscribed,
  counts: subscriptionCounts,
};

/** getClientTypeByName; null for an unknown type. */
export function clientTypeByName(name: string): 'normal' | 'slave' | 'pubsub' | 'master' | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'slave';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

/** addReplySubcommandSyntaxError: the fall-through of clientCommand when the argument count fits no form. */
function subcommandSyntaxError(argv: string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`;
}

function parseLongLong(text: string): number | null {
  const bytes = Buffer.from(text, 'latin1');
  return string2ll(bytes, 0, bytes.length);
}

interface PauseArgs {
  end: number;
  type: number;
}

interface UnblockArgs {
  id: number;
  error: boolean;
}

/**
 * CLIENT UNBLOCK of one of this acceptor's clients: 1 if it was blocked and
 * now got its timeout reply (or the UNBLOCKED error), 0 if it was not blocked,
 * -1 if it is not here. A client blocked on one shard is unblocked by that
 * shard, through this acceptor's rings, so its blocking command (which went
 * the same way) has reached the shard first.
 */
function unblockHere(host: Host, { id, error }: UnblockArgs, done: (n: number) => void): void {
  const target = host.clients.get(id);
  if (target === undefined) return done(-1);
  if (target.blockedSeq < 0 || target.blockedSeq === POSTPONED) return done(0);
  if (target.crossWait !== null || target.blockedCommand !== null) {
    // Blocked on keys of several shards: the acceptor keeps that wait.
    host.flow.unblockCrossWait(target, error);
    return done(1);
  }
  host.shards.queryShards('shardis|unblock', [String(id), error ? 'error' : 'timeout'], (parts) => done(parts.reduce((n, p) => n + lineInt(p, 0), 0)));
}

/** What this acceptor does for the others' CLIENT KILL, UNBLOCK, PAUSE and UNPAUSE (src/server/peer-ops.ts). */
export function registerClientControlPeerOps(host: Host): void {
  host.peers.handle('client-kill', (filter, _from, answer) => answer(killHere(host, filter as KillFilter, null).killed));
  host.peers.handle('client-unblock', (args, _from, answer) => unblockHere(host, args as UnblockArgs, answer));
  host.peers.handle('pause', (args, _from, answer) => {
    const { end, type } = args as PauseArgs;
    pause(host, end, type);
    answer(null);
  });
  host.peers.handle('unpause', (_args, _from, answer) => {
    unpause(host);
    answer(null);
  });
}

/** CLIENT KILL's filters (null / 0: any). */
interface KillFilter {
  addr: string | null;
  laddr: string | null;
  type: string | null;
  user: string | null;
  id: number;
}

/**
 * Closes this acceptor's clients that match, but `skip` (the caller, SKIPME
 * YES). `self`, the caller when it is here, is not closed at once but
 * reported, to close after its reply (SKIPME NO).
 */
function killHere(host: Host, f: KillFilter, skip: Client | null, self: Client | null = null): { killed: number; self: boolean } {
  let killed = 0;
  let killSelf = false;
  for (const c of [...host.clients.values()]) {
    if (f.addr !== null && c.addr !== f.addr) continue;
    if (f.laddr !== null && c.laddr !== f.laddr) continue;
    if (f.type !== null && clientTypeOf(c) !== f.type) continue;
    if (f.id !== 0 && c.id !== f.id) continue;
    if (f.user !== null && f.user !== 'default') continue;
    if (c === skip) continue;
    if (c === self) killSelf = true;
    else host.flow.closeClient(c);
    killed++;
  }
  return { killed, self: killSelf };
}

export const clientControlCommands: Record<string, LocalHandler> = {
  'client|reply'(ctx, argv) {
    const c = ctx.client;
    switch (argv[2].toLowerCase()) {
      case 'on':
        c.replyMode = REPLY_ON;
        // This reply goes out (it was marked to be dropped while OFF).
        c.suppressed?.delete(ctx.seq);
        if (c.suppressed?.size === 0) c.suppressed = null;
        return reply(ctx, (w) => w.ok());
      case 'off':
        c.replyMode = REPLY_OFF;
        return reply(ctx, () => {});
      case 'skip':
        if (c.replyMode !== REPLY_OFF) c.replyMode = REPLY_SKIP_NEXT;
        return reply(ctx, () => {});
      default:
        return reply(ctx, (w) => w.error(ERR.SYNTAX));
    }
  },

  'client|no-evict'(ctx, argv) {
    const opt = argv[2].toLowerCase();
    if (opt !== 'on' && opt !== 'off') return reply(ctx, (w) => w.error(ERR.SYNTAX));
    ctx.client.noEvict = opt === 'on';
    reply(ctx, (w) => w.ok());
  },

  'client|pause'(ctx, argv) {
    let type = PAUSE_ALL;
    if (argv.length === 4) {
      const mode = argv[3].toLowerCase();
      if (mode === 'write') type = PAUSE_WRITE;
      else if (mode !== 'all') return reply(ctx, (w) => w.error('ERR CLIENT PAUSE mode must be WRITE or ALL'));
    } else if (argv.length !== 3) {
      return reply(ctx, (w) => w.error(subcommandSyntaxError(argv)));
    }
    const ms = parseLongLong(argv[2]);
    if (ms === null) return reply(ctx, (w) => w.error('ERR timeout is not an integer or out of range'));
    if (ms < 0) return reply(ctx, (w) => w.error('ERR timeout is negative'));
    // Every acceptor pauses its clients; +OK once all of them have.
    const args: PauseArgs = { end: ms > 0 ? Date.now() + ms : 0, type };
    pause(ctx.host, args.end, args.type);
    ctx.host.peers.ask('pause', args, () => reply(ctx, (w) => w.ok()));
  },

  'client|unpause'(ctx) {
    unpause(ctx.host);
    ctx.host.peers.ask('unpause', null, () => reply(ctx, (w) => w.ok()));
  },

  'client|kill'(ctx, argv) {
    const host = ctx.host;
    let addr: string | null = null;
    let laddr: string | null = null;
    let type: string | null = null;
    let user: string | null = null;
    let id = 0;
    let skipme = true;
    if (argv.length === 3) {
      // Old form: CLIENT KILL addr:port, which may kill the caller itself.
      addr = argv[2];
      skipme = false;
    } else {
      for (let i = 2; i < argv.length; i += 2) {
        const opt = argv[i].toLowerCase();
        const more = i + 1 < argv.length;
        const value = argv[i + 1];
        if (opt === 'id' && more) {
          const n = parseLongLong(value);
          if (n === null || n < 1) return reply(ctx, (w) => w.error('ERR client-id should be greater than 0'));
          id = n;
        } else if (opt === 'type' && more) {
          type = clientTypeByName(value);
          if (type === null) return reply(ctx, (w) => w.error(`ERR Unknown client type '${value}'`));
        } else if (opt === 'addr' && more) {
          addr = value;
        } else if (opt === 'laddr' && more) {
          laddr = value;
        } else if (opt === 'user' && more) {
          // One user exists: default (no ACL users yet).
          if (value !== 'default') return reply(ctx, (w) => w.error(`ERR No such user '${value}'`));
          user = value;
        } else if (opt === 'skipme' && more) {
          const v = value.toLowerCase();
          if (v === 'yes') skipme = true;
          else if (v === 'no') skipme = false;
          else return reply(ctx, (w) => w.error(ERR.SYNTAX));
        } else {
          return reply(ctx, (w) => w.error(ERR.SYNTAX));
        }
      }
    }
    const filter: KillFilter = { addr, laddr, type, user, id };
    const here = killHere(host, filter, skipme ? ctx.client : null, ctx.client);
    // Clients on the other acceptors match the same filters (the caller is never there).
    host.peers.ask('client-kill', filter, (answers) => {
      const killed = here.killed + (answers as number[]).reduce((a, b) => a + b, 0);
      if (argv.length === 3) {
        if (killed === 0) reply(ctx, (w) => w.error('ERR No such client'));
        else reply(ctx, (w) => w.ok());
      } else {
        reply(ctx, (w) => w.int(killed));
      }
      // CLIENT_CLOSE_AFTER_REPLY, set once the reply is queued.
      if (here.self && ctx.client.closeAfterSeq < 0) ctx.client.closeAfterSeq = ctx.seq;
    });
  },

  'client|unblock'(ctx, argv) {
    const host: Host = ctx.host;
    let error = false;
    if (argv.length === 4) {
      const mode = argv[3].toLowerCase();
      if (mode === 'error') error = true;
      else if (mode !== 'timeout') return reply(ctx, (w) => w.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'));
    } else if (argv.length !== 3) {
      return reply(ctx, (w) => w.error(subcommandSyntaxError(argv)));
    }
    const id = parseLongLong(argv[2]);
    if (id === null) return reply(ctx, (w) => w.error(ERR.NOT_INTEGER));
    const args: UnblockArgs = { id, error };
    const answer = (n: number) => reply(ctx, (w) => w.int(n));
    if (host.clients.has(id)) return unblockHere(host, args, answer);
    // The client is another acceptor's: that acceptor knows how it waits, and answers.
    host.peers.ask('client-unblock', args, (answers) => answer(Math.max(0, ...(answers as number[]))));
  },

  monitor(ctx) {
    const { host, client } = ctx;
    // Already a monitor: ignored, without a reply (monitorCommand).
    if (client.monitor) return reply(ctx, () => {});
    // Every acceptor sends this one its command lines from now on: +OK once all know.
    addMonitor(host, client, () => reply(ctx, (w) => w.ok()));
  },
};
