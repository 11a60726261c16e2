import { hostname } from 'node:os';
import type { Keyring } from './archive-file.js';
import { DAY_MS, dayStartMs } from './log-files.js';
import { fileLines, filesInRange, LEVELS } from './search.js';

/**
 * The periodic analysis: for a day or a week (and the period before it, for the trend) read the
 * access, error, performance, security and app logs and summarise: error counts and trend, top
 * errors, slowest routes by p95, security events, detector findings, and anomalies.
 */

export type ReportPeriod = 'daily' | 'weekly';

export interface RouteStat {
  route: string;
  count: number;
  p95Ms: number;
  previousP95Ms: number | null;
  errors5xx: number;
}

export interface LogReport {
  period: ReportPeriod;
  /** first and last day of the period, inclusive */
  from: string;
  to: string;
  generatedAt: string;
  /** the machine whose LOG_DIR was read */
  host: string;
  requests: { count: number; previous: number; http5xx: number; previous5xx: number };
  errors: {
    count: number;
    previous: number;
    changePct: number | null;
    top: { signature: string; count: number; sampleReqId?: string }[];
  };
  slowestRoutes: RouteStat[];
  performance: Record<string, number>;
  security: {
    events: Record<string, number>;
    previous: Record<string, number>;
    topFailedLoginIps: { ip: string; count: number }[];
  };
  findings: { kind: string; message: string; at: string }[];
  anomalies: string[];
  unreadable: string[];
}

const SAMPLE_CAP = 5000;

interface Acc {
  requests: number;
  http5xx: number;
  errors: number;
  errorSigs: Map<string, { count: number; sampleReqId?: string }>;
  routes: Map<string, { n: number; samples: number[]; e5xx: number }>;
  perf: Record<string, number>;
  security: Record<string, number>;
  failedIps: Map<string, number>;
  findings: { kind: string; message: string; at: string }[];
}

const newAcc = (): Acc => ({
  requests: 0,
  http5xx: 0,
  errors: 0,
  errorSigs: new Map(),
  routes: new Map(),
  perf: {},
  security: {},
  failedIps: new Map(),
  findings: [],
});

function percentile95(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}

function errorSignature(o: Record<string, unknown>): string {
  const err = o.err as { type?: string; message?: string } | undefined;
  const text = err?.message ? `${err.type ?? 'Error'}: ${err.message}` : String(o.msg ?? 'error');
  // ids and numbers vary between occurrences of the same error
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '<id>')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

function add(acc: Acc, o: Record<string, unknown>) {
  switch (o.stream) {
    case 'access': {
      if (o.kind === 'ws') return;
      acc.requests++;
      const status = Number(o.status);
      if (status >= 500) acc.http5xx++;
      const key = `${String(o.method)} ${String(o.route)}`;
      let r = acc.routes.get(key);
      if (!r) acc.routes.set(key, (r = { n: 0, samples: [], e5xx: 0 }));
      r.n++;
      if (status >= 500) r.e5xx++;
      const d = Number(o.durationMs);
      if (Number.isFinite(d)) {
        if (r.samples.length < SAMPLE_CAP) r.samples.push(d);
        else {
          const j = Math.floor(Math.random() * r.n);
          if (j < SAMPLE_CAP) r.samples[j] = d;
        }
      }
      return;
    }
    case 'error': {
      if ((LEVELS[String(o.level)] ?? Number(o.level)) < 50) return;
      acc.errors++;
      const sig = errorSignature(o);
      const e = acc.errorSigs.get(sig) ?? {
        count: 0,
        sampleReqId: typeof o.reqId === 'string' ? o.reqId : undefined,
      };
      e.count++;
      acc.errorSigs.set(sig, e);
      return;
    }
    case 'performance':
      acc.perf[String(o.kind ?? 'other')] = (acc.perf[String(o.kind ?? 'other')] ?? 0) + 1;
      return;
    case 'security': {
      const ev = String(o.event ?? 'other');
      acc.security[ev] = (acc.security[ev] ?? 0) + 1;
      if (ev === 'login_failed' && typeof o.ip === 'string')
        acc.failedIps.set(o.ip, (acc.failedIps.get(o.ip) ?? 0) + 1);
      return;
    }
    case 'app': {
      const f = o.finding as { kind?: string; message?: string } | undefined;
      if (f?.kind && acc.findings.length < 200)
        acc.findings.push({ kind: f.kind, message: String(f.message ?? ''), at: String(o.time) });
      return;
    }
  }
}

async function accumulate(
  logDir: string,
  keyring: Keyring,
  from: number,
  to: number,
  unreadable: string[],
): Promise<Acc> {
  const acc = newAcc();
  for (const f of filesInRange(logDir, ['access', 'error', 'performance', 'security', 'app'], from, to)) {
    try {
      for await (const line of fileLines(f, keyring)) {
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        const t = Date.parse(String(o.time));
        if (t >= from && t <= to) add(acc, o);
      }
    } catch (err) {
      unreadable.push((err as Error).message);
    }
  }
  return acc;
}

/** The period a report covers: `day` is its last day (default: yesterday, UTC). */
export function reportRange(
  period: ReportPeriod,
  lastDay: string,
): { from: number; to: number; prevFrom: number; prevTo: number } {
  const days = period === 'daily' ? 1 : 7;
  const to = dayStartMs(lastDay) + DAY_MS - 1;
  const from = to + 1 - days * DAY_MS;
  return { from, to, prevFrom: from - days * DAY_MS, prevTo: from - 1 };
}

export async function buildReport(
  logDir: string,
  keyring: Keyring,
  period: ReportPeriod,
  lastDay: string,
  now: number = Date.now(),
): Promise<LogReport> {
  const range = reportRange(period, lastDay);
  const unreadable: string[] = [];
  const cur = await accumulate(logDir, keyring, range.from, range.to, unreadable);
  const prev = await accumulate(logDir, keyring, range.prevFrom, range.prevTo, unreadable);

  const slowestRoutes: RouteStat[] = [...cur.routes.entries()]
    .map(([route, r]) => {
      const p = prev.routes.get(route);
      return {
        route,
        count: r.n,
        p95Ms: percentile95(r.samples),
        previousP95Ms: p ? percentile95(p.samples) : null,
        errors5xx: r.e5xx,
      };
    })
    .sort((a, b) => b.p95Ms - a.p95Ms)
    .slice(0, 10);
  const changePct = prev.errors ? Math.round(((cur.errors - prev.errors) / prev.errors) * 100) : null;

  const anomalies: string[] = [];
  if (cur.errors >= 10 && cur.errors >= 2 * prev.errors)
    anomalies.push(`errors rose to ${cur.errors} from ${prev.errors} in the previous period`);
  if (cur.requests >= 100 && cur.http5xx / cur.requests > 0.01) {
    anomalies.push(
      `${((cur.http5xx / cur.requests) * 100).toFixed(1)} % of requests failed with 5xx (${cur.http5xx} of ${cur.requests})`,
    );
  }
  for (const r of slowestRoutes) {
    if (r.count >= 20 && r.previousP95Ms !== null && r.p95Ms >= 300 && r.p95Ms >= 2 * r.previousP95Ms) {
      anomalies.push(`${r.route}: p95 ${Math.round(r.p95Ms)} ms, up from ${Math.round(r.previousP95Ms)} ms`);
    }
  }
  const topFailedLoginIps = [...cur.failedIps.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([ip, count]) => ({ ip, count }));
  for (const { ip, count } of topFailedLoginIps)
    if (count >= 20) anomalies.push(`${count} failed logins from ${ip}`);
  if (cur.security.refresh_token_reuse)
    anomalies.push(`${cur.security.refresh_token_reuse} refresh token reuse event(s): possible token theft`);
  if (cur.findings.length)
    anomalies.push(`${cur.findings.length} real-time detector finding(s) during the period`);

  return {
    period,
    from: new Date(range.from).toISOString().slice(0, 10),
    to: new Date(range.to).toISOString().slice(0, 10),
    generatedAt: new Date(now).toISOString(),
    host: hostname(),
    requests: {
      count: cur.requests,
      previous: prev.requests,
      http5xx: cur.http5xx,
      previous5xx: prev.http5xx,
    },
    errors: {
      count: cur.errors,
      previous: prev.errors,
      changePct,
      top: [...cur.errorSigs.entries()]
        .sort((a, b) => b[1].count - a[1].count)
        .slice(0, 10)
        .map(([signature, e]) => ({ signature, ...e })),
    },
    slowestRoutes,
    performance: cur.perf,
    security: { events: cur.security, previous: prev.security, topFailedLoginIps },
    findings: cur.findings,
    anomalies,
    unreadable,
  };
}
