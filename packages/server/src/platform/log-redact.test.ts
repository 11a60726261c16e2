import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskEmail, redact, redactString, redactUrl, REDACTED } from './log-redact.js';

const off = { personalData: false };
const on = { personalData: true };
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const participantToken = `p_${'A'.repeat(20)}${'b'.repeat(23)}`;
const refresh = `r_${'x'.repeat(43)}`;

describe('redact', () => {
  it('replaces every secret field, at any depth, and keeps the rest', () => {
    const input = {
      req: {
        headers: {
          authorization: `Bearer ${jwt}`,
          cookie: `rs_refresh=${refresh}`,
          'proxy-authorization': 'Basic dXNlcjpwYXNz',
          'user-agent': 'Mozilla/5.0',
        },
      },
      res: { headers: { 'set-cookie': [`rs_refresh=${refresh}; HttpOnly`] } },
      body: {
        password: 'correct-horse-1',
        newPassword: 'x',
        currentPassword: 'y',
        nested: [{ accessToken: jwt, refreshToken: refresh }],
      },
      participantToken,
      joinToken: 'j-123',
      token: 'abc',
      apiKey: 'k',
      JWT_SECRET: 's',
      route: '/api/auth/login',
      status: 401,
    };
    const out = redact(input, off) as typeof input;
    expect(out.req.headers.authorization).toBe(REDACTED);
    expect(out.req.headers.cookie).toBe(REDACTED);
    expect(out.req.headers['proxy-authorization']).toBe(REDACTED);
    expect(out.req.headers['user-agent']).toBe('Mozilla/5.0');
    expect(out.res.headers['set-cookie']).toBe(REDACTED);
    expect(out.body.password).toBe(REDACTED);
    expect(out.body.newPassword).toBe(REDACTED);
    expect(out.body.currentPassword).toBe(REDACTED);
    expect(out.body.nested[0]).toEqual({ accessToken: REDACTED, refreshToken: REDACTED });
    expect(out.participantToken).toBe(REDACTED);
    expect(out.joinToken).toBe(REDACTED);
    expect(out.token).toBe(REDACTED);
    expect(out.apiKey).toBe(REDACTED);
    expect(out.JWT_SECRET).toBe(REDACTED);
    expect(out.route).toBe('/api/auth/login');
    expect(out.status).toBe(401);
    // the input is untouched
    expect(input.body.password).toBe('correct-horse-1');
    const text = JSON.stringify(out);
    for (const secret of [jwt, refresh, participantToken, 'correct-horse-1', 'dXNlcjpwYXNz'])
      expect(text).not.toContain(secret);
  });

  it('removes tokens from URLs and free text', () => {
    expect(redactUrl(`/ws/sessions/abc?token=${participantToken}&x=1`, off)).toBe(
      `/ws/sessions/abc?token=${REDACTED}&x=1`,
    );
    expect(redactUrl(`/api/x?access_token=${jwt}#frag`, off)).toBe(`/api/x?access_token=${REDACTED}`);
    expect(redactUrl('/reset?password=hunter2&email=a@b.co', off)).toBe(
      `/reset?password=${REDACTED}&email=a***@b.co`,
    );
    expect(redactString(`failed with Authorization: Bearer ${jwt}`, off)).toBe(
      `failed with Authorization: Bearer ${REDACTED}`,
    );
    expect(redactString(`joined with ${participantToken} today`, off)).toBe(`joined with ${REDACTED} today`);
    expect(redactString(`raw ${jwt}`, off)).toBe(`raw ${REDACTED}`);
    expect(redactString('connect postgresql://rstream:s3cret@db:5432/rstream', off)).toBe(
      `connect postgresql://rstream:${REDACTED}@db:5432/rstream`,
    );
    expect(redactString('body {"password":"hunter2","participantToken":"zz"}', off)).toBe(
      `body {"password":"${REDACTED}","participantToken":"${REDACTED}"}`,
    );
    expect(redactString('retry token=abc123 now', off)).toBe(`retry token=${REDACTED} now`);
  });

  it('masks personal data unless LOG_PERSONAL_DATA is on', () => {
    const input = {
      email: 'alice@example.org',
      displayName: 'Alice Liddell',
      username: 'alice',
      msg: 'invited bob@example.net',
    };
    expect(redact(input, off)).toEqual({
      email: 'a***@example.org',
      displayName: 'A***',
      username: 'a***',
      msg: 'invited b***@example.net',
    });
    expect(redact(input, on)).toEqual(input);
    expect(maskEmail('x@y.z')).toBe('x***@y.z');
  });

  it('turns errors into plain objects with redacted messages, and survives cycles', () => {
    const err = Object.assign(new Error(`bad token=${refresh}`), { code: 'E1' });
    const out = redact({ err }, off) as { err: { type: string; message: string; code: string } };
    expect(out.err.type).toBe('Error');
    expect(out.err.code).toBe('E1');
    expect(out.err.message).toBe(`bad token=${REDACTED}`);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic, off)).toEqual({ a: 1, self: '[circular]' });
  });

  it('leaves nothing secret in the lines written to the log files', async () => {
    const { createLogStreams } = await import('./logger.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'rstream-redact-'));
    try {
      const streams = createLogStreams({ LOG_LEVEL: 'silent', LOG_DIR: dir });
      streams.security.warn(
        { headers: { authorization: `Bearer ${jwt}` }, url: `/ws?token=${participantToken}` },
        `cookie rs_refresh=${refresh}`,
      );
      streams.app
        .child({ reqId: 'r1' })
        .error(
          { body: { password: 'hunter2', email: 'carol@example.com' } },
          'login failed for carol@example.com',
        );
      streams.accessLogWs({
        event: 'connect',
        url: `/ws/sessions/s1?token=${participantToken}`,
        connId: 'c1',
      });
      streams.close();
      const all = ['security', 'app', 'error', 'access']
        .map((s) =>
          readFileSync(
            streams.files()[s as 'app'] ?? path.join(dir, s, readdirSync(path.join(dir, s))[0]!),
            'utf8',
          ),
        )
        .join('');
      expect(all.split('\n').filter(Boolean).length).toBe(4); // the app error is also on the error stream
      for (const secret of [jwt, participantToken, refresh, 'hunter2', 'carol@'])
        expect(all).not.toContain(secret);
      expect(all).toContain('"reqId":"r1"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
