import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEventsTable, Database } from '../../platform/db-schema.js';
import { toNumber } from '../../platform/db-schema.js';

export type AuditRow = Omit<Selectable<AuditEventsTable>, 'id'> & { id: number };

export interface AuditInsert {
  type: string;
  outcome: AuditRow['outcome'];
  actor_user_id: string | null;
  actor_participant_id: string | null;
  actor_label: string | null;
  target_type: string | null;
  target_id: string | null;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: string;
}

export interface AuditFilter {
  type?: string;
  outcome?: AuditRow['outcome'];
  from?: Date;
  to?: Date;
  actorUserId?: string;
  actorLabel?: string;
  /** ids below this (newest first paging) */
  beforeId?: number;
  limit: number;
}

/** Insert and read only: the table refuses UPDATE/DELETE, and this code never tries. */
export function createAuditRepo(db: Kysely<Database>) {
  return {
    async insert(row: AuditInsert): Promise<void> {
      await db.insertInto('audit_events').values(row).execute();
    },
    async list(f: AuditFilter): Promise<AuditRow[]> {
      let q = db.selectFrom('audit_events').selectAll();
      if (f.type) q = q.where('type', '=', f.type);
      if (f.outcome) q = q.where('outcome', '=', f.outcome);
      if (f.from) q = q.where('at', '>=', f.from);
      if (f.to) q = q.where('at', '<=', f.to);
      if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
      if (f.actorLabel) q = q.where('actor_label', '=', f.actorLabel);
      if (f.beforeId !== undefined) q = q.where(sql<boolean>`id < ${f.beforeId}`);
      const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map((r) => ({ ...r, id: toNumber(r.id) }));
    },
    /** Retention: the only way rows leave (audit_events_prune raises the flag the trigger honours). */
    async prune(retentionDays: number): Promise<number> {
      const r = await sql<{
        removed: number | string;
      }>`select audit_events_prune(${retentionDays}::integer) as removed`.execute(db);
      return toNumber(r.rows[0]?.removed);
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
