import { rmSync } from 'node:fs';
import type { Config } from '../../config.js';
import type { LogStreamName } from '../../platform/log-file.js';
import { createS3Target, deleteKeys, listAllObjects, s3Configured } from '../../platform/s3.js';
import { isExpired, listLogFiles, parseLogName, retentionDays, type RetentionDays } from './log-files.js';

/**
 * Deletes log files and archives (local and in S3 under logs/<stream>/) whose day lies outside
 * their stream's retention. Decides only by the date in the file name against an injectable clock;
 * anything inside the window stays, whatever else is wrong with it.
 */

export interface PruneResult {
  status: 'ok' | 'partial' | 'skipped';
  deleted: string[];
  kept: number;
  remoteDeleted: number;
  errors: string[];
  line: string;
}

export const S3_LOG_PREFIX = 'logs/';

export async function pruneLogs(
  config: Config,
  opts: { now?: number; retention?: RetentionDays; dryRun?: boolean; remote?: boolean } = {},
): Promise<PruneResult> {
  if (!config.LOG_DIR) {
    return {
      status: 'skipped',
      deleted: [],
      kept: 0,
      remoteDeleted: 0,
      errors: [],
      line: 'logs prune: skipped (LOG_DIR is not set)',
    };
  }
  const now = opts.now ?? Date.now();
  const retention = opts.retention ?? retentionDays(config);
  const deleted: string[] = [];
  const errors: string[] = [];
  let kept = 0;
  for (const f of listLogFiles(config.LOG_DIR)) {
    if (!isExpired(f.day, retention[f.stream], now)) {
      kept++;
      continue;
    }
    try {
      if (!opts.dryRun) rmSync(f.path, { force: true });
      deleted.push(f.path);
    } catch (err) {
      errors.push(`${f.path}: ${(err as Error).message}`);
    }
  }

  let remoteDeleted = 0;
  if ((opts.remote ?? true) && config.LOG_ARCHIVE_UPLOAD && s3Configured(config)) {
    try {
      const target = createS3Target(config);
      const expired: string[] = [];
      for (const o of await listAllObjects(target, S3_LOG_PREFIX)) {
        const parsed = o.Key ? parseLogName(o.Key.split('/').pop() ?? '') : null;
        if (parsed && isExpired(parsed.day, retention[parsed.stream as LogStreamName], now))
          expired.push(o.Key!);
      }
      if (!opts.dryRun) await deleteKeys(target, expired);
      remoteDeleted = expired.length;
      target.client.destroy();
    } catch (err) {
      errors.push(`S3: ${(err as Error).message}`);
    }
  }

  const verb = opts.dryRun ? 'would delete' : 'deleted';
  const status = errors.length ? 'partial' : 'ok';
  const line =
    `logs prune: ${status}, ${verb} ${deleted.length} file(s)` +
    (remoteDeleted ? ` and ${remoteDeleted} S3 object(s)` : '') +
    `, kept ${kept}` +
    (errors.length ? `, ${errors.length} error(s): ${errors[0]}` : '');
  return { status, deleted, kept, remoteDeleted, errors, line };
}
