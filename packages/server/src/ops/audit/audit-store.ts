import { randomUUID } from 'node:crypto';
import type { AuditAcceptance, AuditReport } from '@rstream/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db-schema.js';

/** Reports (history) and risk acceptances: security_audit_reports / security_audit_acceptances. */
export function createAuditStore(db: Kysely<Database>) {
  const toAcceptance = (
    r: {
      id: string;
      finding_id: string;
      reason: string;
      expires_at: Date;
      created_at: Date;
      created_by_label: string | null;
    },
    now: Date,
  ): AuditAcceptance => ({
    id: r.id,
    findingId: r.finding_id,
    reason: r.reason,
    expiresAt: new Date(r.expires_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by_label,
    expired: new Date(r.expires_at).getTime() <= now.getTime(),
  });
  return {
    /** Stores a report; false when a scheduled run of the same slot is already stored. */
    async save(report: AuditReport, slot: string | null): Promise<boolean> {
      const r = await db
        .insertInto('security_audit_reports')
        .values({
          id: report.id,
          started_at: report.startedAt,
          finished_at: report.finishedAt,
          trigger: report.trigger,
          instance: report.instance,
          slot,
          exit_code: report.exitCode,
          critical: report.counts.critical,
          warning: report.counts.warning,
          info: report.counts.info,
          report: JSON.stringify(report),
        })
        .onConflict((oc) => oc.column('slot').where('slot', 'is not', null).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async slotTaken(slot: string): Promise<boolean> {
      return Boolean(
        await db
          .selectFrom('security_audit_reports')
          .select('id')
          .where('slot', '=', slot)
          .executeTakeFirst(),
      );
    },
    /** newest first */
    async latest(limit: number): Promise<AuditReport[]> {
      const rows = await db
        .selectFrom('security_audit_reports')
        .select('report')
        .orderBy('finished_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => JSON.parse(r.report) as AuditReport);
    },
    async history(limit: number) {
      return db
        .selectFrom('security_audit_reports')
        .select(['id', 'finished_at', 'exit_code', 'critical', 'warning', 'info'])
        .orderBy('finished_at', 'desc')
        .limit(limit)
        .execute();
    },
    async accept(
      a: { findingId: string; reason: string; expiresAt: Date; by: string | null; byLabel: string | null },
      now: Date,
    ) {
      const id = randomUUID();
      await db
        .insertInto('security_audit_acceptances')
        .values({
          id,
          finding_id: a.findingId,
          reason: a.reason,
          expires_at: a.expiresAt,
          created_by: a.by,
          created_by_label: a.byLabel,
          created_at: now,
        })
        .execute();
      return id;
    },
    /** Every acceptance, newest first (expired ones included: the page shows them as lapsed). */
    async acceptances(now: Date, limit = 200): Promise<AuditAcceptance[]> {
      const rows = await db
        .selectFrom('security_audit_acceptances')
        .selectAll()
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => toAcceptance(r, now));
    },
  };
}
export type AuditStore = ReturnType<typeof createAuditStore>;
