/** Hash commands: table entries. Execution: workers/types/hash.ts. */
import type { CommandSpec } from './spec.js';

export const hashCommands: CommandSpec[] = [];
