import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AuditFinding, AuditReport } from '@rstream/protocol';
import { checkApi, checkUsers } from './checks-access.js';
import { checkData } from './checks-data.js';
import { checkFiles } from './checks-files.js';
import { checkSystem } from './checks-system.js';
import { analyseLogs } from './log-analysis.js';
import { createCollector, type AuditDeps } from './model.js';
import { createAuditStore } from './audit-store.js';
import { actionPlan, proposals } from './report-text.js';
import { PHRASES, renderBoth } from './audit-text.js';

export interface RunOptions {
  trigger: AuditReport['trigger'];
  /** the monthly slot of a scheduled run (stored once across instances) */
  slot?: string | null;
  save?: boolean;
}

/** One audit: every check, risk acceptances applied, exit code 0/1/2, stored with history. */
export async function runAudit(
  deps: AuditDeps,
  o: RunOptions,
): Promise<{ report: AuditReport; saved: boolean }> {
  const started = deps.now ?? new Date();
  const { collector, findings, checks, logAnalysis } = createCollector(deps, started);
  await checkUsers(collector);
  await checkApi(collector);
  await checkFiles(collector);
  await checkData(collector);
  await checkSystem(collector);
  await analyseLogs(collector);

  const store = createAuditStore(deps.db);
  const acceptances = await store.acceptances(started);
  const active: AuditFinding[] = [];
  const accepted: AuditFinding[] = [];
  for (const f of findings) {
    const all = acceptances.filter((a) => a.findingId === f.id);
    const live = all.find((a) => !a.expired);
    if (live) {
      accepted.push({
        ...f,
        accepted: { reason: live.reason, expiresAt: live.expiresAt, by: live.createdBy },
      });
      continue;
    }
    const lapsed = all[0];
    if (!lapsed) {
      active.push(f);
      continue;
    }
    const note = renderBoth(PHRASES['acceptance.lapsed'], {
      expiresAt: lapsed.expiresAt,
      reason: lapsed.reason,
    });
    active.push({
      ...f,
      evidence: `${f.evidence}${note.en}`,
      ...(f.ja && { ja: { ...f.ja, evidence: `${f.ja.evidence}${note.ja}` } }),
    });
  }
  const order = { critical: 0, warning: 1, info: 2 } as const;
  active.sort((a, b) => order[a.severity] - order[b.severity]);
  const count = (s: AuditFinding['severity']) => active.filter((f) => f.severity === s).length;
  const counts = {
    critical: count('critical'),
    warning: count('warning'),
    info: count('info'),
    accepted: accepted.length,
  };
  const exitCode = counts.critical ? 2 : counts.warning ? 1 : 0;
  const report: AuditReport = {
    id: randomUUID(),
    startedAt: started.toISOString(),
    finishedAt: (deps.now ? started : new Date()).toISOString(),
    trigger: o.trigger,
    instance: `${hostname()}:${process.pid}`,
    period: { from: collector.periodFrom.toISOString(), to: started.toISOString() },
    exitCode,
    counts,
    findings: active,
    accepted,
    checks,
    logAnalysis,
    proposals: proposals(active),
    actionPlan: actionPlan(active),
    ja: { proposals: proposals(active, 'ja'), actionPlan: actionPlan(active, 'ja') },
  };
  const saved = o.save === false ? false : await store.save(report, o.slot ?? null);
  return { report, saved };
}
