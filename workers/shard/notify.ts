/**
 * Keyspace notifications raised on a shard (Redis' notifyKeyspaceEvent, the
 * raising half): when notify-keyspace-events enables the event's class and K
 * or E, the event goes to the acceptor as an out-of-band record in the reply
 * ring (client id KEYSPACE_EVENT_CLIENT), ahead of the reply of the command
 * that raised it, so the acceptor publishes it first (src/server/pubsub.ts).
 * With notifications off (the default), raising an event costs one test.
 */
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from '../../src/server/notify-flags.js';

export class KeyspaceNotifier {
  /** notify-keyspace-events as flags (ShardConfig.notifyKeyspaceEvents). */
  flags = 0;
  /** The request being run (client id 0: none, e.g. the active expiry cycle). */
  originClient = 0;
  originSeq = 0;
  /** Events written since the ring was last published. */
  pending = 0;

  constructor(private readonly emit: (originClient: number, payload: Buffer) => void) {}

  notify(type: number, event: string, key: string, db: number): void {
    const flags = this.flags;
    if ((flags & type) === 0 || (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) === 0) return;
    const payload = Buffer.allocUnsafe(16 + event.length + key.length);
    payload.writeUInt32LE(this.originSeq, 0);
    payload.writeUInt32LE(db, 4);
    payload.writeUInt32LE(event.length, 8);
    payload.writeUInt32LE(key.length, 12);
    payload.latin1Write(event, 16);
    payload.latin1Write(key, 16 + event.length);
    this.emit(this.originClient, payload);
    this.pending++;
  }
}
