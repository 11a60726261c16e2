import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, createSession, speaker, startTestApp, type TestApp } from '../helpers.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-services.js';

const JOIN_PER_MIN = 10;
type ErrorBody = { error: { code: string; requestId?: string } };
/** What nginx with the old `$proxy_add_x_forwarded_for` forwarded: the client's made-up hop first. */
const forged = (i: number, real = '203.0.113.7') => ({ 'x-forwarded-for': `198.51.100.${i % 250}, ${real}` });

/** Fault 6 of issue 11: limits that a client defeats. */
describe.each(BACKENDS)('per-IP limits behind a proxy on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // the test client connects from 127.0.0.1: it plays the (trusted, loopback) proxy
    t = await startTestApp(
      backend,
      { TRUST_PROXY: 'true', JOIN_CODE_IP_FAILURE_THRESHOLD: '15' },
      { joinRateLimitPerMin: JOIN_PER_MIN },
    );
  });
  afterAll(() => t?.close());

  it('rate-limits wrong join codes by the real address, whatever X-Forwarded-For the client made up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 2 * JOIN_PER_MIN; i++) {
      const r = await api(t.url, 'POST', '/api/sessions/join', {
        body: { code: 'QQQQQD', displayName: 'x' },
        headers: forged(i),
      });
      statuses.push(r.status);
    }
    const limited = statuses.filter((s) => s === 429).length;
    console.log(
      `[measure] ${backend}: ${statuses.length} wrong join codes with forged X-Forwarded-For: ${limited} answered 429`,
    );
    expect(limited).toBeGreaterThanOrEqual(JOIN_PER_MIN - 1);
    // another real client is not affected
    const other = await api(t.url, 'POST', '/api/sessions/join', {
      body: { code: 'QQQQQD', displayName: 'x' },
      headers: forged(1, '203.0.113.99'),
    });
    expect(other.status).toBe(404);
  });

  it('limits the join-code lookup like join and locks an IP out after repeated wrong codes', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    const real = '203.0.113.50';
    const statuses: number[] = [];
    for (let i = 0; i < 2 * JOIN_PER_MIN; i++)
      statuses.push(
        (
          await api(t.url, 'GET', `/api/sessions/code/QQQQQ${'ACDEFGHJKL'[i % 10]}`, {
            headers: forged(i, real),
          })
        ).status,
      );
    console.log(
      `[measure] ${backend}: ${statuses.length} code lookups in a minute: ${statuses.filter((x) => x === 429).length} answered 429`,
    );
    expect(statuses.slice(0, JOIN_PER_MIN).every((x) => x === 404)).toBe(true);
    expect(statuses.slice(JOIN_PER_MIN + 1).every((x) => x === 429)).toBe(true);

    // lock-out at 15 wrong codes from one address, lookups and joins together: 10 above, 5 here
    const joins: number[] = [];
    for (let i = 0; i < 6; i++)
      joins.push(
        (
          await api(t.url, 'POST', '/api/sessions/join', {
            body: { code: 'QQQQQC', displayName: 'x' },
            headers: forged(i, real),
          })
        ).status,
      );
    expect(joins.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    // now locked out: even the right code is refused for this address, with the error body
    const locked = await api<ErrorBody>(t.url, 'POST', '/api/sessions/join', {
      body: { code: s.code, displayName: 'x' },
      headers: forged(0, real),
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(locked.headers.get('retry-after')).toBeTruthy();
    const elsewhere = await api(t.url, 'POST', '/api/sessions/join', {
      body: { code: s.code, displayName: 'y' },
      headers: forged(0, '203.0.113.51'),
    });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get('cache-control')).toBe('no-store');
  });

  it('sends Cache-Control: no-store with every token and keeps it off other answers', async () => {
    const email = `nostore-${Date.now()}@example.test`;
    await api(t.url, 'POST', '/api/auth/register', {
      body: { email, password: 'correct-horse-1', username: 'N' },
    });
    const login = await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/login', {
      body: {
        email,
        password: 'correct-horse-1',
      },
    });
    expect(login.body.accessToken).toBeTruthy();
    expect(login.headers.get('cache-control')).toBe('no-store');
    const health = await api(t.url, 'GET', '/api/health');
    expect(health.headers.get('cache-control')).not.toBe('no-store');
  });
});

describe('a join while the database is down', () => {
  let db: PrivatePostgres;
  let t: TestApp;
  beforeAll(async () => {
    db = await startPrivatePostgres();
    t = await startTestApp('postgres', { DATABASE_URL: db.url });
  }, 60_000);
  afterAll(async () => {
    await db?.stop();
    await t?.close().catch(() => {});
    await db?.destroy();
  });

  it('answers 503 SERVICE_UNAVAILABLE with the error body, not 500', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await db.stop();
    const r = await api<ErrorBody>(t.url, 'POST', '/api/sessions/join', {
      body: {
        code: s.code,
        displayName: 'Late',
      },
    });
    console.log(`[measure] join during a database outage: ${r.status} ${r.body.error?.code}`);
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(r.body.error.requestId).toBeTruthy();
    const ready = await api<{ status: string; failing: string[] }>(t.url, 'GET', '/api/ready');
    expect([ready.status, ready.body.status, ready.body.failing]).toEqual([503, 'unavailable', ['db']]);
    await db.start();
  }, 60_000);
});

describe('the shipped nginx config', () => {
  const conf = readFileSync(
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../deploy/nginx/rstream.conf'),
    'utf8',
  );
  it('sets X-Forwarded-For to the connecting address instead of passing the client’s on', () => {
    expect(conf).not.toMatch(/\$proxy_add_x_forwarded_for/);
    const xff = conf.match(/proxy_set_header X-Forwarded-For \S+;/g) ?? [];
    expect(xff.length).toBeGreaterThanOrEqual(2);
    expect(new Set(xff)).toEqual(new Set(['proxy_set_header X-Forwarded-For $remote_addr;']));
  });
  it('health-checks /api/ready (503 = cannot serve), not /api/health', () => {
    expect(conf).toMatch(/health_check uri=\/api\/ready/);
  });
});
