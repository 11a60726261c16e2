import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLogWs, securityLog } from '../../src/platform/logger.js';
import { api, startTestApp, uniqueEmail, type TestApp, waitFor } from '../helpers.js';
import { readStream, tempLogDir } from './log-helpers.js';

/**
 * A real server writing its five streams into LOG_DIR: each stream gets its lines and only its
 * lines, every request line carries the request id, and no secret reaches any file.
 */
describe('log streams of a running server', () => {
  let t: TestApp;
  let dir: string;
  const password = 'correct-horse-1';
  const email = uniqueEmail('logs');
  const ids: Record<string, string> = {};
  let accessToken = '';
  let refreshCookie = '';
  const participantToken = `p_${'Q'.repeat(43)}`;

  beforeAll(async () => {
    dir = tempLogDir();
    t = await startTestApp(
      'pglite',
      {
        LOG_DIR: dir,
        LOG_SLOW_REQUEST_MS: '1',
        LOG_DETECT_LOGIN_FAILURES_PER_ACCOUNT: '3',
        LOG_DETECT_LOGIN_FAILURES_PER_IP: '4',
      },
      { logger: undefined },
    );
    const req = async (
      name: string,
      method: string,
      route: string,
      body?: unknown,
      token?: string,
      headers?: Record<string, string>,
    ) => {
      const r = await api(t.url, method, route, {
        body,
        token,
        headers: { 'user-agent': 'logs-test/1.0', ...headers },
      });
      ids[name] = r.headers.get('x-request-id') ?? '';
      return r;
    };
    expect((await req('health', 'GET', '/api/health')).status).toBe(200);
    expect((await req('missing', 'GET', `/api/nope?token=${participantToken}`)).status).toBe(404);
    expect(
      (await req('register', 'POST', '/api/auth/register', { email, password, username: 'Logs Tester' }))
        .status,
    ).toBe(201);
    const login = await req('login', 'POST', '/api/auth/login', { email, password });
    expect(login.status).toBe(200);
    accessToken = (login.body as { accessToken: string }).accessToken;
    refreshCookie = /rs_refresh=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(refreshCookie).not.toBe('');
    expect(
      (
        await req('me', 'GET', '/api/auth/me', undefined, accessToken, {
          cookie: `rs_refresh=${refreshCookie}`,
        })
      ).status,
    ).toBe(200);
    expect((await req('denied', 'GET', '/api/auth/me', undefined, 'not-a-valid-token')).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      expect(
        (await req(`failed${i}`, 'POST', '/api/auth/login', { email, password: `wrong-${i}-password` }))
          .status,
      ).toBe(401);
    }
    // a WebSocket connection as the gateway reports it (its URL carries the token)
    t.app.logs.accessLogWs({
      event: 'connect',
      url: `/ws/sessions/s-1?token=${participantToken}`,
      connId: 'ws-1',
      ip: '127.0.0.1',
      role: 'listener',
    });
    accessLogWs({
      event: 'disconnect',
      url: `/ws/sessions/s-1?token=${participantToken}`,
      connId: 'ws-1',
      code: 1000,
      durationMs: 1234,
      bytesOut: 2048,
    });
    securityLog('test_event', { participantToken, note: 'from another module' });
    // the database goes away: the next request that needs it fails with 500
    await t.app.db.pglite!.close();
    const broken = await req('broken', 'POST', '/api/auth/register', {
      email: uniqueEmail(),
      password,
      username: 'Nobody',
    });
    expect(broken.status).toBe(500);
    expect((broken.body as { error: { requestId: string } }).error.requestId).toBe(ids.broken);
    await waitFor(
      'the access line of the 500',
      () => readStream(dir, 'access').some((l) => l.reqId === ids.broken),
      5000,
    );
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one access line per request with the request id, and nothing else to the access stream', () => {
    const access = readStream(dir, 'access');
    expect(access.every((l) => l.stream === 'access' && typeof l.reqId === 'string')).toBe(true);
    const http = access.filter((l) => l.kind !== 'ws');
    for (const [name, status] of [
      ['health', 200],
      ['missing', 404],
      ['login', 200],
      ['denied', 401],
      ['failed0', 401],
      ['broken', 500],
    ] as const) {
      const line = http.filter((l) => l.reqId === ids[name]);
      expect(line, name).toHaveLength(1);
      expect(line[0]).toMatchObject({ status, ip: '127.0.0.1', userAgent: 'logs-test/1.0', level: 'info' });
      expect(typeof line[0]!.durationMs).toBe('number');
    }
    expect(http.find((l) => l.reqId === ids.health)).toMatchObject({
      method: 'GET',
      route: '/api/health',
      url: '/api/health',
      bytes: 15,
    });
    expect(http.find((l) => l.reqId === ids.missing)).toMatchObject({
      route: 'unmatched',
      url: '/api/nope?token=[redacted]',
    });
    const ws = access.filter((l) => l.kind === 'ws');
    expect(ws.map((l) => [l.event, l.reqId, l.url, l.route])).toEqual([
      ['connect', 'ws-1', '/ws/sessions/s-1', '/ws/sessions/:id'],
      ['disconnect', 'ws-1', '/ws/sessions/s-1', '/ws/sessions/:id'],
    ]);
    expect(ws[1]).toMatchObject({ status: 1000, durationMs: 1234, bytesOut: 2048 });
  });

  it('puts the failing request on the error stream with its request id, and only errors there', () => {
    const errors = readStream(dir, 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((l) => l.stream === 'error' && (l.level === 'error' || l.level === 'fatal'))).toBe(
      true,
    );
    const failed = errors.find((l) => l.reqId === ids.broken);
    expect(failed).toMatchObject({ msg: 'request failed' });
    expect(String((failed!.err as { message: string }).message)).toMatch(/closed/i);
  });

  it('records security events on the security stream, with request id and IP, without secrets', () => {
    const security = readStream(dir, 'security');
    expect(security.every((l) => l.stream === 'security' && typeof l.event === 'string')).toBe(true);
    const failed = security.filter((l) => l.event === 'login_failed');
    expect(failed.map((l) => l.reqId)).toEqual([ids.failed0, ids.failed1, ids.failed2, ids.failed3]);
    expect(failed[0]).toMatchObject({ ip: '127.0.0.1', level: 'warn' });
    expect(security.find((l) => l.event === 'login_succeeded')).toMatchObject({ reqId: ids.login });
    expect(security.find((l) => l.event === 'permission_denied')).toMatchObject({ reqId: ids.denied });
    expect(security.find((l) => l.event === 'test_event')).toMatchObject({
      participantToken: '[redacted]',
      note: 'from another module',
    });
  });

  it('logs slow requests and queries on the performance stream only', () => {
    const perf = readStream(dir, 'performance');
    expect(
      perf.every(
        (l) =>
          l.stream === 'performance' &&
          ['slow_request', 'slow_query', 'tick_overrun'].includes(String(l.kind)),
      ),
    ).toBe(true);
    expect(perf.find((l) => l.kind === 'slow_request' && l.reqId === ids.health)).toMatchObject({
      route: '/api/health',
      thresholdMs: 1,
    });
  });

  it('keeps the app stream free of per-request lines and raises detector findings there', async () => {
    const app = readStream(dir, 'app');
    expect(app.every((l) => l.stream === 'app')).toBe(true);
    expect(app.some((l) => /incoming request|request completed/.test(String(l.msg)))).toBe(false);
    const findings = app.filter((l) => l.finding).map((l) => (l.finding as { kind: string }).kind);
    expect(findings).toEqual(['login_failures_account', 'login_failures_ip']);
    expect(t.app.logOps.detector.fired.map((f) => f.kind)).toEqual(findings);
  });

  it('never writes a secret or an e-mail address into any file', () => {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.log'))
      .map((e) => path.join(e.parentPath, e.name));
    expect(files.length).toBe(5);
    const all = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const secret of [
      password,
      'wrong-0-password',
      accessToken,
      refreshCookie,
      decodeURIComponent(refreshCookie),
      participantToken,
      email,
    ]) {
      expect(all.includes(secret), secret.slice(0, 12)).toBe(false);
    }
  });
});
