import type { ArchiveEntry, ArchiveReportStatus } from '@rstream/protocol';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db-schema.js';
import type { RecordingsFeature } from '../recordings/recordings-plugin.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { toSession } from '../sessions/sessions-view.js';
import { type SessionsService } from '../sessions/sessions-service.js';
import type { UnderstandingService } from '../understanding/understanding-service.js';

const DAY_MS = 24 * 3600 * 1000;

export interface ArchiveDeps {
  db: Kysely<Database>;
  sessions: SessionsService;
  understanding: Pick<UnderstandingService, 'averages'>;
  recordings: Pick<RecordingsFeature, 'service'>;
  retentionDays: number;
  log: Logger;
  /** The reports feature's statuses; default: read a `reports` table when one exists. */
  reportStatuses?: (sessionIds: string[]) => Promise<Map<string, ArchiveReportStatus>>;
}

export function createArchiveService(deps: ArchiveDeps) {
  const { db, log } = deps;

  async function reportStatuses(ids: string[]): Promise<Map<string, ArchiveReportStatus>> {
    if (deps.reportStatuses) return deps.reportStatuses(ids);
    if (ids.length === 0) return new Map();
    try {
      const exists = await sql<{ t: string | null }>`select to_regclass('public.reports')::text as t`.execute(
        db,
      );
      if (!exists.rows[0]?.t) return new Map();
      const rows = await sql<{ session_id: string; status: ArchiveReportStatus }>`
        select session_id, status from reports where session_id in (${sql.join(ids)})`.execute(db);
      return new Map(rows.rows.map((r) => [r.session_id, r.status]));
    } catch {
      return new Map();
    }
  }

  async function keptIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom('archive_keeps')
      .select('session_id')
      .where('session_id', 'in', ids)
      .execute();
    return new Set(rows.map((r) => r.session_id));
  }

  const expiresAtOf = (row: SessionRow, kept: boolean) =>
    kept || !row.ended_at
      ? null
      : new Date(new Date(row.ended_at).getTime() + deps.retentionDays * DAY_MS).toISOString();

  async function entries(rows: SessionRow[], baseUrl: string): Promise<ArchiveEntry[]> {
    const ids = rows.map((r) => r.id);
    const [recs, reports, kept, avgs] = await Promise.all([
      deps.recordings.service.listOfSessions(ids),
      reportStatuses(ids),
      keptIds(ids),
      deps.understanding.averages(ids),
    ]);
    return rows.map((row) => {
      const isKept = kept.has(row.id);
      return {
        session: toSession(row, baseUrl),
        recordings: recs.get(row.id) ?? [],
        report: { status: reports.get(row.id) ?? 'none' },
        expiresAt: expiresAtOf(row, isKept),
        keep: isKept,
        durationMs:
          row.started_at && row.ended_at
            ? new Date(row.ended_at).getTime() - new Date(row.started_at).getTime()
            : null,
        participants: row.participant_count,
        avg: avgs.get(row.id) ?? null,
      };
    });
  }

  return {
    /** The caller's ended sessions, newest first. */
    async list(userId: string, baseUrl: string): Promise<ArchiveEntry[]> {
      const rows = (await deps.sessions.listRowsOfHost(userId))
        .filter((r) => r.status === 'ended')
        .sort((a, b) => new Date(b.ended_at ?? 0).getTime() - new Date(a.ended_at ?? 0).getTime());
      return entries(rows, baseUrl);
    },

    async entry(row: SessionRow, baseUrl: string): Promise<ArchiveEntry> {
      return (await entries([row], baseUrl))[0]!;
    },

    async setKeep(row: SessionRow, keep: boolean, userId: string): Promise<void> {
      if (keep) {
        await db
          .insertInto('archive_keeps')
          .values({ session_id: row.id, kept_by: userId })
          .onConflict((oc) => oc.column('session_id').doNothing())
          .execute();
      } else {
        await db.deleteFrom('archive_keeps').where('session_id', '=', row.id).execute();
      }
    },

    /** Deletes a session with every file it owns (files first: `session.deleting`). */
    purge: (sessionId: string) => deps.sessions.removeById(sessionId),

    /**
     * The retention job: sessions ended more than ARCHIVE_RETENTION_DAYS ago and not kept are
     * deleted with their files. Runs as the `archive-retention` job (once across instances: the
     * jobs' lease); returns how many it deleted.
     */
    async runRetention(
      now = Date.now(),
    ): Promise<{ status: 'ok' | 'partial'; deleted: number; failed: number }> {
      let deleted = 0;
      let failed = 0;
      {
        const cutoff = new Date(now - deps.retentionDays * DAY_MS);
        const rows = await db
          .selectFrom('sessions')
          .select('id')
          .where('status', '=', 'ended')
          .where('ended_at', '<', cutoff)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('archive_keeps')
                  .select('session_id')
                  .whereRef('archive_keeps.session_id', '=', 'sessions.id'),
              ),
            ),
          )
          .execute();
        for (const r of rows) {
          try {
            await deps.sessions.removeById(r.id);
            deleted++;
          } catch (e) {
            failed++;
            log.warn(
              { err: e, sessionId: r.id },
              'archive retention: could not delete a session; retrying next run',
            );
          }
        }
      }
      log.info({ deleted, failed, retentionDays: deps.retentionDays }, 'archive retention');
      return { status: failed > 0 ? 'partial' : 'ok', deleted, failed };
    },
  };
}
export type ArchiveService = ReturnType<typeof createArchiveService>;
