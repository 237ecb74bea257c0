/**
 * AUTH, requirepass, HELLO AUTH, RESET and QUIT, against redis-server
 * (Redis' tests/unit/auth.tcl plus the order of checks in processCommand).
 */
import { describe, expect, it } from 'vitest';
import { DiffPair, type Command } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';
import { exchange, mb, shorten } from '../protocol/wire.js';

function normalizeIds(cmd: Command, reply: Buffer): string {
  const s = reply.toString('latin1');
  return cmd[0].toUpperCase() === 'HELLO' ? s.replace(/\$2\r\nid\r\n:\d+\r\n/, '$2\r\nid\r\n:<id>\r\n') : s;
}

/** A fresh connection to each server, for a scenario that starts unauthenticated. */
async function freshPair(pair: DiffPair): Promise<{ ours: RawClient; theirs: RawClient; close: () => void }> {
  const [ours, theirs] = await Promise.all([RawClient.connect(pair.shardis.port), RawClient.connect(pair.redis.port)]);
  return { ours, theirs, close: () => (ours.close(), theirs.close()) };
}

async function sameReplies(pair: DiffPair, cmds: Command[]): Promise<void> {
  const c = await freshPair(pair);
  try {
    const [a, b] = await Promise.all([c.ours.pipeline(cmds), c.theirs.pipeline(cmds)]);
    for (let i = 0; i < cmds.length; i++) {
      expect(`#${i} ${JSON.stringify(cmds[i])} ${normalizeIds(cmds[i], a[i])}`).toBe(`#${i} ${JSON.stringify(cmds[i])} ${normalizeIds(cmds[i], b[i])}`);
    }
  } finally {
    c.close();
  }
}

describe.skipIf(!requireRedisServer())('AUTH without a password configured', () => {
  const pair = DiffPair.forSuite(2);

  it('AUTH fails if there is no password configured server side; arity and syntax', async () => {
    await sameReplies(pair, [['AUTH', 'foo'], ['AUTH', 'a', 'b', 'c'], ['AUTH'], ['AUTH', 'default', 'anything'], ['AUTH', 'nosuchuser', 'x'], ['HELLO', '3', 'AUTH', 'default', 'whatever'], ['GET', 'x']]);
  });
});

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('requirepass, shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards, ['--requirepass', 'foobar'], ['--requirepass', 'foobar']);

  it('NOAUTH before AUTH, WRONGPASS, then commands work', async () => {
    await sameReplies(pair, [
      ['SET', 'foo', 'bar'],
      ['AUTH', 'wrong!'],
      ['AUTH', 'default', 'wrong!'],
      ['AUTH', 'nosuchuser', 'foobar'],
      ['GET', 'foo'],
      ['AUTH', 'foobar'],
      ['SET', 'foo', '100'],
      ['INCR', 'foo'],
      ['DEL', 'foo'],
    ]);
  });

  it('order of checks before authentication: unknown command and arity come before NOAUTH', async () => {
    await sameReplies(pair, [
      ['NOSUCHCOMMAND', 'x'],
      ['GET'],
      ['GET', 'a', 'b'],
      ['CLIENT', 'NOSUCH'],
      ['CLIENT', 'ID'],
      ['CONFIG', 'GET'],
      ['PING'],
      ['ECHO', 'x'],
      ['SELECT', '1'],
      ['INFO'],
      ['MGET', 'a', 'b'],
      ['HELLO'],
      ['HELLO', '2'],
      ['HELLO', '3'],
      ['HELLO', '4'],
      ['HELLO', '3', 'FOO'],
      ['AUTH', 'foobar'],
      ['PING'],
    ]);
  });

  it('HELLO AUTH authenticates and switches protocol in one step; errors leave the connection as it was', async () => {
    await sameReplies(pair, [
      ['HELLO', '3', 'AUTH', 'default', 'wrong'],
      ['GET', 'x'],
      ['HELLO', '3', 'SETNAME', 'early'],
      ['HELLO', '3', 'AUTH', 'default', 'foobar', 'SETNAME', 'me'],
      ['CLIENT', 'GETNAME'],
      ['GET', 'nokey'],
      ['HELLO', '2'],
      ['GET', 'nokey'],
    ]);
    await sameReplies(pair, [['HELLO', '2', 'AUTH', 'default', 'foobar'], ['GET', 'nokey'], ['HELLO', 'AUTH', 'default', 'foobar'], ['CLIENT', 'GETNAME']]);
  });

  it('RESET drops authentication, the name, the db and RESP3', async () => {
    await sameReplies(pair, [
      ['AUTH', 'foobar'],
      ['HELLO', '3', 'SETNAME', 'n'],
      ['SELECT', '2'],
      ['SET', 'indb2', 'x'],
      ['RESET'],
      ['GET', 'indb2'],
      ['CLIENT', 'GETNAME'],
      ['AUTH', 'foobar'],
      ['GET', 'indb2'],
      ['CLIENT', 'GETNAME'],
      ['SELECT', '2'],
      ['GET', 'nokey'],
      ['DEL', 'indb2'],
    ]);
  });

  it('QUIT before AUTH: +OK and close; later pipelined commands are ignored', async () => {
    const parts = [Buffer.concat([mb('GET', 'x'), mb('QUIT'), mb('AUTH', 'foobar'), mb('SET', 'afterquit', '1')])];
    const [a, b] = await Promise.all([exchange(pair.shardis.port, parts), exchange(pair.redis.port, parts)]);
    expect(shorten(a.received)).toBe(shorten(b.received));
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(true);
    const c = await freshPair(pair);
    try {
      await Promise.all([c.ours.call('AUTH', 'foobar'), c.theirs.call('AUTH', 'foobar')]);
      const [x, y] = await Promise.all([c.ours.call('EXISTS', 'afterquit'), c.theirs.call('EXISTS', 'afterquit')]);
      expect(x.toString()).toBe(':0\r\n');
      expect(y.toString()).toBe(':0\r\n');
    } finally {
      c.close();
    }
  });

  it('binary password (auth.tcl): CONFIG SET requirepass with a NUL byte', async () => {
    const c = await freshPair(pair);
    try {
      const run = async (...args: string[]) => {
        const [a, b] = await Promise.all([c.ours.call(...args), c.theirs.call(...args)]);
        expect(a.toString('latin1')).toBe(b.toString('latin1'));
        return a.toString('latin1');
      };
      await run('AUTH', 'foobar');
      expect(await run('CONFIG', 'SET', 'requirepass', 'abc\0def')).toBe('+OK\r\n');
      // The connection that set it stays authenticated.
      expect(await run('PING')).toBe('+PONG\r\n');
      const d = await freshPair(pair);
      try {
        const [a1, b1] = await Promise.all([d.ours.call('AUTH', 'abc'), d.theirs.call('AUTH', 'abc')]);
        expect(a1.toString()).toBe(b1.toString());
        const [a2, b2] = await Promise.all([d.ours.call('AUTH', 'abc\0def'), d.theirs.call('AUTH', 'abc\0def')]);
        expect(a2.toString()).toBe('+OK\r\n');
        expect(b2.toString()).toBe('+OK\r\n');
      } finally {
        d.close();
      }
    } finally {
      await Promise.all([c.ours.call('CONFIG', 'SET', 'requirepass', 'foobar'), c.theirs.call('CONFIG', 'SET', 'requirepass', 'foobar')]);
      c.close();
    }
  });

  it('CONFIG SET requirepass "" lets connections that never authenticated run commands', async () => {
    const waiting = await freshPair(pair);
    const admin = await freshPair(pair);
    try {
      const [a0, b0] = await Promise.all([waiting.ours.call('GET', 'x'), waiting.theirs.call('GET', 'x')]);
      expect(a0.toString()).toBe(b0.toString());
      await Promise.all([admin.ours.call('AUTH', 'foobar'), admin.theirs.call('AUTH', 'foobar')]);
      await Promise.all([admin.ours.call('CONFIG', 'SET', 'requirepass', ''), admin.theirs.call('CONFIG', 'SET', 'requirepass', '')]);
      const [a1, b1] = await Promise.all([waiting.ours.call('GET', 'x'), waiting.theirs.call('GET', 'x')]);
      expect(a1.toString()).toBe(b1.toString());
      // And unauthenticated size limits no longer apply either.
      const [a2, b2] = await Promise.all([waiting.ours.call('ECHO', 'y'.repeat(20_000)), waiting.theirs.call('ECHO', 'y'.repeat(20_000))]);
      expect(a2.equals(b2)).toBe(true);
    } finally {
      await Promise.all([admin.ours.call('CONFIG', 'SET', 'requirepass', 'foobar'), admin.theirs.call('CONFIG', 'SET', 'requirepass', 'foobar')]);
      waiting.close();
      admin.close();
    }
  });
});
