/**
 * Shard-side handlers by command id. Every table entry routed to shards must
 * have one (test/meta/command-table.test.ts checks it).
 */
import { allCommands } from '../../src/commands/table.js';
import type { Handler } from './context.js';
import { controlHandlers } from './control.js';
import { introspectHandlers } from './introspect.js';
import { hashHandlers } from '../types/hash.js';
import { keyHandlers } from '../types/keys.js';
import { listHandlers } from '../types/list.js';
import { setHandlers } from '../types/set.js';
import { sortHandlers } from '../types/sort.js';
import { stringHandlers } from '../types/string.js';
import { zsetHandlers } from '../types/zset.js';

export const handlersByName: Record<string, Handler> = {
  ...stringHandlers,
  ...keyHandlers,
  ...listHandlers,
  ...hashHandlers,
  ...setHandlers,
  ...zsetHandlers,
  ...sortHandlers,
  ...controlHandlers,
  ...introspectHandlers,
};

export const handlersById: (Handler | undefined)[] = allCommands.map((spec) => handlersByName[spec.name]);
