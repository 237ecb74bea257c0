/**
 * COMMAND DOCS is generated from the table: its structure (since, group,
 * complexity, doc flags, deprecation, history, arguments with their types,
 * tokens, flags and key spec indexes) must equal redis-server 7.0's for every
 * command we have, in RESP2 and RESP3. Summaries are the exception: they are
 * written in our own words, so they are compared only to check that they are
 * not Redis' text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArgSpec } from '../../src/commands/spec.js';
import { aclCategories, allCommands, commandTable } from '../../src/commands/table.js';
import { lineInt, skipValue } from '../../src/resp/reply-scan.js';
import { ACL_CATEGORY_ORDER, HIDDEN_COMMAND_FLAGS, SHOWN_COMMAND_FLAGS } from '../../src/server/command-command.js';
import { KEY_SPEC_FLAGS } from '../../src/commands/key-specs.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const publicSpecs = allCommands.filter((s) => commandTable.has(s.name.split('|')[0]));

/** A decoded RESP value that keeps its wire type: [type byte, value]. */
type Value = [string, string | Value[]];

function decode(buf: Buffer, p = 0): Value {
  const type = String.fromCharCode(buf[p]);
  const lineEnd = buf.indexOf(13, p);
  const line = buf.latin1Slice(p + 1, lineEnd);
  if (type === '$' || type === '=') return [type, buf.latin1Slice(lineEnd + 2, lineEnd + 2 + Number(line))];
  if (type === '*' || type === '~' || type === '%') {
    const n = lineInt(buf, p) * (type === '%' ? 2 : 1);
    const items: Value[] = [];
    let q = lineEnd + 2;
    for (let i = 0; i < n; i++) {
      items.push(decode(buf, q));
      q = skipValue(buf, q);
    }
    return [type, items];
  }
  return [type, line];
}

/**
 * A COMMAND DOCS entry (a map as an array of alternating keys and values)
 * with its summary taken out, and its subcommands, which Redis orders by a
 * per-process random hash, keyed by name (only those in `keep`).
 */
function normalizeDocs(docs: Value, keep: Set<string>, summaries: Map<string, string>, name: string): unknown {
  const items = docs[1] as Value[];
  const out: [string, unknown][] = [];
  for (let i = 0; i < items.length; i += 2) {
    const key = items[i][1] as string;
    const value = items[i + 1];
    if (key === 'summary') {
      summaries.set(name, value[1] as string);
      out.push([key, value[0]]);
    } else if (key === 'subcommands') {
      const subs = value[1] as Value[];
      const byName: Record<string, unknown> = {};
      for (let j = 0; j < subs.length; j += 2) {
        const sub = subs[j][1] as string;
        if (keep.has(sub)) byName[sub] = normalizeDocs(subs[j + 1], keep, summaries, sub);
      }
      out.push([key, [value[0], Object.keys(byName).sort().map((k) => [k, byName[k]])]]);
    } else {
      out.push([key, value]);
    }
  }
  return [docs[0], out];
}

function walkArgs(args: ArgSpec[], visit: (a: ArgSpec) => void): void {
  for (const a of args) {
    visit(a);
    walkArgs(a.args ?? [], visit);
  }
}

describe('command table facts use Redis vocabulary', () => {
  it('flags, ACL categories and key spec flags are names Redis knows', () => {
    const known = new Set([...SHOWN_COMMAND_FLAGS, ...HIDDEN_COMMAND_FLAGS]);
    const keyFlags = new Set(KEY_SPEC_FLAGS.map((f) => f.toLowerCase()));
    for (const spec of publicSpecs) {
      for (const f of spec.flags) expect(known.has(f), `${spec.name} flag ${f}`).toBe(true);
      for (const c of aclCategories(spec)) expect(ACL_CATEGORY_ORDER, `${spec.name} category ${c}`).toContain(c);
      for (const ks of spec.keySpecs) for (const f of ks.flags) expect(keyFlags.has(f.toLowerCase()), `${spec.name} key flag ${f}`).toBe(true);
    }
  });

  it('key arguments point at a key spec, and tokens are upper case as Redis shows them', () => {
    for (const spec of publicSpecs) {
      walkArgs(spec.args, (a) => {
        if (a.type === 'key') expect(a.keySpecIndex, `${spec.name} ${a.name}`).toBeLessThan(spec.keySpecs.length);
        if (a.token !== undefined) expect(a.token, `${spec.name} ${a.name}`).toBe(a.token.toUpperCase());
        if (a.type === 'oneof' || a.type === 'block') expect(a.args?.length, `${spec.name} ${a.name}`).toBeGreaterThan(0);
      });
    }
  });
});

describe.skipIf(!requireRedisServer())('COMMAND DOCS against redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 1 }), startRedis()]);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  for (const proto of [2, 3] as const) {
    it(`has Redis' structure for every command, summaries aside; our summaries are our own words (RESP${proto})`, async () => {
      const [a, b] = await Promise.all([RawClient.connect(ours.port), RawClient.connect(theirs.port)]);
      clients.push(a, b);
      if (proto === 3) await Promise.all([a.call('HELLO', '3'), b.call('HELLO', '3')]);
      const keep = new Set(publicSpecs.map((s) => s.name));
      const mismatches: string[] = [];
      const ourSummaries = new Map<string, string>();
      const theirSummaries = new Map<string, string>();
      for (const spec of publicSpecs) {
        const [ra, rb] = await Promise.all([a.call('COMMAND', 'DOCS', spec.name), b.call('COMMAND', 'DOCS', spec.name)]);
        const da = decode(ra)[1] as Value[];
        const db = decode(rb)[1] as Value[];
        expect(da.length, spec.name).toBe(2);
        expect(db.length, `redis has ${spec.name}`).toBe(2);
        expect(da[0]).toEqual(db[0]);
        const x = JSON.stringify(normalizeDocs(da[1], keep, ourSummaries, spec.name));
        const y = JSON.stringify(normalizeDocs(db[1], keep, theirSummaries, spec.name));
        if (x !== y) mismatches.push(`${spec.name}\n  shardis: ${x}\n  redis:   ${y}`);
      }
      expect(mismatches, mismatches.join('\n')).toEqual([]);
      expect(ourSummaries.size).toBe(publicSpecs.length);
      for (const [name, summary] of ourSummaries) {
        expect(summary.length, name).toBeGreaterThan(10);
        expect(summary, `${name}: summary must be our own words`).not.toBe(theirSummaries.get(name));
      }
    });
  }

  it('COMMAND DOCS without names documents every top-level command once', async () => {
    const c = await RawClient.connect(ours.port);
    clients.push(c);
    const all = decode(await c.call('COMMAND', 'DOCS'))[1] as Value[];
    const names = all.filter((_, i) => i % 2 === 0).map((v) => v[1]);
    expect(names.sort()).toEqual([...commandTable.keys()].sort());
  });
});
