import path from 'node:path';
import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { createS3Target, s3Configured } from '../../platform/s3.js';
import { createBackupRunsRepo } from '../backup/backup-runs.js';
import { daysAgo, isLoopbackHost, type Collector, type CheckScope } from './model.js';

const inside = (file: string, dir: string) => {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

function keyBesideData(s: CheckScope, what: string, setting: string, file: string, dirs: string[]) {
  const near = dirs.find((d) => inside(file, d));
  if (near)
    s.finding({
      severity: 'warning',
      title: `${what} key is stored beside the data it protects`,
      evidence: `${setting}=${file} is inside ${near}: whoever copies the data copies the key`,
      fix: `move the key out, e.g. to /etc/rstream/${path.basename(file)} (mode 0600), and set ${setting} to it`,
      suffix: setting,
    });
}

/** Encryption, backups and deletion. */
export async function checkData(c: Collector): Promise<void> {
  const { config, db, ownedFiles } = c.deps;
  const backupDir = path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups'));
  await c.check('data.backup-encryption', 'data', 'Backups encrypted, key kept apart', async (s) => {
    if (!config.BACKUP_ENCRYPTION_KEY && !config.BACKUP_ENCRYPTION_KEY_FILE)
      return s.finding({
        severity: 'warning',
        title: 'Backups are not encrypted',
        evidence: 'BACKUP_ENCRYPTION_KEY and BACKUP_ENCRYPTION_KEY_FILE are unset',
        fix: 'openssl rand -hex 32 > /etc/rstream/backup.key && chmod 600 /etc/rstream/backup.key; BACKUP_ENCRYPTION_KEY_FILE=/etc/rstream/backup.key',
      });
    if (config.BACKUP_ENCRYPTION_KEY_FILE)
      keyBesideData(s, 'Backup', 'BACKUP_ENCRYPTION_KEY_FILE', config.BACKUP_ENCRYPTION_KEY_FILE, [
        backupDir,
        config.DATA_DIR,
      ]);
  });
  await c.check(
    'data.log-archive-encryption',
    'data',
    'Log archives encrypted, key kept apart',
    async (s) => {
      if (!config.LOG_DIR) return s.note('LOG_DIR unset: no log files, no archives');
      if (!config.LOG_ARCHIVE_KEY && !config.LOG_ARCHIVE_KEY_FILE)
        return s.finding({
          severity: 'warning',
          title: 'Log archives are not encrypted',
          evidence: 'LOG_DIR is set but LOG_ARCHIVE_KEY / LOG_ARCHIVE_KEY_FILE are not',
          fix: 'openssl rand -hex 32 > /etc/rstream/log-archive.key && chmod 600 /etc/rstream/log-archive.key; LOG_ARCHIVE_KEY_FILE=/etc/rstream/log-archive.key',
        });
      if (config.LOG_ARCHIVE_KEY_FILE)
        keyBesideData(s, 'Log archive', 'LOG_ARCHIVE_KEY_FILE', config.LOG_ARCHIVE_KEY_FILE, [
          config.LOG_DIR,
          config.DATA_DIR,
        ]);
    },
  );
  await c.check('data.s3-encryption', 'data', 'S3 server-side encryption', async (s) => {
    // the bucket of the S3 storage, the backups and the log archives (one S3_BUCKET)
    const t = s3Configured(config) ? createS3Target(config) : null;
    if (!t) return s.note('S3 not configured');
    if (!config.S3_SSE)
      s.finding({
        severity: 'warning',
        title: 'Objects are written to S3 without server-side encryption',
        evidence: `S3_BUCKET=${t.bucket}, S3_SSE unset`,
        fix: 'S3_SSE=AES256 (or aws:kms with S3_SSE_KMS_KEY_ID), and a default encryption rule on the bucket',
      });
    try {
      const r = await t.client
        .send(new GetBucketEncryptionCommand({ Bucket: t.bucket }))
        .finally(() => t.client.destroy());
      const rule = r.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      s.note(`bucket default encryption: ${rule?.SSEAlgorithm ?? 'none'}`);
    } catch (e) {
      const name = (e as { name?: string }).name ?? 'error';
      s.note(`bucket default encryption not readable (${name})`);
      if (name === 'ServerSideEncryptionConfigurationNotFoundError' && !config.S3_SSE)
        s.finding({
          severity: 'warning',
          title: 'The bucket has no default encryption',
          evidence: `GetBucketEncryption ${t.bucket}: ${name}`,
          fix: `aws s3api put-bucket-encryption --bucket ${t.bucket} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'`,
          suffix: 'bucket',
        });
    }
  });
  await c.check('data.transport-tls', 'data', 'TLS to PostgreSQL and Redis beyond loopback', async (s) => {
    if (config.DATABASE_URL) {
      const u = new URL(config.DATABASE_URL);
      const mode = u.searchParams.get('sslmode') ?? (u.searchParams.get('ssl') === 'true' ? 'require' : null);
      if (!isLoopbackHost(u.hostname) && !['require', 'verify-ca', 'verify-full'].includes(mode ?? ''))
        s.finding({
          severity: 'warning',
          title: 'PostgreSQL connection without TLS',
          evidence: `DATABASE_URL host ${u.hostname}, sslmode ${mode ?? 'unset'}`,
          fix: 'append ?sslmode=verify-full to DATABASE_URL (and the server certificate)',
          suffix: 'postgres',
        });
    }
    if (config.REDIS_URL) {
      const u = new URL(config.REDIS_URL);
      if (!isLoopbackHost(u.hostname) && u.protocol !== 'rediss:')
        s.finding({
          severity: 'warning',
          title: 'Redis connection without TLS',
          evidence: `REDIS_URL host ${u.hostname} over redis://`,
          fix: 'REDIS_URL=rediss://… (TLS), with a password',
          suffix: 'redis',
        });
    }
  });
  const runs = createBackupRunsRepo(db);
  await c.check('data.backup-age', 'data', 'Age of the last good backup against the RPO', async (s) => {
    const last = await runs.lastSuccess();
    if (!last)
      return s.finding({
        severity: 'critical',
        title: 'No backup has ever succeeded',
        evidence: 'backup_runs: no successful backup',
        fix: 'npm run rstream -- backup  (then BACKUP_SCHEDULE=on keeps one per hour)',
      });
    const hours = (c.now.getTime() - new Date(last.finishedAt ?? last.startedAt).getTime()) / 3_600_000;
    s.note(`last good backup ${hours.toFixed(1)} h ago (${last.kind})`);
    if (hours > config.AUDIT_RPO_HOURS)
      s.finding({
        severity: hours > config.AUDIT_RPO_HOURS * 24 ? 'critical' : 'warning',
        title: 'The last good backup is older than the RPO',
        evidence: `last success ${new Date(last.finishedAt ?? last.startedAt).toISOString()} (${hours.toFixed(1)} h; AUDIT_RPO_HOURS=${config.AUDIT_RPO_HOURS})`,
        fix: 'npm run rstream -- backup; check BACKUP_SCHEDULE and the backup_too_old alert',
      });
  });
  await c.check('data.restore-drill', 'data', 'Last restore drill', async (s) => {
    const drill = (await runs.recent(500)).find((r) => r.kind === 'drill');
    if (!drill)
      return s.finding({
        severity: 'warning',
        title: 'No restore drill on record',
        evidence: 'backup_runs: no drill',
        fix: 'npm run rstream -- drill',
      });
    const days = daysAgo(c.now, drill.startedAt);
    s.note(`last drill ${days} d ago: ${drill.status}`);
    if (drill.status === 'failed')
      s.finding({
        severity: 'warning',
        title: 'The last restore drill failed',
        evidence: `${drill.startedAt.toISOString()}: ${drill.error ?? 'failed'}`,
        fix: 'npm run rstream -- drill, and fix what it reports',
        suffix: 'failed',
      });
    else if (days > config.AUDIT_DRILL_MAX_DAYS)
      s.finding({
        severity: 'warning',
        title: 'The last restore drill is too old',
        evidence: `${days} days (AUDIT_DRILL_MAX_DAYS=${config.AUDIT_DRILL_MAX_DAYS})`,
        fix: 'npm run rstream -- drill',
        suffix: 'old',
      });
  });
  await c.check('data.retention-jobs', 'data', 'Retention jobs ran on schedule', async (s) => {
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
    const stale: Array<[number, string, string]> = [
      [
        staleSessions,
        `ended sessions past ARCHIVE_RETENTION_DAYS=${config.ARCHIVE_RETENTION_DAYS}`,
        'archive',
      ],
      [staleTokens, 'refresh tokens expired more than 2 days ago', 'tokens'],
      [
        staleTrail,
        `security-trail rows past LOG_RETENTION_SECURITY_DAYS=${config.LOG_RETENTION_SECURITY_DAYS}`,
        'trail',
      ],
    ];
    for (const [count, what, job] of stale)
      if (count > 0)
        s.finding({
          severity: 'warning',
          title: `Retention did not run: ${what}`,
          evidence: `${count} row(s) still stored`,
          fix: 'npm run rstream -- audit retention  (the daily job runs it; check that an instance holds the job lease)',
          suffix: job,
        });
  });
  await c.check('data.orphaned-files', 'data', 'Stored files without an owner row', async (s) => {
    const orphans = await ownedFiles.orphans();
    for (const o of orphans)
      s.finding({
        severity: 'warning',
        title: `Orphaned ${o.family} in storage`,
        evidence: `${ownedFiles.locate(o.prefix)} has no owner row`,
        fix: `npm run rstream -- audit delete-orphans  (deletes ${o.prefix} from ${o.where === 's3' ? 'the bucket' : 'local storage'})`,
        suffix: `${o.where}:${o.prefix}`,
      });
    s.note(`${ownedFiles.families.map((f) => f.family).join(', ')} looked at`);
  });
}
