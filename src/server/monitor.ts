/**
 * MONITOR (Redis replication.c replicationFeedMonitors, server.c call()):
 * every command a client runs is sent to the MONITOR clients as one status
 * line, `+<seconds>.<micros> [<db> <addr>] "ARG" "ARG" ...`, each argument
 * quoted as sdscatrepr does, in the order the acceptor dispatches commands.
 *
 * What Redis shows is what went through call(): commands refused before
 * running (unknown, arity, NOAUTH, queued in MULTI) are not shown, the
 * commands of an EXEC are shown when EXEC runs, before EXEC itself;
 * commands flagged admin or skip_monitor are never shown; AUTH's and HELLO
 * AUTH's secrets are redacted as `(redacted)`. The db is the client's after
 * the command (SELECT 1 shows 1).
 *
 * Monitors on any acceptor see every acceptor's commands: the server
 * registry counts each acceptor's monitors, and an acceptor sends the lines
 * of each command to every acceptor that has some. Lines from one acceptor
 * keep their order; lines of different acceptors interleave as their
 * commands ran.
 *
 * Cost when no monitor is attached: none here; the acceptor checks one
 * boolean per command (host.flow.special).
 */
import { performance } from 'node:perf_hooks';
import { argvOf } from '../net/arg-source.js';
import type { CommandSpec } from '../commands/spec.js';
import { allCommands } from '../commands/table.js';
import type { Host } from './host.js';
import type { Client, HeldCommand } from '../net/client.js';
import type { QueuedCommand } from './transactions.js';
import { updateSpecial } from './client-control.js';

/** Commands never shown to monitors (flags admin or skip_monitor), by id. */
const HIDDEN = Uint8Array.from(allCommands, (s) => (s.flags.includes('admin') || s.flags.includes('skip_monitor') ? 1 : 0));

/** The MONITOR clients of each acceptor. */
const monitorsOf = new WeakMap<Host, Set<Client>>();

export function monitors(host: Host): Set<Client> {
  let set = monitorsOf.get(host);
  if (set === undefined) monitorsOf.set(host, (set = new Set()));
  return set;
}

/** Live MONITOR clients of this acceptor (closed ones are dropped here rather than on every disconnect). */
export function liveMonitors(host: Host): Set<Client> {
  const set = monitors(host);
  let gone = 0;
  for (const c of set) {
    if (!c.closed) continue;
    set.delete(c);
    gone++;
  }
  if (gone > 0) monitorsChanged(host, -gone, () => {});
  return set;
}

/** Whether any acceptor has a monitor. */
export function anyMonitors(host: Host): boolean {
  liveMonitors(host);
  return host.registry.anyMonitors();
}

/** Turns a client into a monitor (monitorCommand); `done` once every acceptor knows. */
export function addMonitor(host: Host, client: Client, done: () => void): void {
  client.monitor = true;
  monitors(host).add(client);
  monitorsChanged(host, 1, done);
}

/** RESET of a monitor: it is a normal client again. */
export function removeMonitor(host: Host, client: Client): void {
  client.monitor = false;
  if (monitors(host).delete(client)) monitorsChanged(host, -1, () => {});
}

/** Counts this acceptor's monitors in the registry and has every acceptor re-check whether it must feed monitors. */
function monitorsChanged(host: Host, delta: number, done: () => void): void {
  host.registry.addMonitors(host.index, delta);
  updateSpecial(host);
  host.peers.ask('monitors-changed', null, done);
}

/** What this acceptor does for the others' MONITOR (src/server/peer-ops.ts). */
export function registerMonitorPeerOps(host: Host): void {
  host.peers.handle('monitors-changed', (_args, _from, answer) => {
    updateSpecial(host);
    answer(null);
  });
  host.peers.handle('monitor-lines', (text) => deliver(host, Buffer.from(text as string, 'latin1')));
}

/** Lines for this acceptor's monitors. */
function deliver(host: Host, bytes: Buffer): void {
  for (const m of liveMonitors(host)) host.replies.complete(m, m.nextSeq++, bytes);
}

/**
 * A command's lines to every other acceptor with monitors, at once: before
 * anything the command's client sees next (its reply, its connection
 * closing), so a monitor reading after that finds them (peers.ts, causality).
 */
function sendToPeers(host: Host, text: string): void {
  const registry = host.registry;
  for (let a = 0; a < registry.acceptors; a++) {
    if (a !== host.index && registry.monitors(a) > 0) host.peers.tell('monitor-lines', text, [a]);
  }
}

/** Printable bytes that need no escape: the common case, quoted as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Redis' sdscatrepr: a double-quoted string, escapes for \\ " \n \r \t \a \b, \xhh for other unprintable bytes. */
export function catRepr(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}

/** The arguments as the monitor shows them, with the secrets Redis redacts replaced (AUTH, HELLO ... AUTH). */
export function redactedArgs(spec: CommandSpec, argv: string[], host: Host): string[] {
  if (spec.name === 'auth') {
    // authCommand redacts only once past its own syntax check (at most 3 arguments).
    if (argv.length > 3) return argv;
    return argv.map((a, i) => (i === 0 ? a : '(redacted)'));
  }
  if (spec.name === 'hello') return redactHello(argv, host);
  return argv;
}

/** helloCommand's walk: a valid protocol version, then each AUTH pair is redacted until one fails. */
function redactHello(argv: string[], host: Host): string[] {
  let next = 1;
  if (argv.length >= 2) {
    const v = argv[1];
    if (!/^-?\d+$/.test(v) || (v !== '2' && v !== '3')) return argv;
    next = 2;
  }
  const out = [...argv];
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j].toLowerCase();
    if (opt === 'auth' && more >= 2) {
      out[j + 1] = '(redacted)';
      out[j + 2] = '(redacted)';
      const required = host.config.requirepass;
      if (argv[j + 1] !== 'default' || (required !== '' && argv[j + 2] !== required)) break;
      j += 2;
    } else if (opt === 'setname' && more >= 1) {
      j++;
    } else {
      break;
    }
  }
  return out;
}

function now(): string {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const sec = Math.floor(us / 1e6);
  return `${sec}.${String(us - sec * 1e6).padStart(6, '0')}`;
}


function line(host: Host, client: Client, db: number, spec: CommandSpec, argv: string[]): string {
  const args = redactedArgs(spec, argv, host).map(catRepr).join(' ');
  return `+${now()} [${db} ${client.addr}] ${args}\r\n`;
}

/** What the monitors need to know about an EXEC before it runs (its queue is gone afterwards). */
export interface ExecSnapshot {
  queued: QueuedCommand[];
  db: number;
}

export function snapshotExec(client: Client): ExecSnapshot | null {
  if (client.multi === null || client.multiAborted) return null;
  return { queued: client.multi, db: client.db };
}

/**
 * Sends the line of a command that has just run to every monitor. For EXEC,
 * the lines of the commands it ran come first, each with the database it ran
 * in (a queued SELECT moves the ones after it).
 */
export function feedMonitors(
  host: Host,
  client: Client,
  spec: CommandSpec,
  cmd: HeldCommand,
  exec: ExecSnapshot | null,
): void {
  if (HIDDEN[spec.id] === 1 || !anyMonitors(host)) return;
  let text = '';
  if (exec !== null) {
    let db = exec.db;
    for (const q of exec.queued) {
      const argv = argvOf(q.cmd, q.cmd.argc);
      if (q.spec.name === 'select') {
        const id = Number(argv[1]);
        if (/^(0|[1-9]\d*)$/.test(argv[1]) && id < host.config.databases) db = id;
      }
      if (HIDDEN[q.spec.id] !== 1) text += line(host, client, db, q.spec, argv);
    }
  }
  text += line(host, client, client.db, spec, argvOf(cmd, cmd.argc));
  if (monitors(host).size > 0) deliver(host, Buffer.from(text, 'latin1'));
  sendToPeers(host, text);
}
