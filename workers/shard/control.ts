/**
 * Handlers of the internal commands (src/commands/internal.ts): control
 * messages that must take effect in ring order with the clients' commands.
 * The worker entry point registers what applying them means.
 */
import type { ShardConfig } from '../../src/config/shard-config.js';
import type { Handler } from './context.js';

let applyConfig: (config: ShardConfig) => void = () => {
  throw new Error('applyConfig not registered');
};

export function onApplyConfig(fn: (config: ShardConfig) => void): void {
  applyConfig = fn;
}

let clientGone: (clientId: number) => void = () => {};

export function onClientGone(fn: (clientId: number) => void): void {
  clientGone = fn;
}

let watch: (token: number, db: number, type: string, keys: string[]) => void = () => {};
let unwatch: (token: number) => void = () => {};

export function onWatch(w: typeof watch, u: typeof unwatch): void {
  watch = w;
  unwatch = u;
}

let watchKeys: (clientId: number, db: number, keys: string[]) => void = () => {};
let unwatchKeys: (clientId: number) => void = () => {};

export function onWatchKeys(w: typeof watchKeys, u: typeof unwatchKeys): void {
  watchKeys = w;
  unwatchKeys = u;
}

let unblock: (clientId: number, error: boolean) => boolean = () => false;

export function onUnblock(fn: (clientId: number, error: boolean) => boolean): void {
  unblock = fn;
}

let exec: Handler = () => {
  throw new Error('exec not registered');
};

export function onExec(fn: Handler): void {
  exec = fn;
}

let txnPark: (executor: number) => void = () => {};

export function onTxnPark(fn: (executor: number) => void): void {
  txnPark = fn;
}

export const controlHandlers: Record<string, Handler> = {
  'shardis|apply-config'(ctx, argv) {
    applyConfig(JSON.parse(argv[1]) as ShardConfig);
    ctx.w.ok();
  },
  // The acceptor waits for one of these keys (argv: token db type key...) for a client blocked across shards.
  'shardis|watch-keys'(ctx, argv) {
    watch(Number(argv[1]), Number(argv[2]), argv[3], argv.slice(4));
    ctx.w.ok();
  },
  'shardis|unwatch-keys'(ctx, argv) {
    unwatch(Number(argv[1]));
    ctx.w.ok();
  },
  // WATCH / UNWATCH for a client (argv: client id, db, keys...; client id); client id 0, no reply awaited.
  'shardis|watch'(ctx, argv) {
    watchKeys(Number(argv[1]), Number(argv[2]), argv.slice(3));
    ctx.w.ok();
  },
  'shardis|unwatch'(ctx, argv) {
    unwatchKeys(Number(argv[1]));
    ctx.w.ok();
  },
  // EXEC of a MULTI block (exec.ts).
  'shardis|exec'(ctx, argv) {
    exec(ctx, argv);
  },
  // Wait here, serving the executor of a cross-shard transaction, until it is done.
  'shardis|txn-park'(ctx, argv) {
    txnPark(Number(argv[1]));
    ctx.w.ok();
  },
  // A client blocked on this shard disconnected: forget it (its reply would go nowhere).
  'shardis|client-gone'(ctx, argv) {
    clientGone(Number(argv[1]));
    ctx.w.ok();
  },
  // CLIENT UNBLOCK: if the client waits here, it gets its timeout reply (or the UNBLOCKED error) now; the caller gets 1, else 0.
  'shardis|unblock'(ctx, argv) {
    const proto = ctx.w.proto;
    const unblocked = unblock(Number(argv[1]), argv[2] === 'error');
    ctx.w.reset(proto);
    ctx.w.int(unblocked ? 1 : 0);
  },
};
