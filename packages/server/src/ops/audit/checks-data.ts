import path from 'node:path';
import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { createS3Target, s3Configured } from '../../platform/s3.js';
import { createBackupRunsRepo } from '../backup/backup-runs.js';
import { phrase, type Bilingual } from './audit-text.js';
import { daysAgo, isLoopbackHost, type Collector, type CheckScope } from './model.js';

/** the default-encryption rule `aws s3api put-bucket-encryption` sets */
const SSE_RULES = '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}';

const inside = (file: string, dir: string) => {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

function keyBesideData(s: CheckScope, what: Bilingual, setting: string, file: string, dirs: string[]) {
  const near = dirs.find((d) => inside(file, d));
  if (near)
    s.finding({
      severity: 'warning',
      key: 'data.key-beside-data',
      params: { what, setting, file, near, base: path.basename(file) },
      suffix: setting,
    });
}

/** Encryption, backups and deletion. */
export async function checkData(c: Collector): Promise<void> {
  const { config, db, ownedFiles } = c.deps;
  const backupDir = path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups'));
  await c.check('data.backup-encryption', 'data', async (s) => {
    if (!config.BACKUP_ENCRYPTION_KEY && !config.BACKUP_ENCRYPTION_KEY_FILE)
      return s.finding({ severity: 'warning', key: 'data.backup-encryption' });
    if (config.BACKUP_ENCRYPTION_KEY_FILE)
      keyBesideData(
        s,
        phrase('key.backup'),
        'BACKUP_ENCRYPTION_KEY_FILE',
        config.BACKUP_ENCRYPTION_KEY_FILE,
        [backupDir, config.DATA_DIR],
      );
  });
  await c.check('data.log-archive-encryption', 'data', async (s) => {
    if (!config.LOG_DIR) return s.note('data.log-archive.no-log-dir');
    if (!config.LOG_ARCHIVE_KEY && !config.LOG_ARCHIVE_KEY_FILE)
      return s.finding({ severity: 'warning', key: 'data.log-archive-encryption' });
    if (config.LOG_ARCHIVE_KEY_FILE)
      keyBesideData(s, phrase('key.log-archive'), 'LOG_ARCHIVE_KEY_FILE', config.LOG_ARCHIVE_KEY_FILE, [
        config.LOG_DIR,
        config.DATA_DIR,
      ]);
  });
  await c.check('data.s3-encryption', 'data', async (s) => {
    // the bucket of the S3 storage, the backups and the log archives (one S3_BUCKET)
    const t = s3Configured(config) ? createS3Target(config) : null;
    if (!t) return s.note('data.s3.not-configured');
    if (!config.S3_SSE)
      s.finding({ severity: 'warning', key: 'data.s3-encryption.sse', params: { bucket: t.bucket } });
    try {
      const r = await t.client
        .send(new GetBucketEncryptionCommand({ Bucket: t.bucket }))
        .finally(() => t.client.destroy());
      const rule = r.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      s.note('data.s3.bucket-encryption', { algorithm: rule?.SSEAlgorithm ?? phrase('none') });
    } catch (e) {
      const name = (e as { name?: string }).name ?? 'error';
      s.note('data.s3.bucket-unreadable', { error: name });
      if (name === 'ServerSideEncryptionConfigurationNotFoundError' && !config.S3_SSE)
        s.finding({
          severity: 'warning',
          key: 'data.s3-encryption.bucket',
          params: { bucket: t.bucket, error: name, rules: SSE_RULES },
          suffix: 'bucket',
        });
    }
  });
  await c.check('data.transport-tls', 'data', async (s) => {
    if (config.DATABASE_URL) {
      const u = new URL(config.DATABASE_URL);
      const mode = u.searchParams.get('sslmode') ?? (u.searchParams.get('ssl') === 'true' ? 'require' : null);
      if (!isLoopbackHost(u.hostname) && !['require', 'verify-ca', 'verify-full'].includes(mode ?? ''))
        s.finding({
          severity: 'warning',
          key: 'data.transport-tls.postgres',
          params: { host: u.hostname, mode: mode ?? phrase('unset') },
          suffix: 'postgres',
        });
    }
    if (config.REDIS_URL) {
      const u = new URL(config.REDIS_URL);
      if (!isLoopbackHost(u.hostname) && u.protocol !== 'rediss:')
        s.finding({
          severity: 'warning',
          key: 'data.transport-tls.redis',
          params: { host: u.hostname },
          suffix: 'redis',
        });
    }
  });
  const runs = createBackupRunsRepo(db);
  await c.check('data.backup-age', 'data', async (s) => {
    const last = await runs.lastSuccess();
    if (!last) return s.finding({ severity: 'critical', key: 'data.backup-age.none' });
    const hours = (c.now.getTime() - new Date(last.finishedAt ?? last.startedAt).getTime()) / 3_600_000;
    s.note('data.backup-age', { hours: hours.toFixed(1), kind: last.kind });
    if (hours > config.AUDIT_RPO_HOURS)
      s.finding({
        severity: hours > config.AUDIT_RPO_HOURS * 24 ? 'critical' : 'warning',
        key: 'data.backup-age.old',
        params: {
          at: new Date(last.finishedAt ?? last.startedAt).toISOString(),
          hours: hours.toFixed(1),
          rpo: config.AUDIT_RPO_HOURS,
        },
      });
  });
  await c.check('data.restore-drill', 'data', async (s) => {
    const drill = (await runs.recent(500)).find((r) => r.kind === 'drill');
    if (!drill) return s.finding({ severity: 'warning', key: 'data.restore-drill.none' });
    const days = daysAgo(c.now, drill.startedAt);
    s.note('data.restore-drill', { days, status: drill.status });
    if (drill.status === 'failed')
      s.finding({
        severity: 'warning',
        key: 'data.restore-drill.failed',
        params: { at: drill.startedAt.toISOString(), error: drill.error ?? phrase('failed') },
        suffix: 'failed',
      });
    else if (days > config.AUDIT_DRILL_MAX_DAYS)
      s.finding({
        severity: 'warning',
        key: 'data.restore-drill.old',
        params: { days, max: config.AUDIT_DRILL_MAX_DAYS },
        suffix: 'old',
      });
  });
  await c.check('data.retention-jobs', 'data', async (s) => {
    const cut = (days: number) => new Date(c.now.getTime() - (days + 2) * 86_400_000);
    const n = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
    const staleSessions = await n(
      db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'ended')
        .where('ended_at', '<', cut(config.ARCHIVE_RETENTION_DAYS))
        .executeTakeFirst(),
    );
    const staleTokens = await n(
      db
        .selectFrom('refresh_tokens')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('expires_at', '<', cut(0))
        .executeTakeFirst(),
    );
    const staleTrail = await n(
      db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('at', '<', cut(config.LOG_RETENTION_SECURITY_DAYS))
        .executeTakeFirst(),
    );
    const stale: Array<[number, Bilingual, string]> = [
      [staleSessions, phrase('retention.archive', { days: config.ARCHIVE_RETENTION_DAYS }), 'archive'],
      [staleTokens, phrase('retention.tokens'), 'tokens'],
      [staleTrail, phrase('retention.trail', { days: config.LOG_RETENTION_SECURITY_DAYS }), 'trail'],
    ];
    for (const [count, what, job] of stale)
      if (count > 0)
        s.finding({ severity: 'warning', key: 'data.retention-jobs', params: { what, count }, suffix: job });
  });
  await c.check('data.orphaned-files', 'data', async (s) => {
    const orphans = await ownedFiles.orphans();
    for (const o of orphans)
      s.finding({
        severity: 'warning',
        key: 'data.orphaned-files',
        params: {
          family: o.family,
          location: ownedFiles.locate(o.prefix),
          prefix: o.prefix,
          where: phrase(o.where === 's3' ? 'storage.bucket' : 'storage.local'),
        },
        suffix: `${o.where}:${o.prefix}`,
      });
    s.note('data.orphaned-files', { families: ownedFiles.families.map((f) => f.family).join(', ') });
  });
}
