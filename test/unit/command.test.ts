/**
 * COMMAND, COMMAND COUNT | INFO | DOCS | LIST | GETKEYS | GETKEYSANDFLAGS | HELP
 * against redis-server 7.0: every command in our table must describe itself
 * byte for byte as Redis does (RESP2 and RESP3), and redis-cli's help (built
 * from COMMAND DOCS, the text its hints use) must read the same.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands, commandTable } from '../../src/commands/table.js';
import { lineInt, skipValue } from '../../src/resp/reply-scan.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

/** The raw child values of the aggregate reply at p (a map's keys and values alternate). */
function children(buf: Buffer, p = 0): Buffer[] {
  const type = String.fromCharCode(buf[p]);
  let n = lineInt(buf, p);
  if (type === '%') n *= 2;
  const out: Buffer[] = [];
  let q = buf.indexOf(13, p) + 2;
  for (let i = 0; i < n; i++) {
    const end = skipValue(buf, q);
    out.push(buf.subarray(q, end));
    q = end;
  }
  return out;
}

const str = (b: Buffer) => b.toString('latin1');
/** The text of a bulk string reply. */
const bulkText = (b: Buffer) => str(b).slice(str(b).indexOf('\r\n') + 2, -2);

const publicNames = allCommands.filter((s) => commandTable.has(s.name.split('|')[0])).map((s) => s.name);

describe.skipIf(!requireRedisServer())('COMMAND against redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  const clients: Record<string, RawClient> = {};

  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 1 }), startRedis()]);
    for (const [name, port] of [['ours', ours.port], ['theirs', theirs.port]] as const) {
      clients[`${name}2`] = await RawClient.connect(port);
      clients[`${name}3`] = await RawClient.connect(port);
      await clients[`${name}3`].call('HELLO', '3');
    }
  });
  afterAll(async () => {
    for (const c of Object.values(clients)) c.close();
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  const both = async (proto: 2 | 3, ...cmd: string[]) => {
    const [a, b] = await Promise.all([clients[`ours${proto}`].call(...cmd), clients[`theirs${proto}`].call(...cmd)]);
    return { ours: a, theirs: b };
  };

  it('the table has the commands this test expects to cover', () => {
    expect(publicNames).toContain('get');
    expect(publicNames).toContain('object|encoding');
    expect(publicNames.length).toBeGreaterThan(50);
  });

  for (const proto of [2, 3] as const) {
    it(`COMMAND INFO <name> equals Redis' reply byte for byte for every command (RESP${proto})`, async () => {
      const mismatches: string[] = [];
      for (const name of publicNames) {
        const spec = allCommands.find((s) => s.name === name)!;
        const { ours: a, theirs: b } = await both(proto, 'COMMAND', 'INFO', name);
        if (spec.subcommands === undefined) {
          if (!a.equals(b)) mismatches.push(`${name}\n  shardis: ${JSON.stringify(str(a))}\n  redis:   ${JSON.stringify(str(b))}`);
          continue;
        }
        // A container: Redis lists its subcommands in hash-table order (random per process) and has
        // subcommands we don't implement. Its own nine fields must be equal, and each subcommand
        // we list must be one of Redis' entries, byte for byte.
        const [entryA] = children(a);
        const [entryB] = children(b);
        const fa = children(entryA);
        const fb = children(entryB);
        for (let i = 0; i < 9; i++) {
          if (!fa[i].equals(fb[i])) mismatches.push(`${name} field ${i}: ${JSON.stringify(str(fa[i]))} vs ${JSON.stringify(str(fb[i]))}`);
        }
        const theirSubs = new Set(children(fb[9]).map(str));
        const ourSubs = children(fa[9]).map(str);
        expect(ourSubs.length, name).toBe(spec.subcommands.length);
        for (const s of ourSubs) if (!theirSubs.has(s)) mismatches.push(`${name} subcommand entry ${JSON.stringify(s)} is not one of Redis'`);
      }
      expect(mismatches, mismatches.join('\n')).toEqual([]);
    });
  }

  it('COMMAND and COMMAND INFO without names list every top-level command once, each as COMMAND INFO <name> shows it', async () => {
    for (const cmd of [['COMMAND'], ['COMMAND', 'INFO']]) {
      const all = children(await clients.ours2.call(...cmd));
      expect(all.length).toBe(commandTable.size);
      const names = all.map((e) => bulkText(children(e)[0]));
      expect(new Set(names)).toEqual(new Set(commandTable.keys()));
      for (const e of all.slice(0, 5)) {
        const name = bulkText(children(e)[0]);
        expect(str(children(await clients.ours2.call('COMMAND', 'INFO', name))[0])).toBe(str(e));
      }
    }
    expect(str(await clients.ours2.call('COMMAND', 'COUNT'))).toBe(`:${commandTable.size}\r\n`);
  });

  it('COMMAND INFO: several names, unknown names, case, container|sub spelling, as Redis', async () => {
    const cases = [
      ['COMMAND', 'INFO', 'get', 'nosuchcommand', 'SET'],
      ['COMMAND', 'INFO', 'GeT'],
      ['COMMAND', 'INFO', 'Object|Encoding'],
      ['COMMAND', 'INFO', 'object|encoding|x'],
      ['COMMAND', 'INFO', 'object|'],
      ['COMMAND', 'INFO', 'get|x'],
      ['COMMAND', 'INFO', 'object|nosuch'],
      ['COMMAND', 'INFO', 'encoding'],
      ['COMMAND', 'DOCS', 'nosuchcommand'],
      ['COMMAND', 'DOCS', 'nosuch', 'object|nosuch', 'get|x'],
      ['COMMAND', 'HELP'],
      ['COMMAND', 'COUNT', 'x'],
      ['COMMAND', 'NOSUCH'],
      ['COMMAND', 'GETKEYS'],
    ];
    for (const proto of [2, 3] as const) {
      for (const c of cases) {
        const r = await both(proto, ...c);
        expect(str(r.ours), `${c.join(' ')} RESP${proto}`).toBe(str(r.theirs));
      }
    }
  });

  it('COMMAND GETKEYS and GETKEYSANDFLAGS: keys, flags and errors as Redis', async () => {
    const lines = [
      ['get', 'k'],
      ['GET', 'k'],
      ['set', 'k', 'v'],
      ['set', 'k', 'v', 'get'],
      ['set', 'k', 'v', 'EX', '10', 'GET'],
      ['mset', 'a', '1', 'b', '2'],
      ['mget', 'a', 'b', 'c'],
      ['del', 'a', 'b'],
      ['exists', 'a'],
      ['rename', 'a', 'b'],
      ['renamenx', 'a', 'b'],
      ['copy', 'a', 'b', 'DB', '1', 'REPLACE'],
      ['lcs', 'a', 'b', 'LEN'],
      ['getdel', 'a'],
      ['getex', 'a', 'PERSIST'],
      ['object', 'encoding', 'k'],
      ['object', 'nosuch', 'k'],
      ['object'],
      ['object', 'help'],
      ['nosuchcommand', 'k'],
      ['ping'],
      ['config', 'get', 'port'],
      ['get'],
      ['get', 'a', 'b'],
      ['mset', 'a'],
      ['move', 'k', '1'],
      ['keys', '*'],
      ['scan', '0'],
    ];
    const mismatches: string[] = [];
    for (const proto of [2, 3] as const) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        for (const line of lines) {
          const r = await both(proto, 'COMMAND', sub, ...line);
          if (!r.ours.equals(r.theirs)) mismatches.push(`COMMAND ${sub} ${line.join(' ')} (RESP${proto}): ${JSON.stringify(str(r.ours))} vs ${JSON.stringify(str(r.theirs))}`);
        }
      }
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });

  it('COMMAND LIST with and without FILTERBY lists what Redis lists (among our commands), and rejects what Redis rejects', async () => {
    const ourNames = new Set(publicNames);
    const list = async (c: RawClient, args: string[]) => {
      const r = await c.call('COMMAND', 'LIST', ...args);
      return r[0] === 45 ? str(r) : children(r).map(bulkText).sort();
    };
    expect(await list(clients.ours2, [])).toEqual([...ourNames].sort());
    const filters = [
      ['FILTERBY', 'PATTERN', 'get*'],
      ['filterby', 'pattern', 'OBJECT|*'],
      ['FILTERBY', 'PATTERN', '*e?'],
      ['FILTERBY', 'ACLCAT', 'string'],
      ['FILTERBY', 'ACLCAT', 'KEYSPACE'],
      ['FILTERBY', 'ACLCAT', 'fast'],
      ['FILTERBY', 'ACLCAT', 'dangerous'],
      ['FILTERBY', 'ACLCAT', 'nosuchcategory'],
      ['FILTERBY', 'MODULE', 'nosuchmodule'],
      ['FILTERBY', 'PATTERN', 'x', 'FILTERBY', 'PATTERN', 'ge*'],
      ['FILTERBY'],
      ['FILTERBY', 'PATTERN'],
      ['FILTERBY', 'PATTERN', 'x', 'y'],
      ['FILTERBY', 'NOSUCH', 'x'],
      ['x'],
    ];
    for (const f of filters) {
      const a = await list(clients.ours2, f);
      let b = await list(clients.theirs2, f);
      if (Array.isArray(b)) b = b.filter((n) => ourNames.has(n));
      expect(a, f.join(' ')).toEqual(b);
    }
  });

  it('redis-cli help (built from COMMAND DOCS, the text of its hints) reads as with redis-server, summaries aside', () => {
    // redis-cli prints one block per command: name and argument hint, summary, since (and group).
    const blocks = (port: number, topic: string) => {
      const out = spawnSync('redis-cli', ['-p', String(port), 'help', topic], { encoding: 'latin1' }).stdout;
      const map = new Map<string, string>();
      for (const block of out.split('\r\n\r\n')) {
        const name = /\x1b\[1m([^\x1b]*)\x1b\[0m/.exec(block)?.[1];
        if (name) map.set(name, block.replace(/^\r\n/, '').replace(/summary:\x1b\[0m [^\r]*/, 'summary:'));
      }
      return map;
    };
    const groups = new Set([...commandTable.values()].map((s) => s.group));
    let compared = 0;
    for (const group of groups) {
      const a = blocks(ours.port, `@${group}`);
      const b = blocks(theirs.port, `@${group}`);
      expect(a.size, group).toBeGreaterThan(0);
      for (const [name, text] of a) {
        expect(text, name).toBe(b.get(name));
        compared++;
      }
    }
    expect(compared).toBe(publicNames.length);
  });
});
