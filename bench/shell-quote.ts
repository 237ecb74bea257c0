/** Quotes an argument for display as part of a shell command line (reports show commands to copy). */
export function shellQuote(arg: string): string {
  return /^[\w,./=:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
