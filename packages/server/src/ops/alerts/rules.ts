import { sampleAgo, slopePerSec, within, type OpsSample } from '../monitoring/sample.js';

/**
 * The alert rules, defined once and used twice: evaluated in-process on the sampled metrics
 * (`check`), and exported as Prometheus rules (`promql`) by `rstream alerts export-rules`.
 * Thresholds are constants shared by both forms.
 */
export type Severity = 'critical' | 'warning' | 'info';
export type IncidentLevel = 1 | 2 | 3;
export const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];

export interface RuleHit {
  labels: Record<string, string>;
  value: number;
}

export interface AlertRule {
  name: string;
  severity: Severity;
  level: IncidentLevel;
  /** one line; `{label}` and `{value}` are filled in (Prometheus: `{{ $labels.x }}`, `{{ $value }}`) */
  summary: string;
  description: string;
  /** docs/runbooks/<runbook>.md */
  runbook: string;
  forSec: number;
  valueFormat: 'percent' | 'seconds' | 'bytes' | 'number';
  /** instance: evaluated on each instance's samples, labelled with it; cluster: once */
  scope: 'instance' | 'cluster';
  promql: string;
  /** only Prometheus can see it (e.g. a scrape target being down) */
  prometheusOnly?: boolean;
  /** in-process form: what fires now, given this instance's samples (oldest first) */
  check?: (history: readonly OpsSample[]) => RuleHit[];
}

export const T = {
  errorRatio: 0.05,
  minRequests: 20,
  p95Sec: 0.3,
  wsCollapseFrom: 20,
  wsCollapseShare: 0.5,
  diskWarn: 0.8,
  diskCrit: 0.9,
  memGrowthBytesPerHour: 100 * 1024 * 1024,
  memMinRssBytes: 256 * 1024 * 1024,
  eventLoopLagSec: 0.2,
  deadlocks15m: 2,
  replicationLagSec: 30,
  slowQueries10m: 10,
  cacheHitRatio: 0.8,
  cacheMinOpsPerSec: 1,
  backupMaxAgeSec: 26 * 3600,
  tickLagSec: 0.1,
  persistBacklogRows: 0,
} as const;

const MIN = 60_000;
const last = (h: readonly OpsSample[]) => h[h.length - 1];
const one = (value: number | null | undefined, when: (v: number) => boolean): RuleHit[] =>
  value !== null && value !== undefined && when(value) ? [{ labels: {}, value }] : [];

const disk = (threshold: number) => (h: readonly OpsSample[]) =>
  (last(h)?.system.disks ?? [])
    .filter((d) => d.usedRatio > threshold)
    .map((d) => ({ labels: { volume: d.volume, path: d.path }, value: d.usedRatio }));

export const RULES: AlertRule[] = [
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
  {
    name: 'DatabaseDown',
    severity: 'critical',
    level: 1,
    forSec: 60,
    valueFormat: 'number',
    scope: 'instance',
    summary: 'The database does not answer {instance}',
    description: '`select 1` failed or took longer than 1.5 s: sign-in, joining and saving the graph fail.',
    runbook: 'database-down',
    promql: 'rstream_db_up == 0',
    check: (h) => (last(h) && !last(h)!.db.up ? [{ labels: {}, value: 0 }] : []),
  },
  {
    name: 'DeadlocksRising',
    severity: 'warning',
    level: 2,
    forSec: 0,
    valueFormat: 'number',
    scope: 'cluster',
    summary: '{value} database deadlocks in the last 15 minutes',
    description: `More than ${T.deadlocks15m} deadlocks in 15 minutes (pg_stat_database.deadlocks): writes are being rolled back.`,
    runbook: 'deadlocks-rising',
    promql: `max by (database) (increase(rstream_db_deadlocks_total[15m])) > ${T.deadlocks15m}`,
    check: (h) => {
      const s = last(h);
      const from = sampleAgo(h, 15 * MIN);
      if (!s || !from || s.db.deadlocksTotal === null || from.db.deadlocksTotal === null) return [];
      return one(s.db.deadlocksTotal - from.db.deadlocksTotal, (v) => v > T.deadlocks15m);
    },
  },
  {
    name: 'ReplicationLag',
    severity: 'warning',
    level: 2,
    forSec: 300,
    valueFormat: 'seconds',
    scope: 'cluster',
    summary: 'Database replication lags {value}',
    description: `A replica is more than ${T.replicationLagSec} s behind the primary (pg_stat_replication / pg_last_xact_replay_timestamp()).`,
    runbook: 'replication-lag',
    promql: `max by (role, replica) (rstream_db_replication_lag_seconds) > ${T.replicationLagSec}`,
    check: (h) => one(last(h)?.db.replicationLagMaxSec, (v) => v > T.replicationLagSec),
  },
  {
    name: 'SlowQueries',
    severity: 'warning',
    level: 3,
    forSec: 300,
    valueFormat: 'number',
    scope: 'instance',
    summary: '{value} slow database queries in 10 minutes on {instance}',
    description: `More than ${T.slowQueries10m} queries slower than DB_SLOW_QUERY_MS in 10 minutes.`,
    runbook: 'slow-queries',
    promql: `sum by (instance) (increase(rstream_db_slow_queries_total[10m])) > ${T.slowQueries10m}`,
    check: (h) => {
      const s = last(h);
      const from = sampleAgo(h, 10 * MIN);
      return s && from ? one(s.raw.dbSlow - from.raw.dbSlow, (v) => v > T.slowQueries10m) : [];
    },
  },
  {
    name: 'LowCacheHitRatio',
    severity: 'info',
    level: 3,
    forSec: 600,
    valueFormat: 'percent',
    scope: 'cluster',
    summary: 'Redis cache hit ratio is {value}',
    description: `Fewer than ${T.cacheHitRatio * 100}% of Redis key reads hit over 5 minutes (with more than ${T.cacheMinOpsPerSec} read/s).`,
    runbook: 'low-cache-hit-ratio',
    promql: `(max(rate(rstream_cache_hits_total[5m])) / (max(rate(rstream_cache_hits_total[5m])) + max(rate(rstream_cache_misses_total[5m])))) < ${T.cacheHitRatio} and (max(rate(rstream_cache_hits_total[5m])) + max(rate(rstream_cache_misses_total[5m]))) > ${T.cacheMinOpsPerSec}`,
    check: (h) => {
      const s = last(h);
      const from = sampleAgo(h, 5 * MIN);
      if (!s?.cache || !from || s.t === from.t) return [];
      const ops = s.raw.cacheHits + s.raw.cacheMisses - (from.raw.cacheHits + from.raw.cacheMisses);
      if (ops / ((s.t - from.t) / 1000) <= T.cacheMinOpsPerSec) return [];
      return one(s.cache.hitRatio, (v) => v < T.cacheHitRatio);
    },
  },
  {
    name: 'BackupTooOld',
    severity: 'warning',
    level: 2,
    forSec: 0,
    valueFormat: 'seconds',
    scope: 'cluster',
    summary: 'Last successful database backup was {value} ago',
    description: `No successful backup for ${T.backupMaxAgeSec / 3600} h (or none recorded since the instance started more than that long ago): a restore would lose data.`,
    runbook: 'backup-too-old',
    // 0 or absent = never backed up: then count from the oldest instance's start
    promql: `(time() - max(rstream_backup_last_success_timestamp_seconds > 0)) > ${T.backupMaxAgeSec} or (absent(rstream_backup_last_success_timestamp_seconds > 0) * (time() - min(rstream_process_start_time_seconds))) > ${T.backupMaxAgeSec}`,
    check: (h) => {
      const s = last(h);
      if (!s) return [];
      const age = s.backup.lastSuccessSec === null ? s.uptimeSec : s.t / 1000 - s.backup.lastSuccessSec;
      return one(age, (v) => v > T.backupMaxAgeSec);
    },
  },
  {
    name: 'InstanceDown',
    severity: 'critical',
    level: 1,
    forSec: 60,
    valueFormat: 'number',
    scope: 'instance',
    summary: 'R-Stream instance {instance} is down (Prometheus cannot scrape it)',
    description:
      'Prometheus could not scrape /metrics for a minute: the process is down, hung, or unreachable.',
    runbook: 'instance-down',
    promql: 'up{job="rstream"} == 0',
    prometheusOnly: true,
  },
  {
    name: 'LivePersistenceBacklog',
    severity: 'critical',
    level: 2,
    forSec: 60,
    valueFormat: 'number',
    scope: 'instance',
    summary: '{value} live rows on {instance} wait in memory for the database',
    description:
      'Signals and per-second rows could not be written for a minute; they are held in memory (bounded by PERSIST_BACKLOG_MAX_ROWS, then spilled to DATA_DIR/spill) and retried.',
    runbook: 'live-persistence-backlog',
    promql: `max by (instance) (rstream_persist_backlog_rows) > ${T.persistBacklogRows}`,
    check: (h) => one(last(h)?.live?.persistBacklogRows, (v) => v > T.persistBacklogRows),
  },
];

export function ruleByName(name: string): AlertRule | undefined {
  return RULES.find((r) => r.name === name);
}

export function formatValue(v: number, format: AlertRule['valueFormat']): string {
  switch (format) {
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'seconds':
      return v >= 3600
        ? `${(v / 3600).toFixed(1)} h`
        : v >= 1
          ? `${v.toFixed(1)} s`
          : `${Math.round(v * 1000)} ms`;
    case 'bytes':
      return `${(v / 1024 / 1024).toFixed(0)} MiB`;
    default:
      return Number.isInteger(v) ? String(v) : v.toFixed(2);
  }
}

/** Fills `{label}` and `{value}` placeholders. */
export function renderSummary(template: string, labels: Record<string, string>, value: string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'value' ? value : (labels[k] ?? k)));
}
