/**
 * Pub/sub on the acceptors (Redis' pubsub.c): each acceptor keeps the
 * channels, patterns and shard channels of its own clients, and PUBLISH never
 * travels to a shard. A PUBLISH delivers to this acceptor's subscribers, then
 * asks every other acceptor whose clients subscribe to anything (the server
 * registry counts subscriptions per acceptor) to deliver too, and replies
 * with the sum once they have answered. Messages from one acceptor to another
 * travel on one port, in order, so a publisher's messages arrive in the order
 * it published them. Keyspace notifications raised by the shards
 * (workers/shard/notify.ts) reach every acceptor with subscribers as
 * out-of-band reply records and are published there.
 *
 * Delivery order is Redis': channel subscribers in subscription order, then
 * each matching pattern (in the order patterns were first subscribed) with
 * its clients in subscription order. A message is written after every reply
 * the subscriber is owed (client.push), or, when the subscriber raised it
 * itself, before the reply of the request that raised it (client.pushBefore).
 *
 * client-output-buffer-limit's pubsub class is enforced at each delivery, as
 * Redis checks it when a reply is appended.
 */
import type { Host } from './host.js';
import type { Client } from '../net/client.js';
import type { ReplyWriter } from '../resp/writer.js';
import { globMatch } from '../util/glob.js';
import { reply, type LocalCtx, type LocalHandler } from './local-ctx.js';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from './notify-flags.js';

/** A client's subscriptions (Client.pubsub). */
export interface ClientPubSub {
  channels: Set<string>;
  /** Kept in subscription order: PUNSUBSCRIBE without arguments leaves them in that order, as Redis' list. */
  patterns: Set<string>;
  shardChannels: Set<string>;
  /** When pending output first reached the soft limit (seconds), 0 while under it. */
  softLimitSince: number;
}

/** Number of channels and patterns (what SUBSCRIBE / PSUBSCRIBE confirmations count). */
function globalCount(c: Client): number {
  return c.pubsub === null ? 0 : c.pubsub.channels.size + c.pubsub.patterns.size;
}

/** Redis' CLIENT_PUBSUB flag: subscribed to anything. */
export function isSubscribed(c: Client): boolean {
  const p = c.pubsub;
  return p !== null && p.channels.size + p.patterns.size + p.shardChannels.size > 0;
}

/** Subscription counts for CLIENT LIST (sub, psub, ssub). */
export function subscriptionCounts(c: Client): [number, number, number] {
  const p = c.pubsub;
  return p === null ? [0, 0, 0] : [p.channels.size, p.patterns.size, p.shardChannels.size];
}

/** Commands a RESP2 client may send while subscribed (processCommand). */
const ALLOWED_WHEN_SUBSCRIBED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** The error a RESP2 subscribed client gets for any other command, or null when the command may run. */
export function subscribedModeError(c: Client, name: string): string | null {
  if (c.proto !== 2 || c.pubsub === null || ALLOWED_WHEN_SUBSCRIBED.has(name) || !isSubscribed(c)) return null;
  return `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
}

/** Encodes a push of bulk strings (RESP2: an array, RESP3: `>`), built as one string and written once. */
function encodePush(proto: number, parts: string[]): Buffer {
  let text = `${proto === 3 ? '>' : '*'}${parts.length}\r\n`;
  for (const p of parts) text += `$${p.length}\r\n${p}\r\n`;
  return Buffer.from(text, 'latin1');
}

/** One message, encoded at most once per protocol for all its receivers. */
class Message {
  private resp2: Buffer | null = null;
  private resp3: Buffer | null = null;
  constructor(private readonly parts: string[]) {}
  bytes(proto: number): Buffer {
    if (proto === 3) return (this.resp3 ??= encodePush(3, this.parts));
    return (this.resp2 ??= encodePush(2, this.parts));
  }
}

/** The limits of one client-output-buffer-limit class. */
export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** The request that raised a message: its client gets the message before that request's reply. */
export interface Origin {
  clientId: number;
  seq: number;
}

/** Unflushed output above which a delivery writes to the socket at once. */
const FLUSH_EARLY_BYTES = 64 * 1024;

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();
  /** The pubsub class's client-output-buffer-limit, read once per PUBLISH. */
  private limit: OutputLimit = { hard: 0, soft: 0, softSeconds: 0 };
  /** Clients over their output limit, closed once the current delivery loop is over. */
  private readonly overLimit: Client[] = [];

  constructor(private readonly host: Host) {}

  private state(c: Client): ClientPubSub {
    return (c.pubsub ??= { channels: new Set(), patterns: new Set(), shardChannels: new Set(), softLimitSince: 0 });
  }

  /** Subscriptions of this acceptor's clients, as the server registry counts them. */
  private counted(delta: number): void {
    this.host.registry.addSubscriptions(this.host.index, delta);
  }

  subscribe(c: Client, channel: string, shard: boolean): void {
    const own = shard ? this.state(c).shardChannels : this.state(c).channels;
    if (own.has(channel)) return;
    own.add(channel);
    this.counted(1);
    const server = shard ? this.shardChannels : this.channels;
    let clients = server.get(channel);
    if (clients === undefined) server.set(channel, (clients = new Set()));
    clients.add(c);
  }

  /** Returns whether the client was subscribed. */
  unsubscribe(c: Client, channel: string, shard: boolean): boolean {
    const own = c.pubsub === null ? undefined : shard ? c.pubsub.shardChannels : c.pubsub.channels;
    if (own === undefined || !own.delete(channel)) return false;
    this.counted(-1);
    const server = shard ? this.shardChannels : this.channels;
    const clients = server.get(channel)!;
    clients.delete(c);
    if (clients.size === 0) server.delete(channel);
    return true;
  }

  psubscribe(c: Client, pattern: string): void {
    const own = this.state(c).patterns;
    if (own.has(pattern)) return;
    own.add(pattern);
    this.counted(1);
    let clients = this.patterns.get(pattern);
    if (clients === undefined) this.patterns.set(pattern, (clients = new Set()));
    clients.add(c);
  }

  punsubscribe(c: Client, pattern: string): boolean {
    if (c.pubsub === null || !c.pubsub.patterns.delete(pattern)) return false;
    this.counted(-1);
    const clients = this.patterns.get(pattern)!;
    clients.delete(c);
    if (clients.size === 0) this.patterns.delete(pattern);
    return true;
  }

  /** Leaves every channel, pattern and shard channel (RESET, disconnection). */
  removeClient(c: Client): void {
    const p = c.pubsub;
    if (p === null) return;
    for (const ch of [...p.channels]) this.unsubscribe(c, ch, false);
    for (const ch of [...p.shardChannels]) this.unsubscribe(c, ch, true);
    for (const pat of [...p.patterns]) this.punsubscribe(c, pat);
    c.pubsub = null;
  }

  /** The other acceptors whose clients subscribe to something (a PUBLISH asks them to deliver). */
  listeningPeers(): number[] {
    const registry = this.host.registry;
    const out: number[] = [];
    for (let a = 0; a < registry.acceptors; a++) if (a !== this.host.index && registry.subscriptions(a) > 0) out.push(a);
    return out;
  }

  /** PUBLISH / SPUBLISH to this acceptor's subscribers: delivers and returns the number of receivers. */
  publish(channel: string, message: string, shard: boolean, origin: Origin | null): number {
    let receivers = 0;
    this.limit = this.host.config.outputLimit('pubsub');
    const subscribers = (shard ? this.shardChannels : this.channels).get(channel);
    if (subscribers !== undefined) {
      const msg = new Message([shard ? 'smessage' : 'message', channel, message]);
      for (const c of subscribers) {
        this.deliver(c, msg, origin);
        receivers++;
      }
    }
    if (!shard && this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        const msg = new Message(['pmessage', pattern, channel, message]);
        for (const c of clients) {
          this.deliver(c, msg, origin);
          receivers++;
        }
      }
    }
    if (this.overLimit.length > 0) this.closeOverLimit();
    return receivers;
  }

  /** Whether anyone listens at all (keyspace events skip the channel names' construction otherwise). */
  get empty(): boolean {
    return this.channels.size === 0 && this.patterns.size === 0;
  }

  private deliver(c: Client, msg: Message, origin: Origin | null): void {
    // A client closing after its last reply (QUIT, EOF) is sent nothing more, as Redis' prepareClientToWrite.
    if (c.closed || c.closeAfterSeq >= 0) return;
    const bytes = msg.bytes(c.proto);
    const writable = origin !== null && origin.clientId === c.id ? c.pushBefore(origin.seq, bytes) : c.push(bytes);
    if (writable) {
      // A flood within one turn hands its output to the socket as it grows, so that what piles up
      // (the limit's measure) is what the client does not read, not what this turn has produced.
      if (c.unflushedBytes >= FLUSH_EARLY_BYTES) this.host.stats.netOutputBytes += c.flush();
      else this.host.replies.markDirty(c);
    }
    this.checkOutputLimit(c);
  }

  /**
   * Redis' checkClientOutputBufferLimits for the pubsub class: over the hard
   * limit, or over the soft limit for longer than its seconds, the client is
   * closed (after the current delivery loop, as Redis' freeClientAsync).
   */
  private checkOutputLimit(c: Client): void {
    const limit = this.limit;
    if (limit.hard === 0 && limit.soft === 0) return;
    const used = c.pendingOutputBytes;
    const hard = limit.hard > 0 && used >= limit.hard;
    let soft = limit.soft > 0 && used >= limit.soft;
    const p = c.pubsub!;
    if (soft) {
      const now = Math.floor(Date.now() / 1000);
      if (p.softLimitSince === 0) {
        p.softLimitSince = now;
        soft = false;
      } else if (now - p.softLimitSince <= limit.softSeconds) {
        soft = false;
      }
    } else {
      p.softLimitSince = 0;
    }
    if (hard || soft) this.overLimit.push(c);
  }

  private closeOverLimit(): void {
    for (const c of this.overLimit.splice(0)) {
      if (c.closed) continue;
      this.host.log.warn({ client: c.id, addr: c.addr }, 'Client scheduled to be closed ASAP for overcoming of output buffer limits.');
      this.host.flow.closeClient(c);
    }
  }

  /**
   * A keyspace event raised on a shard (notifyKeyspaceEvent): published on
   * `__keyspace@<db>__:<key>` and/or `__keyevent@<db>__:<event>` as the K and
   * E flags of notify-keyspace-events say.
   */
  keyspaceEvent(db: number, event: string, key: string, origin: Origin | null): void {
    if (this.empty) return;
    const flags = this.host.config.notifyFlags;
    if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${db}__:${key}`, event, false, origin);
    if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${db}__:${event}`, key, false, origin);
  }
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

function writeConfirm(w: ReplyWriter, kind: string, name: string | null, count: number): void {
  w.pushLen(3);
  w.bulk(kind);
  w.bulk(name);
  w.int(count);
}

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

function unsubscribeGeneric(ctx: LocalCtx, argv: string[], shard: boolean): void {
  const { client: c } = ctx;
  const hub = ctx.host.pubsub;
  const kind = shard ? 'sunsubscribe' : 'unsubscribe';
  const count = (): number => (shard ? (c.pubsub?.shardChannels.size ?? 0) : globalCount(c));
  reply(ctx, (w) => {
    if (argv.length === 1) {
      const own = shard ? c.pubsub?.shardChannels : c.pubsub?.channels;
      const names = own === undefined ? [] : [...own];
      for (const ch of names) {
        hub.unsubscribe(c, ch, shard);
        writeConfirm(w, kind, ch, count());
      }
      // Subscribed to nothing: still one confirmation, with a null channel.
      if (names.length === 0) writeConfirm(w, kind, null, count());
      return;
    }
    for (let j = 1; j < argv.length; j++) {
      hub.unsubscribe(c, argv[j], shard);
      writeConfirm(w, kind, argv[j], count());
    }
  });
}

/** PUBLISH / SPUBLISH: this acceptor's subscribers now, the other acceptors' when they answer; the reply sums them. */
function publishEverywhere(ctx: LocalCtx, channel: string, message: string, shard: boolean): void {
  const hub = ctx.host.pubsub;
  const here = hub.publish(channel, message, shard, { clientId: ctx.client.id, seq: ctx.seq });
  const peers = hub.listeningPeers();
  if (peers.length === 0) return reply(ctx, (w) => w.int(here));
  ctx.host.peers.ask(
    'publish',
    { channel, message, shard } satisfies PublishArgs,
    (counts) => reply(ctx, (w) => w.int(here + (counts as number[]).reduce((a, b) => a + b, 0))),
    peers,
  );
}

interface PublishArgs {
  channel: string;
  message: string;
  shard: boolean;
}

type NameKind = 'channels' | 'patterns' | 'shardChannels';

/** Subscriber counts by name of one kind, on this acceptor. */
function namesHere(hub: PubSub, kind: NameKind): [string, number][] {
  return [...hub[kind]].map(([name, clients]) => [name, clients.size]);
}

/** Subscriber counts by name of one kind, summed over every acceptor (PUBSUB's views are server-wide). */
function gatherNames(ctx: LocalCtx, kind: NameKind, done: (counts: Map<string, number>) => void): void {
  const counts = new Map(namesHere(ctx.host.pubsub, kind));
  ctx.host.peers.ask('pubsub-names', kind, (answers) => {
    for (const list of answers as [string, number][][]) for (const [name, n] of list) counts.set(name, (counts.get(name) ?? 0) + n);
    done(counts);
  });
}

/** What this acceptor does for the others' PUBLISH and PUBSUB (src/server/peer-ops.ts). */
export function registerPubSubPeerOps(host: Host): void {
  host.peers.handle('publish', (args, _from, answer) => {
    const { channel, message, shard } = args as PublishArgs;
    answer(host.pubsub.publish(channel, message, shard, null));
  });
  host.peers.handle('pubsub-names', (kind, _from, answer) => answer(namesHere(host.pubsub, kind as NameKind)));
}

function channelList(ctx: LocalCtx, argv: string[], channels: Map<string, number>): void {
  const pattern = argv.length === 3 ? argv[2] : null;
  const names: string[] = [];
  for (const ch of channels.keys()) if (pattern === null || globMatch(pattern, ch)) names.push(ch);
  reply(ctx, (w) => w.bulkArray(names));
}

function numsub(ctx: LocalCtx, argv: string[], channels: Map<string, number>): void {
  reply(ctx, (w) => {
    w.arrayLen((argv.length - 2) * 2);
    for (let j = 2; j < argv.length; j++) {
      w.bulk(argv[j]);
      w.int(channels.get(argv[j]) ?? 0);
    }
  });
}

/** addReplySubcommandSyntaxError. */
function subcommandSyntaxError(ctx: LocalCtx, argv: string[]): void {
  reply(ctx, (w) => w.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`));
}

export const pubsubCommands: Record<string, LocalHandler> = {
  subscribe(ctx, argv) {
    const hub = ctx.host.pubsub;
    reply(ctx, (w) => {
      for (let j = 1; j < argv.length; j++) {
        hub.subscribe(ctx.client, argv[j], false);
        writeConfirm(w, 'subscribe', argv[j], globalCount(ctx.client));
      }
    });
  },

  ssubscribe(ctx, argv) {
    const hub = ctx.host.pubsub;
    reply(ctx, (w) => {
      for (let j = 1; j < argv.length; j++) {
        hub.subscribe(ctx.client, argv[j], true);
        writeConfirm(w, 'ssubscribe', argv[j], ctx.client.pubsub!.shardChannels.size);
      }
    });
  },

  psubscribe(ctx, argv) {
    const hub = ctx.host.pubsub;
    reply(ctx, (w) => {
      for (let j = 1; j < argv.length; j++) {
        hub.psubscribe(ctx.client, argv[j]);
        writeConfirm(w, 'psubscribe', argv[j], globalCount(ctx.client));
      }
    });
  },

  unsubscribe(ctx, argv) {
    unsubscribeGeneric(ctx, argv, false);
  },

  sunsubscribe(ctx, argv) {
    unsubscribeGeneric(ctx, argv, true);
  },

  punsubscribe(ctx, argv) {
    const { client: c } = ctx;
    const hub = ctx.host.pubsub;
    reply(ctx, (w) => {
      const names = argv.length === 1 ? [...(c.pubsub?.patterns ?? [])] : argv.slice(1);
      for (const pat of names) {
        hub.punsubscribe(c, pat);
        writeConfirm(w, 'punsubscribe', pat, globalCount(c));
      }
      if (names.length === 0) writeConfirm(w, 'punsubscribe', null, globalCount(c));
    });
  },

  publish(ctx, argv) {
    publishEverywhere(ctx, argv[1], argv[2], false);
  },

  spublish(ctx, argv) {
    publishEverywhere(ctx, argv[1], argv[2], true);
  },

  'pubsub|channels'(ctx, argv) {
    if (argv.length > 3) return subcommandSyntaxError(ctx, argv);
    gatherNames(ctx, 'channels', (counts) => channelList(ctx, argv, counts));
  },

  'pubsub|shardchannels'(ctx, argv) {
    if (argv.length > 3) return subcommandSyntaxError(ctx, argv);
    gatherNames(ctx, 'shardChannels', (counts) => channelList(ctx, argv, counts));
  },

  'pubsub|numsub'(ctx, argv) {
    gatherNames(ctx, 'channels', (counts) => numsub(ctx, argv, counts));
  },

  'pubsub|shardnumsub'(ctx, argv) {
    gatherNames(ctx, 'shardChannels', (counts) => numsub(ctx, argv, counts));
  },

  'pubsub|numpat'(ctx) {
    gatherNames(ctx, 'patterns', (counts) => reply(ctx, (w) => w.int(counts.size)));
  },

  'pubsub|help'(ctx) {
    reply(ctx, (w) => {
      w.arrayLen(PUBSUB_HELP.length);
      for (const line of PUBSUB_HELP) w.simple(line);
    });
  },
};
