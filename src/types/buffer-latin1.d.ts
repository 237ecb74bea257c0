/**
 * Node's Buffer has fast latin1 codecs that its typings do not list
 * (buf.latin1Slice / buf.latin1Write, the methods behind toString('latin1')
 * and write(s, 'latin1') without the argument checks). Keys and values are
 * latin1 strings, so these are on every hot path.
 */
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}
export {};
