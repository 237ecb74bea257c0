/**
 * EXEC on the shard that executes a MULTI block (src/server/transactions.ts
 * sends it). The queued commands travel as one request:
 *   argv = ['shardis|exec', clientId, count, then per command: db, command id, argc, args...]
 * When the block's keys span shards this runs as a cross-shard transaction
 * (transaction.ts), so the handlers reach other shards' keys as usual. The
 * reply is the array of the commands' replies, or a null array when a watched
 * key changed (Redis' CLIENT_DIRTY_CAS), checked here and on every
 * participant before anything runs.
 */
import { allCommands } from '../../src/commands/table.js';
import { keySlot } from '../../src/cluster/keyslot.js';
import type { Ctx } from './context.js';

export interface QueuedForExec {
  db: number;
  cmdId: number;
  argv: string[];
}

export function decodeExec(argv: string[]): { clientId: number; commands: QueuedForExec[] } {
  const clientId = Number(argv[1]);
  const count = Number(argv[2]);
  const commands: QueuedForExec[] = [];
  let p = 3;
  for (let i = 0; i < count; i++) {
    const db = Number(argv[p]);
    const cmdId = Number(argv[p + 1]);
    const argc = Number(argv[p + 2]);
    commands.push({ db, cmdId, argv: argv.slice(p + 3, p + 3 + argc) });
    p += 3 + argc;
  }
  return { clientId, commands };
}

export interface ExecHost {
  /** Whether the client's WATCH failed here or on a participant. */
  dirty(clientId: number): boolean;
  /** Runs one queued command's handler (with the WATCH bookkeeping of any write), its reply appended to ctx.w. */
  run(cmdId: number, argv: string[]): void;
  unwatch(clientId: number): void;
}

export function runExec(ctx: Ctx, argv: string[], host: ExecHost): void {
  const { clientId, commands } = decodeExec(argv);
  if (host.dirty(clientId)) {
    host.unwatch(clientId);
    return ctx.w.nilArray();
  }
  host.unwatch(clientId);
  const saved = { db: ctx.db, dbIndex: ctx.dbIndex, slot: ctx.slot, canBlock: ctx.canBlock };
  // Blocking commands inside MULTI answer at once, as after a timeout (Redis' CLIENT_DENY_BLOCKING).
  ctx.canBlock = false;
  ctx.w.arrayLen(commands.length);
  try {
    for (const c of commands) {
      const spec = allCommands[c.cmdId];
      ctx.db = ctx.ks.dbs[c.db];
      ctx.dbIndex = c.db;
      ctx.slot = spec.firstKey > 0 && c.argv.length > spec.firstKey ? keySlot(c.argv[spec.firstKey]) : 0;
      const mark = ctx.w.len;
      try {
        host.run(c.cmdId, c.argv);
      } catch (err) {
        // One command's bug must not lose the replies before it: replace its partial reply by an error.
        ctx.w.len = mark;
        ctx.w.error(`ERR internal error in '${spec.name}': ${(err as Error).message}`);
      }
    }
  } finally {
    ctx.db = saved.db;
    ctx.dbIndex = saved.dbIndex;
    ctx.slot = saved.slot;
    ctx.canBlock = saved.canBlock;
  }
}
