/**
 * Commands the acceptor answers itself: connection state (PING, HELLO, AUTH,
 * SELECT, CLIENT ...) and server-wide introspection (INFO, COMMAND, CONFIG,
 * TIME, SHUTDOWN). They never touch the keyspace.
 */
import { performance } from 'node:perf_hooks';
import type { Host } from './host.js';
import { ERR } from '../resp/errors.js';
import { clientCommands } from './client-command.js';
import { commandCommands } from './command-command.js';
import { configCommands } from './config-command.js';
import { infoCommand } from './info.js';
import { introspectCommands } from './introspect/commands.js';
import { discardTransaction, transactionHandlers } from './transactions.js';
import { isSubscribed, pubsubCommands } from './pubsub.js';
import { REDIS_COMPAT_VERSION } from '../config/config.js';
import { reply, validClientName, type LocalHandler } from './local-ctx.js';

export type { LocalCtx, LocalHandler } from './local-ctx.js';

function checkPassword(host: Host, user: string, pass: string): boolean {
  if (user !== 'default') return false;
  const required = host.config.requirepass;
  return required === '' || pass === required;
}

export const localHandlers: Record<string, LocalHandler> = {
  ping(ctx, argv) {
    if (argv.length > 2) return reply(ctx, (w) => w.error(ERR.wrongArity('ping')));
    // A subscribed RESP2 client gets ["pong", message] (pingCommand).
    if (ctx.client.proto === 2 && isSubscribed(ctx.client)) return reply(ctx, (w) => w.bulkArray(['pong', argv.length === 1 ? '' : argv[1]]));
    reply(ctx, (w) => (argv.length === 1 ? w.simple('PONG') : w.bulk(argv[1])));
  },

  echo(ctx, argv) {
    reply(ctx, (w) => w.bulk(argv[1]));
  },

  quit(ctx) {
    ctx.client.closeAfterSeq = ctx.seq;
    reply(ctx, (w) => w.ok());
  },

  reset(ctx) {
    const c = ctx.client;
    discardTransaction(ctx.host, c);
    ctx.host.pubsub.removeClient(c);
    c.db = 0;
    c.proto = 2;
    c.name = '';
    c.authenticated = ctx.host.config.requirepass === '';
    reply(ctx, (w) => w.simple('RESET'));
  },

  auth(ctx, argv) {
    if (argv.length > 3) return reply(ctx, (w) => w.error(ERR.SYNTAX));
    let user = 'default';
    let pass = argv[1];
    if (argv.length === 2) {
      if (ctx.host.config.requirepass === '') return reply(ctx, (w) => w.error(ERR.AUTH_NOT_CONFIGURED));
    } else {
      user = argv[1];
      pass = argv[2];
    }
    if (checkPassword(ctx.host, user, pass)) {
      ctx.client.authenticated = true;
      reply(ctx, (w) => w.ok());
    } else {
      reply(ctx, (w) => w.error(ERR.WRONGPASS));
    }
  },

  hello(ctx, argv) {
    const c = ctx.client;
    let ver = 0;
    let next = 1;
    if (argv.length >= 2) {
      // Any 64-bit integer is a version (then NOPROTO unless 2 or 3), as getLongLongFromObject reads it.
      const text = argv[next++];
      const v = /^(0|-?[1-9]\d{0,18})$/.test(text) && BigInt.asIntN(64, BigInt(text)) === BigInt(text) ? Number(text) : null;
      if (v === null) return reply(ctx, (w) => w.error(ERR.PROTOCOL_VERSION_NOT_INTEGER));
      if (v < 2 || v > 3) return reply(ctx, (w) => w.error(ERR.NOPROTO));
      ver = v;
    }
    for (let j = next; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = argv[j].toLowerCase();
      if (opt === 'auth' && more >= 2) {
        if (!checkPassword(ctx.host, argv[j + 1], argv[j + 2])) return reply(ctx, (w) => w.error(ERR.WRONGPASS));
        c.authenticated = true;
        j += 2;
      } else if (opt === 'setname' && more >= 1) {
        if (!validClientName(argv[j + 1])) return reply(ctx, (w) => w.error(ERR.CLIENT_NAME_SPACES));
        c.name = argv[j + 1];
        j++;
      } else {
        return reply(ctx, (w) => w.error(`ERR Syntax error in HELLO option '${argv[j]}'`));
      }
    }
    // Redis checks the client's own flag here, not whether a password is currently required.
    if (!c.authenticatedFlag) {
      return reply(ctx, (w) =>
        w.error(
          'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
        ),
      );
    }
    if (ver) c.proto = ver;
    reply(ctx, (w) => {
      w.mapLen(7);
      w.bulk('server');
      w.bulk('redis');
      w.bulk('version');
      w.bulk(REDIS_COMPAT_VERSION);
      w.bulk('proto');
      w.int(c.proto);
      w.bulk('id');
      w.int(c.id);
      w.bulk('mode');
      w.bulk('standalone');
      w.bulk('role');
      w.bulk('master');
      w.bulk('modules');
      w.arrayLen(0);
    });
  },

  select(ctx, argv) {
    // getIntFromObjectOrReply: not an int64 is one error, an int64 outside the int range another.
    const valid = /^(0|-?[1-9]\d{0,18})$/.test(argv[1]) && BigInt.asIntN(64, BigInt(argv[1])) === BigInt(argv[1]);
    if (!valid) return reply(ctx, (w) => w.error(ERR.NOT_INTEGER));
    const id = Number(argv[1]);
    if (id < -2147483648 || id > 2147483647) return reply(ctx, (w) => w.error(ERR.OUT_OF_INT_RANGE));
    if (id < 0 || id >= ctx.host.config.databases) return reply(ctx, (w) => w.error(ERR.DB_INDEX_OUT_OF_RANGE));
    ctx.client.db = id;
    reply(ctx, (w) => w.ok());
  },

  /** OBJECT HELP (object.c): the status lines Redis' addReplyHelp sends. */
  'object|help'(ctx) {
    const lines = [
      'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'ENCODING <key>',
      '    Return the kind of internal representation used in order to store the value',
      '    associated with a <key>.',
      'FREQ <key>',
      '    Return the access frequency index of the <key>. The returned integer is',
      '    proportional to the logarithm of the recent access frequency of the key.',
      'IDLETIME <key>',
      '    Return the idle time of the <key>, that is the approximated number of',
      '    seconds elapsed since the last access to the key.',
      'REFCOUNT <key>',
      '    Return the number of references of the value associated with the specified',
      '    <key>.',
      'HELP',
      '    Prints this help.',
    ];
    reply(ctx, (w) => {
      w.arrayLen(lines.length);
      for (const line of lines) w.simple(line);
    });
  },

  time(ctx) {
    const us = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
    reply(ctx, (w) => {
      w.arrayLen(2);
      w.bulk(String(us / 1000000n));
      w.bulk(String(us % 1000000n));
    });
  },

  info(ctx, argv) {
    infoCommand(ctx.host, argv.slice(1), (text) => reply(ctx, (w) => w.verbatim(text)));
  },

  shutdown(ctx, argv) {
    let abort = false;
    let save = false;
    let nosave = false;
    for (let j = 1; j < argv.length; j++) {
      const opt = argv[j].toLowerCase();
      if (opt === 'abort') abort = true;
      else if (opt === 'save') save = true;
      else if (opt === 'nosave') nosave = true;
      else if (opt !== 'now' && opt !== 'force') return reply(ctx, (w) => w.error(ERR.SYNTAX));
    }
    // Redis: ABORT goes alone, and SAVE with NOSAVE contradicts itself.
    if ((abort && argv.length > 2) || (save && nosave)) return reply(ctx, (w) => w.error(ERR.SYNTAX));
    if (abort) return reply(ctx, (w) => w.error('ERR No shutdown in progress.'));
    // Nothing is persisted yet, so SAVE and NOSAVE both just stop the server. The client gets no reply.
    ctx.host.log.warn({ client: ctx.client.id }, 'User requested shutdown...');
    ctx.host.shutdown('SHUTDOWN command');
  },

  ...clientCommands,
  ...commandCommands,
  ...configCommands,
  ...transactionHandlers,
  ...introspectCommands,
  ...pubsubCommands,
};
