/**
 * A MessagePort between every two of n threads: mesh[i][j] is thread i's end
 * of its channel to thread j (undefined where i === j). Shards use theirs for
 * cross-shard transactions, acceptors for peer messages.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';

export function portMesh(n: number): (MessagePort | undefined)[][] {
  const mesh: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array(n).fill(undefined));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const channel = new MessageChannel();
      mesh[i][j] = channel.port1;
      mesh[j][i] = channel.port2;
    }
  }
  return mesh;
}
