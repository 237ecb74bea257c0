/** Set commands: table entries. Execution: workers/types/set.ts. */
import type { CommandSpec } from './spec.js';

export const setCommands: CommandSpec[] = [];
