/**
 * What an acceptor does when another acceptor asks (src/ipc/peers.ts). Each
 * server-wide command's module registers its own ops; this is the one list
 * of everything that crosses acceptors:
 * - report: clients, counters, errors, subscriptions, heap (INFO, MEMORY);
 * - publish, pubsub-names: PUBLISH / SPUBLISH delivery, PUBSUB's views;
 * - client-list, client-kill, client-unblock, pause, unpause: CLIENT;
 * - monitors-changed, monitor-lines: MONITOR;
 * - config-set, resetstat: CONFIG SET / RESETSTAT;
 * - slowlog-entry, latency-sample, run-on-main, debug-sleep: SLOWLOG,
 *   LATENCY (kept on acceptor 0) and DEBUG SLEEP.
 */
import { reportOf } from './acceptor-report.js';
import { registerClientListPeerOp } from './client-command.js';
import { registerClientControlPeerOps } from './client-control.js';
import { registerConfigPeerOps } from './config-command.js';
import type { Host } from './host.js';
import { registerIntrospectPeerOps } from './introspect/commands.js';
import { registerMonitorPeerOps } from './monitor.js';
import { registerPubSubPeerOps } from './pubsub.js';

export function registerPeerOps(host: Host): void {
  if (host.peers.count === 1) return; // alone: nobody asks
  host.peers.handle('report', (_args, _from, answer) => answer(reportOf(host)));
  registerPubSubPeerOps(host);
  registerClientListPeerOp(host);
  registerClientControlPeerOps(host);
  registerMonitorPeerOps(host);
  registerConfigPeerOps(host);
  registerIntrospectPeerOps(host);
}
