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

let txnPark: (executor: number) => void = () => {};

export function onTxnPark(fn: (executor: number) => void): void {
  txnPark = fn;
}

export const controlHandlers: Record<string, Handler> = {
  'shardis|apply-config'(ctx, argv) {
    applyConfig(JSON.parse(argv[1]) as ShardConfig);
    ctx.w.ok();
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
};
