/**
 * Pub/sub against redis-server: the same scenarios (several clients,
 * subscribe / publish / unsubscribe sequences, RESP2 and RESP3, subscribed-mode
 * errors, introspection) run on both servers, and every client's raw output
 * per step must be equal. Only where Redis' order comes from a hash table
 * (UNSUBSCRIBE with no argument, several matching patterns, PUBSUB CHANNELS)
 * is a step compared as a multiset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type Step } from '../helpers/pubsub-peers.js';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const s = (client: string, ...cmds: string[][]): Step => ({ client, cmds });
const u = (client: string, ...cmds: string[][]): Step => ({ client, cmds, unordered: true });

const scenarios: Record<string, { clients: string[]; steps: Step[] }> = {
  'channels: message, pmessage, counts, duplicates, introspection': {
    clients: ['A', 'B', 'C'],
    steps: [
      s('A', ['SUBSCRIBE', 'c1', 'c2']),
      s('B', ['PSUBSCRIBE', 'c*', 'x?']),
      s('C', ['PUBLISH', 'c1', 'hello']),
      s('C', ['PUBLISH', 'c3', 'only the pattern']),
      s('C', ['PUBLISH', 'xy', '']),
      s('C', ['PUBLISH', 'nobody', 'x']),
      s('A', ['SUBSCRIBE', 'c1']),
      s('C', ['PUBSUB', 'NUMSUB', 'c1', 'c2', 'c3']),
      s('C', ['PUBSUB', 'NUMSUB']),
      s('C', ['PUBSUB', 'NUMPAT']),
      u('C', ['PUBSUB', 'CHANNELS']),
      s('C', ['PUBSUB', 'CHANNELS', '*1']),
      s('A', ['UNSUBSCRIBE', 'c1', 'never']),
      s('C', ['PUBLISH', 'c1', 'after']),
      u('A', ['UNSUBSCRIBE']),
      s('A', ['UNSUBSCRIBE']),
      s('B', ['PUNSUBSCRIBE', 'x?']),
      s('B', ['PUNSUBSCRIBE']),
      s('B', ['PUNSUBSCRIBE']),
      s('C', ['PUBSUB', 'NUMPAT']),
    ],
  },
  'RESP2 subscribed mode: allowed commands, errors, PING': {
    clients: ['A', 'C'],
    steps: [
      s('A', ['SUBSCRIBE', 'ch']),
      s('A', ['GET', 'k'], ['SET', 'k', 'v'], ['CLIENT', 'ID'], ['PUBLISH', 'ch', 'x'], ['PUBSUB', 'NUMPAT'], ['MULTI']),
      s('A', ['PING'], ['PING', 'msg'], ['NOSUCHCOMMAND'], ['GET']),
      s('A', ['UNSUBSCRIBE', 'ch'], ['PING'], ['GET', 'k']),
      s('A', ['SSUBSCRIBE', 'sh'], ['GET', 'k'], ['SUNSUBSCRIBE'], ['GET', 'k']),
      s('A', ['MULTI'], ['GET', 'k'], ['SUBSCRIBE', 'inmulti'], ['EXEC']),
      s('C', ['PUBLISH', 'inmulti', 'm']),
      s('A', ['PING']),
    ],
  },
  'RESP3: pushes, any command while subscribed, own messages before the PUBLISH reply': {
    clients: ['A', 'C'],
    steps: [
      s('A', ['HELLO', '3']),
      s('A', ['SUBSCRIBE', 'ch'], ['PSUBSCRIBE', 'c*']),
      s('A', ['SET', 'k', 'v'], ['GET', 'k'], ['PING']),
      s('C', ['PUBLISH', 'ch', 'to A']),
      s('A', ['PUBLISH', 'ch', 'self']),
      s('A', ['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE']),
      s('A', ['SSUBSCRIBE', 's'], ['SPUBLISH', 's', 'shard self']),
    ],
  },
  'shard channels are their own namespace': {
    clients: ['A', 'B', 'C'],
    steps: [
      s('A', ['SSUBSCRIBE', 's1', 's2']),
      s('B', ['SUBSCRIBE', 's1'], ['PSUBSCRIBE', 's*']),
      s('C', ['SPUBLISH', 's1', 'shard']),
      s('C', ['PUBLISH', 's1', 'global']),
      s('C', ['PUBSUB', 'SHARDNUMSUB', 's1', 's3'], ['PUBSUB', 'NUMSUB', 's1', 's2']),
      u('C', ['PUBSUB', 'SHARDCHANNELS']),
      s('C', ['PUBSUB', 'SHARDCHANNELS', '*2'], ['PUBSUB', 'CHANNELS', 's*']),
      s('A', ['SUBSCRIBE', 'g'], ['SUNSUBSCRIBE', 's1']),
      u('A', ['SUNSUBSCRIBE']),
      s('A', ['SUNSUBSCRIBE'], ['UNSUBSCRIBE']),
    ],
  },
  'a client on a channel and on matching patterns gets every copy': {
    clients: ['A', 'C'],
    steps: [
      s('A', ['SUBSCRIBE', 'news.tech']),
      s('A', ['PSUBSCRIBE', 'news.*']),
      s('C', ['PUBLISH', 'news.tech', 'one pattern']),
      s('A', ['PSUBSCRIBE', 'news.t?ch', '*', 'n[aeiou]ws.*', 'x*']),
      u('C', ['PUBLISH', 'news.tech', 'four patterns']),
      s('C', ['PUBSUB', 'NUMPAT']),
    ],
  },
  'glob edge cases and binary names': {
    clients: ['A', 'C'],
    steps: [
      s('A', ['PSUBSCRIBE', 'h\\*', 'a[^b]c']),
      s('C', ['PUBLISH', 'h*', '1'], ['PUBLISH', 'hx', '2'], ['PUBLISH', 'axc', '3'], ['PUBLISH', 'abc', '4']),
      s('A', ['SUBSCRIBE', 'bin\x00\xff\r\nname']),
      s('C', ['PUBLISH', 'bin\x00\xff\r\nname', 'payload\x00\r\n']),
      s('C', ['PUBSUB', 'NUMSUB', 'bin\x00\xff\r\nname']),
    ],
  },
  'RESET leaves every channel; QUIT while subscribed': {
    clients: ['A', 'B', 'C'],
    steps: [
      s('A', ['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'b*'], ['SSUBSCRIBE', 'c']),
      s('A', ['RESET']),
      s('C', ['PUBLISH', 'a', 'x'], ['PUBLISH', 'bb', 'y'], ['SPUBLISH', 'c', 'z'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'NUMSUB', 'a']),
      s('A', ['GET', 'k']),
      s('B', ['SUBSCRIBE', 'q'], ['QUIT']),
      s('C', ['PUBLISH', 'q', 'gone']),
    ],
  },
  'errors': {
    clients: ['A'],
    steps: [
      s('A', ['SUBSCRIBE'], ['PSUBSCRIBE'], ['SSUBSCRIBE'], ['PUBLISH', 'a'], ['SPUBLISH', 'a', 'b', 'c']),
      s('A', ['PUBSUB'], ['PUBSUB', 'CHANNELS', 'a', 'b'], ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'], ['PUBSUB', 'NUMPAT', 'x'], ['PUBSUB', 'nope'], ['PUBSUB', 'HELP']),
    ],
  },
};

describe.skipIf(!requireRedisServer())('pub/sub against redis-server', () => {
  for (const shards of [1, 4]) {
    describe(`${shards} shard(s)`, () => {
      let ours: RunningServer;
      let theirs: RunningServer;
      beforeAll(async () => {
        [ours, theirs] = await Promise.all([startShardis({ shards }), startRedis()]);
      });
      afterAll(async () => {
        await Promise.all([ours?.stop(), theirs?.stop()]);
      });

      for (const [name, { clients, steps }] of Object.entries(scenarios)) {
        it(name, async () => {
          const [a, b] = await Promise.all([runScenario(ours.port, clients, steps), runScenario(theirs.port, clients, steps)]);
          for (let i = 0; i < steps.length; i++) {
            // HELLO's reply carries the connection id, which differs: compare its shape only.
            const norm = (lines: string[]) => lines.map((l) => l.replace(/\$2\\r\\nid\\r\\n:\d+/g, 'id'));
            expect(norm(a[i]), `step ${i}: ${steps[i].client} ${JSON.stringify(steps[i].cmds)}`).toEqual(norm(b[i]));
          }
        });
      }

      it('a pipeline owed replies keeps message order: replies to earlier commands come first', async () => {
        const outputs: string[] = [];
        for (const port of [ours.port, theirs.port]) {
          const [sub, pub] = await Promise.all([RawClient.connect(port), RawClient.connect(port)]);
          // SET and GET go to shards here; the messages published meanwhile must follow their replies.
          const replies = await sub.pipeline([['SET', '{x}k', 'v'], ['GET', '{x}k'], ['SUBSCRIBE', 'pipe'], ['DEL', 'never-run']]);
          await pub.call('PUBLISH', 'pipe', 'm1');
          const more = await sub.read(1);
          outputs.push([...replies, ...more].map((b) => b.toString('latin1')).join(''));
          sub.close();
          pub.close();
        }
        expect(outputs[0]).toBe(outputs[1]);
      });

      it('the idle timeout spares subscribers, as Redis', async () => {
        const states: string[] = [];
        for (const port of [ours.port, theirs.port]) {
          const [admin, sub, idle] = await Promise.all([RawClient.connect(port), RawClient.connect(port), RawClient.connect(port)]);
          await admin.call('CONFIG', 'SET', 'timeout', '1');
          await sub.call('SUBSCRIBE', 'waiting');
          await idle.call('PING');
          // Redis checks timeouts in its cron (a slice of clients every 100 ms): give both time.
          await new Promise((r) => setTimeout(r, 3500));
          states.push(`sub closed ${sub.closed}, idle closed ${idle.closed}`);
          // The admin connection idled too: reset the timeout from a fresh one.
          const fresh = await RawClient.connect(port);
          await fresh.call('CONFIG', 'SET', 'timeout', '0');
          for (const c of [admin, sub, idle, fresh]) c.close();
        }
        expect(states[0]).toBe(states[1]);
        expect(states[0]).toBe('sub closed false, idle closed true');
      });

      it('INFO stats and CLIENT LIST show subscriptions as Redis does', async () => {
        const fields = async (port: number) => {
          const [sub, q] = await Promise.all([RawClient.connect(port), RawClient.connect(port)]);
          await sub.pipeline([['SUBSCRIBE', 'i1', 'i2'], ['PSUBSCRIBE', 'p*'], ['SSUBSCRIBE', 's']]).catch(() => []);
          await sub.read(1);
          const info = (await q.call('INFO', 'stats')).toString('latin1');
          const stats = ['pubsub_channels', 'pubsub_patterns', 'pubsubshard_channels'].map((f) => new RegExp(`${f}:(\\d+)`).exec(info)?.[0]);
          const list = (await q.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).toString('latin1');
          const line = / flags=\S+ db=\d+ sub=\d+ psub=\d+ ssub=\d+/.exec(list)?.[0];
          const normal = (await q.call('CLIENT', 'LIST', 'TYPE', 'normal')).toString('latin1').split('\n').filter(Boolean).length;
          sub.close();
          q.close();
          return { stats, line, normal };
        };
        const [x, y] = [await fields(ours.port), await fields(theirs.port)];
        expect(x).toEqual(y);
        expect(x.stats).toEqual(['pubsub_channels:2', 'pubsub_patterns:1', 'pubsubshard_channels:1']);
      });
    });
  }
});
