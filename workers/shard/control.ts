/**
 * Handlers of the internal commands (src/commands/internal.ts): control
 * messages that must take effect in ring order with the clients' commands.
 * What applying them means is the shard's (ctx.shard, shard.ts).
 */
import type { ShardConfig } from '../../src/config/shard-config.js';
import type { Handler } from './context.js';

export const controlHandlers: Record<string, Handler> = {
  'shardis|apply-config'(ctx, argv) {
    ctx.shard.applyConfig(JSON.parse(argv[1]) as ShardConfig);
    ctx.w.ok();
  },
  // The acceptor waits for one of these keys (argv: token db type key...) for a client blocked across shards.
  'shardis|watch-keys'(ctx, argv) {
    ctx.shard.watchForWait(Number(argv[1]), Number(argv[2]), argv[3], argv.slice(4));
    ctx.w.ok();
  },
  'shardis|unwatch-keys'(ctx, argv) {
    ctx.shard.unwatchForWait(Number(argv[1]));
    ctx.w.ok();
  },
  // WATCH / UNWATCH for a client (argv: client id, db, keys...; client id); client id 0, no reply awaited.
  'shardis|watch'(ctx, argv) {
    ctx.shard.watch(Number(argv[1]), Number(argv[2]), argv.slice(3));
    ctx.w.ok();
  },
  'shardis|unwatch'(ctx, argv) {
    ctx.shard.unwatch(Number(argv[1]));
    ctx.w.ok();
  },
  // EXEC of a MULTI block (exec.ts).
  'shardis|exec'(ctx, argv) {
    ctx.shard.exec(ctx, argv);
  },
  // Wait here, serving the executor of a cross-shard transaction, until it is done.
  'shardis|txn-park'(ctx, argv) {
    ctx.shard.parkForTransaction(Number(argv[1]));
    ctx.w.ok();
  },
  // A client blocked on this shard disconnected: forget it (its reply would go nowhere).
  'shardis|client-gone'(ctx, argv) {
    ctx.shard.clientGone(Number(argv[1]));
    ctx.w.ok();
  },
  // CLIENT UNBLOCK: if the client waits here, it gets its timeout reply (or the UNBLOCKED error) now; the caller gets 1, else 0.
  'shardis|unblock'(ctx, argv) {
    const proto = ctx.w.proto;
    const unblocked = ctx.shard.unblock(Number(argv[1]), argv[2] === 'error');
    ctx.w.reset(proto);
    ctx.w.int(unblocked ? 1 : 0);
  },
};
