/** Zset commands: table entries. Execution: workers/types/zset.ts. */
import type { CommandSpec } from './spec.js';

export const zsetCommands: CommandSpec[] = [];
