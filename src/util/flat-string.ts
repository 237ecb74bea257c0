/**
 * Makes a string built by concatenation flat. V8 keeps `a + b` as a tree of
 * parts (a ConsString node, ~32 bytes, per concatenation) until the string is
 * read as a whole; a packed collection kept for a long time would pay for
 * every part. Reading a character flattens the tree into one sequential
 * string, and the garbage collector then drops the parts. (Number(s), an
 * older trick, does not flatten strings that start with control bytes, as
 * packed encodings do: measured in flat-string.spec.ts.)
 */
export function flatString(s: string): string {
  s.charCodeAt(0);
  return s;
}
