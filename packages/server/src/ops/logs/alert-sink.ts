import type { Logger } from 'pino';
import type { Finding, FindingKind, FindingSink } from './detector.js';

/**
 * Turns detector findings into alerts through the alerting service (`app.ops.alerts.raise`).
 * Typed structurally so the log area does not depend on the alerts area's internals.
 */

export interface AlertRaiser {
  raise(input: {
    name: string;
    severity: 'critical' | 'warning' | 'info';
    level: 1 | 2 | 3;
    summary: string;
    description?: string;
    labels?: Record<string, string>;
    runbook?: string;
    value?: number;
  }): Promise<unknown>;
}

/** Alert name and incident level per finding (runbook levels: 1 security incident, 2 major slowdown/errors, 3 watch). */
const ALERTS: Record<FindingKind, { name: string; level: 1 | 2 | 3 }> = {
  security_event: { name: 'LogSecurityEvent', level: 1 },
  error_spike: { name: 'LogErrorSpike', level: 2 },
  http_5xx_burst: { name: 'LogHttp5xxBurst', level: 2 },
  latency_jump: { name: 'LogLatencyJump', level: 2 },
  login_failures_ip: { name: 'LogLoginFailuresFromIp', level: 3 },
  login_failures_account: { name: 'LogLoginFailuresOnAccount', level: 3 },
};

export function alertSink(alerts: AlertRaiser, log: Logger): FindingSink {
  return (f: Finding) => {
    const a = ALERTS[f.kind];
    alerts
      .raise({
        name: a.name,
        severity: f.severity,
        level: a.level,
        summary: f.message.slice(0, 500),
        description:
          `Found by the log detector at ${f.at} (${f.count} in ${f.windowSec} s, threshold ${f.threshold}).` +
          (f.sampleReqId ? ` Start with: rstream logs search --request-id ${f.sampleReqId}` : ''),
        labels: { key: f.key.slice(0, 120) },
        runbook: 'log-findings',
        value: f.count,
      })
      .catch((err: unknown) =>
        log.warn({ err, finding: f.kind }, 'could not raise an alert for a log finding'),
      );
  };
}
