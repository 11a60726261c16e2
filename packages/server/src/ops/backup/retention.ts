import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { deleteKeys, listAllObjects, type S3Target } from '../../platform/s3.js';
import { parseBackupName, sidecars, type BackupName } from './backup-files.js';

export interface RetentionRules {
  keepHourlyHours: number;
  keepDailyDays: number;
}

const HOUR_MS = 3_600_000;
/** A `.tmp` older than this is what a killed backup left behind. */
export const STALE_TMP_MS = 6 * HOUR_MS;

/**
 * Which backups fall outside the window: hourly (and drill) ones after keepHourlyHours, daily and
 * manual ones after keepDailyDays. The newest backup is always kept, however old.
 */
export function expiredBackups(backups: BackupName[], now: Date, rules: RetentionRules): BackupName[] {
  const newest = backups
    .filter((b) => b.kind !== 'drill')
    .reduce<BackupName | null>((a, b) => (!a || b.time > a.time ? b : a), null);
  return backups.filter((b) => {
    if (b === newest) return false;
    const age = now.getTime() - b.time.getTime();
    const limit =
      b.kind === 'hourly' || b.kind === 'drill'
        ? rules.keepHourlyHours * HOUR_MS
        : rules.keepDailyDays * 24 * HOUR_MS;
    return age > limit;
  });
}

export interface PruneResult {
  deleted: string[];
  kept: number;
}

/** Applies the rules to a backup folder; also removes stale `.tmp` files and orphaned sidecars. */
export async function pruneLocal(
  dir: string,
  now: Date,
  rules: RetentionRules,
  dryRun = false,
): Promise<PruneResult> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { deleted: [], kept: 0 };
    throw e;
  }
  const backups = names.map(parseBackupName).filter((b): b is BackupName => b !== null);
  const expired = expiredBackups(backups, now, rules);
  const doomed = new Set<string>();
  for (const b of expired) {
    doomed.add(b.name);
    for (const s of sidecars(b.name)) if (names.includes(s)) doomed.add(s);
  }
  const present = new Set(backups.map((b) => b.name));
  for (const n of names) {
    const full = path.join(dir, n);
    if (n.endsWith('.tmp')) {
      const age = now.getTime() - (await stat(full)).mtimeMs;
      if (age > STALE_TMP_MS) doomed.add(n);
    }
    const owner = n.replace(/\.(sha256|manifest\.json)$/, '');
    if (owner !== n && parseBackupName(owner) && !present.has(owner)) {
      const age = now.getTime() - (await stat(full)).mtimeMs;
      if (age > STALE_TMP_MS) doomed.add(n);
    }
  }
  if (!dryRun) await Promise.all([...doomed].map((n) => rm(path.join(dir, n), { force: true })));
  return { deleted: [...doomed].sort(), kept: backups.length - expired.length };
}

/** The same rules for the copies in S3 under `prefix`. */
export async function pruneS3(
  t: S3Target,
  prefix: string,
  now: Date,
  rules: RetentionRules,
  dryRun = false,
): Promise<PruneResult> {
  const objects = await listAllObjects(t, prefix);
  const keys = objects.map((o) => o.Key!).filter(Boolean);
  const byName = new Map<string, string>();
  for (const k of keys)
    if (path.posix.dirname(`/${k}`) === path.posix.dirname(`/${prefix}x`))
      byName.set(path.posix.basename(k), k);
  const backups = [...byName.keys()].map(parseBackupName).filter((b): b is BackupName => b !== null);
  const expired = expiredBackups(backups, now, rules);
  const doomed: string[] = [];
  for (const b of expired) {
    for (const n of [b.name, ...sidecars(b.name)]) {
      const k = byName.get(n);
      if (k) doomed.push(k);
    }
  }
  if (!dryRun && doomed.length) await deleteKeys(t, doomed);
  return { deleted: doomed.sort(), kept: backups.length - expired.length };
}
