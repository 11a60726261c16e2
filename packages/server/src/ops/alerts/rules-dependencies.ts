import { sampleAgo } from '../monitoring/sample.js';
import { last, MIN, one, T, type AlertRule } from './rule-kit.js';

/** Rules on what the process depends on: the database, the cache, backups, scraping, live persistence. */
export const DEPENDENCY_RULES: AlertRule[] = [
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
