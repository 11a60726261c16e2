import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, speaker, startTestApp, type TestApp } from '../helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers.js';

/** A separate Redis database, so other test files' instances do not show up in the list. */
const redisDb = () => `${inject('redisUrl').replace(/\/\d*$/, '')}/9`;

async function adminToken(t: TestApp): Promise<string> {
  const u = await speaker(t.url, 'Operator');
  await sql`update users set role = 'admin' where id = ${u.userId}`.execute(t.app.db.kysely);
  const login = await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/login', {
    body: {
      email: u.email,
      password: 'correct-horse-1',
    },
  });
  return login.body.accessToken;
}

describe('admin operations API (two instances on PostgreSQL + Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  let sms: HttpReceiver;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    sms = await startHttpReceiver();
    const env = {
      REDIS_URL: redisDb(),
      ALERTMANAGER_WEBHOOK_TOKEN: 'relay-token-123',
      ALERT_SMS_URL: sms.url,
      ALERT_SMS_ACCOUNT_SID: 'AC9',
      ALERT_SMS_AUTH_TOKEN: 'tok',
      ALERT_SMS_FROM: '+15005550006',
      ALERT_SMS_TO: '+819011112222',
      ALERT_NOTIFY_BACKOFF_MS: '5',
      JWT_SECRET: 'ops-test-shared-jwt-secret-0123456789abcdef', // both instances accept one token
    };
    a = await startTestApp('postgres', env);
    b = await startTestApp('postgres', env);
    admin = await adminToken(a);
    user = (await speaker(a.url)).token;
    await a.app.ops.runOnce();
    await b.app.ops.runOnce();
    await a.app.ops.runOnce();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sms?.close();
  });

  const routes: [string, string, unknown?][] = [
    ['GET', '/api/admin/ops/overview'],
    ['GET', '/api/admin/alerts'],
    ['POST', '/api/admin/alerts/0123456789abcdef/ack', {}],
    ['POST', '/api/admin/alerts/0123456789abcdef/silence', { minutes: 5 }],
    ['GET', '/api/admin/ops/slow-queries'],
    ['GET', '/api/admin/instances'],
  ];

  it('is for admins only: 401 without a token, 403 for a speaker', async () => {
    for (const [method, route, body] of routes) {
      expect((await api(a.url, method, route, { body })).status, route).toBe(401);
      const r = await api<{ error: { code: string } }>(a.url, method, route, { body, token: user });
      expect(r.status, route).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('overview: current system/app/db/cache values and aligned time series', async () => {
    const r = await api<{
      current: Record<string, Record<string, unknown>>;
      series: Record<string, unknown[]>;
      instance: string;
    }>(a.url, 'GET', '/api/admin/ops/overview', { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.instance).toBe(a.app.instanceId);
    expect(r.body.current.db!.up).toBe(true);
    expect(r.body.current.db!.pool).toMatchObject({ max: a.config.DB_POOL_MAX });
    expect(r.body.current.system!.rssBytes).toEqual(expect.any(Number));
    expect((r.body.current.system!.disks as unknown[]).length).toBeGreaterThan(0);
    expect(r.body.current.cache).toMatchObject({
      usedMemoryBytes: expect.any(Number),
      keysWithTtl: expect.any(Number),
    });
    expect(r.body.current.raw).toBeUndefined();
    expect(r.body.series.t!.length).toBeGreaterThanOrEqual(2);
    for (const [k, v] of Object.entries(r.body.series)) expect(v.length, k).toBe(r.body.series.t!.length);
  });

  it('alerts: an ad-hoc alert is listed, can be acknowledged and silenced; bad input is refused', async () => {
    const { fingerprint } = await a.app.ops.alerts.raise({
      name: 'ErrorSpike',
      severity: 'info',
      level: 3,
      summary: '40 errors in 60 s',
      labels: { stream: 'error' },
    });
    type Listed = {
      firing: {
        fingerprint: string;
        severity: string;
        level: number;
        runbook: string;
        runbookUrl: string;
        ackedAt: string | null;
        silencedUntil: string | null;
      }[];
    };
    const list = await api<Listed>(a.url, 'GET', '/api/admin/alerts', { token: admin });
    const mine = list.body.firing.find((x) => x.fingerprint === fingerprint);
    expect(mine).toMatchObject({
      severity: 'info',
      level: 3,
      runbook: 'docs/runbooks/error-spike.md',
      ackedAt: null,
      silencedUntil: null,
    });
    expect(mine!.runbookUrl).toMatch(/docs\/runbooks\/error-spike\.md$/);

    const ack = await api<{ ackedAt: string }>(b.url, 'POST', `/api/admin/alerts/${fingerprint}/ack`, {
      body: {},
      token: admin,
    }); // any instance
    expect(ack.status).toBe(200);
    expect(
      (await api(a.url, 'POST', '/api/admin/alerts/ffffffffffffffff/ack', { body: {}, token: admin })).status,
    ).toBe(404);
    const bad = await api<{ error: { code: string } }>(
      a.url,
      'POST',
      `/api/admin/alerts/${fingerprint}/silence`,
      { body: { minutes: 0 }, token: admin },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const sil = await api<{ silencedUntil: string }>(
      a.url,
      'POST',
      `/api/admin/alerts/${fingerprint}/silence`,
      { body: { minutes: 30 }, token: admin },
    );
    expect(sil.status).toBe(200);
    expect(Date.parse(sil.body.silencedUntil) - Date.now()).toBeGreaterThan(29 * 60_000);
    const after = (await api<Listed>(a.url, 'GET', '/api/admin/alerts', { token: admin })).body.firing.find(
      (x) => x.fingerprint === fingerprint,
    )!;
    expect(after.ackedAt).not.toBeNull();
    expect(after.silencedUntil).toBe(sil.body.silencedUntil);
    await a.app.ops.alerts.resolveAdhoc('ErrorSpike', { stream: 'error' });
  });

  it('slow queries: pg_stat_statements when installed, and the slow queries this instance saw', async () => {
    await sql`select pg_sleep(0.3)`.execute(a.app.db.kysely);
    const r = await api<{ available: boolean; queries: unknown[]; recent: { sql: string; ms: number }[] }>(
      a.url,
      'GET',
      '/api/admin/ops/slow-queries',
      { token: admin },
    );
    expect(r.status).toBe(200);
    expect(typeof r.body.available).toBe('boolean');
    if (!r.body.available) expect(r.body.queries).toEqual([]);
    expect(r.body.recent[0]).toMatchObject({ sql: 'select pg_sleep(0.3)' });
    expect(r.body.recent[0]!.ms).toBeGreaterThanOrEqual(250);
  });

  it('instances: both are listed and exactly one leads the alert rules', async () => {
    const r = await api<{ instances: { id: string; leader: boolean; dbUp: boolean }[] }>(
      b.url,
      'GET',
      '/api/admin/instances',
      { token: admin },
    );
    expect(r.status).toBe(200);
    const ids = r.body.instances.map((i) => i.id);
    expect(ids).toContain(a.app.instanceId);
    expect(ids).toContain(b.app.instanceId);
    expect(r.body.instances[0]!.id).toBe(b.app.instanceId); // self first
    const mine = r.body.instances.filter((i) => i.id === a.app.instanceId || i.id === b.app.instanceId);
    expect(mine.filter((i) => i.leader)).toHaveLength(1);
    expect(mine.every((i) => i.dbUp)).toBe(true);
  });

  it('relays Alertmanager webhooks to SMS with its bearer token', async () => {
    const payload = {
      version: '4',
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'InstanceDown',
            severity: 'critical',
            level: '1',
            instance: 'web-2:3000',
            job: 'rstream',
          },
          annotations: {
            summary: 'R-Stream instance web-2:3000 is down',
            runbook_url: 'https://example.test/instance-down.md',
          },
          startsAt: '2026-03-02T09:00:00Z',
          fingerprint: 'abc',
        },
      ],
    };
    expect(
      (await api(a.url, 'POST', '/api/ops/alertmanager', { body: payload, token: 'wrong' })).status,
    ).toBe(401);
    const bad = await api(a.url, 'POST', '/api/ops/alertmanager?channels=pager', {
      body: payload,
      token: 'relay-token-123',
    });
    expect(bad.status).toBe(400);
    const ok = await api(a.url, 'POST', '/api/ops/alertmanager', { body: payload, token: 'relay-token-123' });
    expect(ok.status).toBe(200);
    await sms.waitFor(1);
    expect(new URLSearchParams(sms.requests[0]!.body).get('Body')).toBe(
      'CRITICAL L1 InstanceDown: R-Stream instance web-2:3000 is down',
    );
  });
});
