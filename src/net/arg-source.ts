/**
 * A request's arguments as the acceptor holds them: one buffer with the
 * offset and length of each argument (the parser's view, a held copy, or one
 * built for an internal command), and the few ways commands read them.
 */
import { commandKeys } from '../commands/key-specs.js';
import { keyPositions, type CommandSpec } from '../commands/spec.js';

export interface ArgSource {
  buf: Buffer;
  starts: Int32Array;
  lens: Int32Array;
}

/** An argument source from strings (latin1) or byte ranges already encoded: internal commands, EXEC, DEBUG ... */
export function argSourceOf(args: readonly (string | Buffer)[]): ArgSource {
  const parts = args.map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a));
  const starts = new Int32Array(parts.length);
  const lens = new Int32Array(parts.length);
  let p = 0;
  parts.forEach((b, i) => {
    starts[i] = p;
    lens[i] = b.length;
    p += b.length;
  });
  return { buf: Buffer.concat(parts), starts, lens };
}

/** The first argc arguments as latin1 strings (argv[0] is the command name as sent). */
export function argvOf(src: ArgSource, argc: number): string[] {
  const argv: string[] = new Array(argc);
  for (let i = 0; i < argc; i++) argv[i] = src.buf.latin1Slice(src.starts[i], src.starts[i] + src.lens[i]);
  return argv;
}

/**
 * Positions of a command's keys: from firstKey/lastKey/step, or, for a
 * command whose keys depend on its arguments (numkeys, SORT's STORE), from
 * its key specs and key finder.
 */
export function keyPositionsIn(spec: CommandSpec, src: ArgSource, argc: number): number[] {
  if (spec.flags.includes('movablekeys')) return commandKeys(spec, argvOf(src, argc)).map((k) => k.pos);
  return keyPositions(spec, argc);
}
