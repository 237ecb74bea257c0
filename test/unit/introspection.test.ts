/**
 * CLIENT ID | SETNAME | GETNAME | INFO | LIST | HELP (Redis' tests/unit/introspection.tcl,
 * CLIENT parts): field set and order compared with redis-server, values that
 * must be real checked against what the test's own sockets see.
 */
import { describe, expect, it } from 'vitest';
import { formatAddress } from '../../src/net/client.js';
import { DiffPair } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

/** The text of a bulk (RESP2) or verbatim (RESP3) reply. */
function text(reply: Buffer): string {
  const s = reply.toString('latin1');
  const header = s.indexOf('\r\n');
  const body = s.slice(header + 2, -2);
  return s[0] === '=' ? body.slice(4) : body;
}

function fields(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of line.trim().split(' ')) {
    const eq = kv.indexOf('=');
    m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('CLIENT, shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('CLIENT INFO and CLIENT LIST have Redis 7.0 fields, in the same order, in RESP2 and RESP3', async () => {
    for (const proto of ['2', '3']) {
      await pair.both(['HELLO', proto]);
      for (const cmd of [['CLIENT', 'INFO'], ['CLIENT', 'LIST'], ['CLIENT', 'LIST', 'TYPE', 'normal']]) {
        const [a, b] = await Promise.all([pair.ours.call(...cmd), pair.theirs.call(...cmd)]);
        expect(String.fromCharCode(a[0]), `${cmd.join(' ')} reply type, RESP${proto}`).toBe(String.fromCharCode(b[0]));
        const ourLines = text(a).split('\n');
        const theirLines = text(b).split('\n');
        expect(ourLines.at(-1), 'ends with a newline').toBe('');
        expect(theirLines.at(-1)).toBe('');
        expect([...fields(ourLines[0]).keys()]).toEqual([...fields(theirLines[0]).keys()]);
      }
    }
    await pair.both(['HELLO', '2']);
  });

  it('values are real: id, addr, laddr, fd, name, db, cmd, resp, qbuf and argv-mem of the caller', async () => {
    const c = await RawClient.connect(pair.shardis.port);
    try {
      const id = (await c.call('CLIENT', 'ID')).toString().slice(1, -2);
      await c.call('CLIENT', 'SETNAME', 'probe');
      await c.call('SELECT', '3');
      const info = fields(text(await c.call('CLIENT', 'INFO')));
      expect(info.get('id')).toBe(id);
      expect(info.get('addr')).toBe(`${c.socket.localAddress}:${c.socket.localPort}`);
      expect(info.get('laddr')).toBe(`127.0.0.1:${pair.shardis.port}`);
      expect(Number(info.get('fd'))).toBeGreaterThan(2);
      expect(info.get('name')).toBe('probe');
      expect(info.get('db')).toBe('3');
      expect(info.get('cmd')).toBe('client|info');
      expect(info.get('resp')).toBe('2');
      expect(info.get('flags')).toBe('N');
      expect(info.get('user')).toBe('default');
      // Like Redis: the caller's query buffer holds its own command, argv-mem its arguments.
      expect(info.get('qbuf')).toBe('26');
      expect(info.get('argv-mem')).toBe('10');
      await c.call('HELLO', '3');
      const info3 = fields(text(await c.call('CLIENT', 'LIST', 'ID', id)));
      expect(info3.get('resp')).toBe('3');
      expect(info3.get('cmd')).toBe('client|list');
      expect(info3.get('addr')).toBe(info.get('addr'));
      expect(info3.get('fd')).toBe(info.get('fd'));
    } finally {
      c.close();
    }
  });

  it('age and idle count whole seconds; other clients and closed ones show up correctly in CLIENT LIST', async () => {
    const idle = await RawClient.connect(pair.shardis.port);
    const watcher = await RawClient.connect(pair.shardis.port);
    try {
      const idleId = (await idle.call('CLIENT', 'ID')).toString().slice(1, -2);
      await idle.call('CLIENT', 'SETNAME', 'sleeper');
      await sleep(2100);
      const list = text(await watcher.call('CLIENT', 'LIST')).split('\n').filter(Boolean).map(fields);
      const me = list.find((f) => f.get('id') === idleId)!;
      expect(me.get('name')).toBe('sleeper');
      expect(me.get('cmd')).toBe('client|setname');
      expect(Number(me.get('age'))).toBeGreaterThanOrEqual(2);
      expect(Number(me.get('idle'))).toBeGreaterThanOrEqual(2);
      expect(me.get('qbuf')).toBe('0');
      expect(me.get('argv-mem')).toBe('0');
      const ids = list.map((f) => Number(f.get('id')));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      idle.close();
      await sleep(100);
      const after = text(await watcher.call('CLIENT', 'LIST')).split('\n').filter(Boolean).map(fields);
      expect(after.find((f) => f.get('id') === idleId)).toBeUndefined();
    } finally {
      idle.close();
      watcher.close();
    }
  });

  it('CLIENT LIST shows a partially received command in qbuf and argv-mem, as Redis', async () => {
    const writer = await RawClient.connect(pair.shardis.port);
    const watcher = await RawClient.connect(pair.shardis.port);
    try {
      const id = (await writer.call('CLIENT', 'ID')).toString().slice(1, -2);
      writer.writeRaw('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123');
      await sleep(100);
      const f = fields(text(await watcher.call('CLIENT', 'LIST', 'ID', id)));
      expect(f.get('qbuf')).toBe('4');
      expect(f.get('argv-mem')).toBe('6');
      writer.writeRaw('456789\r\n');
      expect((await writer.read(1))[0].toString()).toBe('+OK\r\n');
    } finally {
      writer.close();
      watcher.close();
    }
  });

  it('CLIENT ID increases with every connection', async () => {
    const a = await RawClient.connect(pair.shardis.port);
    const b = await RawClient.connect(pair.shardis.port);
    try {
      const ia = Number((await a.call('CLIENT', 'ID')).toString().slice(1));
      const ib = Number((await b.call('CLIENT', 'ID')).toString().slice(1));
      expect(ib).toBeGreaterThan(ia);
    } finally {
      a.close();
      b.close();
    }
  });

  it('SETNAME / GETNAME and name validation, byte for byte', async () => {
    const cmds: string[][] = [];
    for (const name of ['myname', 'a b', 'a\nb', '\x7f', 'caf\xe9', '~!@#$%^&*()', 'x'.repeat(300), '']) {
      cmds.push(['CLIENT', 'SETNAME', name], ['CLIENT', 'GETNAME']);
    }
    cmds.push(['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'], ['CLIENT', 'GETNAME', 'x'], ['HELLO', '2', 'SETNAME', 'bad name'], ['CLIENT', 'GETNAME']);
    cmds.push(['HELLO', '2', 'SETNAME', 'viahello'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME']);
    const mismatch = await pair.mismatch(cmds, (cmd, r) => (cmd[0] === 'HELLO' ? r.toString('latin1').replace(/\$2\r\nid\r\n:\d+/, 'ID') : r.toString('latin1')));
    expect(mismatch).toBeNull();
  });

  it('CLIENT LIST options and errors, byte for byte', async () => {
    const cmds = [
      ['CLIENT', 'LIST', 'TYPE', 'master'],
      ['CLIENT', 'LIST', 'TYPE', 'replica'],
      ['CLIENT', 'LIST', 'TYPE', 'SLAVE'],
      ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
      ['CLIENT', 'LIST', 'TYPE', 'bogus'],
      ['CLIENT', 'LIST', 'TYPE'],
      ['CLIENT', 'LIST', 'TYPE', 'normal', 'extra'],
      ['CLIENT', 'LIST', 'ID'],
      ['CLIENT', 'LIST', 'ID', 'abc'],
      ['CLIENT', 'LIST', 'ID', '0', '-1', '99999999'],
      ['CLIENT', 'LIST', 'ID', '-0'],
      ['CLIENT', 'LIST', 'ID', '1', 'x'],
      ['CLIENT', 'LIST', 'foo'],
      ['CLIENT', 'LIST', 'foo', 'bar'],
      ['CLIENT', 'ID', 'x'],
      ['CLIENT', 'INFO', 'x'],
      ['CLIENT', 'HELP', 'x'],
      ['CLIENT', 'NOSUCH'],
      ['CLIENT'],
    ];
    for (const proto of ['2', '3']) {
      await pair.both(['HELLO', proto]);
      expect(await pair.mismatch(cmds)).toBeNull();
    }
    await pair.both(['HELLO', '2']);
  });

  it('CLIENT LIST ID lists the given ids in the given order, repeats included', async () => {
    const a = await RawClient.connect(pair.shardis.port);
    try {
      const ida = (await a.call('CLIENT', 'ID')).toString().slice(1, -2);
      const me = (await pair.ours.call('CLIENT', 'ID')).toString().slice(1, -2);
      const ids = text(await pair.ours.call('CLIENT', 'LIST', 'ID', me, ida, me, '424242'))
        .split('\n')
        .filter(Boolean)
        .map((l) => fields(l).get('id'));
      expect(ids).toEqual([me, ida, me]);
    } finally {
      a.close();
    }
  });

  it('CLIENT HELP lists what shardis implements, in Redis words and order', async () => {
    const [a, b] = await Promise.all([pair.ours.call('CLIENT', 'HELP'), pair.theirs.call('CLIENT', 'HELP')]);
    const lines = (r: Buffer) => r.toString('latin1').split('\r\n').slice(1).filter(Boolean);
    const ours = lines(a);
    const theirs = lines(b);
    expect(ours[0]).toBe(theirs[0]);
    let k = 0;
    for (const line of ours) {
      while (k < theirs.length && theirs[k] !== line) k++;
      expect(k, `"${line}" in Redis' CLIENT HELP, in order`).toBeLessThan(theirs.length);
    }
    for (const sub of ['ID', 'INFO', 'LIST', 'SETNAME', 'GETNAME', 'HELP']) {
      expect(ours.some((l) => l.startsWith(`+${sub}`))).toBe(true);
    }
  });
});

describe('client addresses as Redis prints them', () => {
  it('IPv4, IPv4 seen through a dual-stack socket, IPv6 in brackets, unknown', () => {
    expect(formatAddress('127.0.0.1', 6379)).toBe('127.0.0.1:6379');
    expect(formatAddress('::ffff:10.1.2.3', 5000)).toBe('10.1.2.3:5000');
    expect(formatAddress('::1', 6379)).toBe('[::1]:6379');
    expect(formatAddress('fe80::1%eth0', 7)).toBe('[fe80::1%eth0]:7');
    expect(formatAddress(undefined, undefined)).toBe('?:0');
  });
});
