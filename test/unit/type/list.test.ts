/**
 * List commands, focused cases the property test may miss: exact error
 * texts, OBJECT ENCODING under every list-max-listpack-size, lists of
 * thousands of elements spanning many chunks (indexes, ranges and edits in
 * the middle), LPOS edge values, COPY and cross-shard moves (values carried
 * between shards). Every reply is compared with redis-server 7.0.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DiffPair, prng, type Command } from '../../helpers/differential.js';
import { encodeCommand } from '../../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS } from '../../helpers/server.js';

/**
 * End of the RESP value at p, or -1 while it is incomplete. (The shared
 * RawClient can take a half-received large array for a whole one, so the
 * big-list tests read their replies with this instead.)
 */
function valueEnd(buf: Buffer, p: number): number {
  if (p >= buf.length) return -1;
  const cr = buf.indexOf(13, p);
  if (cr < 0 || cr + 1 >= buf.length) return -1;
  const type = buf[p];
  const n = Number(buf.latin1Slice(p + 1, cr));
  let q = cr + 2;
  if (type === 36 /* $ */ || type === 61 /* = */) return n < 0 ? q : q + n + 2 <= buf.length ? q + n + 2 : -1;
  if (type === 42 /* * */ || type === 126 /* ~ */ || type === 37 /* % */) {
    const count = type === 37 ? 2 * n : n;
    for (let i = 0; i < count; i++) {
      q = valueEnd(buf, q);
      if (q < 0) return -1;
    }
  }
  return q;
}

/** Sends commands as one pipeline on a fresh connection and returns the raw replies. */
function pipeline(port: number, cmds: Command[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(Buffer.concat(cmds.map((c) => encodeCommand(c)))));
    let buf = Buffer.alloc(0);
    const out: string[] = [];
    sock.on('error', reject);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (let end = valueEnd(buf, 0); end > 0; end = valueEnd(buf, 0)) {
        out.push(buf.latin1Slice(0, end));
        buf = buf.subarray(end);
      }
      if (out.length === cmds.length) {
        sock.destroy();
        resolve(out);
      }
    });
  });
}

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('list commands with %i shard(s), focused', (shards) => {
  const pair = DiffPair.forSuite(shards);

  /** Both servers give the same replies to a pipeline (reported by command, so a failure says which). */
  const same = async (cmds: Command[]) => {
    const [ours, theirs] = await Promise.all([pipeline(pair.shardis.port, cmds), pipeline(pair.redis.port, cmds)]);
    const diff = cmds.findIndex((_, i) => ours[i] !== theirs[i]);
    if (diff >= 0) {
      const show = (r: string) => JSON.stringify(r.length > 300 ? `${r.slice(0, 300)}...` : r);
      expect.fail(`command #${diff} ${JSON.stringify(cmds[diff]).slice(0, 200)}\n  shardis: ${show(ours[diff])}\n  redis:   ${show(theirs[diff])}`);
    }
    expect(ours.length).toBe(cmds.length);
  };

  it('replies with Redis’ error texts, in Redis’ order of checks', async () => {
    await pair.flush();
    await pair.both(['RPUSH', 'l', 'a', 'b', 'c']);
    await pair.both(['SET', 's', 'x']);
    await pair.expectReply(['LPOP', 'l', '-1'], '-ERR value is out of range, must be positive\r\n');
    await pair.expectReply(['RPOP', 'l', 'abc'], '-ERR value is out of range, must be positive\r\n');
    await pair.expectReply(['LPOP', 's', 'abc'], '-ERR value is out of range, must be positive\r\n');
    await pair.expectReply(['LPOP', 'l', '1', '2'], "-ERR wrong number of arguments for 'lpop' command\r\n");
    await pair.expectReply(['LPOS', 'l', 'a', 'RANK', '0'], "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    await pair.expectReply(['LPOS', 'l', 'a', 'COUNT', '-1'], "-ERR COUNT can't be negative\r\n");
    await pair.expectReply(['LPOS', 'l', 'a', 'MAXLEN', 'x'], "-ERR MAXLEN can't be negative\r\n");
    await pair.expectReply(['LPOS', 's', 'a', 'RANK', 'x'], '-ERR value is not an integer or out of range\r\n');
    await pair.expectReply(['LPOS', 's', 'a'], '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    await pair.expectReply(['LMPOP', '0', 'l', 'LEFT'], '-ERR numkeys should be greater than 0\r\n');
    await pair.expectReply(['LMPOP', '2', 'l', 'LEFT'], '-ERR syntax error\r\n');
    await pair.expectReply(['LMPOP', '1', 'l', 'LEFT', 'COUNT', '0'], '-ERR count should be greater than 0\r\n');
    await pair.expectReply(['LMPOP', '1', 'l', 'LEFT', 'COUNT', '1', 'COUNT', '1'], '-ERR syntax error\r\n');
    await pair.expectReply(['LSET', 'missing', '0', 'x'], '-ERR no such key\r\n');
    await pair.expectReply(['LSET', 'l', '3', 'x'], '-ERR index out of range\r\n');
    await pair.expectReply(['LSET', 'missing', 'x', 'x'], '-ERR no such key\r\n');
    await pair.expectReply(['LINDEX', 'l', 'x'], '-ERR value is not an integer or out of range\r\n');
    await pair.expectReply(['LINDEX', 'missing', 'x'], '$-1\r\n');
    await pair.expectReply(['LINSERT', 's', 'middle', 'a', 'b'], '-ERR syntax error\r\n');
    await pair.expectReply(['LRANGE', 's', 'x', '1'], '-ERR value is not an integer or out of range\r\n');
    await pair.expectReply(['LMOVE', 'l', 'l', 'LEFT', 'UP'], '-ERR syntax error\r\n');
    await pair.expectReply(['RPOPLPUSH', 'l', 's'], '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    await pair.expectReply(['LRANGE', 'l', '0', '-1'], '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
  });

  it('OBJECT ENCODING is quicklist for every list, whatever list-max-listpack-size says', async () => {
    for (const [name, fill] of [['list-max-listpack-size', '-2'], ['list-max-ziplist-size', '1'], ['list-max-listpack-size', '-5'], ['list-max-listpack-size', '0']]) {
      await pair.flush();
      await same([['CONFIG', 'SET', name, fill], ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'SET', 'list-compress-depth', '1']]);
      const big = Array.from({ length: 300 }, (_, i) => `element-${i}`);
      await same([['RPUSH', 'l', 'a'], ['OBJECT', 'ENCODING', 'l'], ['RPUSH', 'l', ...big], ['OBJECT', 'ENCODING', 'l'], ['LRANGE', 'l', '0', '-1']]);
      await pair.expectReply(['OBJECT', 'ENCODING', 'l'], '$9\r\nquicklist\r\n');
    }
    await same([['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['CONFIG', 'SET', 'list-compress-depth', '0']]);
  });

  for (const fill of ['-1', '-5', '7']) {
    it(`a list of thousands of elements across many chunks reads and edits like Redis' (fill ${fill})`, async () => {
      await pair.flush();
      await pair.both(['CONFIG', 'SET', 'list-max-listpack-size', fill]);
      const rand = prng(Number(fill) + 100);
      const el = () => (rand() < 0.1 ? 'z'.repeat(100 + Math.floor(rand() * 200)) : `v${Math.floor(rand() * 50)}`);
      const cmds: Command[] = [];
      for (let i = 0; i < 20; i++) cmds.push([rand() < 0.5 ? 'RPUSH' : 'LPUSH', 'big', ...Array.from({ length: 200 }, el)]);
      cmds.push(['LLEN', 'big']);
      for (let i = 0; i < 60; i++) {
        const at = String(Math.floor(rand() * 8400) - 4200);
        const r = rand();
        if (r < 0.2) cmds.push(['LINDEX', 'big', at]);
        else if (r < 0.35) cmds.push(['LRANGE', 'big', at, String(Number(at) + Math.floor(rand() * 700))]);
        else if (r < 0.5) cmds.push(['LSET', 'big', at, el()]);
        else if (r < 0.6) cmds.push(['LINSERT', 'big', rand() < 0.5 ? 'BEFORE' : 'AFTER', el(), el()]);
        else if (r < 0.7) cmds.push(['LREM', 'big', String(Math.floor(rand() * 7) - 3), el()]);
        else if (r < 0.8) cmds.push(['LPOS', 'big', el(), 'RANK', String(Math.floor(rand() * 9) - 4 || 1), 'COUNT', String(Math.floor(rand() * 5))]);
        else if (r < 0.9) cmds.push([rand() < 0.5 ? 'LPOP' : 'RPOP', 'big', String(Math.floor(rand() * 300))]);
        else cmds.push(['LMOVE', 'big', 'big', rand() < 0.5 ? 'LEFT' : 'RIGHT', rand() < 0.5 ? 'LEFT' : 'RIGHT']);
      }
      cmds.push(['LRANGE', 'big', '0', '-1'], ['LTRIM', 'big', '100', '-100'], ['LRANGE', 'big', '0', '-1'], ['LTRIM', 'big', '5', '4'], ['EXISTS', 'big']);
      await same(cmds);
      await pair.both(['CONFIG', 'SET', 'list-max-listpack-size', '-2']);
    });
  }

  it('LPOS with the extreme ranks behaves as Redis 7.0 does', async () => {
    await pair.flush();
    await pair.both(['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a']);
    await same([
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '1'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775807', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'RANK', '9223372036854775807'],
      ['LPOS', 'l', 'a', 'RANK', '2', 'COUNT', '0', 'MAXLEN', '4'],
      ['LPOS', 'l', 'a', 'RANK', '-2', 'COUNT', '2', 'MAXLEN', '0'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775809'],
    ]);
  });

  it('COPY duplicates a list; the copy and the original change independently', async () => {
    await pair.flush();
    const items = Array.from({ length: 3000 }, (_, i) => `item-${i}`);
    await same([
      ['RPUSH', 'src', ...items],
      ['COPY', 'src', 'dst'],
      ['COPY', 'src', '{x}far'],
      ['RPOP', 'src', '10'],
      ['LSET', 'dst', '1500', 'changed'],
      ['LPUSH', '{x}far', 'head'],
      ['LRANGE', 'src', '1490', '1510'],
      ['LRANGE', 'dst', '1490', '1510'],
      ['LRANGE', '{x}far', '0', '3'],
      ['LLEN', 'src'],
      ['LLEN', 'dst'],
      ['OBJECT', 'ENCODING', 'dst'],
    ]);
  });

  it('moves elements between lists on different shards (from: shard 0, dst: shard 2 of 4)', async () => {
    await pair.flush();
    await same([
      ['RPUSH', 'from', 'a', 'b', 'c'],
      ['LMOVE', 'from', 'dst', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'from', 'dst'],
      ['LMOVE', 'from', 'dst', 'RIGHT', 'LEFT'],
      ['EXISTS', 'from'],
      ['LRANGE', 'dst', '0', '-1'],
      ['LMPOP', '3', 'nothing', 'from', 'dst', 'RIGHT', 'COUNT', '2'],
      ['LRANGE', 'dst', '0', '-1'],
      ['BLMPOP', '0.01', '2', 'from', 'dst', 'LEFT'],
      ['EXISTS', 'dst'],
      // A list of many chunks travels to the executing shard and back.
      ['RPUSH', 'dst', ...Array.from({ length: 3000 }, (_, i) => `e${i}`)],
      ['RPUSH', 'from', 'x', 'y'],
      ['LMOVE', 'from', 'dst', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'dst', 'from'],
      ['LLEN', 'dst'],
      ['LRANGE', 'dst', '1495', '1505'],
      ['LRANGE', 'from', '0', '-1'],
    ]);
  });
});
