/** Shapes of the admin operations API (server: ops/monitoring, ops/alerts; web: features/ops). */
export type Severity = 'critical' | 'warning' | 'info';

export interface OpsDisk {
  volume: string;
  path: string;
  totalBytes: number;
  freeBytes: number;
  usedRatio: number;
}

/** One reading of the instance's system, application, database and cache figures. */
export interface OpsCurrent {
  t: number;
  instance: string;
  uptimeSec: number;
  system: {
    cpuRatio: number | null;
    load1: number;
    memTotalBytes: number;
    memAvailableBytes: number;
    rssBytes: number;
    heapUsedBytes: number;
    eventLoopLagP99Sec: number;
    disks: OpsDisk[];
    netRxBytesPerSec: number | null;
    netTxBytesPerSec: number | null;
  };
  app: {
    requestsPerSec: number | null;
    /** 5xx share over the last 5 min; null below MIN_REQUESTS_FOR_RATIO requests */
    errorRatio: number | null;
    requests5m: number;
    /** p95 response time over the last 5 min; null without requests */
    p95Sec: number | null;
    wsConnections: number;
    wsInPerSec: number | null;
    wsOutPerSec: number | null;
    participants: number;
    activeSpeakers: number;
    liveSessions: number;
    /** p95 of how late the real-time tick started, since the previous sample */
    tickLagP95Sec: number | null;
  };
  db: {
    up: boolean;
    error: string | null;
    queryP95Sec: number | null;
    queriesPerSec: number | null;
    pool: { total: number; idle: number; waiting: number; max: number } | null;
    deadlocksTotal: number | null;
    replicationLagMaxSec: number | null;
  };
  cache: {
    hitRatio: number | null;
    usedMemoryBytes: number;
    keys: number;
    keysWithTtl: number;
    opsPerSec: number | null;
  } | null;
  backup: { lastSuccessSec: number | null };
}

export type OpsSeries = Record<string, (number | null)[]> & { t: number[] };

export interface OpsOverview {
  instance: string;
  intervalSec: number;
  now: string;
  current: OpsCurrent | null;
  series: OpsSeries;
  channels: { configured: string[]; routes: Record<Severity, string[]> };
}

export interface OpsAlert {
  fingerprint: string;
  name: string;
  source: 'rule' | 'adhoc';
  severity: Severity;
  level: number;
  summary: string;
  labels: Record<string, string>;
  status: 'firing' | 'resolved';
  startedAt: string;
  resolvedAt: string | null;
  ackedAt: string | null;
  silencedUntil: string | null;
  runbook: string;
  runbookUrl: string;
  notifications?: {
    channel: string;
    kind: string;
    ok: boolean;
    attempts: number;
    error: string | null;
    at: string;
  }[];
}

export interface SlowQueries {
  available: boolean;
  reason?: string;
  queries: { query: string; calls: number; meanMs: number; totalMs: number; maxMs: number; rows: number }[];
  recent: { sql: string; ms: number; at: number }[];
}

export interface OpsInstance {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  startedAt: string;
  db: string;
  bus: string;
  leader: boolean;
  lastSeenAt: string | null;
  uptimeSec: number | null;
  cpuRatio: number | null;
  rssBytes: number | null;
  wsConnections: number | null;
  requestsPerSec: number | null;
  errorRatio: number | null;
  dbUp: boolean | null;
}
