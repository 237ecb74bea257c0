/** CLIENT subcommands (Redis networking.c clientCommand). */
import { isSubscribed, subscriptionCounts } from './pubsub.js';
import { ERR } from '../resp/errors.js';
import { string2ll } from '../resp/parser.js';
import type { Acceptor } from '../net/acceptor.js';
import type { Client } from '../net/client.js';
import { reply, validClientName, type LocalHandler } from './local-commands.js';

/** Redis' reply buffer size (PROTO_REPLY_CHUNK_BYTES), shown as rbs/rbp. */
const REPLY_CHUNK_BYTES = 16 * 1024;

/**
 * One CLIENT LIST / CLIENT INFO line (catClientInfoString), with Redis 7.0's
 * fields in Redis' order. `current` is the argument vector when `c` is the
 * client running the command (Redis counts it in argv-mem and in the query buffer).
 */
export function clientInfoLine(c: Client, current: string[] | null): string {
  const nowSec = Math.floor(Date.now() / 1000);
  const fd = (c.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  const qbuf = c.parser.queryBufferLength;
  const qbufFree = c.parser.queryBufferFree;
  let argvMem = c.parser.partialArgBytes;
  if (current !== null) for (const a of current) argvMem += a.length;
  const omem = c.socket.writableLength;
  // Flags as Redis prints them, for the states shardis has: 'c' close after reply, else 'N'.
  const flags = (isSubscribed(c) ? 'P' : '') + (c.closeAfterSeq >= 0 ? 'c' : '') || 'N';
  const [sub, psub, ssub] = subscriptionCounts(c);
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${fd} name=${c.name}` +
    // Redis subtracts whole seconds (server.unixtime - ctime), so do the same.
    ` age=${nowSec - Math.floor(c.createdAt / 1000)} idle=${nowSec - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${flags} db=${c.db} sub=${sub} psub=${psub} ssub=${ssub} multi=-1` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=0` +
    ` rbs=${REPLY_CHUNK_BYTES} rbp=${REPLY_CHUNK_BYTES} obl=0 oll=0 omem=${omem}` +
    ` tot-mem=${qbuf + qbufFree + argvMem + REPLY_CHUNK_BYTES + omem}` +
    ` events=${omem > 0 ? 'rw' : 'r'} cmd=${c.lastCommand} user=default redir=-1 resp=${c.proto}`
  );
}

/** The subcommands shardis implements, in the words and order of Redis' CLIENT HELP. */
const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'HELP',
  '    Prints this help.',
];

/** getClientTypeByName; null for an unknown type. */
function clientType(name: string): 'normal' | 'slave' | 'pubsub' | 'master' | null {
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
    const acceptor: Acceptor = ctx.acceptor;
    const lineOf = (c: Client) => `${clientInfoLine(c, c === ctx.client ? argv : null)}\n`;
    let text = '';
    if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
      const type = clientType(argv[3]);
      if (type === null) return reply(ctx, (w) => w.error(`ERR Unknown client type '${argv[3]}'`));
      // No replicas or masters yet: a client is a pubsub one while subscribed (getClientType), else normal.
      if (type === 'normal' || type === 'pubsub') {
        for (const c of acceptor.clients.values()) if ((type === 'pubsub') === isSubscribed(c)) text += lineOf(c);
      }
    } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
      // Like Redis: every id must be an integer; they are listed in the order given, repeats included.
      const ids: number[] = [];
      for (let j = 3; j < argv.length; j++) {
        const bytes = Buffer.from(argv[j], 'latin1');
        const id = string2ll(bytes, 0, bytes.length);
        if (id === null) return reply(ctx, (w) => w.error('ERR Invalid client ID'));
        ids.push(id);
      }
      for (const id of ids) {
        const c = acceptor.clients.get(id);
        if (c !== undefined) text += lineOf(c);
      }
    } else if (argv.length !== 2) {
      return reply(ctx, (w) => w.error(ERR.SYNTAX));
    } else {
      for (const c of acceptor.clients.values()) text += lineOf(c);
    }
    reply(ctx, (w) => w.verbatim(text));
  },
  'client|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(CLIENT_HELP.length);
      for (const line of CLIENT_HELP) w.simple(line);
    });
  },
};
