import type { FindingText } from './audit-text.js';

/** Findings of checks-access.ts and checks-files.ts (users, API, file access), English and Japanese. */
export const ACCESS_FINDINGS = {
  'users.admins.none': {
    title: { en: 'No active admin', ja: '有効な管理者がいない' },
    evidence: {
      en: 'users: 0 rows with role admin and not disabled',
      ja: 'users: role が admin で無効化されていない行が 0 件',
    },
    fix: {
      en: 'npm run rstream -- user create --admin --email … --username …',
      ja: 'npm run rstream -- user create --admin --email … --username … で管理者を作る',
    },
  },
  'users.admins.many': {
    title: { en: 'More than 3 admins', ja: '管理者が 3 人を超えている' },
    evidence: { en: '{n} admins: {emails}', ja: '管理者 {n} 人: {emails}' },
    fix: {
      en: 'npm run rstream -- user set-role <email> speaker (least privilege: keep 1–3 admins)',
      ja: 'npm run rstream -- user set-role <email> speaker（最小権限: 管理者は 1〜3 人に保つ）',
    },
  },
  'users.inactive.admin': {
    title: { en: 'Admin inactive for {days} days', ja: '管理者が {days} 日間サインインしていない' },
    evidence: {
      en: '{email}: last sign-in {last} (limit AUDIT_INACTIVE_DAYS={limit})',
      ja: '{email}: 最終サインイン {last}（上限 AUDIT_INACTIVE_DAYS={limit}）',
    },
    fix: { en: 'npm run rstream -- user disable {email}', ja: 'npm run rstream -- user disable {email}' },
  },
  'users.inactive.speaker': {
    title: { en: 'Speaker inactive for {days} days', ja: 'スピーカーが {days} 日間サインインしていない' },
    evidence: {
      en: '{email}: last sign-in {last} (limit AUDIT_INACTIVE_DAYS={limit})',
      ja: '{email}: 最終サインイン {last}（上限 AUDIT_INACTIVE_DAYS={limit}）',
    },
    fix: { en: 'npm run rstream -- user disable {email}', ja: 'npm run rstream -- user disable {email}' },
  },
  'users.disabled-live-tokens': {
    title: {
      en: 'Disabled account still holds a live refresh token',
      ja: '無効化したアカウントに有効なリフレッシュトークンが残っている',
    },
    evidence: {
      en: '{email}: {n} unrevoked, unexpired refresh token(s)',
      ja: '{email}: 失効も期限切れもしていないリフレッシュトークンが {n} 件',
    },
    fix: {
      en: 'npm run rstream -- user disable {email}  (disabling again revokes every refresh token)',
      ja: 'npm run rstream -- user disable {email}（もう一度無効化すると、リフレッシュトークンがすべて失効する）',
    },
  },
  'users.expired-invitations': {
    title: {
      en: '{n} invitation(s) expired more than a day ago are still stored',
      ja: '期限切れから 1 日以上経った招待が {n} 件残っている',
    },
    evidence: {
      en: 'invitations: accepted_at and revoked_at null, expires_at < now − 1 day',
      ja: 'invitations: accepted_at と revoked_at が null、expires_at < 現在 − 1 日',
    },
    fix: {
      en: 'The host revokes them (DELETE /api/sessions/:id/invitations/:invitationId); expired links are refused either way.',
      ja: 'ホストが取り消す（DELETE /api/sessions/:id/invitations/:invitationId）。期限切れのリンクはどちらにしても拒否される。',
    },
  },
  'api.route-guards': {
    title: { en: 'A route answers anonymous callers', ja: '匿名の呼び出しに応答するルートがある' },
    evidence: {
      en: '{route} → {status} without credentials; not in PUBLIC_ROUTES',
      ja: '{route} → 認証情報なしで {status}。PUBLIC_ROUTES にはない',
    },
    fix: {
      en: 'Call guards.requireUser/requireAdmin/requireSessionCaller first in the handler, or declare the route in packages/server/src/platform/route-access.ts PUBLIC_ROUTES (and the matrix).',
      ja: 'ハンドラーの最初で guards.requireUser/requireAdmin/requireSessionCaller を呼ぶ。または packages/server/src/platform/route-access.ts の PUBLIC_ROUTES（とマトリクス）にルートを宣言する。',
    },
  },
  'api.metrics-token': {
    title: { en: '/metrics is open beyond loopback', ja: '/metrics がループバックの外に公開されている' },
    evidence: {
      en: 'HOST={host}, METRICS_TOKEN unset: anyone who reaches the port reads the metrics',
      ja: 'HOST={host}、METRICS_TOKEN 未設定: ポートに届けば誰でもメトリクスを読める',
    },
    fix: {
      en: 'METRICS_TOKEN=$(openssl rand -hex 32) in .env (and the same bearer token in Prometheus), or HOST=127.0.0.1 behind the proxy',
      ja: '.env に METRICS_TOKEN=$(openssl rand -hex 32)（Prometheus にも同じ Bearer トークン）、またはプロキシの背後で HOST=127.0.0.1',
    },
  },
  'api.cors.any': {
    title: { en: 'CORS allows any origin', ja: 'CORS がすべてのオリジンを許可している' },
    evidence: { en: 'CORS_ORIGINS=*', ja: 'CORS_ORIGINS=*' },
    fix: {
      en: 'CORS_ORIGINS= (same-origin only) or the exact list, e.g. CORS_ORIGINS=https://app.example.com',
      ja: 'CORS_ORIGINS=（同一オリジンのみ）、または正確なリスト（例: CORS_ORIGINS=https://app.example.com）',
    },
  },
  'api.cors.http': {
    title: { en: 'CORS allows a plain-http origin', ja: 'CORS が暗号化なしの http のオリジンを許可している' },
    evidence: { en: 'CORS_ORIGINS contains {origin}', ja: 'CORS_ORIGINS に {origin} が含まれている' },
    fix: { en: 'use https:// for {origin} or remove it', ja: '{origin} を https:// にするか、削除する' },
  },
  'api.alertmanager-token': {
    title: { en: 'Alertmanager webhook token is short', ja: 'Alertmanager の Webhook トークンが短い' },
    evidence: {
      en: 'ALERTMANAGER_WEBHOOK_TOKEN has {length} characters (< 24)',
      ja: 'ALERTMANAGER_WEBHOOK_TOKEN が {length} 文字（24 未満）',
    },
    fix: {
      en: 'ALERTMANAGER_WEBHOOK_TOKEN=$(openssl rand -hex 32), and the same in alertmanager.yml',
      ja: 'ALERTMANAGER_WEBHOOK_TOKEN=$(openssl rand -hex 32)、alertmanager.yml にも同じ値を設定する',
    },
  },
  'api.ws-origin': {
    title: {
      en: 'WebSocket upgrades from another site are accepted',
      ja: '別のサイトからの WebSocket 接続を受け付けている',
    },
    evidence: {
      en: 'upgrade with Origin https://audit-probe.invalid → {status}',
      ja: 'Origin https://audit-probe.invalid でのアップグレード → {status}',
    },
    fix: {
      en: 'CORS_ORIGINS must not be *; the gateway refuses foreign origins (http/ws-origin.ts)',
      ja: 'CORS_ORIGINS を * にしない。ゲートウェイが外部のオリジンを拒否する（http/ws-origin.ts）',
    },
  },
  'files.permissions.loose': {
    title: { en: '{what}: readable by others', ja: '{what}: 他のユーザーが読み取れる' },
    evidence: { en: '{n} path(s), e.g. {examples}', ja: '{n} 件のパス。例: {examples}' },
    fix: {
      en: 'chmod -R go-rwx {dir}  (and umask 077 for the service user)',
      ja: 'chmod -R go-rwx {dir}（サービスユーザーの umask も 077 にする）',
    },
  },
  'files.permissions.owner': {
    title: { en: '{what}: owned by another user', ja: '{what}: 所有者が別のユーザー' },
    evidence: {
      en: '{n} path(s), e.g. {examples} (the server runs as uid {uid})',
      ja: '{n} 件のパス。例: {examples}（サーバーは uid {uid} で動いている）',
    },
    fix: { en: 'chown -R $(id -un):$(id -gn) {dir}', ja: 'chown -R $(id -un):$(id -gn) {dir}' },
  },
} as const satisfies Record<string, FindingText>;
