import type { AuditEvent, AuditList, AuditOutcome, AuditQuery } from '@rstream/protocol';
import type { Logger } from 'pino';
import type { JobSpec } from '../../platform/jobs.js';
import { securityLog } from '../../platform/logger.js';
import type { AuditRepo, AuditRow } from './audit-repo.js';

/** Where a security event came from: taken from the HTTP request (or the WebSocket upgrade). */
export interface AuditContext {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditEntry extends AuditContext {
  /** snake_case event name, e.g. login_succeeded, permission_denied, invitation_created */
  type: string;
  outcome?: AuditOutcome;
  actorUserId?: string | null;
  actorParticipantId?: string | null;
  /** e-mail (or display name) of the actor as given — kept even when the account is gone */
  actorLabel?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  sessionId?: string | null;
  details?: Record<string, unknown>;
}

interface RequestLike {
  id?: unknown;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The audit context of an HTTP request. */
export function auditContext(req: RequestLike): AuditContext {
  const ua = req.headers['user-agent'];
  return {
    ip: req.ip ?? null,
    userAgent: typeof ua === 'string' ? ua : null,
    requestId: req.id === undefined ? null : String(req.id),
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clip = (v: string | null | undefined, max: number) => (v ? v.slice(0, max) : null);

export function toAuditEvent(row: AuditRow): AuditEvent {
  const details = typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
  return {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    type: row.type,
    outcome: row.outcome,
    actorUserId: row.actor_user_id,
    actorParticipantId: row.actor_participant_id,
    actorLabel: row.actor_label,
    targetType: row.target_type,
    targetId: row.target_id,
    sessionId: row.session_id,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    details: (details ?? {}) as Record<string, unknown>,
  };
}

/**
 * The security trail: every security event becomes an append-only audit_events row and a line on
 * the security log stream. Recording never fails the caller: a database error is logged instead.
 */
export function createAuditService(repo: AuditRepo, log: Logger) {
  const pending = new Set<Promise<void>>();

  async function write(e: AuditEntry): Promise<void> {
    const outcome = e.outcome ?? 'success';
    try {
      securityLog(e.type, {
        level: outcome === 'success' ? 'info' : 'warn',
        outcome,
        userId: e.actorUserId ?? undefined,
        participantId: e.actorParticipantId ?? undefined,
        targetType: e.targetType ?? undefined,
        targetId: e.targetId ?? undefined,
        sessionId: e.sessionId ?? undefined,
        ip: e.ip ?? undefined,
        userAgent: e.userAgent ?? undefined,
        reqId: e.requestId ?? undefined,
        ...e.details,
      });
    } catch {
      // the log stream must never break the trail
    }
    try {
      await repo.insert({
        type: e.type.slice(0, 64),
        outcome,
        actor_user_id: e.actorUserId && UUID_RE.test(e.actorUserId) ? e.actorUserId : null,
        actor_participant_id:
          e.actorParticipantId && UUID_RE.test(e.actorParticipantId) ? e.actorParticipantId : null,
        actor_label: clip(e.actorLabel, 254),
        target_type: clip(e.targetType, 40),
        target_id: clip(e.targetId, 200),
        session_id: e.sessionId && UUID_RE.test(e.sessionId) ? e.sessionId : null,
        ip: clip(e.ip, 64),
        user_agent: clip(e.userAgent, 300),
        request_id: clip(e.requestId, 64),
        details: JSON.stringify(e.details ?? {}).slice(0, 4000),
      });
    } catch (err) {
      log.error({ err, event: e.type }, 'could not write the security trail');
    }
  }

  return {
    /** Records and waits for the row (use where the order matters, e.g. before answering). */
    record(e: AuditEntry): Promise<void> {
      const p = write(e);
      pending.add(p);
      return p.finally(() => pending.delete(p));
    },
    /** Records without waiting (hot paths such as denials). */
    recordLater(e: AuditEntry): void {
      void this.record(e);
    },
    /** Waits for every write in flight (shutdown, tests). */
    async flush(): Promise<void> {
      await Promise.all([...pending]);
    },

    async list(q: AuditQuery): Promise<AuditList> {
      const limit = q.limit ?? 100;
      const actor = q.actor?.trim();
      const rows = await repo.list({
        type: q.type,
        outcome: q.outcome,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        actorUserId: actor && UUID_RE.test(actor) ? actor : undefined,
        actorLabel: actor && !UUID_RE.test(actor) ? actor.toLowerCase() : undefined,
        beforeId: q.cursor ? Number(q.cursor) : undefined,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        events: page.map(toAuditEvent),
        nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
      };
    },

    prune: (retentionDays: number) => repo.prune(retentionDays),
  };
}
export type AuditService = ReturnType<typeof createAuditService>;

/** The trail's retention as a job: once a day (first a minute after start), on one instance. */
export function auditRetentionJob(audit: AuditService, retentionDays: number): JobSpec {
  return {
    name: 'audit-retention',
    everyMs: 86_400_000,
    firstRunAfterMs: 60_000,
    async run() {
      const removed = await audit.prune(retentionDays);
      return `security trail: ${removed} events older than ${retentionDays} days removed`;
    },
  };
}
