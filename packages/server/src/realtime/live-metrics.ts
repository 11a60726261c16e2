import client from 'prom-client';
import type { Hub } from './hub.js';

/**
 * The live path's fault metrics, read from the hub at scrape time (docs/operations.md,
 * "When things fail"): the persistence backlog and its spills, write failures, cluster
 * (Redis) failures, sockets found dead, signals refused while shutting down.
 */
export function registerLiveMetrics(registry: client.Registry, hub: Hub): void {
  const counter = (name: string, help: string, read: () => number) => {
    let seen = 0;
    new client.Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read();
        this.inc(Math.max(0, v - seen));
        seen = Math.max(seen, v);
      },
    });
  };
  new client.Gauge({
    name: 'rstream_persist_backlog_rows',
    help: 'Live rows (signals, seconds, levels) waiting in memory for the database',
    registers: [registry],
    collect() {
      this.set(hub.queue.stats.backlogRows);
    },
  });
  new client.Gauge({
    name: 'rstream_cluster_degraded',
    help: '1 while the other instances are unreachable (Redis): counts cover this instance only',
    registers: [registry],
    collect() {
      this.set(hub.cluster.degraded() ? 1 : 0);
    },
  });
  counter(
    'rstream_persist_failures_total',
    'Failed live-path database writes (each retry counts)',
    () => hub.queue.stats.persistFailures,
  );
  counter(
    'rstream_persist_incidents_total',
    'Runs of failed live-path writes (one per outage)',
    () => hub.queue.stats.persistIncidents,
  );
  counter(
    'rstream_persist_spilled_rows_total',
    'Live rows written to a spill file (DATA_DIR/spill)',
    () => hub.queue.stats.spilledRows,
  );
  counter(
    'rstream_persist_replayed_rows_total',
    'Live rows stored from spill files',
    () => hub.queue.stats.replayedRows,
  );
  counter(
    'rstream_cluster_bus_failures_total',
    'Failed publishes to the other instances (Redis)',
    () => hub.cluster.stats.busFailures,
  );
  counter(
    'rstream_cluster_lease_failures_total',
    'Per-second lease checks that could not be decided (Redis)',
    () => hub.cluster.stats.leaseFailures,
  );
  counter(
    'rstream_ws_dead_sockets_total',
    'WebSockets terminated because they stopped answering pings',
    () => hub.stats.deadSockets,
  );
  counter(
    'rstream_signals_refused_total',
    'Signals refused because the instance was shutting down',
    () => hub.stats.refusedSignals,
  );
}
