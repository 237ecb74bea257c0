/**
 * Comparing set replies of shardis and redis-server where Redis' order is
 * undefined, without hiding an intset order mistake:
 * - an intset replies in ascending order, byte for byte: exact;
 * - a hashtable's order is its own: compared as sorted elements.
 * Which one applies is read from redis-server itself (OBJECT ENCODING sent
 * just before the command), or, for SUNION/SDIFF/SPOP results, which Redis
 * builds as a fresh intset, from the result: all integers within
 * set-max-intset-entries means an intset.
 */
import { arrayElements } from '../../../src/resp/reply-scan.js';
import { parseInteger } from '../../../workers/shard/value.js';

export type Command = string[];

/** How a command's reply is compared. */
export type Check =
  | { kind: 'exact' }
  /** Members of keys whose OBJECT ENCODING replies sit at these step indexes: exact when all are intset or missing. */
  | { kind: 'members'; encodingSteps: number[] }
  /** A freshly built result set: exact when it would be an intset. */
  | { kind: 'result' }
  /** Random replies: the same type and length. */
  | { kind: 'shape' };

export interface Step {
  cmd: Command;
  check: Check;
}

const latin1 = (b: Buffer) => b.toString('latin1');

/** The header line and the elements of an aggregate reply; SSCAN's [cursor, [elements]] flattened. */
function elementsOf(reply: Buffer): { head: string; items: string[] } | null {
  if (reply[0] !== 42 && reply[0] !== 126) return null; // '*' or '~'
  const head = latin1(reply.subarray(0, reply.indexOf(13)));
  const parts = arrayElements(reply).map(([s, e]) => reply.subarray(s, e));
  // SSCAN: "*2", a bulk cursor, an array.
  if (parts.length === 2 && parts[0][0] === 36 && parts[1][0] === 42) {
    const inner = elementsOf(parts[1])!;
    return { head: `${head}|${latin1(parts[0])}|${inner.head}`, items: inner.items };
  }
  return { head, items: parts.map(latin1) };
}

/** The text of a bulk element ("$3\r\nabc\r\n" -> "abc"). */
const bulkText = (item: string) => item.slice(item.indexOf('\r\n') + 2, -2);

function sortedForm(reply: Buffer): string {
  const e = elementsOf(reply);
  return e === null ? latin1(reply) : `${e.head}:${[...e.items].sort().join('|')}`;
}

function shapeOf(reply: Buffer): string {
  const s = latin1(reply);
  if (s[0] === '$') return s.startsWith('$-1') ? 'nil' : 'bulk';
  if (s[0] === '*' || s[0] === '~') return s.slice(0, s.indexOf('\r\n'));
  return s;
}

/**
 * Compares the replies step by step; returns a readable mismatch or null.
 * maxIntset: set-max-intset-entries during the run.
 */
export function compareSteps(steps: Step[], ours: Buffer[], theirs: Buffer[], maxIntset: number): string | null {
  for (let i = 0; i < steps.length; i++) {
    const { cmd, check } = steps[i];
    const a = ours[i];
    const b = theirs[i];
    if (a.equals(b)) continue;
    let same = false;
    if (check.kind === 'shape') {
      same = shapeOf(a) === shapeOf(b);
    } else if (check.kind === 'members') {
      const allIntset = check.encodingSteps.every((j) => /^(\$6\r\nintset|\$-1|_)\r\n/.test(latin1(theirs[j])));
      same = !allIntset && sortedForm(a) === sortedForm(b);
    } else if (check.kind === 'result') {
      const e = elementsOf(b);
      const intset = e !== null && e.items.length <= maxIntset && e.items.every((it) => parseInteger(bulkText(it)) !== null);
      same = !intset && sortedForm(a) === sortedForm(b);
    }
    if (!same) return `step #${i} ${JSON.stringify(cmd)} (${check.kind})\n  shardis: ${JSON.stringify(latin1(a))}\n  redis:   ${JSON.stringify(latin1(b))}`;
  }
  return null;
}
