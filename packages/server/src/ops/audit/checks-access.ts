import { request } from 'node:http';
import { sql } from 'kysely';
import { corsOrigins } from '../../http/security-headers.js';
import { isApiRoute, PUBLIC_ROUTES, routeTable } from '../../platform/route-access.js';
import { phrase } from './audit-text.js';
import { daysAgo, isLoopbackHost, type Collector } from './model.js';

const PROBE_ID = '00000000-0000-4000-8000-000000000000';

/** Users and roles: admins, long-inactive accounts, disabled accounts with live sign-ins, stale invitations. */
export async function checkUsers(c: Collector): Promise<void> {
  const { db, config } = c.deps;
  await c.check('users.admins', 'access', async (s) => {
    const admins = await db
      .selectFrom('users')
      .select(['email'])
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .execute();
    s.note('users.admins', { n: admins.length });
    if (admins.length === 0) s.finding({ severity: 'warning', key: 'users.admins.none' });
    if (admins.length > 3)
      s.finding({
        severity: 'warning',
        key: 'users.admins.many',
        params: { n: admins.length, emails: admins.map((a) => a.email).join(', ') },
      });
  });
  await c.check('users.inactive', 'access', async (s) => {
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
        key: r.role === 'admin' ? 'users.inactive.admin' : 'users.inactive.speaker',
        params: {
          days,
          email: r.email,
          last: new Date(last).toISOString(),
          limit: config.AUDIT_INACTIVE_DAYS,
        },
        suffix: r.email,
      });
    }
  });
  await c.check('users.disabled-live-tokens', 'access', async (s) => {
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
        key: 'users.disabled-live-tokens',
        params: { email: r.email, n: String(r.n) },
        suffix: r.email,
      });
  });
  await c.check('users.expired-invitations', 'access', async (s) => {
    const r = await db
      .selectFrom('invitations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '<', new Date(c.now.getTime() - 86_400_000))
      .executeTakeFirst();
    const n = Number(r?.n ?? 0);
    if (n > 0) s.finding({ severity: 'info', key: 'users.expired-invitations', params: { n } });
  });
}

/** API access: guards on every route, /metrics, CORS, the Alertmanager webhook, WebSocket origins. */
export async function checkApi(c: Collector): Promise<void> {
  const { config, fastify } = c.deps;
  await c.check('api.route-guards', 'access', async (s) => {
    if (!fastify) return s.notChecked('api.no-app');
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
        key: 'api.route-guards',
        params: { route, status: res.statusCode },
        suffix: route,
      });
    }
    s.note('api.route-guards', {
      routes: routes.length,
      declared: Object.keys(PUBLIC_ROUTES).length,
      unproven: unproven ? phrase('more.unproven', { n: unproven }) : '',
    });
  });
  const exposed = !isLoopbackHost(config.HOST);
  await c.check('api.metrics-token', 'access', async (s) => {
    if (config.METRICS_TOKEN) return s.note('api.metrics-token.set');
    if (!exposed) return s.note('api.metrics-token.loopback', { host: config.HOST });
    s.finding({ severity: 'critical', key: 'api.metrics-token', params: { host: config.HOST } });
  });
  await c.check('api.cors', 'access', async (s) => {
    const origins = corsOrigins(config);
    if (origins.includes('*')) s.finding({ severity: 'critical', key: 'api.cors.any' });
    for (const o of origins.filter((x) => x.startsWith('http://') && !isLoopbackHost(new URL(x).hostname)))
      s.finding({ severity: 'warning', key: 'api.cors.http', params: { origin: o }, suffix: o });
    if (origins.length) s.note('api.cors.list', { origins: origins.join(', ') });
    else s.note('api.cors.same-origin');
  });
  await c.check('api.alertmanager-token', 'access', async (s) => {
    const t = config.ALERTMANAGER_WEBHOOK_TOKEN;
    if (!t) return s.note('api.alertmanager-token.unset');
    if (t.length < 24)
      s.finding({ severity: 'warning', key: 'api.alertmanager-token', params: { length: t.length } });
  });
  await c.check('api.ws-origin', 'access', async (s) => {
    if (!fastify) return s.notChecked('api.ws-origin.no-app');
    const addr = fastify.server.address();
    if (!addr || typeof addr !== 'object') return s.notChecked('api.ws-origin.not-listening');
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
    if (status !== 403) s.finding({ severity: 'critical', key: 'api.ws-origin', params: { status } });
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
