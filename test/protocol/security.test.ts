/**
 * Cross-protocol scripting guard: a connection whose command is POST or Host:
 * (a browser tricked into talking to the server) is closed at once, without
 * replies still pending, as redis-server does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

async function everythingUntilClose(port: number, bytes: string): Promise<string> {
  const c = await RawClient.connect(port);
  let got = '';
  c.socket.on('data', (d) => (got += d.toString('latin1')));
  c.writeRaw(bytes);
  await c.waitClosed();
  return got;
}

describe.skipIf(!requireRedisServer())('POST and Host: close the connection', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 2 }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  for (const request of ['POST / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'host: evil.example\r\n', '*1\r\n$4\r\npOsT\r\n']) {
    it(`closes on ${JSON.stringify(request.slice(0, 12))} like redis-server`, async () => {
      const [a, b] = await Promise.all([everythingUntilClose(ours.port, request), everythingUntilClose(theirs.port, request)]);
      expect(a).toBe(b);
      expect(a).toBe('');
    });
  }

  it('other clients are not affected', async () => {
    await everythingUntilClose(ours.port, 'POST / HTTP/1.1\r\n');
    const c = await RawClient.connect(ours.port);
    expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
    c.close();
  });
});
