import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  createSession,
  speaker,
  startTestApp,
  uniqueEmail,
  WsClient,
  type TestApp,
} from '../helpers.js';
import { adminAccount, login, PASSWORD, waitForAudit } from './fixtures.js';

describe.each(BACKENDS)('accounts on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('applies the password rule: 10+ characters, two kinds, not the e-mail', async () => {
    const email = uniqueEmail();
    const bad = async (password: string) => {
      const r = await api<{ error: { code: string; details: { path: string; message: string }[] } }>(
        t.url,
        'POST',
        '/api/auth/register',
        { body: { email, password, username: 'P' } },
      );
      expect(r.status).toBe(400);
      expect(r.body.error.details.map((d) => d.path)).toContain('password');
      return r.body.error.details.find((d) => d.path === 'password')!.message;
    };
    expect(await bad('short-1')).toMatch(/10 characters/);
    expect(await bad('abcdefghijkl')).toMatch(/two kinds/);
    expect(await bad('1234567890123')).toMatch(/two kinds/);
    expect(await bad(email.toUpperCase())).toMatch(/e-mail/);
    const ok = await api(t.url, 'POST', '/api/auth/register', {
      body: {
        email,
        password: 'long-enough-1',
        username: 'P',
      },
    });
    expect(ok.status).toBe(201);
    const trail = await waitForAudit(t, {
      type: 'user_registered',
      target_id: (ok.body as { user: { id: string } }).user.id,
    });
    expect(trail[0]!.actor_label).toBe(email);
  });

  it('records logins with IP and user agent, and a reused refresh token revokes its family with a trail entry', async () => {
    const { email, userId } = await speaker(t.url);
    const failed = await api(t.url, 'POST', '/api/auth/login', {
      body: { email, password: 'wrong-password-1' },
      headers: { 'user-agent': 'matrix-test/1.0' },
    });
    expect(failed.status).toBe(401);
    const failures = await waitForAudit(t, { type: 'login_failed', actor_user_id: userId });
    expect(failures[0]).toMatchObject({ outcome: 'failure', ip: '127.0.0.1', user_agent: 'matrix-test/1.0' });

    const first = await login(t.url, email);
    expect((await waitForAudit(t, { type: 'login_succeeded', actor_user_id: userId }))[0]!.ip).toBe(
      '127.0.0.1',
    );
    const second = await login(t.url, email); // another device: another family
    const r1 = await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/refresh', {
      headers: {
        cookie: first.cookie,
      },
    });
    expect(r1.status).toBe(200);
    const rotated = r1.headers.get('set-cookie')!.split(';')[0]!;

    const reuse = await api<{ error: { code: string } }>(t.url, 'POST', '/api/auth/refresh', {
      headers: { cookie: first.cookie },
    });
    expect(reuse.status).toBe(401);
    const [event] = await waitForAudit(t, { type: 'refresh_token_reuse', actor_user_id: userId });
    expect(event).toMatchObject({ outcome: 'denied', target_type: 'refresh_family' });
    // the whole family is gone, the other device's family is not
    expect((await api(t.url, 'POST', '/api/auth/refresh', { headers: { cookie: rotated } })).status).toBe(
      401,
    );
    expect(
      (await api(t.url, 'POST', '/api/auth/refresh', { headers: { cookie: second.cookie } })).status,
    ).toBe(200);
  });

  it('logout revokes the refresh token and is recorded', async () => {
    const { email, userId } = await speaker(t.url);
    const s = await login(t.url, email);
    const out = await api(t.url, 'POST', '/api/auth/logout', { headers: { cookie: s.cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/rs_refresh=;/);
    expect((await api(t.url, 'POST', '/api/auth/refresh', { headers: { cookie: s.cookie } })).status).toBe(
      401,
    );
    await waitForAudit(t, { type: 'logout', actor_user_id: userId });
    // a logged-out token used again is refused but is not "reuse"
    const reuse = await t.app.db.kysely
      .selectFrom('audit_events')
      .select('id')
      .where('type', '=', 'refresh_token_reuse')
      .where('actor_user_id', '=', userId)
      .execute();
    expect(reuse).toHaveLength(0);
  });

  it('changes the password: the old one stops working, other sign-ins and older access tokens end, this one continues', async () => {
    const { email, userId } = await speaker(t.url);
    const mine = await login(t.url, email);
    const other = await login(t.url, email);
    // iat has second precision: make sure the old token was issued in an earlier second
    await waitUntilNextSecond();
    const wrong = await api<{ error: { code: string } }>(t.url, 'POST', '/api/auth/password', {
      body: { currentPassword: 'nope-nope-1', newPassword: 'brand-new-pass-2' },
      token: mine.accessToken,
      headers: { cookie: mine.cookie },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const same = await api(t.url, 'POST', '/api/auth/password', {
      body: { currentPassword: PASSWORD, newPassword: PASSWORD },
      token: mine.accessToken,
    });
    expect(same.status).toBe(400);
    const weak = await api(t.url, 'POST', '/api/auth/password', {
      body: { currentPassword: PASSWORD, newPassword: 'aaaaaaaaaaaa' },
      token: mine.accessToken,
    });
    expect(weak.status).toBe(400);

    const changed = await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/password', {
      body: { currentPassword: PASSWORD, newPassword: 'brand-new-pass-2' },
      token: mine.accessToken,
      headers: { cookie: mine.cookie },
    });
    expect(changed.status).toBe(200);
    expect((await api(t.url, 'GET', '/api/auth/me', { token: changed.body.accessToken })).status).toBe(200);
    expect((await api(t.url, 'GET', '/api/auth/me', { token: mine.accessToken })).status).toBe(401);
    expect(
      (await api(t.url, 'POST', '/api/auth/refresh', { headers: { cookie: other.cookie } })).status,
    ).toBe(401);
    expect((await api(t.url, 'POST', '/api/auth/refresh', { headers: { cookie: mine.cookie } })).status).toBe(
      200,
    );
    expect((await login(t.url, email)).status).toBe(401);
    expect((await login(t.url, email, 'brand-new-pass-2')).status).toBe(200);
    const [event] = await waitForAudit(t, { type: 'password_changed', actor_user_id: userId });
    // the helper's own sign-in and `other`: two families ended, `mine` kept
    expect(event!.details).toMatchObject({ revokedRefreshTokens: 2 });
  });

  it('deletes my account with my sessions and everything in them; the live room closes', async () => {
    const { token, email, userId } = await speaker(t.url);
    const s = await createSession(t.url, token);
    await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'live' }, token });
    const j = await api<{ participantToken: string }>(t.url, 'POST', '/api/sessions/join', {
      body: {
        code: s.code,
        displayName: 'L',
      },
    });
    const ws = new WsClient(t.url, s.id, j.body.participantToken);
    await ws.next((m) => m.type === 'welcome');

    expect(
      (await api(t.url, 'DELETE', '/api/auth/me', { body: { password: 'not-my-password-1' }, token })).status,
    ).toBe(401);
    expect((await api(t.url, 'DELETE', '/api/auth/me', { body: {}, token })).status).toBe(400);
    const del = await api(t.url, 'DELETE', '/api/auth/me', { body: { password: PASSWORD }, token });
    expect(del.status).toBe(204);
    expect(await ws.closed()).toBe(4404);
    const db = t.app.db.kysely;
    expect(await db.selectFrom('users').select('id').where('id', '=', userId).execute()).toHaveLength(0);
    expect(await db.selectFrom('sessions').select('id').where('host_id', '=', userId).execute()).toHaveLength(
      0,
    );
    expect(
      await db.selectFrom('participants').select('id').where('session_id', '=', s.id).execute(),
    ).toHaveLength(0);
    expect(
      await db.selectFrom('refresh_tokens').select('id').where('user_id', '=', userId).execute(),
    ).toHaveLength(0);
    expect((await api(t.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await login(t.url, email)).status).toBe(401);
    const [event] = await waitForAudit(t, { type: 'account_deleted', target_id: userId });
    expect(event!.details).toMatchObject({ sessions: 1 });
  });

  it('refuses a disabled account at once, even with a still-valid access token, on REST and WebSocket', async () => {
    const admin = await adminAccount(t);
    const victim = await speaker(t.url, 'Victim');
    const s = await createSession(t.url, victim.token);
    expect((await api(t.url, 'GET', '/api/sessions', { token: victim.token })).status).toBe(200);
    const put = await api(t.url, 'PUT', `/api/admin/users/${victim.userId}`, {
      body: { disabled: true },
      token: admin.token,
    });
    expect(put.status).toBe(200);
    const r = await api<{ error: { code: string } }>(t.url, 'GET', '/api/sessions', { token: victim.token });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('ACCOUNT_DISABLED');
    const ws = new WsClient(t.url, s.id, victim.token);
    expect(await ws.closed()).toBe(4401);
    const l = await login(t.url, victim.email);
    expect(l.status).toBe(403);
    expect(l.body.error?.code).toBe('ACCOUNT_DISABLED');
    await waitForAudit(t, { type: 'user_disabled', target_id: victim.userId });
    await api(t.url, 'PUT', `/api/admin/users/${victim.userId}`, {
      body: { disabled: false },
      token: admin.token,
    });
    expect((await login(t.url, victim.email)).status).toBe(200);
  });

  it('sees a role change at once: a demoted admin loses the admin API with the same token', async () => {
    const root = await adminAccount(t, 'Root');
    const second = await adminAccount(t, 'Second');
    expect((await api(t.url, 'GET', '/api/admin/users', { token: second.token })).status).toBe(200);
    expect(
      (
        await api(t.url, 'PUT', `/api/admin/users/${second.userId}`, {
          body: { role: 'speaker' },
          token: root.token,
        })
      ).status,
    ).toBe(200);
    expect((await api(t.url, 'GET', '/api/admin/users', { token: second.token })).status).toBe(403);
    const [event] = await waitForAudit(t, { type: 'role_changed', target_id: second.userId });
    expect(event).toMatchObject({ actor_user_id: root.userId });
    expect(event!.details).toMatchObject({ role: { from: 'admin', to: 'speaker' } });
  });
});

async function waitUntilNextSecond() {
  const s = Math.floor(Date.now() / 1000);
  await new Promise<void>((resolve) => {
    const check = () => (Math.floor(Date.now() / 1000) > s ? resolve() : setTimeout(check, 20));
    check();
  });
}
