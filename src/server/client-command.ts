/** CLIENT subcommands (Redis networking.c clientCommand). */
import { ERR } from '../resp/errors.js';
import type { Acceptor } from '../net/acceptor.js';
import type { Client } from '../net/client.js';
import { reply, validClientName, type LocalHandler } from './local-commands.js';

/** One CLIENT LIST / CLIENT INFO line, with Redis 7.0's fields. */
export function clientInfoLine(acceptor: Acceptor, c: Client): string {
  const now = Date.now();
  const fd = (c.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  const qbuf = c.parser.buffered;
  return [
    `id=${c.id}`,
    `addr=${c.addr}`,
    `laddr=${c.laddr}`,
    `fd=${fd}`,
    `name=${c.name}`,
    `age=${Math.floor((now - c.createdAt) / 1000)}`,
    `idle=${Math.floor((now - c.lastInteraction) / 1000)}`,
    'flags=N',
    `db=${c.db}`,
    'sub=0',
    'psub=0',
    'ssub=0',
    'multi=-1',
    `qbuf=${qbuf}`,
    'qbuf-free=0',
    'argv-mem=0',
    'multi-mem=0',
    `rbs=${16384}`,
    'rbp=0',
    'obl=0',
    'oll=0',
    `omem=${c.socket.writableLength}`,
    `tot-mem=${qbuf + c.socket.writableLength}`,
    'events=r',
    `cmd=${c.lastCommand}`,
    'user=default',
    'redir=-1',
    `resp=${c.proto}`,
  ].join(' ') + '\n';
}

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
  '    * ID id [id ...]',
  '      Return clients of specified IDs only.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'HELP',
  '    Print this help.',
];

export const clientCommands: Record<string, LocalHandler> = {
  'client|id'(ctx) {
    reply(ctx, (w) => w.int(ctx.client.id));
  },
  'client|getname'(ctx) {
    reply(ctx, (w) => w.bulk(ctx.client.name === '' ? null : ctx.client.name));
  },
  'client|setname'(ctx, argv) {
    const name = argv[2];
    if (!validClientName(name)) return reply(ctx, (w) => w.error(ERR.CLIENT_NAME_SPACES));
    ctx.client.name = name;
    reply(ctx, (w) => w.ok());
  },
  'client|info'(ctx) {
    const line = clientInfoLine(ctx.acceptor, ctx.client);
    reply(ctx, (w) => w.verbatim(line));
  },
  'client|list'(ctx, argv) {
    let clients = [...ctx.acceptor.clients.values()];
    for (let j = 2; j < argv.length; j++) {
      const opt = argv[j].toLowerCase();
      if (opt === 'type' && j + 1 < argv.length) {
        const type = argv[++j].toLowerCase();
        if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) {
          return reply(ctx, (w) => w.error(`ERR Unknown client type '${argv[j]}'`));
        }
        if (type !== 'normal') clients = [];
      } else if (opt === 'id' && j + 1 < argv.length) {
        const ids = new Set<number>();
        for (j++; j < argv.length; j++) {
          if (!/^[1-9]\d*$/.test(argv[j])) return reply(ctx, (w) => w.error('ERR Invalid client ID'));
          ids.add(Number(argv[j]));
        }
        clients = clients.filter((c) => ids.has(c.id));
      } else {
        return reply(ctx, (w) => w.error(ERR.SYNTAX));
      }
    }
    const text = clients.map((c) => clientInfoLine(ctx.acceptor, c)).join('');
    reply(ctx, (w) => w.verbatim(text));
  },
  'client|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(CLIENT_HELP.length);
      for (const line of CLIENT_HELP) w.simple(line);
    });
  },
};
