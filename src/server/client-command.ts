/** CLIENT subcommands (Redis networking.c clientCommand). */
import { ERR } from '../resp/errors.js';
import { string2ll } from '../resp/parser.js';
import type { Host } from './host.js';
import type { Client } from '../net/client.js';
import { reply, validClientName, type LocalHandler } from './local-ctx.js';
import { clientControlCommands, clientPubSubHook, clientTypeByName, clientTypeOf } from './client-control.js';

/** Redis' reply buffer size (PROTO_REPLY_CHUNK_BYTES), shown as rbs/rbp. */
const REPLY_CHUNK_BYTES = 16 * 1024;

/**
 * One CLIENT LIST / CLIENT INFO line (catClientInfoString), with Redis 7.0's
 * fields in Redis' order. `current` is the argument vector when `c` is the
 * client running the command (Redis counts it in argv-mem and in the query buffer).
 */
export function clientInfoLine(c: Client, current: string[] | null): string {
  const nowSec = Math.floor(Date.now() / 1000);
  const fd = c.conn.fd;
  const qbuf = c.parser.queryBufferLength;
  const qbufFree = c.parser.queryBufferFree;
  let argvMem = c.parser.partialArgBytes;
  if (current !== null) for (const a of current) argvMem += a.length;
  const omem = c.conn.bufferedBytes;
  // mstate.argv_len_sums: the queued arguments' bytes plus a pointer per argument.
  let multiMem = 0;
  if (c.multi !== null) for (const q of c.multi) multiMem += q.cmd.buf.length + 8 * q.cmd.argc;
  const [sub, psub, ssub] = clientPubSubHook.counts(c);
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${fd} name=${c.name}` +
    // Redis subtracts whole seconds (server.unixtime - ctime), so do the same.
    ` age=${nowSec - Math.floor(c.createdAt / 1000)} idle=${nowSec - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.db} sub=${sub} psub=${psub} ssub=${ssub} multi=${c.multi === null ? -1 : c.multi.length}` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=${REPLY_CHUNK_BYTES} rbp=${REPLY_CHUNK_BYTES} obl=0 oll=0 omem=${omem}` +
    ` tot-mem=${qbuf + qbufFree + argvMem + multiMem + REPLY_CHUNK_BYTES + omem}` +
    ` events=${omem > 0 ? 'rw' : 'r'} cmd=${c.lastCommand} user=default redir=-1 resp=${c.proto}`
  );
}

/**
 * The flags of catClientInfoString, in Redis' order, for the states shardis
 * has: O monitor, P subscribed, x in MULTI, b blocked (or held by CLIENT
 * PAUSE), c closing after the reply, e no-evict; N for none. Never S/M
 * (no replication yet), t/R/B (no tracking), d, u, A, U, r.
 */
export function clientFlags(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  if (clientPubSubHook.subscribed(c)) f += 'P';
  if (c.multi !== null) f += 'x';
  if (c.blockedSeq >= 0) f += 'b';
  if (c.closeAfterSeq >= 0) f += 'c';
  if (c.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

/**
 * CLIENT HELP: Redis' text, without the subcommands shardis does not have
 * (CACHING, GETREDIR, TRACKING, TRACKINGINFO: no client-side caching yet).
 */
const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

/** Which clients CLIENT LIST shows: of a type, or with these ids (neither: all). */
interface ListFilter {
  type: string | null;
  ids: number[] | null;
}

/** This acceptor's CLIENT LIST lines, by client id (`self` is the asking client, `argv` its command). */
function listHere(host: Host, filter: ListFilter, self: Client | null, argv: string[] | null): [number, string][] {
  const out: [number, string][] = [];
  const add = (c: Client) => out.push([c.id, `${clientInfoLine(c, c === self ? argv : null)}\n`]);
  if (filter.ids !== null) {
    for (const id of filter.ids) {
      const c = host.clients.get(id);
      if (c !== undefined) add(c);
    }
  } else {
    // No replicas or masters yet; monitors count as normal clients (getClientType).
    for (const c of host.clients.values()) if (filter.type === null || clientTypeOf(c) === filter.type) add(c);
  }
  return out;
}

/** What this acceptor does for the others' CLIENT LIST (src/server/peer-ops.ts). */
export function registerClientListPeerOp(host: Host): void {
  host.peers.handle('client-list', (filter, _from, answer) => answer(listHere(host, filter as ListFilter, null, null)));
}

export const clientCommands: Record<string, LocalHandler> = {
  'client|id'(ctx) {
    reply(ctx, (w) => w.int(ctx.client.id));
  },
  'client|getname'(ctx) {
    reply(ctx, (w) => w.bulk(ctx.client.name === '' ? null : ctx.client.name));
  },
  'client|setname'(ctx, argv) {
    // An empty name removes the name (clientSetName).
    const name = argv[2];
    if (!validClientName(name)) return reply(ctx, (w) => w.error(ERR.CLIENT_NAME_SPACES));
    ctx.client.name = name;
    reply(ctx, (w) => w.ok());
  },
  'client|info'(ctx, argv) {
    const line = `${clientInfoLine(ctx.client, argv)}\n`;
    reply(ctx, (w) => w.verbatim(line));
  },
  'client|list'(ctx, argv) {
    let filter: ListFilter = { type: null, ids: null };
    if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
      const type = clientTypeByName(argv[3]);
      if (type === null) return reply(ctx, (w) => w.error(`ERR Unknown client type '${argv[3]}'`));
      filter = { type, ids: null };
    } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
      // Like Redis: every id must be an integer; they are listed in the order given, repeats included.
      const ids: number[] = [];
      for (let j = 3; j < argv.length; j++) {
        const bytes = Buffer.from(argv[j], 'latin1');
        const id = string2ll(bytes, 0, bytes.length);
        if (id === null) return reply(ctx, (w) => w.error('ERR Invalid client ID'));
        ids.push(id);
      }
      filter = { type: null, ids };
    } else if (argv.length !== 2) {
      return reply(ctx, (w) => w.error(ERR.SYNTAX));
    }
    const lines = new Map(listHere(ctx.host, filter, ctx.client, argv));
    // The other acceptors' clients too: CLIENT LIST is server-wide.
    ctx.host.peers.ask('client-list', filter, (answers) => {
      for (const list of answers as [number, string][][]) for (const [id, line] of list) lines.set(id, line);
      // Redis lists its clients in creation order, which is id order; an ID list in the order given.
      const order = filter.ids ?? [...lines.keys()].sort((x, y) => x - y);
      let text = '';
      for (const id of order) {
        const line = lines.get(id);
        if (line !== undefined) text += line;
      }
      reply(ctx, (w) => w.verbatim(text));
    });
  },
  'client|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(CLIENT_HELP.length);
      for (const line of CLIENT_HELP) w.simple(line);
    });
  },
  ...clientControlCommands,
};
