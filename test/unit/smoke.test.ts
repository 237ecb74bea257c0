import { describe, expect, it } from 'vitest';
import { DiffPair } from '../helpers/differential.js';
import { requireRedisServer, SHARD_COUNTS } from '../helpers/server.js';

describe.skipIf(!requireRedisServer()).each(SHARD_COUNTS)('smoke: shardis with %i shard(s) against redis-server', (shards) => {
  const pair = DiffPair.forSuite(shards);

  it('SET and GET an item, MSET/MGET across shards, DEL counts', async () => {
    const cmds = [
      ['SET', 'x', 'foobar'],
      ['GET', 'x'],
      ['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'],
      ['MGET', 'a', 'nosuch', 'b', 'c', 'd', 'e'],
      ['DEL', 'a', 'b', 'c', 'zz'],
      ['EXISTS', 'a', 'd', 'e', 'e'],
      ['DBSIZE'],
    ];
    expect(await pair.mismatch(cmds)).toBeNull();
  });
});
