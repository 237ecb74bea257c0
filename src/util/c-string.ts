/**
 * Arguments as Redis' C code sees them: a C string ends at its first NUL
 * byte, and option words are compared with strcasecmp (ASCII case only).
 */

/** An argument up to its first NUL byte, as C's %s prints it. */
export function cString(arg: string): string {
  const nul = arg.indexOf('\0');
  return nul < 0 ? arg : arg.slice(0, nul);
}

/** An option word as strcasecmp compares it: up to the first NUL, lower-cased. */
export function optionWord(arg: string): string {
  return cString(arg).toLowerCase();
}
