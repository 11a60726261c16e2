import type { Config } from '../../config.js';
import type { JobSpec } from '../../platform/jobs.js';
import type { DataRetentionResult } from './data-retention.js';

/** The month's slot once its day and hour have come (e.g. `2026-12`), else null. */
export function monthlySlot(now: Date, day: number, hour: number): string | null {
  if (now.getUTCDate() < day || (now.getUTCDate() === day && now.getUTCHours() < hour)) return null;
  return now.toISOString().slice(0, 7);
}

export const auditScheduleEnabled = (c: Pick<Config, 'AUDIT_SCHEDULE' | 'NODE_ENV'>) =>
  c.AUDIT_SCHEDULE === 'on' || (c.AUDIT_SCHEDULE === 'auto' && c.NODE_ENV === 'production');

/** The next AUDIT_DAY_OF_MONTH at AUDIT_HOUR_UTC after `now`. */
export function nextMonthlyRun(now: Date, day: number, hour: number): Date {
  const at = (y: number, m: number) => new Date(Date.UTC(y, m, day, hour));
  const thisMonth = at(now.getUTCFullYear(), now.getUTCMonth());
  return thisMonth > now ? thisMonth : at(now.getUTCFullYear(), now.getUTCMonth() + 1);
}

/** The next AUDIT_HOUR_UTC after `now`. */
export function nextDailyRun(now: Date, hour: number): Date {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  return today > now ? today : new Date(today.getTime() + 86_400_000);
}

/**
 * The monthly audit and the daily data retention as jobs of platform/jobs.ts (one instance runs
 * each under its lease). The report's unique slot keeps the monthly run once per month even if
 * a run is retried or leases overlap.
 */
export function securityAuditJobs(deps: {
  config: Config;
  slotTaken: (slot: string) => Promise<boolean>;
  runMonthly: (slot: string) => Promise<{ exitCode: number }>;
  runRetention: () => Promise<DataRetentionResult>;
}): JobSpec[] {
  const { config } = deps;
  const enabled = auditScheduleEnabled(config);
  return [
    {
      name: 'security-audit',
      enabled,
      leaseMs: 10 * 60_000,
      nextRunAt: (now) => nextMonthlyRun(now, config.AUDIT_DAY_OF_MONTH, config.AUDIT_HOUR_UTC),
      async run() {
        const slot =
          monthlySlot(new Date(), config.AUDIT_DAY_OF_MONTH, config.AUDIT_HOUR_UTC) ??
          new Date().toISOString().slice(0, 7);
        if (await deps.slotTaken(slot)) return { status: 'skipped', line: `audit ${slot} already stored` };
        const r = await deps.runMonthly(slot);
        return { status: r.exitCode === 1 ? 'failed' : 'ok', line: `audit ${slot}: exit ${r.exitCode}` };
      },
    },
    {
      name: 'data-retention',
      enabled,
      leaseMs: 10 * 60_000,
      nextRunAt: (now) => nextDailyRun(now, config.AUDIT_HOUR_UTC),
      async run() {
        const r = await deps.runRetention();
        return {
          // a session whose files could not be deleted stays whole and is retried next run
          status: r.sessionsFailed > 0 || r.orphans < 0 ? 'failed' : 'ok',
          line: `${r.sessions} expired sessions (${r.sessionsFailed} refused, retried next run), ${r.refreshTokens} refresh tokens, ${r.orphans} orphaned prefixes removed`,
          details: r,
        };
      },
    },
  ];
}
