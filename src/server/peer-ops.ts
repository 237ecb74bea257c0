/**
 * What an acceptor does when another acceptor asks (src/ipc/peers.ts): every
 * server-wide command's handler registers its ops here, next to nothing
 * else, so the list of what crosses acceptors is in one place.
 */
import type { Host } from './host.js';

export function registerPeerOps(host: Host): void {
  void host;
}
