import type { Config } from '../../config.js';
import type { Db } from '../../platform/db.js';
import { createS3Target, type S3Target } from '../../platform/s3.js';
import {
  backupKeyFromConfig,
  backupSettings,
  runBackup,
  type BackupResult,
  type BackupSource,
} from './backup-db.js';
import type { BackupKind } from './backup-files.js';
import type { DumpHooks } from './dump.js';
import { createBackupRunsRepo } from './backup-runs.js';
import { pruneLocal, pruneS3, type PruneResult } from './retention.js';

export interface JobContext {
  config: Config;
  db: Db;
  now?: () => Date;
  /** Reused S3 client (tests, the scheduler); made from config when absent. */
  s3?: S3Target | null;
  hooks?: DumpHooks;
  instance?: string;
  /** Record the run in backup_runs (false when that table does not exist yet). */
  record?: boolean;
}

export function sourceOf(config: Config, db: Db): BackupSource {
  if (db.kind === 'postgres') return { kind: 'postgres', url: config.DATABASE_URL! };
  if (!db.pglite) throw new Error('embedded database handle missing');
  return { kind: 'pglite', pg: db.pglite, dataDir: config.DATA_DIR };
}

export function s3ForBackups(config: Config, s3?: S3Target | null): S3Target | null {
  if (!config.BACKUP_UPLOAD_S3) return null;
  return s3 ?? createS3Target(config);
}

/** Backup, then retention (local and S3) when it succeeded. The backup's line is the job's line. */
export async function backupAndPrune(
  ctx: JobContext,
  kind: BackupKind,
  slot: string | null,
): Promise<BackupResult & { pruned?: PruneResult }> {
  const s = backupSettings(ctx.config);
  const s3 = s3ForBackups(ctx.config, ctx.s3);
  try {
    const result = await runBackup({
      source: sourceOf(ctx.config, ctx.db),
      dir: s.dir,
      kind,
      key: backupKeyFromConfig(ctx.config),
      s3: s3 ? { target: s3, prefix: s.s3Prefix } : null,
      runs: ctx.record === false ? null : createBackupRunsRepo(ctx.db.kysely),
      slot,
      instance: ctx.instance,
      now: ctx.now,
      hooks: ctx.hooks,
    });
    if (result.status !== 'success') return result;
    const now = (ctx.now ?? (() => new Date()))();
    const rules = { keepHourlyHours: s.keepHourlyHours, keepDailyDays: s.keepDailyDays };
    try {
      const local = await pruneLocal(s.dir, now, rules);
      const remote = s3 ? await pruneS3(s3, s.s3Prefix, now, rules) : { deleted: [], kept: 0 };
      const pruned = { deleted: [...local.deleted, ...remote.deleted], kept: local.kept };
      const line = pruned.deleted.length
        ? `${result.line}; pruned ${pruned.deleted.length} old file(s)`
        : result.line;
      return { ...result, line, pruned };
    } catch (e) {
      // The backup itself is good; retention runs again after the next one.
      return { ...result, line: `${result.line}; retention FAILED: ${(e as Error).message}` };
    }
  } finally {
    if (s3 && !ctx.s3) s3.client.destroy();
  }
}
