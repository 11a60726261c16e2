import type { Config } from '../../config.js';
import type { LogStreamName } from '../../platform/log-file.js';

/**
 * Real-time detection over the log streams (fed by the LogStreams tap): error spikes, bursts of
 * 5xx, bursts of failed logins from one IP or against one account, sudden latency jumps, and
 * security events that need a human at once (refresh-token reuse). Sliding windows, thresholds
 * from config; a finding fires once per window and key (then again if the condition persists).
 * Findings go to a pluggable sink: by default a warn line on the app stream; app.ts adds the
 * alerting hook when there is one.
 */

export type FindingKind =
  | 'error_spike'
  | 'http_5xx_burst'
  | 'login_failures_ip'
  | 'login_failures_account'
  | 'latency_jump'
  | 'security_event';

export interface Finding {
  kind: FindingKind;
  severity: 'critical' | 'warning' | 'info';
  /** what the finding is about: an IP, an account hash, a route, an event */
  key: string;
  message: string;
  count: number;
  threshold: number;
  windowSec: number;
  at: string;
  /** a request id from the window, to start a search from */
  sampleReqId?: string;
}
export type FindingSink = (finding: Finding) => void;

export interface DetectorSettings {
  windowSec: number;
  errors: number;
  http5xx: number;
  loginFailuresPerIp: number;
  loginFailuresPerAccount: number;
  latencyFactor: number;
  latencyMinMs: number;
}

export const detectorSettings = (c: Config): DetectorSettings => ({
  windowSec: c.LOG_DETECT_WINDOW_SEC,
  errors: c.LOG_DETECT_ERRORS,
  http5xx: c.LOG_DETECT_5XX,
  loginFailuresPerIp: c.LOG_DETECT_LOGIN_FAILURES_PER_IP,
  loginFailuresPerAccount: c.LOG_DETECT_LOGIN_FAILURES_PER_ACCOUNT,
  latencyFactor: c.LOG_DETECT_LATENCY_FACTOR,
  latencyMinMs: c.LOG_DETECT_LATENCY_MIN_MS,
});

/** Events on the security stream that are a finding on their own. */
const CRITICAL_EVENTS = new Set(['refresh_token_reuse']);
const MAX_KEYS = 10_000;
/** latency: baseline = this many windows before the current one */
const BASELINE_WINDOWS = 10;
const MIN_CURRENT_SAMPLES = 20;
const MIN_BASELINE_SAMPLES = 50;
const SAMPLES_PER_BUCKET = 400;

/** Timestamps inside a window, per key. */
class KeyedWindow {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly windowMs: number) {}

  add(key: string, now: number): number {
    let list = this.times.get(key);
    if (!list) {
      if (this.times.size >= MAX_KEYS) this.sweep(now);
      if (this.times.size >= MAX_KEYS) this.times.delete(this.times.keys().next().value!);
      list = [];
      this.times.set(key, list);
    }
    list.push(now);
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= from) drop++;
    if (drop) list.splice(0, drop);
    return list.length;
  }

  private sweep(now: number) {
    for (const [k, list] of this.times) if (list.at(-1)! <= now - this.windowMs) this.times.delete(k);
  }
}

function p95(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

export class LogDetector {
  private readonly windowMs: number;
  private readonly errors: KeyedWindow;
  private readonly http5xx: KeyedWindow;
  private readonly loginsByIp: KeyedWindow;
  private readonly loginsByAccount: KeyedWindow;
  private readonly lastFired = new Map<string, number>();
  /** latency buckets: start time → sampled durations */
  private readonly buckets: { start: number; samples: number[]; n: number }[] = [];
  private readonly bucketMs: number;
  private lastLatencyCheck = 0;
  readonly fired: Finding[] = [];

  constructor(
    private readonly settings: DetectorSettings,
    private sink: FindingSink,
    private readonly clock: () => number = Date.now,
  ) {
    this.windowMs = settings.windowSec * 1000;
    this.errors = new KeyedWindow(this.windowMs);
    this.http5xx = new KeyedWindow(this.windowMs);
    this.loginsByIp = new KeyedWindow(this.windowMs);
    this.loginsByAccount = new KeyedWindow(this.windowMs);
    this.bucketMs = Math.max(1000, Math.floor(this.windowMs / 6));
  }

  setSink(sink: FindingSink): void {
    this.sink = sink;
  }

  /** The LogStreams tap. */
  observe = (stream: LogStreamName, level: number, fields: Record<string, unknown>, msg?: string): void => {
    const now = this.clock();
    const reqId = typeof fields.reqId === 'string' ? fields.reqId : undefined;
    if (stream === 'error' && level >= 50) {
      const n = this.errors.add('all', now);
      if (n >= this.settings.errors) {
        this.fire(
          {
            kind: 'error_spike',
            severity: 'critical',
            key: 'all',
            count: n,
            threshold: this.settings.errors,
            sampleReqId: reqId,
            message: `${n} errors in the last ${this.settings.windowSec} s (latest: ${String(msg ?? 'error').slice(0, 120)})`,
          },
          now,
        );
      }
    } else if (stream === 'access' && fields.kind !== 'ws') {
      const status = Number(fields.status);
      const duration = Number(fields.durationMs);
      if (status >= 500) {
        const n = this.http5xx.add('all', now);
        if (n >= this.settings.http5xx) {
          this.fire(
            {
              kind: 'http_5xx_burst',
              severity: 'critical',
              key: 'all',
              count: n,
              threshold: this.settings.http5xx,
              sampleReqId: reqId,
              message: `${n} responses with status 5xx in the last ${this.settings.windowSec} s`,
            },
            now,
          );
        }
      }
      if (Number.isFinite(duration)) this.addLatency(duration, now, reqId);
    } else if (stream === 'security') {
      this.onSecurity(String(fields.event ?? ''), fields, now, reqId);
    }
  };

  private onSecurity(event: string, fields: Record<string, unknown>, now: number, reqId?: string) {
    if (event === 'login_failed') {
      const ip = typeof fields.ip === 'string' ? fields.ip : 'unknown';
      const byIp = this.loginsByIp.add(ip, now);
      if (byIp >= this.settings.loginFailuresPerIp) {
        this.fire(
          {
            kind: 'login_failures_ip',
            severity: 'warning',
            key: ip,
            count: byIp,
            threshold: this.settings.loginFailuresPerIp,
            sampleReqId: reqId,
            message: `${byIp} failed logins from ${ip} in the last ${this.settings.windowSec} s`,
          },
          now,
        );
      }
      const account =
        ['accountHash', 'userId', 'email']
          .map((k) => fields[k])
          .find((v): v is string => typeof v === 'string' && v !== '') ?? null;
      if (account) {
        const byAccount = this.loginsByAccount.add(account, now);
        if (byAccount >= this.settings.loginFailuresPerAccount) {
          const shown = typeof fields.email === 'string' ? `${fields.email} (${account})` : account;
          this.fire(
            {
              kind: 'login_failures_account',
              severity: 'warning',
              key: account,
              count: byAccount,
              threshold: this.settings.loginFailuresPerAccount,
              sampleReqId: reqId,
              message: `${byAccount} failed logins against account ${shown} in the last ${this.settings.windowSec} s`,
            },
            now,
          );
        }
      }
    } else if (CRITICAL_EVENTS.has(event)) {
      const key = `${event}:${String(fields.userId ?? fields.familyId ?? '')}`;
      this.fire(
        {
          kind: 'security_event',
          severity: 'critical',
          key,
          count: 1,
          threshold: 1,
          sampleReqId: reqId,
          message: `security event ${event}${fields.userId ? ` for user ${String(fields.userId)}` : ''}: a stolen refresh token may be in use`,
        },
        now,
      );
    }
  }

  private addLatency(durationMs: number, now: number, reqId?: string) {
    const start = now - (now % this.bucketMs);
    let last = this.buckets.at(-1);
    if (!last || last.start !== start) {
      last = { start, samples: [], n: 0 };
      this.buckets.push(last);
      const oldest = start - this.windowMs * (BASELINE_WINDOWS + 1);
      while (this.buckets.length && this.buckets[0]!.start < oldest) this.buckets.shift();
    }
    last.n++;
    // Reservoir sampling keeps the bucket's percentile honest under load with bounded memory.
    if (last.samples.length < SAMPLES_PER_BUCKET) last.samples.push(durationMs);
    else {
      const j = Math.floor(Math.random() * last.n);
      if (j < SAMPLES_PER_BUCKET) last.samples[j] = durationMs;
    }
    if (now - this.lastLatencyCheck < 1000) return;
    this.lastLatencyCheck = now;
    const windowStart = now - this.windowMs;
    const current: number[] = [];
    const baseline: number[] = [];
    for (const b of this.buckets) (b.start >= windowStart ? current : baseline).push(...b.samples);
    if (current.length < MIN_CURRENT_SAMPLES || baseline.length < MIN_BASELINE_SAMPLES) return;
    const cur = p95(current);
    const base = p95(baseline);
    if (cur >= this.settings.latencyMinMs && cur >= base * this.settings.latencyFactor) {
      this.fire(
        {
          kind: 'latency_jump',
          severity: 'warning',
          key: 'http',
          count: current.length,
          threshold: this.settings.latencyFactor,
          sampleReqId: reqId,
          message: `HTTP p95 jumped to ${Math.round(cur)} ms in the last ${this.settings.windowSec} s (baseline p95 ${Math.round(base)} ms)`,
        },
        now,
      );
    }
  }

  private fire(f: Omit<Finding, 'at' | 'windowSec'>, now: number) {
    const id = `${f.kind}:${f.key}`;
    const last = this.lastFired.get(id);
    if (last !== undefined && now - last < this.windowMs) return;
    if (this.lastFired.size >= MAX_KEYS) this.lastFired.clear();
    this.lastFired.set(id, now);
    const finding: Finding = { ...f, windowSec: this.settings.windowSec, at: new Date(now).toISOString() };
    this.fired.push(finding);
    if (this.fired.length > 100) this.fired.shift();
    try {
      this.sink(finding);
    } catch {
      // a broken notifier must not break logging
    }
  }
}
