/** List commands: table entries. Execution: workers/types/list.ts. */
import type { CommandSpec } from './spec.js';

export const listCommands: CommandSpec[] = [];
