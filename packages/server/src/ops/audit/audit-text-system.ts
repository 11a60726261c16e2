import type { FindingText } from './audit-text.js';

/** Findings of checks-system.ts and log-analysis.ts, English and Japanese. */
export const SYSTEM_FINDINGS = {
  'system.https.unset': {
    title: { en: 'PUBLIC_URL is not set', ja: 'PUBLIC_URL が設定されていない' },
    evidence: {
      en: 'links and cookies follow whatever Host the request names',
      ja: 'リンクと Cookie が、リクエストの Host の値にそのまま従う',
    },
    fix: { en: 'PUBLIC_URL=https://rstream.example.com', ja: 'PUBLIC_URL=https://rstream.example.com' },
  },
  'system.https.scheme': {
    title: { en: 'PUBLIC_URL is not https', ja: 'PUBLIC_URL が https ではない' },
    evidence: {
      en: 'PUBLIC_URL={url}: passwords and tokens travel in clear',
      ja: 'PUBLIC_URL={url}: パスワードとトークンが平文で流れる',
    },
    fix: {
      en: 'terminate TLS at the proxy (deploy/nginx/rstream.conf) and set PUBLIC_URL=https://…',
      ja: 'プロキシで TLS を終端し（deploy/nginx/rstream.conf）、PUBLIC_URL=https://… を設定する',
    },
  },
  'system.https.proxy': {
    title: {
      en: 'HSTS and Secure cookies are off behind the proxy',
      ja: 'プロキシの背後で HSTS と Secure Cookie が無効になっている',
    },
    evidence: {
      en: 'PUBLIC_URL is https but TRUST_PROXY=false: the server sees http, so it sends no HSTS and no Secure flag on the refresh cookie',
      ja: 'PUBLIC_URL は https だが TRUST_PROXY=false: サーバーには http に見えるため、HSTS も、リフレッシュ Cookie の Secure 属性も送らない',
    },
    fix: {
      en: 'TRUST_PROXY=true (the proxy sets X-Forwarded-Proto)',
      ja: 'TRUST_PROXY=true（X-Forwarded-Proto はプロキシが付ける）',
    },
  },
  'system.headers.cors': {
    title: { en: 'Any site may read the API (CORS)', ja: 'どのサイトからでも API を読み取れる（CORS）' },
    evidence: {
      en: '{page} answers Origin https://audit-probe.invalid with Access-Control-Allow-Origin: {acao}',
      ja: '{page} が Origin https://audit-probe.invalid に Access-Control-Allow-Origin: {acao} を返す',
    },
    fix: {
      en: 'CORS_ORIGINS=<exact origins>, and no add_header Access-Control-Allow-Origin in the proxy',
      ja: 'CORS_ORIGINS=<許可するオリジンの正確なリスト>、プロキシでは add_header Access-Control-Allow-Origin を使わない',
    },
  },
  'system.headers.missing': {
    title: { en: 'Security headers missing', ja: 'セキュリティヘッダーが欠けている' },
    evidence: { en: '{missing}', ja: '{missing}' },
    fix: {
      en: 'serve through R-Stream (helmet) and deploy/nginx/rstream.conf; do not strip headers in the proxy',
      ja: 'R-Stream（helmet）と deploy/nginx/rstream.conf を通して配信し、プロキシでヘッダーを消さない',
    },
  },
  'system.npm-audit': {
    title: {
      en: 'Production dependencies with known vulnerabilities',
      ja: '本番の依存パッケージに既知の脆弱性がある',
    },
    evidence: { en: 'npm audit --omit=dev: {counts}', ja: 'npm audit --omit=dev: {counts}' },
    fix: {
      en: 'npm audit fix --omit=dev (review the changes), or npm update <package>; npm audit --omit=dev lists them',
      ja: 'npm audit fix --omit=dev（変更内容を確認する）、または npm update <package>。一覧は npm audit --omit=dev で見られる',
    },
  },
  'system.node-release.non-lts': {
    title: {
      en: 'Node.js release line without long-term support',
      ja: 'Node.js が長期サポート（LTS）のないリリースライン',
    },
    evidence: { en: '{version}: not an LTS line', ja: '{version}: LTS のラインではない' },
    fix: {
      en: 'install the current LTS (Node.js 22 or 24)',
      ja: '現行の LTS（Node.js 22 または 24）をインストールする',
    },
  },
  'system.node-release.eol': {
    title: {
      en: 'Node.js release is past its end of life',
      ja: 'Node.js のリリースがサポート終了日を過ぎている',
    },
    evidence: {
      en: '{version}: end of life {eol} ({days} days ago) — no more security fixes',
      ja: '{version}: サポート終了 {eol}（{days} 日前）— セキュリティ修正はもう出ない',
    },
    fix: {
      en: 'install Node.js 22 or 24 LTS and restart the service',
      ja: 'Node.js 22 または 24 の LTS をインストールし、サービスを再起動する',
    },
  },
  'system.node-release.soon': {
    title: { en: 'Node.js release ends soon', ja: 'Node.js のリリースがまもなくサポート終了' },
    evidence: { en: '{version}: end of life {eol}', ja: '{version}: サポート終了 {eol}' },
    fix: { en: 'plan the move to the next LTS', ja: '次の LTS への移行を計画する' },
  },
  'system.os-updates': {
    title: { en: 'OS security updates pending', ja: '未適用の OS セキュリティアップデートがある' },
    evidence: { en: '{packages}{more}', ja: '{packages}{more}' },
    fix: {
      en: 'sudo apt-get update && sudo apt-get upgrade (or unattended-upgrades)',
      ja: 'sudo apt-get update && sudo apt-get upgrade（または unattended-upgrades）',
    },
  },
  'system.log-settings.level': {
    title: { en: 'Log level hides security events', ja: 'ログレベルが高く、セキュリティイベントが残らない' },
    evidence: { en: 'LOG_LEVEL={level}', ja: 'LOG_LEVEL={level}' },
    fix: { en: 'LOG_LEVEL=info', ja: 'LOG_LEVEL=info' },
  },
  'system.log-settings.verbose': {
    title: { en: 'Verbose logging in production', ja: '本番環境で詳細なログを出している' },
    evidence: { en: 'LOG_LEVEL={level}', ja: 'LOG_LEVEL={level}' },
    fix: { en: 'LOG_LEVEL=info', ja: 'LOG_LEVEL=info' },
  },
  'system.log-settings.redaction': {
    title: { en: 'Redaction of personal data is off', ja: '個人データのマスキングが無効' },
    evidence: {
      en: 'LOG_PERSONAL_DATA=true: e-mails and IPs are written in clear',
      ja: 'LOG_PERSONAL_DATA=true: メールアドレスと IP アドレスがそのまま書き込まれる',
    },
    fix: { en: 'LOG_PERSONAL_DATA=false', ja: 'LOG_PERSONAL_DATA=false' },
  },
  'system.log-settings.retention': {
    title: { en: '{key} below the policy', ja: '{key} がポリシーを下回っている' },
    evidence: {
      en: '{key}={value} (policy: at least {min})',
      ja: '{key}={value}（ポリシー: {min} 以上）',
    },
    fix: { en: '{key}={min}', ja: '{key}={min}' },
  },
  'system.trail-append-only': {
    title: { en: 'The security trail can be rewritten', ja: 'セキュリティ記録を書き換えられる' },
    evidence: {
      en: 'trigger {trigger} missing on audit_events (found: {found})',
      ja: 'audit_events にトリガー {trigger} がない（あるもの: {found}）',
    },
    fix: {
      en: 'restore migration 004_security (npm run rstream -- migrate on a fresh database, or re-create the trigger from migrations/004_security.ts)',
      ja: 'マイグレーション 004_security を復元する（新しいデータベースで npm run rstream -- migrate を実行するか、migrations/004_security.ts からトリガーを作り直す）',
    },
  },
  'logs.security-events.token-reuse': {
    title: {
      en: 'Refresh tokens were reused (possible token theft)',
      ja: 'リフレッシュトークンが再利用された（トークン窃取の可能性）',
    },
    evidence: {
      en: '{n} refresh_token_reuse event(s) since {since}',
      ja: '{since} 以降に refresh_token_reuse イベントが {n} 件',
    },
    fix: {
      en: 'npm run rstream -- logs search --type refresh_token_reuse; the families were revoked — contact the users, have them change passwords',
      ja: 'npm run rstream -- logs search --type refresh_token_reuse。該当するトークンファミリーは失効済み — ユーザーに連絡し、パスワードを変更してもらう',
    },
  },
  'logs.security-events.lockouts': {
    title: {
      en: 'Accounts or addresses were locked out',
      ja: 'アカウントまたはアドレスがロックアウトされた',
    },
    evidence: {
      en: '{n} lock-out event(s) in the period',
      ja: '対象期間にロックアウトのイベントが {n} 件',
    },
    fix: {
      en: 'Admin → Security trail, type account_locked / ip_blocked: check whether one address drives them',
      ja: '管理 → セキュリティ記録、イベント account_locked / ip_blocked: 特定のアドレスによるものか確認する',
    },
  },
  'logs.security-events.role-changes': {
    title: {
      en: 'Roles or account states were changed',
      ja: '役割またはアカウントの状態が変更された',
    },
    evidence: {
      en: '{n} role_changed / user_disabled / user_enabled event(s) in the period',
      ja: '対象期間に role_changed / user_disabled / user_enabled のイベントが {n} 件',
    },
    fix: {
      en: 'Admin → Security trail, types role_changed and user_disabled: confirm each change was intended',
      ja: '管理 → セキュリティ記録、イベント role_changed と user_disabled: どの変更も意図したものか確認する',
    },
  },
} as const satisfies Record<string, FindingText>;
