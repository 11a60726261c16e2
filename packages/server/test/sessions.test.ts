import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, createSession, join, speaker, startTestApp, type TestApp } from './helpers.js';

describe.each(BACKENDS)('sessions and accounts on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers, logs in, refreshes with rotation and logs out', async () => {
    const email = `ann-${Date.now()}@example.test`;
    const reg = await api<{ user: { email: string; role: string } }>(t.url, 'POST', '/api/auth/register', {
      body: {
        email: email.toUpperCase(),
        password: 'long-enough-1',
        username: 'Ann',
      },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email, role: 'speaker' });
    expect(JSON.stringify(reg.body)).not.toContain('password');

    const again = await api<{ error: { code: string } }>(t.url, 'POST', '/api/auth/register', {
      body: {
        email,
        password: 'long-enough-1',
        username: 'Ann',
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMAIL_TAKEN');

    const bad = await api<{ error: { code: string } }>(t.url, 'POST', '/api/auth/login', {
      body: {
        email,
        password: 'wrong-password',
      },
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('INVALID_CREDENTIALS');

    const login = await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/login', {
      body: {
        email,
        password: 'long-enough-1',
      },
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/rs_refresh=r_[\w-]+/);
    expect(cookie).toMatch(/HttpOnly/i);
    const refreshCookie = cookie.split(';')[0]!;

    const me = await api<{ user: { email: string } }>(t.url, 'GET', '/api/auth/me', {
      token: login.body.accessToken,
    });
    expect(me.body.user.email).toBe(email);

    const r1 = await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/refresh', {
      headers: {
        cookie: refreshCookie,
      },
    });
    expect(r1.status).toBe(200);
    expect(r1.body.accessToken.split('.')).toHaveLength(3);
    const rotated = r1.headers.get('set-cookie')!.split(';')[0]!;
    expect(rotated).not.toBe(refreshCookie);

    // Using the old token again is reuse: the whole family is revoked.
    const reuse = await api(t.url, 'POST', '/api/auth/refresh', {
      headers: {
        cookie: refreshCookie,
      },
    });
    expect(reuse.status).toBe(401);
    const afterReuse = await api(t.url, 'POST', '/api/auth/refresh', {
      headers: {
        cookie: rotated,
      },
    });
    expect(afterReuse.status).toBe(401);

    const out = await api(t.url, 'POST', '/api/auth/logout', { headers: { cookie: rotated } });
    expect(out.status).toBe(204);
  });

  it('rejects bad registration input with the fields named', async () => {
    const r = await api<{ error: { code: string; details: { path: string }[] } }>(
      t.url,
      'POST',
      '/api/auth/register',
      {
        body: {
          email: 'not-an-email',
          password: 'short',
          username: '',
        },
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect([...new Set(r.body.error.details.map((d) => d.path))].sort()).toEqual([
      'email',
      'password',
      'username',
    ]);
  });

  it('creates a session with settings, a look-alike-free code and links', async () => {
    const { token } = await speaker(t.url);
    const s = await api<
      Record<string, unknown> & { settings: Record<string, unknown>; code: string; joinUrl: string }
    >(t.url, 'POST', '/api/sessions', {
      body: {
        title: '  Quantum basics ',
        mode: 'presentation',
        settings: { anonymous: true, graphVisibility: 'own', warning: { threshold: 3 } },
      },
      token,
    });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({
      title: 'Quantum basics',
      status: 'scheduled',
      mode: 'presentation',
      participantCount: 0,
    });
    expect(s.body.code).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
    expect(s.body.settings).toMatchObject({
      anonymous: true,
      graphVisibility: 'own',
      warning: { enabled: true, threshold: 3, durationSec: 10 },
    });
    expect(s.body.joinUrl).toBe(`${t.url}/j/${s.body.code}`);

    const list = await api<{ sessions: { id: string }[] }>(t.url, 'GET', '/api/sessions', { token });
    expect(list.body.sessions.map((x) => x.id)).toContain(s.body.id);
  });

  it('only lets a signed-in speaker create sessions, in any of the three modes (a video session starts only with its video)', async () => {
    expect(
      (await api(t.url, 'POST', '/api/sessions', { body: { title: 'x', mode: 'presentation' } })).status,
    ).toBe(401);
    expect(
      (
        await api(t.url, 'POST', '/api/sessions', {
          body: { title: 'x', mode: 'presentation' },
          token: 'a.b.c',
        })
      ).status,
    ).toBe(401);
    const { token } = await speaker(t.url);
    const video = await api<{ id: string; settings: { video?: { videoId: string | null } } }>(
      t.url,
      'POST',
      '/api/sessions',
      { body: { title: 'x', mode: 'video' }, token },
    );
    expect(video.status).toBe(201);
    expect(video.body.settings.video?.videoId ?? null).toBeNull();
    const start = await api<{ error: { code: string } }>(t.url, 'PUT', `/api/sessions/${video.body.id}`, {
      body: { status: 'live' },
      token,
    });
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe('NO_VIDEO');
    const bad = await api<{ error: { details: { path: string }[] } }>(t.url, 'POST', '/api/sessions', {
      body: { title: '', mode: 'lecture', settings: { graphVisibility: 'everyone' } },
      token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['title', 'mode', 'settings.graphVisibility']),
    );
  });

  it('keeps sessions private to their host', async () => {
    const a = await speaker(t.url);
    const b = await speaker(t.url);
    const s = await createSession(t.url, a.token);
    expect((await api(t.url, 'GET', `/api/sessions/${s.id}`, { token: b.token })).status).toBe(403);
    expect(
      (await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { title: 'mine' }, token: b.token })).status,
    ).toBe(403);
    expect((await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: b.token })).status).toBe(403);
    const list = await api<{ sessions: { id: string }[] }>(t.url, 'GET', '/api/sessions', { token: b.token });
    expect(list.body.sessions.map((x) => x.id)).not.toContain(s.id);
  });

  it('answers 404 for unknown sessions and codes, never 500', async () => {
    const { token } = await speaker(t.url);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1'; drop table sessions;--"]) {
      const r = await api<{ error: { code: string } }>(
        t.url,
        'GET',
        `/api/sessions/${encodeURIComponent(id)}`,
        { token },
      );
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('SESSION_NOT_FOUND');
    }
    const code = await api(t.url, 'GET', '/api/sessions/code/AAAAAA');
    expect(code.status).toBe(404);
    const j = await api<{ error: { code: string } }>(t.url, 'POST', '/api/sessions/join', {
      body: {
        code: 'AAAAAA',
        displayName: 'Bob',
      },
    });
    expect(j.status).toBe(404);
  });

  it('joins by code (case-insensitive), validates the display name and numbers participants', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token);
    const pub = await api<{ title: string; status: string }>(
      t.url,
      'GET',
      `/api/sessions/code/${s.code.toLowerCase()}`,
    );
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ title: 'Test talk', status: 'scheduled' });
    expect(pub.body).not.toHaveProperty('joinUrl');

    for (const displayName of ['', '   ', 'x'.repeat(41)]) {
      const r = await api<{ error: { code: string; details: { path: string }[] } }>(
        t.url,
        'POST',
        '/api/sessions/join',
        { body: { code: s.code, displayName } },
      );
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details[0]!.path).toBe('displayName');
    }
    const a = await join(t.url, s.code.toLowerCase(), 'Alice');
    const b = await join(t.url, s.code, 'Bob', true);
    expect(a.role).toBe('listener');
    expect(a.participantToken).toMatch(/^p_/);

    const me = await api<{ participant: { displayName: string; ordinal: number } }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/me`,
      { token: b.participantToken },
    );
    expect(me.body.participant).toMatchObject({ displayName: 'Bob', ordinal: 2 });

    const renamed = await api<{ participant: { displayName: string } }>(
      t.url,
      'PUT',
      `/api/sessions/${s.id}/me`,
      { body: { displayName: 'Robert' }, token: a.participantToken },
    );
    expect(renamed.body.participant.displayName).toBe('Robert');

    const host = await api<{ participants: { displayName: string | null; ordinal: number }[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/participants`,
      { token },
    );
    expect(host.body.participants.map((p) => [p.ordinal, p.displayName])).toEqual([
      [1, 'Robert'],
      [2, null],
    ]);

    const session = await api<{ participantCount: number }>(t.url, 'GET', `/api/sessions/${s.id}`, { token });
    expect(session.body.participantCount).toBe(2);
  });

  it('hides every name in an anonymous session, from listeners too', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token, { anonymous: true });
    const a = await join(t.url, s.code, 'Alice');
    const host = await api<{ participants: { displayName: string | null }[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/participants`,
      { token },
    );
    expect(host.body.participants[0]!.displayName).toBeNull();
    const listener = await api(t.url, 'GET', `/api/sessions/${s.id}/participants`, {
      token: a.participantToken,
    });
    expect(listener.status).toBe(403);
  });

  it('moves status scheduled → live → ended only, and refuses joins after the end', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token);
    const live = await api<{ status: string; startedAt: string; endsAt: string }>(
      t.url,
      'PUT',
      `/api/sessions/${s.id}`,
      { body: { status: 'live' }, token },
    );
    expect(live.body.status).toBe('live');
    expect(new Date(live.body.endsAt).getTime() - new Date(live.body.startedAt).getTime()).toBe(60 * 60_000);
    const ended = await api<{ status: string; endedAt: string }>(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'ended' },
      token,
    });
    expect(ended.body.status).toBe('ended');
    expect(ended.body.endedAt).toBeTruthy();
    const back = await api<{ error: { code: string } }>(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'live' },
      token,
    });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('INVALID_STATUS_CHANGE');
    const j = await api<{ error: { code: string } }>(t.url, 'POST', '/api/sessions/join', {
      body: {
        code: s.code,
        displayName: 'Late',
      },
    });
    expect(j.status).toBe(409);
    expect(j.body.error.code).toBe('SESSION_ENDED');
    const empty = await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: {}, token });
    expect(empty.status).toBe(400);
  });

  it('deletes a session with all its data', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token);
    const a = await join(t.url, s.code, 'Alice');
    await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'live' }, token });
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/understanding`, {
          body: { level: 4 },
          token: a.participantToken,
        })
      ).status,
    ).toBe(202);
    await t.app.hub.flush();
    const del = await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token });
    expect(del.status).toBe(204);
    expect((await api(t.url, 'GET', `/api/sessions/${s.id}`, { token })).status).toBe(404);
    const db = t.app.db.kysely;
    for (const table of ['participants', 'signals', 'understanding_seconds'] as const) {
      const rows = await db.selectFrom(table).select('session_id').where('session_id', '=', s.id).execute();
      expect(rows, table).toHaveLength(0);
    }
  });

  it('turns malformed bodies into 4xx, never 500', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token);
    const cases: [string, string, string | undefined, Record<string, string>][] = [
      ['POST', '/api/sessions', '{not json', { 'content-type': 'application/json' }],
      ['POST', '/api/sessions', 'title=x', { 'content-type': 'application/x-www-form-urlencoded' }],
      [
        'POST',
        '/api/sessions',
        JSON.stringify({ title: 'x'.repeat(70_000), mode: 'presentation' }),
        { 'content-type': 'application/json' },
      ],
      ['POST', '/api/sessions', '[]', { 'content-type': 'application/json' }],
      ['POST', '/api/sessions', 'null', { 'content-type': 'application/json' }],
      [
        'PUT',
        `/api/sessions/${s.id}`,
        JSON.stringify({ status: 'paused' }),
        { 'content-type': 'application/json' },
      ],
      [
        'PUT',
        `/api/sessions/${s.id}`,
        JSON.stringify({ settings: { plannedDurationMin: -5 } }),
        { 'content-type': 'application/json' },
      ],
      ['GET', `/api/sessions/${s.id}/understanding?step=5`, undefined, {}],
      ['GET', `/api/sessions/${s.id}/understanding?from=10&to=5`, undefined, {}],
    ];
    for (const [method, route, body, headers] of cases) {
      const r = await api<{ error: { code: string } }>(t.url, method, route, { body, token, headers });
      expect(r.status, `${method} ${route} ${body?.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${route} ${body?.slice(0, 40)}`).toBeLessThan(500);
      expect(typeof r.body.error.code).toBe('string');
    }
  });

  it('serves health, readiness, metrics and the OpenAPI description', async () => {
    expect((await api<{ status: string }>(t.url, 'GET', '/api/health')).body).toEqual({ status: 'ok' });
    const ready = await api<{ status: string; checks: Record<string, string> }>(t.url, 'GET', '/api/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ db: 'ok', bus: 'ok', storage: 'ok' });
    const metrics = await fetch(`${t.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('rstream_http_request_duration_seconds_bucket');
    const spec = await api<{ openapi: string; paths: Record<string, unknown> }>(
      t.url,
      'GET',
      '/api/openapi.json',
    );
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/api/sessions', '/api/sessions/join', '/api/sessions/{id}/understanding']),
    );
  });
});
