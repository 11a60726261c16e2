import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { BackupRunsTable } from '../../platform/db-schema-ops.js';
import type { Database } from '../../platform/db-schema.js';
import type { BackupKind } from './backup-files.js';

export interface BackupRun {
  id: string;
  kind: BackupKind;
  slot: string | null;
  status: 'running' | 'success' | 'failed';
  instance: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  sizeBytes: number | null;
  file: string | null;
  location: string | null;
  encrypted: boolean;
  error: string | null;
}

const toRun = (r: Selectable<BackupRunsTable>): BackupRun => ({
  id: r.id,
  kind: r.kind,
  slot: r.slot,
  status: r.status,
  instance: r.instance,
  startedAt: new Date(r.started_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  durationMs: r.duration_ms,
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  file: r.file,
  location: r.location,
  encrypted: r.encrypted,
  error: r.error,
});

export function createBackupRunsRepo(db: Kysely<Database>) {
  return {
    /** Starts a run; null when another run already holds this slot (another instance did it). */
    async start(kind: BackupKind, slot: string | null, instance: string, at: Date): Promise<string | null> {
      const id = randomUUID();
      const r = await db
        .insertInto('backup_runs')
        .values({ id, kind, slot, status: 'running', instance, started_at: at })
        .onConflict((oc) =>
          oc
            .columns(['kind', 'slot'])
            .where('slot', 'is not', null)
            .where('status', '<>', 'failed')
            .doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      return r ? id : null;
    },
    async finish(
      id: string,
      result: {
        status: 'success' | 'failed';
        finishedAt: Date;
        durationMs: number;
        sizeBytes?: number;
        file?: string;
        location?: string;
        sha256?: string;
        encrypted?: boolean;
        error?: string;
      },
    ): Promise<void> {
      await db
        .updateTable('backup_runs')
        .set({
          status: result.status,
          finished_at: result.finishedAt,
          duration_ms: Math.round(result.durationMs),
          size_bytes: result.sizeBytes ?? null,
          file: result.file ?? null,
          location: result.location ?? null,
          sha256: result.sha256 ?? null,
          encrypted: result.encrypted ?? false,
          error: result.error?.slice(0, 2000) ?? null,
        })
        .where('id', '=', id)
        .execute();
    },
    /**
     * After a restore: the dump was taken while its own run was still 'running'; record that run
     * as the success it was (it is the backup the database now comes from).
     */
    async settleRestored(manifest: {
      createdAt: string;
      kind: BackupKind;
      file: string;
      bytes: number;
      sha256: string;
      encryption: unknown;
      durationMs: number;
    }): Promise<void> {
      await db
        .updateTable('backup_runs')
        .set({
          status: 'success',
          finished_at: new Date(new Date(manifest.createdAt).getTime() + manifest.durationMs),
          duration_ms: manifest.durationMs,
          size_bytes: manifest.bytes,
          file: manifest.file,
          sha256: manifest.sha256,
          encrypted: manifest.encryption !== null,
        })
        .where('status', '=', 'running')
        .where('kind', '=', manifest.kind)
        .where('started_at', '=', new Date(manifest.createdAt))
        .execute();
    },
    async recent(limit: number): Promise<BackupRun[]> {
      const rows = await db
        .selectFrom('backup_runs')
        .selectAll()
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => toRun(r));
    },
    async lastSuccess(): Promise<BackupRun | null> {
      const r = await db
        .selectFrom('backup_runs')
        .selectAll()
        .where('status', '=', 'success')
        .where('kind', '<>', 'drill')
        .orderBy('finished_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toRun(r) : null;
    },
  };
}
export type BackupRunsRepo = ReturnType<typeof createBackupRunsRepo>;
