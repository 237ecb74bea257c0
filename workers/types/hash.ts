/** Hash commands, executed on the shard that owns the key. */
import type { Handler } from '../shard/context.js';

export const hashHandlers: Record<string, Handler> = {};
