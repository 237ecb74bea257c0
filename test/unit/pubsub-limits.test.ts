/**
 * client-output-buffer-limit, pubsub class: a subscriber that never reads
 * while publishers flood is disconnected at its limit (hard at once, soft
 * after its seconds), and a subscriber that reads keeps receiving every
 * message. The same test runs against redis-server, so it checks the
 * behaviour, not our own idea of it.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand, RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const PAYLOAD = 'x'.repeat(16 * 1024);
/** Bytes of one message as a RESP2 subscriber receives it on channel 'flood'. */
const MESSAGE_BYTES = encodeCommand(['message', 'flood', PAYLOAD]).length;

/** A subscriber that counts the bytes it gets (reading) or stops reading after its confirmation (slow). */
async function subscriber(port: number, reading: boolean): Promise<{ socket: net.Socket; bytes: () => number; id: number }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let total = 0;
  let idText = '';
  socket.write(encodeCommand(['CLIENT', 'ID']));
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      idText += d.toString('latin1');
      if (idText.endsWith('\r\n')) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });
  const confirm = encodeCommand(['subscribe', 'flood']).length; // same shape as the confirmation minus ':1' vs '$5'
  socket.write(encodeCommand(['SUBSCRIBE', 'flood']));
  await new Promise<void>((resolve) => {
    const onFirst = () => {
      socket.off('data', onFirst);
      resolve();
    };
    socket.on('data', onFirst);
  });
  if (reading) socket.on('data', (d) => (total += d.length));
  else socket.pause();
  socket.on('error', () => {});
  void confirm;
  return { socket, bytes: () => total, id: Number(idText.slice(1, -2)) };
}

async function publishMany(pub: RawClient, count: number): Promise<number> {
  let receivers = 0;
  for (let sent = 0; sent < count; sent += 50) {
    const replies = await pub.pipeline(Array.from({ length: Math.min(50, count - sent) }, () => ['PUBLISH', 'flood', PAYLOAD]));
    for (const r of replies) receivers += Number(r.toString('latin1').slice(1, -2));
  }
  return receivers;
}

async function connectedIds(admin: RawClient): Promise<number[]> {
  const list = (await admin.call('CLIENT', 'LIST')).toString('latin1');
  return [...list.matchAll(/id=(\d+)/g)].map((m) => Number(m[1]));
}

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

describe.skipIf(!requireRedisServer())('pub/sub output buffer limit', () => {
  const servers: Record<string, RunningServer> = {};
  beforeAll(async () => {
    [servers.shardis, servers.redis] = await Promise.all([startShardis({ shards: 1 }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });

  for (const name of ['shardis', 'redis']) {
    it(`${name}: the default limits are Redis' and CONFIG SET changes one class`, async () => {
      const admin = await RawClient.connect(servers[name].port);
      expect((await admin.call('CONFIG', 'GET', 'client-output-buffer-limit')).toString()).toContain('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
      expect((await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 512kb 0')).toString()).toBe('+OK\r\n');
      expect((await admin.call('CONFIG', 'GET', 'client-output-buffer-limit')).toString()).toContain('normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 0');
      expect((await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2')).toString()).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.\r\n",
      );
      expect((await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2 -1')).toString()).toContain('Error in hard, soft or soft_seconds setting');
      expect((await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3')).toString()).toContain('Invalid client class specified');
      expect((await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60')).toString()).toBe('+OK\r\n');
      admin.close();
    });

    it(`${name}: a subscriber that never reads is cut off at the hard limit; one that reads gets everything`, async () => {
      const port = servers[name].port;
      const admin = await RawClient.connect(port);
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 262144 0 0');
      const fast = await subscriber(port, true);
      const slow = await subscriber(port, false);
      const pub = await RawClient.connect(port);
      try {
        // 32 MB: more than loopback socket buffers hold, so the slow client's output piles up on the server.
        const count = 2000;
        const receivers = await publishMany(pub, count);
        expect(await until(async () => !(await connectedIds(admin)).includes(slow.id), 5000)).toBe(true);
        expect((await connectedIds(admin)).includes(fast.id)).toBe(true);
        // Every message reached the reading subscriber; the slow one counted as a receiver until cut off.
        expect(await until(() => fast.bytes() >= count * MESSAGE_BYTES, 10_000)).toBe(true);
        expect(fast.bytes()).toBe(count * MESSAGE_BYTES);
        expect(receivers).toBeGreaterThan(count);
        expect(receivers).toBeLessThan(2 * count);
      } finally {
        await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60');
        admin.close();
        pub.close();
        fast.socket.destroy();
        slow.socket.destroy();
      }
    });

    it(`${name}: over the soft limit the subscriber lasts its soft seconds, then is cut off`, async () => {
      const port = servers[name].port;
      const admin = await RawClient.connect(port);
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 262144 1');
      const slow = await subscriber(port, false);
      const pub = await RawClient.connect(port);
      try {
        await publishMany(pub, 800);
        // Over the soft limit, but not for more than a second yet.
        expect((await connectedIds(admin)).includes(slow.id)).toBe(true);
        await new Promise((r) => setTimeout(r, 2100));
        await publishMany(pub, 50);
        expect(await until(async () => !(await connectedIds(admin)).includes(slow.id), 3000)).toBe(true);
      } finally {
        await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60');
        admin.close();
        pub.close();
        slow.socket.destroy();
      }
    });
  }
});
