/**
 * RESP3 (HELLO 3) against redis-server: HELLO itself and its errors, and the
 * RESP3 reply types Redis 7.0 uses for the commands shardis has (maps, nulls,
 * sets, verbatim strings), byte for byte where the payload can match and by
 * reply type where it cannot (INFO, CLIENT INFO, COMMAND DOCS texts).
 */
import { describe, expect, it } from 'vitest';
import { DiffPair, type Command } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

/** Client ids and ports differ between the two servers; everything else must not. */
function normalizeIds(cmd: Command, reply: Buffer): string {
  let s = reply.toString('latin1');
  if (cmd[0].toUpperCase() === 'HELLO') s = s.replace(/\$2\r\nid\r\n:\d+\r\n/, '$2\r\nid\r\n:<id>\r\n');
  return s;
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('RESP3, shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('HELLO: versions, options and errors', async () => {
    const cmds: Command[] = [
      ['HELLO'],
      ['HELLO', '3'],
      ['HELLO'],
      ['HELLO', '2'],
      ['HELLO', '1'],
      ['HELLO', '4'],
      ['HELLO', '0'],
      ['HELLO', '-1'],
      ['HELLO', '-0'],
      ['HELLO', '03'],
      ['HELLO', '3.0'],
      ['HELLO', ' 3'],
      ['HELLO', 'three'],
      ['HELLO', '9223372036854775808'],
      ['HELLO', '3', 'FOO'],
      ['HELLO', '3', 'AUTH'],
      ['HELLO', '3', 'AUTH', 'default'],
      ['HELLO', '3', 'SETNAME'],
      ['HELLO', '3', 'SETNAME', 'bad name'],
      ['HELLO', '3', 'AUTH', 'default', 'nopass-configured'],
      ['HELLO', '3', 'AUTH', 'nosuchuser', 'x'],
      ['HELLO', '3', 'setname', 'n1', 'SETNAME', 'n2'],
      ['CLIENT', 'GETNAME'],
      ['HELLO', '2', 'SETNAME', 'n3', 'bogus'],
      ['CLIENT', 'GETNAME'],
      ['HELLO', 'AUTH', 'default', 'x'],
      ['HELLO', '2'],
    ];
    expect(await pair.mismatch(cmds, normalizeIds)).toBeNull();
  });

  it('HELLO 3 switches the reply types of later commands, HELLO 2 and RESET switch back', async () => {
    await pair.flush();
    const cmds: Command[] = [
      ['SET', 'k', 'v'],
      ['GET', 'nokey'],
      ['HELLO', '3'],
      ['GET', 'nokey'],
      ['MGET', 'k', 'nokey', 'k2', 'k3', 'k4'],
      ['HELLO', '2'],
      ['GET', 'nokey'],
      ['HELLO', '3'],
      ['RESET'],
      ['GET', 'nokey'],
      ['HELLO', '3'],
    ];
    expect(await pair.mismatch(cmds, normalizeIds)).toBeNull();
  });

  it('RESP3 reply types of shardis commands match Redis 7.0', async () => {
    await pair.flush();
    await pair.both(['HELLO', '3']);
    const cmds: Command[] = [
      ['PING'],
      ['PING', 'x'],
      ['ECHO', 'hi'],
      ['SET', 'str', 'hello'],
      ['SET', 'num', '42'],
      ['SET', 'str', 'world', 'GET'],
      ['SET', 'nokey', 'x', 'NX', 'GET'],
      ['DEL', 'nokey'],
      ['SET', 'nokey2', 'x', 'XX', 'GET'],
      ['SET', 'nokey2', 'x', 'XX'],
      ['GET', 'str'],
      ['GET', 'nokey'],
      ['GETDEL', 'nokey'],
      ['GETEX', 'nokey'],
      ['GETSET', 'nokey3', 'v'],
      ['MGET', 'str', 'nokey', 'num'],
      ['INCR', 'num'],
      ['INCRBYFLOAT', 'num', '1.5'],
      ['STRLEN', 'str'],
      ['GETRANGE', 'str', '0', '2'],
      ['APPEND', 'str', '!'],
      ['SETNX', 'str', 'x'],
      ['MSET', 'a', '1', 'b', '2'],
      ['EXISTS', 'a', 'b', 'nokey'],
      ['TYPE', 'a'],
      ['TYPE', 'nokey'],
      ['TTL', 'a'],
      ['EXPIRE', 'a', '100'],
      ['PERSIST', 'a'],
      ['OBJECT', 'ENCODING', 'num'],
      ['OBJECT', 'ENCODING', 'nokey'],
      ['OBJECT', 'FREQ', 'a'],
      ['SET', '{l}1', 'ohmytext'],
      ['SET', '{l}2', 'mynewtext'],
      ['LCS', '{l}1', '{l}2', 'IDX', 'MINMATCHLEN', '2', 'WITHMATCHLEN'],
      ['LCS', '{l}1', '{l}2', 'LEN'],
      ['LCS', '{l}1', '{l}nokey'],
      ['DBSIZE'],
      ['KEYS', 'nomatch*'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'r3'],
      ['CLIENT', 'GETNAME'],
      ['CONFIG', 'GET', 'databases'],
      ['CONFIG', 'GET', 'nosuchoption'],
      ['CONFIG', 'SET', 'timeout', '0'],
      ['SELECT', '1'],
      ['GET', 'str'],
      ['SELECT', '0'],
      ['FLUSHALL'],
      ['RANDOMKEY'],
      ['GETDEL', 'str'],
      ['NOSUCHCOMMAND'],
      ['GET'],
    ];
    expect(await pair.mismatch(cmds)).toBeNull();
    await pair.both(['HELLO', '2']);
  });

  it('verbatim strings (INFO, CLIENT INFO, CLIENT LIST), maps (HELLO, CONFIG GET, COMMAND DOCS) and sets (COMMAND INFO flags): same reply types', async () => {
    await pair.both(['HELLO', '3']);
    const cmds: Command[] = [['INFO'], ['INFO', 'server'], ['CLIENT', 'INFO'], ['CLIENT', 'LIST'], ['HELLO'], ['CONFIG', 'GET', 'port'], ['COMMAND', 'DOCS', 'get'], ['COMMAND', 'INFO', 'get'], ['TIME']];
    for (const cmd of cmds) {
      const { ours, theirs } = await pair.both(cmd);
      expect(ours[0], `${cmd.join(' ')} reply type`).toBe(theirs[0]);
      if (ours[0] === '=') expect(ours.slice(ours.indexOf('\r\n') + 2, ours.indexOf('\r\n') + 6)).toBe('txt:');
      if (ours[0] === '=') {
        // The declared length covers "txt:" and the text exactly.
        const len = Number(ours.slice(1, ours.indexOf('\r\n')));
        expect(ours.length).toBe(ours.indexOf('\r\n') + 2 + len + 2);
      }
    }
    const [a, b] = await Promise.all([pair.ours.call('COMMAND', 'INFO', 'get'), pair.theirs.call('COMMAND', 'INFO', 'get')]);
    // Command flags are a set in RESP3.
    expect(a.toString('latin1').slice(0, 24)).toBe(b.toString('latin1').slice(0, 24));
    await pair.both(['HELLO', '2']);
  });

  it('a pipeline that switches protocol between commands on several shards gets each reply in its own protocol', async () => {
    await pair.flush();
    const cmds: Command[] = [];
    for (let i = 0; i < 20; i++) {
      cmds.push(['GET', `missing:${i}`], ['HELLO', i % 2 ? '2' : '3'], ['MGET', `missing:${i}`, `m:${i}`, `x:${i}`]);
    }
    cmds.push(['HELLO', '2']);
    expect(await pair.mismatch(cmds, normalizeIds)).toBeNull();
  });

  it('RESP3 on a fresh connection: the first command may be HELLO 3 in the same write as others', async () => {
    const [a, b] = await Promise.all([RawClient.connect(pair.shardis.port), RawClient.connect(pair.redis.port)]);
    try {
      const cmds = [['HELLO', '3', 'SETNAME', 'fresh'], ['GET', 'nokey'], ['CLIENT', 'GETNAME'], ['PING']];
      const [ra, rb] = await Promise.all([a.pipeline(cmds), b.pipeline(cmds)]);
      expect(ra.map((r, i) => normalizeIds(cmds[i], r))).toEqual(rb.map((r, i) => normalizeIds(cmds[i], r)));
    } finally {
      a.close();
      b.close();
    }
  });
});
