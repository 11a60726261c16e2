import { type OpsSample } from '../monitoring/sample.js';

/**
 * What every alert rule is made of (rules.ts lists them). The alert rules, defined once and used twice: evaluated in-process on the sampled metrics
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

export const MIN = 60_000;
export const last = (h: readonly OpsSample[]) => h[h.length - 1];
export const one = (value: number | null | undefined, when: (v: number) => boolean): RuleHit[] =>
  value !== null && value !== undefined && when(value) ? [{ labels: {}, value }] : [];

export const disk = (threshold: number) => (h: readonly OpsSample[]) =>
  (last(h)?.system.disks ?? [])
    .filter((d) => d.usedRatio > threshold)
    .map((d) => ({ labels: { volume: d.volume, path: d.path }, value: d.usedRatio }));
