import type { AuditArea } from '@rstream/protocol';
import type { Bilingual, FindingText } from './audit-text.js';

/** Findings any check can give (model.ts), English and Japanese. */
export const COMMON_FINDINGS = {
  'check.failed': {
    title: { en: '{check}: the check itself failed', ja: '{check}: チェック自体が失敗した' },
    evidence: { en: '{error}', ja: '{error}' },
    fix: {
      en: 'Run `rstream audit` again; if it keeps failing, the error names what it could not read.',
      ja: '`rstream audit` をもう一度実行する。失敗が続くときは、読み取れなかったものがエラーに示されている。',
    },
  },
} as const satisfies Record<string, FindingText>;

/** Pieces of other texts: the parameters that are words, not data. */
export const PHRASES = {
  unset: { en: 'unset', ja: '未設定' },
  none: { en: 'none', ja: 'なし' },
  failed: { en: 'failed', ja: '失敗' },
  'place.secrets': { en: 'the secrets folder', ja: 'シークレットのフォルダー' },
  'place.data-dir': { en: 'DATA_DIR', ja: 'DATA_DIR' },
  'place.backups': { en: 'backups', ja: 'バックアップ' },
  'place.logs': { en: 'log files', ja: 'ログファイル' },
  'place.storage': { en: 'recordings and uploads (storage)', ja: '録画とアップロード（ストレージ）' },
  'place.recordings': { en: 'recordings', ja: '録画' },
  'place.key-file': { en: 'key file {file}', ja: '鍵ファイル {file}' },
  'key.backup': { en: 'Backup', ja: 'バックアップ' },
  'key.log-archive': { en: 'Log archive', ja: 'ログアーカイブ' },
  'retention.archive': {
    en: 'ended sessions past ARCHIVE_RETENTION_DAYS={days}',
    ja: 'ARCHIVE_RETENTION_DAYS={days} を過ぎた終了済みセッション',
  },
  'retention.tokens': {
    en: 'refresh tokens expired more than 2 days ago',
    ja: '期限切れから 2 日以上経ったリフレッシュトークン',
  },
  'retention.trail': {
    en: 'security-trail rows past LOG_RETENTION_SECURITY_DAYS={days}',
    ja: 'LOG_RETENTION_SECURITY_DAYS={days} を過ぎたセキュリティ記録の行',
  },
  'storage.bucket': { en: 'the bucket', ja: 'バケット' },
  'storage.local': { en: 'local storage', ja: 'ローカルストレージ' },
  'header.missing': { en: '{page}: {header}', ja: '{page}: {header}' },
  'header.frame-denial': { en: '{page}: frame denial', ja: '{page}: フレーム埋め込みの拒否' },
  'more.packages': { en: ' and {n} more', ja: ' ほか {n} 件' },
  'more.unproven': {
    en: ', {n} answered 400/404 before a guard could be seen',
    ja: '、ガードを確かめる前に 400/404 を返したもの {n} 件',
  },
  'acceptance.lapsed': {
    en: ' — risk acceptance expired {expiresAt} ("{reason}")',
    ja: ' — リスク受容は {expiresAt} に期限切れ（「{reason}」）',
  },
} as const satisfies Record<string, Bilingual>;

/** One improvement proposal per area with findings above info; `none` when there is none. */
export const PROPOSALS = {
  access: {
    en: 'Access control: review admins and inactive accounts every month; keep HOST on loopback behind the proxy and METRICS_TOKEN set; CORS_ORIGINS as an exact list.',
    ja: 'アクセス制御: 管理者と使われていないアカウントを毎月見直す。HOST はプロキシの背後でループバックに保ち、METRICS_TOKEN を設定しておく。CORS_ORIGINS は正確なリストにする。',
  },
  data: {
    en: 'Data protection: keep BACKUP_SCHEDULE=on with BACKUP_ENCRYPTION_KEY_FILE outside DATA_DIR, S3_SSE=AES256, and a monthly `rstream drill`.',
    ja: 'データ保護: BACKUP_SCHEDULE=on と DATA_DIR の外の BACKUP_ENCRYPTION_KEY_FILE、S3_SSE=AES256 を保ち、毎月 `rstream drill` を実行する。',
  },
  system: {
    en: 'System settings: TLS at the proxy with TRUST_PROXY=true, an LTS Node.js, unattended OS security updates, and `npm audit --omit=dev` in CI.',
    ja: 'システム設定: プロキシでの TLS と TRUST_PROXY=true、LTS の Node.js、OS セキュリティアップデートの自動適用、CI での `npm audit --omit=dev`。',
  },
  logs: {
    en: 'Logs: alert on refresh-token reuse and lock-out bursts (ops/logs detector) and keep the 90/180/365-day retention.',
    ja: 'ログ: リフレッシュトークンの再利用とロックアウトの急増でアラートを出し（ops/logs の検知）、保持期間 90/180/365 日を保つ。',
  },
  none: {
    en: 'No weaknesses above info: keep the monthly audit and the hardened settings of docs/security.md.',
    ja: '情報レベルを超える弱点はない: 毎月の監査と docs/security.md の堅牢な設定を続ける。',
  },
} as const satisfies Record<AuditArea | 'none', Bilingual>;
