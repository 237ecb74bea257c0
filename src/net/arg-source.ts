/**
 * A request's arguments as the acceptor holds them: one buffer with the
 * offset and length of each argument (the parser's view, a held copy, or one
 * built for an internal command), and the few ways commands read them.
 */
import { commandKeys } from '../commands/key-specs.js';
import { keyPositions, type CommandSpec } from '../commands/spec.js';
import { copyBytes } from '../util/bytes.js';

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

/**
 * A request's arguments in a buffer of their own, for a command kept after
 * the read that brought it (held, queued in MULTI, blocked): the parser's
 * buffer is reused, and a connection's read buffer is shared.
 */
export function copyCommand(buf: Buffer, argc: number, starts: Int32Array, lens: Int32Array): ArgSource & { argc: number } {
  return { ...withArgument({ buf, starts, lens }, argc, -1, EMPTY), argc };
}

const EMPTY = Buffer.alloc(0);

/**
 * A compact copy of the first argc arguments with argument `at` replaced by
 * `value`, or `value` added after them when `at` is argc (the routing of
 * SCAN's cursor and of a cross-shard transaction's participants), or a plain
 * copy when `at` is -1. The source may be a connection's shared read buffer:
 * only the arguments are copied.
 */
export function withArgument(src: ArgSource, argc: number, at: number, value: Buffer): ArgSource {
  const n = at === argc ? argc + 1 : argc;
  const starts = new Int32Array(n);
  const lens = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += i === at ? value.length : src.lens[i];
  const buf = Buffer.allocUnsafe(total);
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (i === at) copyBytes(value, 0, buf, p, value.length);
    else copyBytes(src.buf, src.starts[i], buf, p, src.lens[i]);
    starts[i] = p;
    lens[i] = i === at ? value.length : src.lens[i];
    p += lens[i];
  }
  return { buf, starts, lens };
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
