import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestApp, speaker, type TestApp } from '../helpers.js';
import { login } from './fixtures.js';

describe.each(BACKENDS)('security headers on %s', (backend) => {
  describe('defaults (no proxy, no CORS origins)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('sends a strict CSP and the usual hardening headers, and no HSTS over plain http', async () => {
      const r = await fetch(`${t.url}/api/health`);
      const csp = r.headers.get('content-security-policy')!;
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k, v.join(' ')]),
      );
      expect(directives['default-src']).toBe("'self'");
      expect(directives['script-src']).toBe("'self'");
      expect(directives['script-src-attr']).toBe("'none'");
      expect(directives['connect-src']).toBe("'self'");
      expect(directives['object-src']).toBe("'none'");
      expect(directives['frame-ancestors']).toBe("'none'");
      expect(directives['base-uri']).toBe("'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(directives['script-src']).not.toContain('unsafe-inline');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('strict-transport-security')).toBeNull();
      // a forged X-Forwarded-Proto is ignored without TRUST_PROXY
      const forged = await fetch(`${t.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(forged.headers.get('strict-transport-security')).toBeNull();
    });

    it('answers no CORS headers to any origin (same-origin only)', async () => {
      const r = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example' } });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await fetch(`${t.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sets the refresh cookie httpOnly, SameSite=Strict, on /api/auth only, and not Secure over http', async () => {
      const u = await speaker(t.url);
      const l = await login(t.url, u.email);
      expect(l.setCookie).toMatch(/HttpOnly/i);
      expect(l.setCookie).toMatch(/SameSite=Strict/i);
      expect(l.setCookie).toMatch(/Path=\/api\/auth/i);
      expect(l.setCookie).not.toMatch(/Secure/i);
    });
  });

  describe('behind a TLS proxy with a CORS allow-list', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(backend, {
        TRUST_PROXY: 'true',
        CORS_ORIGINS: 'https://app.example.com, https://admin.example.com',
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('sends HSTS only for requests that came over https', async () => {
      const https = await fetch(`${t.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const http = await fetch(`${t.url}/api/health`, { headers: { 'x-forwarded-proto': 'http' } });
      expect(http.headers.get('strict-transport-security')).toBeNull();
    });

    it('allows only the listed origins, with credentials', async () => {
      const ok = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://app.example.com' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
      const pre = await fetch(`${t.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://admin.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(pre.status).toBeLessThan(300);
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
      const bad = await fetch(`${t.url}/api/health`, {
        headers: { origin: 'https://app.example.com.evil.example' },
      });
      expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('marks the refresh cookie Secure over https', async () => {
      const u = await speaker(t.url);
      const r = await api(t.url, 'POST', '/api/auth/login', {
        body: { email: u.email, password: 'correct-horse-1' },
        headers: { 'x-forwarded-proto': 'https' },
      });
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
    });
  });

  it('refuses a CORS_ORIGINS value that is not a list of origins', async () => {
    await expect(
      startTestApp(backend, { CORS_ORIGINS: 'https://ok.example, not a url/path' }),
    ).rejects.toThrow(/CORS_ORIGINS/);
  });
});
