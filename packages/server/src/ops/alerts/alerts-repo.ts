import { randomUUID } from 'node:crypto';
import type { ColumnType, Kysely } from 'kysely';
import type { AlertsTable } from '../../platform/db-schema-ops.js';
import type { Database } from '../../platform/db-schema.js';
import type { Severity } from './rules.js';

export type AlertRow = {
  [K in keyof AlertsTable]: AlertsTable[K] extends ColumnType<infer S, unknown, unknown> ? S : AlertsTable[K];
};

export interface FireInput {
  fingerprint: string;
  name: string;
  source: 'rule' | 'adhoc';
  severity: Severity;
  level: number;
  summary: string;
  labels: Record<string, string>;
  value: number | null;
  runbook: string;
  at: Date;
}

const parseLabels = (row: AlertRow): AlertRow => ({
  ...row,
  labels: typeof row.labels === 'string' ? (JSON.parse(row.labels) as Record<string, string>) : row.labels,
});

export function createAlertsRepo(db: Kysely<Database>) {
  return {
    /** Opens an occurrence, or refreshes the one already firing. `created` tells which. */
    async fire(a: FireInput): Promise<{ row: AlertRow; created: boolean }> {
      const id = randomUUID();
      const { at, ...rest } = a;
      const row = await db
        .insertInto('alerts')
        .values({
          ...rest,
          id,
          labels: JSON.stringify(a.labels),
          status: 'firing',
          started_at: at,
          last_seen_at: at,
        })
        .onConflict((oc) =>
          oc
            .column('fingerprint')
            .where('status', '=', 'firing')
            .doUpdateSet({ last_seen_at: a.at, value: a.value, summary: a.summary }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row: parseLabels(row as AlertRow), created: row.id === id };
    },
    /** A whole occurrence (one that fired and resolved while the database was unreachable). */
    async insertHistory(row: AlertRow): Promise<true> {
      await db
        .insertInto('alerts')
        .values({ ...row, labels: JSON.stringify(row.labels) })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return true;
    },
    async resolve(id: string, at: Date): Promise<AlertRow | undefined> {
      const row = await db
        .updateTable('alerts')
        .set({ status: 'resolved', resolved_at: at })
        .where('id', '=', id)
        .where('status', '=', 'firing')
        .returningAll()
        .executeTakeFirst();
      return row ? parseLabels(row as AlertRow) : undefined;
    },
    async firing(): Promise<AlertRow[]> {
      const rows = await db
        .selectFrom('alerts')
        .selectAll()
        .where('status', '=', 'firing')
        .orderBy('started_at', 'desc')
        .execute();
      return rows.map((r) => parseLabels(r as AlertRow));
    },
    async recent(limit: number): Promise<AlertRow[]> {
      const rows = await db
        .selectFrom('alerts')
        .selectAll()
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => parseLabels(r as AlertRow));
    },
    async latestByFingerprint(fp: string): Promise<AlertRow | undefined> {
      const row = await db
        .selectFrom('alerts')
        .selectAll()
        .where('fingerprint', '=', fp)
        .orderBy('started_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? parseLabels(row as AlertRow) : undefined;
    },
    async ack(fp: string, userId: string, at: Date): Promise<AlertRow | undefined> {
      const row = await db
        .updateTable('alerts')
        .set({ acked_at: at, acked_by: userId })
        .where('fingerprint', '=', fp)
        .where('status', '=', 'firing')
        .returningAll()
        .executeTakeFirst();
      return row ? parseLabels(row as AlertRow) : undefined;
    },
    async silence(fp: string, until: Date, userId: string | null): Promise<void> {
      await db
        .insertInto('alert_silences')
        .values({ fingerprint: fp, until, created_by: userId, created_at: new Date() })
        .onConflict((oc) =>
          oc.column('fingerprint').doUpdateSet({ until, created_by: userId, created_at: new Date() }),
        )
        .execute();
    },
    async silencedUntil(fp: string, now: Date): Promise<Date | null> {
      const row = await db
        .selectFrom('alert_silences')
        .select('until')
        .where('fingerprint', '=', fp)
        .where('until', '>', now)
        .executeTakeFirst();
      return row ? new Date(row.until) : null;
    },
    async activeSilences(now: Date): Promise<Map<string, Date>> {
      const rows = await db
        .selectFrom('alert_silences')
        .select(['fingerprint', 'until'])
        .where('until', '>', now)
        .execute();
      return new Map(rows.map((r) => [r.fingerprint, new Date(r.until)]));
    },
    async markNotified(id: string, at: Date): Promise<void> {
      await db
        .updateTable('alerts')
        .set((eb) => ({ last_notified_at: at, notify_count: eb('notify_count', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },
    async recordDeliveries(
      alertId: string,
      kind: 'firing' | 'repeat' | 'resolved',
      results: { channel: string; ok: boolean; attempts: number; error: string | null }[],
    ) {
      if (results.length === 0) return;
      await db
        .insertInto('alert_notifications')
        .values(
          results.map((r) => ({
            alert_id: alertId,
            kind,
            channel: r.channel,
            ok: r.ok,
            attempts: r.attempts,
            error: r.error,
          })),
        )
        .execute();
    },
    async deliveries(alertIds: string[]) {
      if (alertIds.length === 0) return [];
      return db
        .selectFrom('alert_notifications')
        .select(['alert_id', 'channel', 'kind', 'ok', 'attempts', 'error', 'at'])
        .where('alert_id', 'in', alertIds)
        .orderBy('at', 'asc')
        .execute();
    },
  };
}
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
