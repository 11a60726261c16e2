import { slopePerSec, within } from '../monitoring/sample.js';
import { disk, last, MIN, one, T, type AlertRule } from './rule-kit.js';

/** Rules on this process and its host: HTTP, WebSockets, disks, memory, the event loop, the live tick. */
export const PROCESS_RULES: AlertRule[] = [
  {
    name: 'HighErrorRate',
    severity: 'critical',
    level: 2,
    forSec: 120,
    valueFormat: 'percent',
    scope: 'instance',
    summary: 'High error rate on {instance}: {value} of requests fail with 5xx',
    description: `More than ${T.errorRatio * 100}% of HTTP requests answered 5xx over 5 minutes (at least ${T.minRequests} requests).`,
    runbook: 'high-error-rate',
    promql: `(sum by (instance) (rate(rstream_http_errors_total[5m])) / sum by (instance) (rate(rstream_http_request_duration_seconds_count[5m]))) > ${T.errorRatio} and sum by (instance) (increase(rstream_http_request_duration_seconds_count[5m])) >= ${T.minRequests}`,
    check: (h) => one(last(h)?.app.errorRatio, (v) => v > T.errorRatio),
  },
  {
    name: 'SlowResponses',
    severity: 'warning',
    level: 3,
    forSec: 600,
    valueFormat: 'seconds',
    scope: 'instance',
    summary: 'Slow responses on {instance}: p95 {value}',
    description: `The 95th percentile of HTTP response time over 5 minutes is above ${T.p95Sec * 1000} ms (target p95 < 300 ms).`,
    runbook: 'slow-responses',
    promql: `histogram_quantile(0.95, sum by (instance, le) (rate(rstream_http_request_duration_seconds_bucket[5m]))) > ${T.p95Sec} and sum by (instance) (increase(rstream_http_request_duration_seconds_count[5m])) >= ${T.minRequests}`,
    check: (h) => {
      const s = last(h);
      return s && s.app.requests5m >= T.minRequests ? one(s.app.p95Sec, (v) => v > T.p95Sec) : [];
    },
  },
  {
    name: 'WebSocketConnectionsCollapsed',
    severity: 'warning',
    level: 2,
    forSec: 60,
    valueFormat: 'number',
    scope: 'instance',
    summary:
      'WebSocket connections on {instance} fell to {value}, less than half of the last 10 minutes’ peak',
    description: `Open WebSocket connections dropped below ${T.wsCollapseShare * 100}% of their 10-minute maximum (which was at least ${T.wsCollapseFrom}).`,
    runbook: 'websocket-connections-collapsed',
    promql: `max_over_time(rstream_ws_connections[10m]) >= ${T.wsCollapseFrom} and rstream_ws_connections < ${T.wsCollapseShare} * max_over_time(rstream_ws_connections[10m])`,
    check: (h) => {
      const peak = Math.max(0, ...within(h, 10 * MIN).map((s) => s.app.wsConnections));
      const now = last(h)?.app.wsConnections ?? 0;
      return peak >= T.wsCollapseFrom && now < T.wsCollapseShare * peak ? [{ labels: {}, value: now }] : [];
    },
  },
  {
    name: 'DiskNearlyFull',
    severity: 'warning',
    level: 3,
    forSec: 900,
    valueFormat: 'percent',
    scope: 'instance',
    summary: 'Disk of the {volume} folder on {instance} is {value} full',
    description: `The filesystem holding ${'{path}'} is more than ${T.diskWarn * 100}% used.`,
    runbook: 'disk-nearly-full',
    promql: `max by (instance, volume, path) (rstream_disk_used_ratio) > ${T.diskWarn}`,
    check: disk(T.diskWarn),
  },
  {
    name: 'DiskCriticallyFull',
    severity: 'critical',
    level: 1,
    forSec: 300,
    valueFormat: 'percent',
    scope: 'instance',
    summary: 'Disk of the {volume} folder on {instance} is {value} full: writes will fail soon',
    description: `The filesystem holding ${'{path}'} is more than ${T.diskCrit * 100}% used; the database, logs and recordings stop being written when it is full.`,
    runbook: 'disk-critically-full',
    promql: `max by (instance, volume, path) (rstream_disk_used_ratio) > ${T.diskCrit}`,
    check: disk(T.diskCrit),
  },
  {
    name: 'MemoryGrowth',
    severity: 'warning',
    level: 3,
    forSec: 1800,
    valueFormat: 'bytes',
    scope: 'instance',
    summary: 'Memory of {instance} keeps growing: {value} per hour',
    description: `Resident memory grew faster than ${T.memGrowthBytesPerHour / 1024 / 1024} MiB/h over 30 minutes and is above ${T.memMinRssBytes / 1024 / 1024} MiB — a likely leak.`,
    runbook: 'memory-growth',
    promql: `deriv(rstream_process_resident_memory_bytes[30m]) * 3600 > ${T.memGrowthBytesPerHour} and rstream_process_resident_memory_bytes > ${T.memMinRssBytes}`,
    check: (h) => {
      const pts = within(h, 30 * MIN);
      const s = last(h);
      if (!s || pts.length < 2 || s.t - pts[0]!.t < 25 * MIN || s.system.rssBytes <= T.memMinRssBytes)
        return [];
      const perHour = (slopePerSec(pts.map((p) => ({ t: p.t, v: p.system.rssBytes }))) ?? 0) * 3600;
      return perHour > T.memGrowthBytesPerHour ? [{ labels: {}, value: perHour }] : [];
    },
  },
  {
    name: 'EventLoopLag',
    severity: 'warning',
    level: 3,
    forSec: 120,
    valueFormat: 'seconds',
    scope: 'instance',
    summary: 'Event loop of {instance} lags {value} (p99)',
    description: `The Node.js event loop p99 delay is above ${T.eventLoopLagSec * 1000} ms: every request and the live graph wait.`,
    runbook: 'event-loop-lag',
    promql: `rstream_nodejs_eventloop_lag_p99_seconds > ${T.eventLoopLagSec}`,
    check: (h) => one(last(h)?.system.eventLoopLagP99Sec, (v) => v > T.eventLoopLagSec),
  },
  {
    name: 'RealtimeTickLag',
    severity: 'warning',
    level: 3,
    forSec: 300,
    valueFormat: 'seconds',
    scope: 'instance',
    summary: 'Live graph updates on {instance} start {value} late (p95)',
    description: `The real-time tick starts more than ${T.tickLagSec * 1000} ms behind schedule (p95): speakers see the graph late.`,
    runbook: 'realtime-tick-lag',
    promql: `histogram_quantile(0.95, sum by (instance, le) (rate(rstream_tick_lag_seconds_bucket[5m]))) > ${T.tickLagSec}`,
    check: (h) => one(last(h)?.app.tickLagP95Sec, (v) => v > T.tickLagSec),
  },
];
