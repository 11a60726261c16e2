import type { FindingText } from './audit-text.js';

/** Findings of checks-data.ts (encryption, backups, retention, orphaned files), English and Japanese. */
export const DATA_FINDINGS = {
  'data.backup-encryption': {
    title: { en: 'Backups are not encrypted', ja: 'バックアップが暗号化されていない' },
    evidence: {
      en: 'BACKUP_ENCRYPTION_KEY and BACKUP_ENCRYPTION_KEY_FILE are unset',
      ja: 'BACKUP_ENCRYPTION_KEY と BACKUP_ENCRYPTION_KEY_FILE が未設定',
    },
    fix: {
      en: 'openssl rand -hex 32 > /etc/rstream/backup.key && chmod 600 /etc/rstream/backup.key; BACKUP_ENCRYPTION_KEY_FILE=/etc/rstream/backup.key',
      ja: 'openssl rand -hex 32 > /etc/rstream/backup.key && chmod 600 /etc/rstream/backup.key; BACKUP_ENCRYPTION_KEY_FILE=/etc/rstream/backup.key',
    },
  },
  'data.key-beside-data': {
    title: {
      en: '{what} key is stored beside the data it protects',
      ja: '{what}の鍵が、保護するデータと同じ場所に置かれている',
    },
    evidence: {
      en: '{setting}={file} is inside {near}: whoever copies the data copies the key',
      ja: '{setting}={file} が {near} の中にある: データをコピーした人は鍵も手に入れる',
    },
    fix: {
      en: 'move the key out, e.g. to /etc/rstream/{base} (mode 0600), and set {setting} to it',
      ja: '鍵を外へ移し（例: /etc/rstream/{base}、モード 0600）、{setting} にそのパスを設定する',
    },
  },
  'data.log-archive-encryption': {
    title: { en: 'Log archives are not encrypted', ja: 'ログアーカイブが暗号化されていない' },
    evidence: {
      en: 'LOG_DIR is set but LOG_ARCHIVE_KEY / LOG_ARCHIVE_KEY_FILE are not',
      ja: 'LOG_DIR は設定されているが、LOG_ARCHIVE_KEY / LOG_ARCHIVE_KEY_FILE が未設定',
    },
    fix: {
      en: 'openssl rand -hex 32 > /etc/rstream/log-archive.key && chmod 600 /etc/rstream/log-archive.key; LOG_ARCHIVE_KEY_FILE=/etc/rstream/log-archive.key',
      ja: 'openssl rand -hex 32 > /etc/rstream/log-archive.key && chmod 600 /etc/rstream/log-archive.key; LOG_ARCHIVE_KEY_FILE=/etc/rstream/log-archive.key',
    },
  },
  'data.s3-encryption.sse': {
    title: {
      en: 'Objects are written to S3 without server-side encryption',
      ja: 'S3 にサーバー側暗号化なしでオブジェクトを書き込んでいる',
    },
    evidence: { en: 'S3_BUCKET={bucket}, S3_SSE unset', ja: 'S3_BUCKET={bucket}、S3_SSE 未設定' },
    fix: {
      en: 'S3_SSE=AES256 (or aws:kms with S3_SSE_KMS_KEY_ID), and a default encryption rule on the bucket',
      ja: 'S3_SSE=AES256（または aws:kms と S3_SSE_KMS_KEY_ID）、さらにバケットにデフォルト暗号化のルールを設定する',
    },
  },
  'data.s3-encryption.bucket': {
    title: { en: 'The bucket has no default encryption', ja: 'バケットにデフォルト暗号化が設定されていない' },
    evidence: { en: 'GetBucketEncryption {bucket}: {error}', ja: 'GetBucketEncryption {bucket}: {error}' },
    fix: {
      en: "aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{rules}'",
      ja: "aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{rules}'",
    },
  },
  'data.transport-tls.postgres': {
    title: { en: 'PostgreSQL connection without TLS', ja: 'PostgreSQL への接続が TLS なし' },
    evidence: {
      en: 'DATABASE_URL host {host}, sslmode {mode}',
      ja: 'DATABASE_URL のホスト {host}、sslmode {mode}',
    },
    fix: {
      en: 'append ?sslmode=verify-full to DATABASE_URL (and the server certificate)',
      ja: 'DATABASE_URL に ?sslmode=verify-full を付ける（サーバー証明書も用意する）',
    },
  },
  'data.transport-tls.redis': {
    title: { en: 'Redis connection without TLS', ja: 'Redis への接続が TLS なし' },
    evidence: {
      en: 'REDIS_URL host {host} over redis://',
      ja: 'REDIS_URL のホスト {host} に redis:// で接続',
    },
    fix: {
      en: 'REDIS_URL=rediss://… (TLS), with a password',
      ja: 'REDIS_URL=rediss://…（TLS）、パスワードも設定する',
    },
  },
  'data.backup-age.none': {
    title: { en: 'No backup has ever succeeded', ja: '成功したバックアップが一度もない' },
    evidence: { en: 'backup_runs: no successful backup', ja: 'backup_runs: 成功したバックアップがない' },
    fix: {
      en: 'npm run rstream -- backup  (then BACKUP_SCHEDULE=on keeps one per hour)',
      ja: 'npm run rstream -- backup（その後は BACKUP_SCHEDULE=on で 1 時間ごとに取られる）',
    },
  },
  'data.backup-age.old': {
    title: {
      en: 'The last good backup is older than the RPO',
      ja: '最後に成功したバックアップが RPO より古い',
    },
    evidence: {
      en: 'last success {at} ({hours} h; AUDIT_RPO_HOURS={rpo})',
      ja: '最後の成功 {at}（{hours} 時間前、AUDIT_RPO_HOURS={rpo}）',
    },
    fix: {
      en: 'npm run rstream -- backup; check BACKUP_SCHEDULE and the backup_too_old alert',
      ja: 'npm run rstream -- backup を実行し、BACKUP_SCHEDULE と backup_too_old アラートを確認する',
    },
  },
  'data.restore-drill.none': {
    title: { en: 'No restore drill on record', ja: 'リストア訓練の記録がない' },
    evidence: { en: 'backup_runs: no drill', ja: 'backup_runs: drill の記録がない' },
    fix: { en: 'npm run rstream -- drill', ja: 'npm run rstream -- drill' },
  },
  'data.restore-drill.failed': {
    title: { en: 'The last restore drill failed', ja: '最後のリストア訓練が失敗している' },
    evidence: { en: '{at}: {error}', ja: '{at}: {error}' },
    fix: {
      en: 'npm run rstream -- drill, and fix what it reports',
      ja: 'npm run rstream -- drill を実行し、報告された問題を直す',
    },
  },
  'data.restore-drill.old': {
    title: { en: 'The last restore drill is too old', ja: '最後のリストア訓練が古すぎる' },
    evidence: {
      en: '{days} days (AUDIT_DRILL_MAX_DAYS={max})',
      ja: '{days} 日前（AUDIT_DRILL_MAX_DAYS={max}）',
    },
    fix: { en: 'npm run rstream -- drill', ja: 'npm run rstream -- drill' },
  },
  'data.retention-jobs': {
    title: { en: 'Retention did not run: {what}', ja: '保持期間による削除が実行されていない: {what}' },
    evidence: { en: '{count} row(s) still stored', ja: '{count} 行が残っている' },
    fix: {
      en: 'npm run rstream -- audit retention  (the daily job runs it; check that an instance holds the job lease)',
      ja: 'npm run rstream -- audit retention（毎日のジョブが実行する。どれかのインスタンスがジョブのリースを持っているか確認する）',
    },
  },
  'data.orphaned-files': {
    title: { en: 'Orphaned {family} in storage', ja: 'ストレージに所有者のいない {family} がある' },
    evidence: { en: '{location} has no owner row', ja: '{location} に所有者の行がない' },
    fix: {
      en: 'npm run rstream -- audit delete-orphans  (deletes {prefix} from {where})',
      ja: 'npm run rstream -- audit delete-orphans（{where}から {prefix} を削除する）',
    },
  },
} as const satisfies Record<string, FindingText>;
