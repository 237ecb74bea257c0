/**
 * Both ways of driving client sockets (src/net/connection.ts): the raw libuv
 * handle (the default) and net.Socket (SHARDIS_SOCKET_IO=stream). The raw one
 * reads into one buffer shared by every connection and writes without a copy,
 * so these cases aim at what that could break: frames split across reads,
 * values larger than the read buffer, replies the kernel takes only in part
 * while the client is not reading, and closing after the last reply.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand, RawClient } from '../helpers/raw-client.js';
import { startShardis, type RunningServer } from '../helpers/server.js';

const MODES = ['raw', 'stream'] as const;

/** A value with a recognisable byte at every position (a mix-up of buffers shows). */
function patterned(len: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

function bulk(v: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]);
}

describe.each(MODES)('socket I/O: %s', (mode) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startShardis({ shards: 2, env: { SHARDIS_SOCKET_IO: mode } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('INFO shardis names the mode in use', async () => {
    const c = await RawClient.connect(server.port);
    const info = (await c.call('INFO', 'shardis')).toString('latin1');
    expect(info).toContain(`socket_io:${mode}\r\n`);
    c.close();
  });

  it('values larger than a read, sent in odd-sized pieces from two clients at once, come back intact', async () => {
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    const va = patterned(200_000, 1);
    const vb = patterned(150_001, 7);
    const wa = Buffer.concat([encodeCommand(['SET', 'io:a', va]), encodeCommand(['GET', 'io:a'])]);
    const wb = Buffer.concat([encodeCommand(['SET', 'io:b', vb]), encodeCommand(['GET', 'io:b'])]);
    // Interleave the two clients' bytes in pieces that never line up with frames.
    for (let i = 0, j = 0; i < wa.length || j < wb.length; i += 7001, j += 4093) {
      if (i < wa.length) a.writeRaw(wa.subarray(i, i + 7001));
      if (j < wb.length) b.writeRaw(wb.subarray(j, j + 4093));
      await new Promise((r) => setImmediate(r));
    }
    expect(await a.read(2)).toEqual([Buffer.from('+OK\r\n'), bulk(va)]);
    expect(await b.read(2)).toEqual([Buffer.from('+OK\r\n'), bulk(vb)]);
    a.close();
    b.close();
  });

  it('a client that stops reading gets every byte of large replies, in order, when it reads again', async () => {
    const setter = await RawClient.connect(server.port);
    const values = [0, 1, 2].map((i) => patterned(3 * 1024 * 1024 + i, 10 + i));
    await setter.pipeline(values.map((v, i) => ['SET', `io:big${i}`, v]));
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.pause();
    const round = [0, 1, 2].map((i) => encodeCommand(['GET', `io:big${i}`]));
    socket.write(Buffer.concat([...round, ...round]));
    // Meanwhile the server serves others and this client's later commands (a second write
    // while most of the first still waits), and overwrites nothing it still has to send.
    await new Promise((r) => setTimeout(r, 300));
    expect((await setter.call('SET', 'io:big0', 'changed')).toString()).toBe('+OK\r\n');
    socket.write(Buffer.concat([...round, ...round, encodeCommand(['PING'])]));
    await new Promise((r) => setTimeout(r, 100));
    const before = Buffer.concat([0, 1, 2, 0, 1, 2].map((i) => bulk(values[i])));
    const after = Buffer.concat([bulk(Buffer.from('changed')), bulk(values[1]), bulk(values[2]), bulk(Buffer.from('changed')), bulk(values[1]), bulk(values[2])]);
    const expected = Buffer.concat([before, after, Buffer.from('+PONG\r\n')]);
    const chunks: Buffer[] = [];
    let total = 0;
    await new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        total += d.length;
        if (total >= expected.length) resolve();
      });
      socket.resume();
    });
    const got = Buffer.concat(chunks);
    expect(got.length).toBe(expected.length);
    expect(got.equals(expected)).toBe(true);
    socket.destroy();
    setter.close();
  });

  it('QUIT and a half-close get their replies before the connection ends', async () => {
    const c = await RawClient.connect(server.port);
    c.writeRaw(Buffer.concat([encodeCommand(['SET', 'io:q', 'v']), encodeCommand(['GET', 'io:q']), encodeCommand(['QUIT']), encodeCommand(['GET', 'io:q'])]));
    expect(await c.read(3)).toEqual([Buffer.from('+OK\r\n'), Buffer.from('$1\r\nv\r\n'), Buffer.from('+OK\r\n')]);
    await c.waitClosed();

    const h = await RawClient.connect(server.port);
    h.writeRaw(Buffer.concat([encodeCommand(['INCR', 'io:n']), encodeCommand(['INCR', 'io:n'])]));
    h.socket.end();
    expect(await h.read(2)).toEqual([Buffer.from(':1\r\n'), Buffer.from(':2\r\n')]);
    await h.waitClosed();
  });

  it('CLIENT LIST shows the peer address and a file descriptor', async () => {
    const c = await RawClient.connect(server.port);
    const line = (await c.call('CLIENT', 'INFO')).toString('latin1');
    expect(line).toMatch(new RegExp(`addr=127\\.0\\.0\\.1:${c.socket.localPort} laddr=127\\.0\\.0\\.1:${server.port} fd=\\d+ `));
    c.close();
  });

  it('many short-lived connections leave nothing behind', async () => {
    for (let i = 0; i < 50; i++) {
      const c = await RawClient.connect(server.port);
      expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
      if (i % 2 === 0) c.close();
      else {
        c.writeRaw(encodeCommand(['QUIT']));
        await c.waitClosed();
      }
    }
    const c = await RawClient.connect(server.port);
    await new Promise((r) => setTimeout(r, 100));
    const info = (await c.call('INFO', 'clients')).toString('latin1');
    expect(info).toContain('connected_clients:1\r\n');
    c.close();
  });
});
