import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp, WithDefault } from './db-columns.js';

/** The operators' tables (ops/): security audits, alerts, backups. Part of `Database`. */

// ---- security audit (ops/audit, migration 013) ----
export interface SecurityAuditReportsTable {
  id: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  trigger: 'cli' | 'schedule' | 'admin' | 'test';
  instance: string;
  slot: string | null;
  exit_code: number;
  critical: number;
  warning: number;
  info: number;
  report: string;
}

export interface SecurityAuditAcceptancesTable {
  id: string;
  finding_id: string;
  reason: string;
  expires_at: Timestamp;
  created_by: string | null;
  created_by_label: string | null;
  created_at: WithDefault<Date>;
  revoked_at: NullableTimestamp;
}

// ---- ops: alerts (migrations/002_alerts.ts) -------------------------------------------------
/** ops/alerts/rules.ts SEVERITIES */
export type AlertSeverity = 'critical' | 'warning' | 'info';
type Ts = ColumnType<Date, Date | string, Date | string>;
type NullTs = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface AlertsTable {
  id: string;
  fingerprint: string;
  name: string;
  source: 'rule' | 'adhoc';
  severity: AlertSeverity;
  level: number;
  summary: string;
  labels: ColumnType<Record<string, string>, string, string>;
  value: number | null;
  runbook: string;
  status: 'firing' | 'resolved';
  started_at: Ts;
  last_seen_at: Ts;
  resolved_at: NullTs;
  last_notified_at: NullTs;
  notify_count: ColumnType<number, number | undefined, number>;
  acked_at: NullTs;
  acked_by: string | null;
}
export interface AlertSilencesTable {
  fingerprint: string;
  until: Ts;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface AlertNotificationsTable {
  id: Generated<string | number>;
  alert_id: string;
  channel: string;
  kind: 'firing' | 'repeat' | 'resolved';
  ok: boolean;
  attempts: number;
  error: string | null;
  at: ColumnType<Date, Date | string | undefined, Date | string>;
}

// ---- ops: backups ---------------------------------------------------------------------------
/** migrations/005_backups.ts */
export interface BackupRunsTable {
  id: string;
  kind: 'hourly' | 'daily' | 'manual' | 'drill';
  slot: string | null;
  status: 'running' | 'success' | 'failed';
  instance: string;
  started_at: ColumnType<Date, Date, Date>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  duration_ms: number | null;
  size_bytes: ColumnType<number | string | null, number | null | undefined, number | null>;
  file: string | null;
  location: string | null;
  sha256: string | null;
  encrypted: ColumnType<boolean, boolean | undefined, boolean>;
  error: string | null;
}

export interface OpsTables {
  security_audit_reports: SecurityAuditReportsTable;
  security_audit_acceptances: SecurityAuditAcceptancesTable;
  alerts: AlertsTable;
  alert_silences: AlertSilencesTable;
  alert_notifications: AlertNotificationsTable;
  backup_runs: BackupRunsTable;
}
