/**
 * Decoding a request's arguments from the ring into latin1 strings (argv[0]
 * is the command's table name: the command id says it, so the name's bytes
 * are skipped).
 */
import { readU32 } from '../../src/util/bytes.js';

/** The arguments of a request whose payload (after its argc word) starts at p. */
export function decodeArgs(bytes: Buffer, p: number, argc: number, name: string): string[] {
  const argv = new Array<string>(argc);
  argv[0] = name;
  p += 4 + readU32(bytes, p); // skip the name: the command id says it
  for (let i = 1; i < argc; i++) {
    const len = readU32(bytes, p);
    argv[i] = decodeLatin1(bytes, p + 4, len);
    p += 4 + len;
  }
  return argv;
}

/**
 * A latin1 string from bytes. Up to SHORT_ARG bytes (keys, small values) with
 * one String.fromCharCode call of that many arguments: 48 ns for 16 bytes
 * against 116 ns for latin1Slice, a call into C++ (cheaper beyond that).
 * fromCharCode with the bytes as separate arguments is what makes it fast
 * (apply() or a loop of concatenations cost more than latin1Slice), hence
 * one generated function per length.
 */
const SHORT_ARG = 32;
type Decoder = (bytes: Uint8Array, at: number) => string;
const shortDecoders: Decoder[] = Array.from({ length: SHORT_ARG + 1 }, (_, len) => {
  const args = Array.from({ length: len }, (_, i) => `b[at + ${i}]`).join(', ');
  return new Function('b', 'at', `return String.fromCharCode(${args});`) as Decoder;
});

function decodeLatin1(bytes: Buffer, at: number, len: number): string {
  return len <= SHORT_ARG ? shortDecoders[len](bytes, at) : bytes.latin1Slice(at, at + len);
}
