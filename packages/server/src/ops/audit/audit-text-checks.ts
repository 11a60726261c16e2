import type { Bilingual } from './audit-text.js';

/** The title of every check, by check id, English and Japanese. */
export const CHECK_TITLES = {
  'users.admins': { en: 'Number of admins', ja: '管理者の人数' },
  'users.inactive': {
    en: 'Admins and speakers inactive for long',
    ja: '長期間サインインしていない管理者・スピーカー',
  },
  'users.disabled-live-tokens': {
    en: 'Disabled accounts holding live refresh tokens',
    ja: '有効なリフレッシュトークンを持つ無効化済みアカウント',
  },
  'users.expired-invitations': {
    en: 'Invitations pending past their expiry',
    ja: '期限を過ぎても残っている招待',
  },
  'api.route-guards': { en: 'Every route has a guard', ja: 'すべてのルートにガードがある' },
  'api.metrics-token': { en: '/metrics protected when reachable', ja: '外から届く /metrics の保護' },
  'api.cors': { en: 'CORS allow-list', ja: 'CORS の許可リスト' },
  'api.alertmanager-token': { en: 'Alertmanager webhook token', ja: 'Alertmanager の Webhook トークン' },
  'api.ws-origin': { en: 'WebSocket origin check', ja: 'WebSocket のオリジン検査' },
  'files.permissions': {
    en: 'Owner and mode of data, secrets, backups, logs, recordings',
    ja: 'データ・シークレット・バックアップ・ログ・録画の所有者とパーミッション',
  },
  'data.backup-encryption': {
    en: 'Backups encrypted, key kept apart',
    ja: 'バックアップの暗号化と鍵の分離',
  },
  'data.log-archive-encryption': {
    en: 'Log archives encrypted, key kept apart',
    ja: 'ログアーカイブの暗号化と鍵の分離',
  },
  'data.s3-encryption': { en: 'S3 server-side encryption', ja: 'S3 のサーバー側暗号化' },
  'data.transport-tls': {
    en: 'TLS to PostgreSQL and Redis beyond loopback',
    ja: 'ループバック外の PostgreSQL・Redis への TLS',
  },
  'data.backup-age': {
    en: 'Age of the last good backup against the RPO',
    ja: '最後に成功したバックアップの古さ（RPO との比較）',
  },
  'data.restore-drill': { en: 'Last restore drill', ja: '最後のリストア訓練' },
  'data.retention-jobs': { en: 'Retention jobs ran on schedule', ja: '保持期間ジョブの定期実行' },
  'data.orphaned-files': { en: 'Stored files without an owner row', ja: '所有者の行がない保存ファイル' },
  'system.https': { en: 'HTTPS, HSTS and secure cookies', ja: 'HTTPS・HSTS・Secure Cookie' },
  'system.headers': { en: 'Security headers actually served', ja: '実際に返るセキュリティヘッダー' },
  'system.npm-audit': {
    en: 'Dependencies with known vulnerabilities',
    ja: '既知の脆弱性がある依存パッケージ',
  },
  'system.node-release': { en: 'Node.js release support', ja: 'Node.js リリースのサポート状況' },
  'system.os-updates': { en: 'Pending OS security updates', ja: '未適用の OS セキュリティアップデート' },
  'system.log-settings': {
    en: 'Log levels, redaction and retention',
    ja: 'ログレベル・マスキング・保持期間',
  },
  'system.trail-append-only': {
    en: 'Security trail is append-only',
    ja: 'セキュリティ記録が追記専用であること',
  },
  'logs.security-events': { en: 'Security events of the period', ja: '対象期間のセキュリティイベント' },
} as const satisfies Record<string, Bilingual>;

/** The notes a check adds to its line (what it looked at, or why it could not). */
export const NOTES = {
  skipped: { en: 'skipped (--skip)', ja: 'スキップ（--skip）' },
  'users.admins': { en: '{n} active admin(s)', ja: '有効な管理者 {n} 人' },
  'api.no-app': {
    en: 'no in-process app to read the route table from',
    ja: 'ルート表を読めるプロセス内のアプリがない',
  },
  'api.route-guards': {
    en: '{routes} API routes, {declared} public by declaration{unproven}',
    ja: 'API ルート {routes} 件、宣言により公開 {declared} 件{unproven}',
  },
  'api.metrics-token.set': { en: 'METRICS_TOKEN set', ja: 'METRICS_TOKEN 設定済み' },
  'api.metrics-token.loopback': { en: 'bound to {host} only', ja: '{host} だけで待ち受け' },
  'api.cors.list': { en: 'allow-list: {origins}', ja: '許可リスト: {origins}' },
  'api.cors.same-origin': { en: 'same-origin only', ja: '同一オリジンのみ' },
  'api.alertmanager-token.unset': {
    en: 'unset: the webhook refuses every call',
    ja: '未設定: Webhook はすべての呼び出しを拒否する',
  },
  'api.ws-origin.no-app': { en: 'no in-process app to probe', ja: '調べられるプロセス内のアプリがない' },
  'api.ws-origin.not-listening': { en: 'the app is not listening', ja: 'アプリが待ち受けていない' },
  'files.permissions': { en: '{n} paths inspected', ja: '{n} 件のパスを検査' },
  'data.log-archive.no-log-dir': {
    en: 'LOG_DIR unset: no log files, no archives',
    ja: 'LOG_DIR 未設定: ログファイルもアーカイブもない',
  },
  'data.s3.not-configured': { en: 'S3 not configured', ja: 'S3 は未設定' },
  'data.s3.bucket-encryption': {
    en: 'bucket default encryption: {algorithm}',
    ja: 'バケットのデフォルト暗号化: {algorithm}',
  },
  'data.s3.bucket-unreadable': {
    en: 'bucket default encryption not readable ({error})',
    ja: 'バケットのデフォルト暗号化を読み取れない（{error}）',
  },
  'data.backup-age': {
    en: 'last good backup {hours} h ago ({kind})',
    ja: '最後に成功したバックアップは {hours} 時間前（{kind}）',
  },
  'data.restore-drill': { en: 'last drill {days} d ago: {status}', ja: '最後の訓練は {days} 日前: {status}' },
  'data.orphaned-files': { en: '{families} looked at', ja: '{families} を確認' },
  'system.headers.no-address': {
    en: 'no address to fetch (PUBLIC_URL unset)',
    ja: '取得するアドレスがない（PUBLIC_URL 未設定）',
  },
  'system.headers.fetched': { en: 'fetched {base}', ja: '{base} を取得' },
  'system.npm-audit.no-answer': {
    en: 'not checked: the registry did not answer ({detail})',
    ja: '未確認: レジストリが応答しなかった（{detail}）',
  },
  'system.npm-audit.no-report': {
    en: 'not checked: npm audit gave no report (registry unreachable?)',
    ja: '未確認: npm audit がレポートを返さなかった（レジストリに届かない？）',
  },
  'system.npm-audit.counts': {
    en: 'critical {critical}, high {high}, moderate {moderate}, low {low}',
    ja: 'critical {critical}、high {high}、moderate {moderate}、low {low}',
  },
  'system.node-release': { en: '{version}, end of life {eol}', ja: '{version}、サポート終了 {eol}' },
  'system.os-updates.no-apt': {
    en: 'not checked: no apt on this machine',
    ja: '未確認: このマシンには apt がない',
  },
  'system.os-updates': {
    en: '{n} security update(s) pending (apt-get -s upgrade; package lists as last updated)',
    ja: '未適用のセキュリティアップデート {n} 件（apt-get -s upgrade。パッケージリストは最後に更新した時点のもの）',
  },
  /** the counts of the log analysis (report.logAnalysis keeps the English keys) */
  'logs.security-events': {
    en: 'failedSignIns {failedSignIns}, lockOuts {lockOuts}, refreshTokenReuse {refreshTokenReuse}, deniedRequests {deniedRequests}, wsRefusals {wsRefusals}, roleChanges {roleChanges}, riskAcceptances {riskAcceptances}',
    ja: 'サインイン失敗 {failedSignIns}、ロックアウト {lockOuts}、リフレッシュトークン再利用 {refreshTokenReuse}、拒否されたリクエスト {deniedRequests}、WebSocket の拒否 {wsRefusals}、役割の変更 {roleChanges}、リスク受容 {riskAcceptances}',
  },
} as const satisfies Record<string, Bilingual>;
