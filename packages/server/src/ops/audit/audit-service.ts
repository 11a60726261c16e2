import type { AcceptRiskBody, AuditOverview } from '@rstream/protocol';
import { badRequest } from '../../errors.js';
import type { AuditService as SecurityTrail } from '../../features/audit/audit-service.js';
import { createAuditStore } from './audit-store.js';
import type { AuditDeps } from './model.js';
import { runAudit, type RunOptions } from './run-audit.js';

const MAX_ACCEPT_DAYS = 366;

/** The security audit as the CLI, the admin page and the monthly job use it. */
export function createSecurityAudit(deps: AuditDeps & { trail: SecurityTrail }) {
  const store = createAuditStore(deps.db);
  const now = () => deps.now ?? new Date();
  return {
    store,
    run: (o: RunOptions, extra: Partial<AuditDeps> = {}) => runAudit({ ...deps, ...extra }, o),
    async overview(): Promise<AuditOverview> {
      const [latest, previous] = await store.latest(2);
      const ids = (r: typeof latest) => new Set(r ? r.findings.map((f) => f.id) : []);
      const a = ids(latest);
      const b = ids(previous);
      return {
        latest: latest ?? null,
        trend: {
          added: previous ? [...a].filter((id) => !b.has(id)) : [],
          // accepted findings did not go away: they are listed as accepted, not as resolved
          resolved: [...b].filter((id) => !a.has(id) && !latest?.accepted.some((f) => f.id === id)),
          previous: previous
            ? { id: previous.id, finishedAt: previous.finishedAt, counts: previous.counts }
            : null,
        },
        acceptances: await store.acceptances(now()),
        history: (await store.history(12)).map((h) => ({
          id: h.id,
          finishedAt: new Date(h.finished_at).toISOString(),
          exitCode: h.exit_code,
          counts: { critical: h.critical, warning: h.warning, info: h.info, accepted: 0 },
        })),
      };
    },
    /** An admin accepts a finding's risk until `expiresAt`; recorded in the security trail. */
    async accept(
      body: AcceptRiskBody,
      by: { userId: string | null; label: string | null; ip?: string | null; requestId?: string | null },
    ) {
      const expires = new Date(body.expiresAt);
      const t = now().getTime();
      if (!(expires.getTime() > t)) throw badRequest('expiresAt must be in the future.');
      if (expires.getTime() - t > MAX_ACCEPT_DAYS * 86_400_000)
        throw badRequest(`A risk may be accepted for at most ${MAX_ACCEPT_DAYS} days.`);
      const label =
        by.label ??
        (by.userId
          ? ((
              await deps.db.selectFrom('users').select('email').where('id', '=', by.userId).executeTakeFirst()
            )?.email ?? null)
          : null);
      const id = await store.accept(
        { findingId: body.findingId, reason: body.reason, expiresAt: expires, by: by.userId, byLabel: label },
        now(),
      );
      await deps.trail.record({
        type: 'security_risk_accepted',
        actorUserId: by.userId,
        actorLabel: label,
        targetType: 'audit_finding',
        targetId: body.findingId,
        ip: by.ip ?? null,
        requestId: by.requestId ?? null,
        details: { acceptanceId: id, reason: body.reason, expiresAt: expires.toISOString() },
      });
      return id;
    },
  };
}
export type SecurityAudit = ReturnType<typeof createSecurityAudit>;
