import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db-schema.js';

export interface DataRetentionResult {
  /** expired archive sessions deleted with their files */
  sessions: number;
  /** expired archive sessions refused (storage failed): nothing of them deleted, retried next run */
  sessionsFailed: number;
  refreshTokens: number;
  /** orphaned folders deleted; -1 when storage could not be listed (retried next run) */
  orphans: number;
}

/**
 * The daily deletion the audit checks for: finished sessions past ARCHIVE_RETENTION_DAYS go (the
 * archive's retention, which deletes each session's files first and skips — counts, logs and
 * retries next run — a session whose files cannot be deleted), refresh tokens expired more than a
 * day ago are dropped (they can no longer be used or reused), and stored files whose owner row is
 * gone for a day (the orphan scan, the safety net) are deleted.
 */
export async function runDataRetention(deps: {
  db: Kysely<Database>;
  archiveRetention: () => Promise<{ deleted: number; failed: number }>;
  /** stored files whose owner is gone for a day */
  deleteOrphans?: () => Promise<number>;
  now?: Date;
}): Promise<DataRetentionResult> {
  const now = deps.now ?? new Date();
  const archive = await deps.archiveRetention();
  const tokens = await deps.db
    .deleteFrom('refresh_tokens')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
    .executeTakeFirst();
  // the safety net must not stop the rest: storage down is counted, and the next run retries
  const orphans = await (deps.deleteOrphans?.() ?? Promise.resolve(0)).catch(() => -1);
  return {
    sessions: archive.deleted,
    sessionsFailed: archive.failed,
    refreshTokens: Number(tokens.numDeletedRows ?? 0),
    orphans,
  };
}
