/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH on the acceptor (Redis multi.c).
 *
 * MULTI queues the client's commands (after the checks Redis makes before
 * queueing: unknown command, arity, authentication; a failed check makes EXEC
 * answer EXECABORT). EXEC sends every queued shard command as ONE request to
 * one shard (workers/shard/exec.ts), as a cross-shard transaction when their
 * keys span shards, so the block runs atomically: no other client's command
 * runs in between on any shard involved. Commands the acceptor answers itself
 * (PING, SELECT, CLIENT ...) run when EXEC is dispatched, in queue order, and
 * their replies are put back in place in EXEC's array (SELECT changes the
 * database of the queued commands after it, as in Redis).
 *
 * WATCH registers the keys on the shards that own them (watch.ts), which
 * mark the client dirty when a watched key changes; EXEC asks the executor and
 * every participant before running anything, and answers a null array if so.
 */
import { sortReadsPatternKeys } from '../commands/sort.js';
import type { CommandSpec } from '../commands/spec.js';
import { internalCommand } from '../commands/table.js';
import { keySlotOfBytes } from '../cluster/keyslot.js';
import type { Host } from './host.js';
import type { Client, FanoutState, HeldCommand } from '../net/client.js';
import { argSourceOf, argvOf, keyPositionsIn } from '../net/arg-source.js';
import { preRouteChecks } from './pre-route-checks.js';
import { reply, type LocalHandler } from './local-ctx.js';

export interface QueuedCommand {
  spec: CommandSpec;
  cmd: HeldCommand;
}

/** Commands that run at once inside MULTI instead of being queued (processCommand's list). */
export const RUN_INSIDE_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/**
 * Why a command cannot be queued in this server's MULTI (null: it can). Our
 * limits, not Redis': commands that need every shard's data, and CONFIG SET,
 * whose reply waits for every shard.
 */
export function refusedInMulti(spec: CommandSpec, shardCount: number): string | null {
  if (spec.name === 'config|set') return `ERR '${spec.name}' inside MULTI is not supported by shardis`;
  if ((spec.route === 'all-shards' || spec.route === 'scan') && shardCount > 1) {
    return `ERR '${spec.name}' inside MULTI needs every shard; shardis supports it there only with --shards 1`;
  }
  return null;
}

/** Drops the queued commands and the watches (discardTransaction). */
export function discardTransaction(host: Host, client: Client): void {
  client.multi = null;
  client.multiAborted = false;
  unwatchAll(host, client);
}

export function unwatchAll(host: Host, client: Client): void {
  if (client.watchShards === null) return;
  for (const shard of client.watchShards) host.shards.sendInternalTo(shard, 'shardis|unwatch', String(client.id));
  client.watchShards = null;
}

/** EXEC: the queued commands as one request to one executor shard. */
function exec(host: Host, client: Client, seq: number): void {
  const queued = client.multi!;
  client.multi = null;
  const watchShards = client.watchShards;
  client.watchShards = null;
  const n = host.shards.count;
  // Acceptor commands run now (in order, so SELECT moves the later ones); shard commands are gathered.
  // Their replies may come later (a command that asks the other acceptors): each is one part of
  // EXEC's reply, and one more part holds the reply until every command is on its way.
  const localReplies: (Buffer | null)[] = new Array(queued.length).fill(null);
  const state: FanoutState = { merge: 'exec', remaining: 1, parts: new Array(n), execLocal: localReplies };
  client.fanouts.set(seq, state);
  const runHere = (i: number, run: (capture: (reply: Buffer) => void) => void) => {
    state.remaining++;
    run((bytes) => {
      localReplies[i] = bytes;
      host.replies.partDone(client, seq);
    });
  };
  // The request's arguments: name, client id, count, then per shard command its db, id, argc and arguments.
  const args: Buffer[] = [Buffer.from('shardis|exec', 'latin1'), Buffer.from(String(client.id), 'latin1'), Buffer.alloc(0)];
  let shardCommands = 0;
  const involved: number[] = [];
  let firstSlot = -1;
  const addShard = (s: number) => {
    if (!involved.includes(s)) involved.push(s);
  };
  queued.forEach((q, i) => {
    const { spec, cmd } = q;
    if (spec.route === 'acceptor') return runHere(i, (capture) => host.flow.runLocal(client, seq, spec, argvOf(cmd, cmd.argc), capture));
    const check = preRouteChecks[spec.name];
    const early = check?.(argvOf(cmd, cmd.argc), host.config) ?? (spec.step > 1 && (cmd.argc - spec.firstKey) % spec.step !== 0 ? `ERR wrong number of arguments for '${spec.name}' command` : null);
    if (early !== null) return runHere(i, (capture) => reply({ host, client, seq, spec, capture }, (w) => w.error(early)));
    for (const p of keyPositionsIn(spec, cmd, cmd.argc)) {
      const slot = keySlotOfBytes(cmd.buf, cmd.starts[p], cmd.lens[p]);
      if (firstSlot < 0) firstSlot = slot;
      addShard(host.shards.slots.owner[slot]);
    }
    // SORT's BY/GET patterns may read keys on any shard (as in Router.routeToOwner).
    if ((spec.name === 'sort' || spec.name === 'sort_ro') && sortReadsPatternKeys(argvOf(cmd, cmd.argc))) for (let s = 0; s < n; s++) addShard(s);
    shardCommands++;
    for (const field of [client.db, spec.id, cmd.argc]) args.push(Buffer.from(String(field), 'latin1'));
    for (let a = 0; a < cmd.argc; a++) args.push(cmd.buf.subarray(cmd.starts[a], cmd.starts[a] + cmd.lens[a]));
  });
  for (const s of watchShards ?? []) addShard(s);
  if (shardCommands > 0 || involved.length > 0) {
    if (involved.length === 0) addShard(0);
    args[2] = Buffer.from(String(shardCommands), 'latin1');
    state.remaining++;
    host.shards.sendAcross(client, seq, internalCommand('shardis|exec'), argSourceOf(args), args.length, firstSlot < 0 ? 0 : firstSlot, involved);
    // The executor checked the watches before running: forget them everywhere now (ring order keeps this after EXEC).
    for (const s of watchShards ?? []) host.shards.sendInternalTo(s, 'shardis|unwatch', String(client.id));
    host.shards.publishAll();
  }
  host.replies.partDone(client, seq);
}

export const transactionHandlers: Record<string, LocalHandler> = {
  multi(ctx) {
    if (ctx.client.multi !== null) return reply(ctx, (w) => w.error('ERR MULTI calls can not be nested'));
    ctx.client.multi = [];
    reply(ctx, (w) => w.ok());
  },
  exec(ctx) {
    const { client, host } = ctx;
    if (client.multi === null) return reply(ctx, (w) => w.error('ERR EXEC without MULTI'));
    if (client.multiAborted) {
      discardTransaction(host, client);
      return reply(ctx, (w) => w.error('EXECABORT Transaction discarded because of previous errors.'));
    }
    exec(host, client, ctx.seq);
  },
  discard(ctx) {
    if (ctx.client.multi === null) return reply(ctx, (w) => w.error('ERR DISCARD without MULTI'));
    discardTransaction(ctx.host, ctx.client);
    reply(ctx, (w) => w.ok());
  },
  watch(ctx, argv) {
    const { client, host } = ctx;
    if (client.multi !== null) return reply(ctx, (w) => w.error('ERR WATCH inside MULTI is not allowed'));
    const byShard = new Map<number, string[]>();
    for (const key of argv.slice(1)) {
      const b = Buffer.from(key, 'latin1');
      const shard = host.shards.slots.owner[keySlotOfBytes(b, 0, b.length)];
      let keys = byShard.get(shard);
      if (keys === undefined) byShard.set(shard, (keys = []));
      keys.push(key);
    }
    client.watchShards ??= new Set();
    for (const [shard, keys] of byShard) {
      client.watchShards.add(shard);
      host.shards.sendInternalTo(shard, 'shardis|watch', String(client.id), String(client.db), ...keys);
    }
    reply(ctx, (w) => w.ok());
  },
  unwatch(ctx) {
    unwatchAll(ctx.host, ctx.client);
    reply(ctx, (w) => w.ok());
  },
};
