/**
 * Real clients doing pub/sub against shardis: ioredis (subscriber mode,
 * patterns, keyspace notifications), node-redis v4 (RESP2 subscriber
 * connection, shard channels) and redis-cli (SUBSCRIBE output compared with
 * redis-server's, byte for byte).
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer, SHARD_COUNTS, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const until = async (cond: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe.each(SHARD_COUNTS)('pub/sub with real clients, %i shard(s)', (shards) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startShardis({ shards });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('ioredis: subscribe, psubscribe, publish, unsubscribe; the subscriber connection refuses GET', async () => {
    const opts = { port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null };
    const sub = new Redis(opts);
    const pub = new Redis(opts);
    try {
      const got: string[] = [];
      sub.on('message', (ch, msg) => got.push(`message ${ch} ${msg}`));
      sub.on('pmessage', (pat, ch, msg) => got.push(`pmessage ${pat} ${ch} ${msg}`));
      expect(await sub.subscribe('news', 'sport')).toBe(2);
      expect(await sub.psubscribe('n*')).toBe(3);
      expect(await pub.publish('news', 'hello')).toBe(2);
      expect(await pub.publish('sport', 'goal')).toBe(1);
      expect(await pub.pubsub('NUMSUB', 'news', 'other')).toEqual(['news', 1, 'other', 0]);
      expect(await pub.pubsub('NUMPAT')).toBe(1);
      expect(await until(() => got.length === 3)).toBe(true);
      expect(got).toEqual(['message news hello', 'pmessage n* news hello', 'message sport goal']);
      await sub.unsubscribe('news');
      expect(await pub.publish('news', 'again')).toBe(1);
      // ioredis refuses commands in subscriber mode itself; the server's own rule is checked in pubsub.test.ts.
      await sub.punsubscribe('n*');
      await sub.unsubscribe('sport');
      expect(await sub.get('anything')).toBeNull();
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it('ioredis: keyspace notifications reach a subscriber for writes on every shard', async () => {
    const opts = { port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null };
    const sub = new Redis(opts);
    const cmd = new Redis(opts);
    try {
      await cmd.config('SET', 'notify-keyspace-events', 'E$g');
      const events: string[] = [];
      sub.on('pmessage', (_p, ch, key) => events.push(`${ch} ${key}`));
      await sub.psubscribe('__keyevent@0__:*');
      const keys = Array.from({ length: 20 }, (_, i) => `key:${i}`);
      for (const k of keys) await cmd.set(k, 'v');
      await cmd.del(...keys);
      expect(await until(() => events.length === 40)).toBe(true);
      expect(events.slice(0, 20)).toEqual(keys.map((k) => `__keyevent@0__:set ${k}`));
      expect(events.slice(20).sort()).toEqual(keys.map((k) => `__keyevent@0__:del ${k}`).sort());
    } finally {
      await cmd.config('SET', 'notify-keyspace-events', '');
      sub.disconnect();
      cmd.disconnect();
    }
  });

  it('node-redis: a RESP2 subscriber connection, channels and shard channels', async () => {
    const client = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false } });
    await client.connect();
    const sub = client.duplicate();
    await sub.connect();
    try {
      const got: string[] = [];
      await sub.subscribe('a', (msg, ch) => got.push(`${ch}:${msg}`));
      await sub.pSubscribe('b*', (msg, ch) => got.push(`p ${ch}:${msg}`));
      await sub.sSubscribe('s', (msg, ch) => got.push(`s ${ch}:${msg}`));
      expect(await client.publish('a', '1')).toBe(1);
      expect(await client.publish('bb', '2')).toBe(1);
      expect(await client.sPublish('s', '3')).toBe(1);
      expect(await client.pubSubChannels()).toEqual(['a']);
      expect(await client.pubSubShardChannels()).toEqual(['s']);
      expect(await until(() => got.length === 3)).toBe(true);
      expect(got).toEqual(['a:1', 'p bb:2', 's s:3']);
      await sub.unsubscribe();
      await sub.pUnsubscribe();
      await sub.sUnsubscribe();
      expect(await client.publish('a', 'x')).toBe(0);
    } finally {
      await sub.quit();
      await client.quit();
    }
  });
});

describe.skipIf(!requireRedisServer())('redis-cli SUBSCRIBE output, shardis and redis-server', () => {
  let ours: RunningServer;
  let theirs: RunningServer;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startShardis({ shards: 1 }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
  });

  /** redis-cli SUBSCRIBE until two messages arrived (published from a second redis-cli), then its stdout. */
  const cliSubscribe = (port: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const proc = spawn('redis-cli', ['-p', String(port), 'PSUBSCRIBE', 'ch*'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let published = false;
      const timer = setTimeout(() => {
        proc.kill();
        reject(new Error(`redis-cli timed out: ${out}`));
      }, 8000);
      proc.stdout.on('data', (d) => {
        out += d.toString('latin1');
        if (!published && out.includes('ch*')) {
          published = true;
          spawn('redis-cli', ['-p', String(port), 'PUBLISH', 'ch1', 'first']).on('exit', () =>
            spawn('redis-cli', ['-p', String(port), 'PUBLISH', 'ch2', 'second line']));
        }
        if (out.includes('second line')) {
          clearTimeout(timer);
          proc.kill();
          resolve(out);
        }
      });
    });

  it('prints the same confirmation and messages', async () => {
    const [a, b] = await Promise.all([cliSubscribe(ours.port), cliSubscribe(theirs.port)]);
    expect(a).toBe(b);
    expect(a).toContain('pmessage');
  });
});
