import { request } from 'node:http';
import { sql } from 'kysely';
import { corsOrigins } from '../../http/security-headers.js';
import { isApiRoute, PUBLIC_ROUTES, routeTable } from '../../platform/route-access.js';
import { daysAgo, isLoopbackHost, type Collector } from './model.js';

const PROBE_ID = '00000000-0000-4000-8000-000000000000';

/** Users and roles: admins, long-inactive accounts, disabled accounts with live sign-ins, stale invitations. */
export async function checkUsers(c: Collector): Promise<void> {
  const { db, config } = c.deps;
  await c.check('users.admins', 'access', 'Number of admins', async (s) => {
    const admins = await db
      .selectFrom('users')
      .select(['email'])
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .execute();
    s.note(`${admins.length} active admin(s)`);
    if (admins.length === 0)
      s.finding({
        severity: 'warning',
        title: 'No active admin',
        evidence: 'users: 0 rows with role admin and not disabled',
        fix: 'npm run rstream -- user create --admin --email … --username …',
      });
    if (admins.length > 3)
      s.finding({
        severity: 'warning',
        title: 'More than 3 admins',
        evidence: `${admins.length} admins: ${admins.map((a) => a.email).join(', ')}`,
        fix: 'npm run rstream -- user set-role <email> speaker (least privilege: keep 1–3 admins)',
      });
  });
  await c.check('users.inactive', 'access', 'Admins and speakers inactive for long', async (s) => {
    const rows = await db
      .selectFrom('users')
      .leftJoin('refresh_tokens', 'refresh_tokens.user_id', 'users.id')
      .select(['users.email', 'users.role', 'users.created_at'])
      .select((eb) => eb.fn.max('refresh_tokens.created_at').as('last_seen'))
      .where('users.disabled_at', 'is', null)
      .groupBy(['users.id', 'users.email', 'users.role', 'users.created_at'])
      .execute();
    for (const r of rows) {
      const last = (r.last_seen as Date | null) ?? r.created_at;
      const days = daysAgo(c.now, last);
      if (days < config.AUDIT_INACTIVE_DAYS) continue;
      s.finding({
        severity: r.role === 'admin' ? 'warning' : 'info',
        title: `${r.role === 'admin' ? 'Admin' : 'Speaker'} inactive for ${days} days`,
        evidence: `${r.email}: last sign-in ${new Date(last).toISOString()} (limit AUDIT_INACTIVE_DAYS=${config.AUDIT_INACTIVE_DAYS})`,
        fix: `npm run rstream -- user disable ${r.email}`,
        suffix: r.email,
      });
    }
  });
  await c.check(
    'users.disabled-live-tokens',
    'access',
    'Disabled accounts holding live refresh tokens',
    async (s) => {
      const rows = await db
        .selectFrom('refresh_tokens')
        .innerJoin('users', 'users.id', 'refresh_tokens.user_id')
        .select(['users.email'])
        .select((eb) => eb.fn.countAll().as('n'))
        .where('users.disabled_at', 'is not', null)
        .where('refresh_tokens.revoked_at', 'is', null)
        .where('refresh_tokens.expires_at', '>', c.now)
        .groupBy('users.email')
        .execute();
      for (const r of rows)
        s.finding({
          severity: 'critical',
          title: 'Disabled account still holds a live refresh token',
          evidence: `${r.email}: ${String(r.n)} unrevoked, unexpired refresh token(s)`,
          fix: `npm run rstream -- user disable ${r.email}  (disabling again revokes every refresh token)`,
          suffix: r.email,
        });
    },
  );
  await c.check('users.expired-invitations', 'access', 'Invitations pending past their expiry', async (s) => {
    const r = await db
      .selectFrom('invitations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '<', new Date(c.now.getTime() - 86_400_000))
      .executeTakeFirst();
    const n = Number(r?.n ?? 0);
    if (n > 0)
      s.finding({
        severity: 'info',
        title: `${n} invitation(s) expired more than a day ago are still stored`,
        evidence: 'invitations: accepted_at and revoked_at null, expires_at < now − 1 day',
        fix: 'The host revokes them (DELETE /api/sessions/:id/invitations/:invitationId); expired links are refused either way.',
      });
  });
}

/** API access: guards on every route, /metrics, CORS, the Alertmanager webhook, WebSocket origins. */
export async function checkApi(c: Collector): Promise<void> {
  const { config, fastify } = c.deps;
  await c.check('api.route-guards', 'access', 'Every route has a guard', async (s) => {
    if (!fastify) return s.notChecked('no in-process app to read the route table from');
    await fastify.ready();
    const routes = routeTable(fastify).filter(isApiRoute);
    let unproven = 0;
    for (const route of routes) {
      if (route in PUBLIC_ROUTES) continue;
      const [method, url] = route.split(' ') as [string, string];
      const res = await fastify.inject({
        method: method as 'GET',
        url: url.replace(/:[A-Za-z]+/g, PROBE_ID),
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });
      if (res.statusCode === 401 || res.statusCode === 403) continue;
      if (res.statusCode === 400 || res.statusCode === 404 || res.statusCode === 429) {
        unproven++;
        continue;
      }
      s.finding({
        severity: 'critical',
        title: 'A route answers anonymous callers',
        evidence: `${route} → ${res.statusCode} without credentials; not in PUBLIC_ROUTES`,
        fix: 'Call guards.requireUser/requireAdmin/requireSessionCaller first in the handler, or declare the route in packages/server/src/platform/route-access.ts PUBLIC_ROUTES (and the matrix).',
        suffix: route,
      });
    }
    s.note(
      `${routes.length} API routes, ${Object.keys(PUBLIC_ROUTES).length} public by declaration${unproven ? `, ${unproven} answered 400/404 before a guard could be seen` : ''}`,
    );
  });
  const exposed = !isLoopbackHost(config.HOST);
  await c.check('api.metrics-token', 'access', '/metrics protected when reachable', async (s) => {
    if (config.METRICS_TOKEN) return s.note('METRICS_TOKEN set');
    if (!exposed) return s.note(`bound to ${config.HOST} only`);
    s.finding({
      severity: 'critical',
      title: '/metrics is open beyond loopback',
      evidence: `HOST=${config.HOST}, METRICS_TOKEN unset: anyone who reaches the port reads the metrics`,
      fix: 'METRICS_TOKEN=$(openssl rand -hex 32) in .env (and the same bearer token in Prometheus), or HOST=127.0.0.1 behind the proxy',
    });
  });
  await c.check('api.cors', 'access', 'CORS allow-list', async (s) => {
    const origins = corsOrigins(config);
    if (origins.includes('*'))
      s.finding({
        severity: 'critical',
        title: 'CORS allows any origin',
        evidence: 'CORS_ORIGINS=*',
        fix: 'CORS_ORIGINS= (same-origin only) or the exact list, e.g. CORS_ORIGINS=https://app.example.com',
      });
    for (const o of origins.filter((x) => x.startsWith('http://') && !isLoopbackHost(new URL(x).hostname)))
      s.finding({
        severity: 'warning',
        title: 'CORS allows a plain-http origin',
        evidence: `CORS_ORIGINS contains ${o}`,
        fix: `use https:// for ${o} or remove it`,
        suffix: o,
      });
    s.note(origins.length ? `allow-list: ${origins.join(', ')}` : 'same-origin only');
  });
  await c.check('api.alertmanager-token', 'access', 'Alertmanager webhook token', async (s) => {
    const t = config.ALERTMANAGER_WEBHOOK_TOKEN;
    if (!t) return s.note('unset: the webhook refuses every call');
    if (t.length < 24)
      s.finding({
        severity: 'warning',
        title: 'Alertmanager webhook token is short',
        evidence: `ALERTMANAGER_WEBHOOK_TOKEN has ${t.length} characters (< 24)`,
        fix: 'ALERTMANAGER_WEBHOOK_TOKEN=$(openssl rand -hex 32), and the same in alertmanager.yml',
      });
  });
  await c.check('api.ws-origin', 'access', 'WebSocket origin check', async (s) => {
    if (!fastify) return s.notChecked('no in-process app to probe');
    const addr = fastify.server.address();
    if (!addr || typeof addr !== 'object') return s.notChecked('the app is not listening');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: addr.port,
        path: `/ws/sessions/${PROBE_ID}`,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          origin: 'https://audit-probe.invalid',
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 101);
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    if (status !== 403)
      s.finding({
        severity: 'critical',
        title: 'WebSocket upgrades from another site are accepted',
        evidence: `upgrade with Origin https://audit-probe.invalid → ${status}`,
        fix: 'CORS_ORIGINS must not be *; the gateway refuses foreign origins (http/ws-origin.ts)',
      });
  });
}

/** Rows of the security trail of a type within the period. */
export async function trailCount(c: Collector, types: string[], outcome?: string): Promise<number> {
  let q = c.deps.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('type', 'in', types)
    .where('at', '>=', c.periodFrom);
  if (outcome) q = q.where('outcome', '=', outcome as 'denied');
  return Number((await q.executeTakeFirst())?.n ?? 0);
}
export { sql };
