/**
 * Limits and big inputs: proto-max-bulk-len, client-query-buffer-limit,
 * absurd declared sizes that must not hurt the server or other clients, huge
 * pipelines and large / binary values answered completely and in order.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, SHARD_COUNTS, startRedis, startShardis, type RunningServer } from '../helpers/server.js';
import { exchange, mb, rssOf, shorten } from './wire.js';

const MB = 1024 * 1024;

/** Opens a socket and writes `head`; returns it with a promise that resolves when the server closes it. */
async function openWith(port: number, head: Buffer | string): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => {});
  });
  socket.write(head);
  return { socket, closed };
}

/** Writes `total` bytes of `fill` in 64 KB writes, waiting for drain; stops quietly if the server closes. */
async function stream(socket: net.Socket, total: number, fill = 0x61): Promise<void> {
  const piece = Buffer.alloc(64 * 1024, fill);
  for (let sent = 0; sent < total && !socket.destroyed; sent += piece.length) {
    const ok = socket.write(piece.subarray(0, Math.min(piece.length, total - sent)));
    if (!ok) await new Promise<void>((resolve) => {
      socket.once('drain', resolve);
      socket.once('close', resolve);
    });
  }
}

async function ping(port: number): Promise<string> {
  const c = await RawClient.connect(port);
  try {
    return (await c.call('PING')).toString('latin1');
  } finally {
    c.close();
  }
}

describe.skipIf(!requireRedisServer())('proto-max-bulk-len and client-query-buffer-limit, against redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  const flags = ['--proto-max-bulk-len', '2mb'];
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 2, args: flags }), startRedis(flags)]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  const both = async (parts: (string | Buffer)[], quietMs?: number) => {
    const [a, b] = await Promise.all([exchange(ours.port, parts, { quietMs }), exchange(theirs.port, parts, { quietMs })]);
    expect(shorten(a.received)).toBe(shorten(b.received));
    expect(a.closed).toBe(b.closed);
    return a;
  };

  it('--proto-max-bulk-len 2mb: a 2 MB bulk is accepted, one byte more is an invalid bulk length', async () => {
    const ok = await both([mb('SET', 'big', Buffer.alloc(2 * MB, 0x62)), mb('STRLEN', 'big'), mb('DEL', 'big')]);
    expect(ok.received).toBe(':2097152\r\n:1\r\n'.replace(/^/, '+OK\r\n'));
    const bad = await both([`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${2 * MB + 1}\r\n`]);
    expect(bad.received).toBe('-ERR Protocol error: invalid bulk length\r\n');
  });

  it('CONFIG SET proto-max-bulk-len applies to a connection that is already open', async () => {
    const parts = [
      mb('CONFIG', 'SET', 'proto-max-bulk-len', '4mb'),
      mb('SET', 'big', Buffer.alloc(3 * MB, 0x63)),
      mb('STRLEN', 'big'),
      mb('DEL', 'big'),
      mb('CONFIG', 'SET', 'proto-max-bulk-len', '2mb'),
      `*2\r\n$4\r\nECHO\r\n$${3 * MB}\r\n`,
    ];
    const r = await both(parts);
    expect(r.received).toBe('+OK\r\n+OK\r\n:3145728\r\n:1\r\n+OK\r\n-ERR Protocol error: invalid bulk length\r\n');
  });

  it('client-query-buffer-limit: a bulk that fills the query buffer past the limit closes the client, with no reply', async () => {
    const set = await both([mb('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')]);
    expect(set.received).toBe('+OK\r\n');
    try {
      const r = await both(['PING\r\n', `*2\r\n$4\r\nECHO\r\n$${2 * MB - 10}\r\n`, Buffer.alloc(MB + 100 * 1024, 0x64)], 1000);
      expect(r.received).toBe('+PONG\r\n');
      expect(r.closed).toBe(true);
      // Below the limit nothing happens.
      const fine = await both([mb('ECHO', Buffer.alloc(900 * 1024, 0x65)).subarray(0, 900 * 1024)], 300);
      expect(fine.closed).toBe(false);
    } finally {
      await both([mb('CONFIG', 'SET', 'client-query-buffer-limit', '1gb')]);
    }
  });

  it('many small arguments of one command are not query buffer (as Redis, which turns them into arguments)', async () => {
    await both([mb('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')]);
    try {
      const args = Array.from({ length: 60_000 }, (_, i) => `{q}${String(i).padStart(20, '0')}`);
      const r = await both([mb('DEL', ...args)], 500);
      expect(r.received).toBe(':0\r\n');
    } finally {
      await both([mb('CONFIG', 'SET', 'client-query-buffer-limit', '1gb')]);
    }
  });
});

describe.skipIf(!requireRedisServer())('maxclients, against redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 1, args: ['--maxclients', '2'] }), startRedis(['--maxclients', '2'])]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  it('one client too many gets the error and is closed; a freed slot can be reused', async () => {
    // Let the start-up PING connections go away first.
    await new Promise((r) => setTimeout(r, 200));
    const held = await Promise.all([RawClient.connect(ours.port), RawClient.connect(ours.port), RawClient.connect(theirs.port), RawClient.connect(theirs.port)]);
    try {
      await Promise.all(held.map((h) => h.call('PING')));
      const [a, b] = await Promise.all([exchange(ours.port, ['PING\r\n']), exchange(theirs.port, ['PING\r\n'])]);
      expect(a).toEqual(b);
      expect(a).toEqual({ received: '-ERR max number of clients reached\r\n', closed: true });
    } finally {
      held.forEach((h) => h.close());
    }
    await new Promise((r) => setTimeout(r, 200));
    const [a, b] = await Promise.all([exchange(ours.port, ['PING\r\n']), exchange(theirs.port, ['PING\r\n'])]);
    expect(a).toEqual({ received: '+PONG\r\n', closed: false });
    expect(b).toEqual(a);
  });
});

describe('absurd declared sizes never harm the server or other clients', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // A proto-max-bulk-len of 8 GB lets a 4 GB bulk header through the parser; the query buffer limit stops it.
    server = await startShardis({ shards: 2, args: ['--proto-max-bulk-len', '8gb', '--client-query-buffer-limit', '8mb'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a client declaring a 4 GB bulk is refused at once, even with proto-max-bulk-len 8gb', async () => {
    const r = await exchange(server.port, ['*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$4294967296\r\n']);
    expect(r).toEqual({ received: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
    expect(await ping(server.port)).toBe('+PONG\r\n');
  });

  it('a client declaring a 500 MB bulk: no allocation up front, closed at the query buffer limit, others keep working', async () => {
    const before = await rssOf(server.process.pid);
    const evil = await openWith(server.port, `*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$${500 * MB}\r\n`);
    // Part of it arrives; meanwhile another client is served.
    await stream(evil.socket, 4 * MB);
    expect(await ping(server.port)).toBe('+PONG\r\n');
    const during = await rssOf(server.process.pid);
    if (before !== null && during !== null) expect(during - before).toBeLessThan(200 * MB);
    await stream(evil.socket, 8 * MB);
    const received = await evil.closed;
    expect(received).toBe('');
    expect(await ping(server.port)).toBe('+PONG\r\n');
  });

  it('*2147483647: the client may send arguments forever, the server stays responsive, memory follows what was sent', async () => {
    const before = await rssOf(server.process.pid);
    const evil = await openWith(server.port, '*2147483647\r\n');
    const arg = Buffer.from('$1\r\na\r\n'.repeat(10_000));
    for (let i = 0; i < 40; i++) {
      evil.socket.write(arg);
      if (i % 10 === 0) expect(await ping(server.port)).toBe('+PONG\r\n');
    }
    expect(await ping(server.port)).toBe('+PONG\r\n');
    const during = await rssOf(server.process.pid);
    if (before !== null && during !== null) expect(during - before).toBeLessThan(200 * MB);
    evil.socket.destroy();
    await evil.closed;
    expect(await ping(server.port)).toBe('+PONG\r\n');
  });

  it('a bulk longer than the longest JS string (2^29 - 24) is a protocol error, not a crashed thread (differs from Redis by 24 bytes at the default limit)', async () => {
    for (const cmd of ['SET', 'ECHO']) {
      const head = cmd === 'SET' ? '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n' : '*2\r\n$4\r\nECHO\r\n';
      const r = await exchange(server.port, [`${head}$536870889\r\n`]);
      expect(r).toEqual({ received: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
    }
    expect(await ping(server.port)).toBe('+PONG\r\n');
  });

  it('*2147483647 alone allocates nothing big', async () => {
    const before = await rssOf(server.process.pid);
    const evil = await Promise.all(Array.from({ length: 50 }, () => openWith(server.port, '*2147483647\r\n$2147483647\r\n')));
    expect(await ping(server.port)).toBe('+PONG\r\n');
    const during = await rssOf(server.process.pid);
    if (before !== null && during !== null) expect(during - before).toBeLessThan(100 * MB);
    for (const e of evil) e.socket.destroy();
    await Promise.all(evil.map((e) => e.closed));
  });
});

describe.each(SHARD_COUNTS)('huge pipelines and big values, %i shard(s)', (shards) => {
  let server: RunningServer;
  let client: RawClient;
  beforeAll(async () => {
    server = await startShardis({ shards });
    client = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('100k commands in one write are answered completely and in order', async () => {
    const n = 100_000;
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) parts.push(i % 2 === 0 ? mb('SET', `key:${i}`, `v${i}`) : mb('GET', `key:${i - 1}`));
    client.writeRaw(Buffer.concat(parts));
    const replies = await client.read(n, 40_000);
    for (let i = 0; i < n; i++) {
      const expected = i % 2 === 0 ? '+OK\r\n' : `$${`v${i - 1}`.length}\r\nv${i - 1}\r\n`;
      if (replies[i].toString('latin1') !== expected) {
        expect(`#${i} ${replies[i].toString('latin1')}`).toBe(`#${i} ${expected}`);
      }
    }
    expect((await client.call('DBSIZE')).toString()).toBe(`:${n / 2}\r\n`);
    await client.call('FLUSHALL');
  });

  it('100k inline commands in one write, answered in order', async () => {
    const n = 100_000;
    let text = '';
    for (let i = 0; i < n; i++) text += `INCR counter:${i % 7}\r\n`;
    client.writeRaw(text);
    const replies = await client.read(n, 40_000);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < n; i++) {
      counts[i % 7]++;
      if (replies[i].toString() !== `:${counts[i % 7]}\r\n`) expect(`#${i} ${replies[i]}`).toBe(`#${i} :${counts[i % 7]}\r\n`);
    }
    await client.call('FLUSHALL');
  });

  it('1 MB values: a pipeline of SETs and GETs returns every byte', async () => {
    const values = Array.from({ length: 16 }, (_, k) => {
      const v = Buffer.alloc(MB + k);
      for (let i = 0; i < v.length; i++) v[i] = (i * 7 + k) & 0xff;
      return v;
    });
    const cmds = [...values.map((v, k) => ['SET', `big:${k}`, v]), ...values.map((_, k) => ['GET', `big:${k}`])];
    const replies = await client.pipeline(cmds as (string | Buffer)[][]);
    for (let k = 0; k < values.length; k++) {
      expect(replies[k].toString()).toBe('+OK\r\n');
      const r = replies[values.length + k];
      const header = `$${values[k].length}\r\n`;
      expect(r.subarray(0, header.length).toString()).toBe(header);
      expect(r.subarray(header.length, header.length + values[k].length).equals(values[k])).toBe(true);
    }
    await client.call('FLUSHALL');
  });

  it('binary keys and values (NUL, CR, LF, bytes >= 0x80) round-trip exactly', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const keys = [all, Buffer.from('\r\n'), Buffer.from([0]), Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0x00]), Buffer.from('*1\r\n$4\r\nPING\r\n')];
    const cmds: (string | Buffer)[][] = [];
    keys.forEach((k, i) => cmds.push(['SET', k, Buffer.concat([all, Buffer.from([i])])]));
    keys.forEach((k) => cmds.push(['GET', k]));
    cmds.push(['MGET', ...keys]);
    const replies = await client.pipeline(cmds);
    keys.forEach((_, i) => {
      const v = Buffer.concat([all, Buffer.from([i])]);
      expect(replies[keys.length + i].equals(Buffer.concat([Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]))).toBe(true);
    });
    const mget = replies[replies.length - 1];
    const expected = Buffer.concat([Buffer.from(`*${keys.length}\r\n`), ...keys.map((_, i) => {
      const v = Buffer.concat([all, Buffer.from([i])]);
      return Buffer.concat([Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]);
    })]);
    expect(mget.equals(expected)).toBe(true);
    await client.call('FLUSHALL');
  });

  it('a pipeline written one byte at a time is answered in order', async () => {
    const data = Buffer.concat([mb('SET', 'slow', 'x'), mb('GET', 'slow'), Buffer.from('ECHO "a\\x00b"\r\n'), mb('DEL', 'slow')]);
    const c = await RawClient.connect(server.port);
    try {
      for (const byte of data) {
        c.writeRaw(Buffer.from([byte]));
        await new Promise((r) => setImmediate(r));
      }
      const replies = await c.read(4);
      expect(replies.map((r) => r.toString('latin1'))).toEqual(['+OK\r\n', '$1\r\nx\r\n', '$3\r\na\0b\r\n', ':1\r\n']);
    } finally {
      c.close();
    }
  });
});
