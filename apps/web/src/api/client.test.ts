import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, jwtSecondsLeft } from './client';

function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function jwt(expSec: number): string {
  const enc = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '');
  return `${enc({ alg: 'HS256' })}.${enc({ exp: expSec })}.sig`;
}

describe('ApiClient', () => {
  it('sends JSON with cookies and the bearer token', async () => {
    const fetchImpl = vi.fn(async (..._args: Parameters<typeof fetch>) => jsonResponse(200, { ok: 1 }));
    const client = new ApiClient('', fetchImpl);
    client.setAccessToken('T1');
    await expect(client.post('/api/x', { a: 1 })).resolves.toEqual({ ok: 1 });
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/x');
    expect(init?.credentials).toBe('include');
    expect(init?.body).toBe('{"a":1}');
    expect((init?.headers as Record<string, string>).authorization).toBe('Bearer T1');
  });

  it('refreshes once on 401 and retries', async () => {
    const calls: string[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
      calls.push(`${String(url)} ${auth ?? ''}`);
      if (String(url) === '/api/auth/refresh') return jsonResponse(200, { accessToken: 'NEW' });
      return auth === 'Bearer NEW'
        ? jsonResponse(200, { fine: true })
        : jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } });
    });
    const client = new ApiClient('', fetchImpl as typeof fetch);
    client.setAccessToken('OLD');
    await expect(client.get('/api/sessions')).resolves.toEqual({ fine: true });
    expect(calls).toEqual(['/api/sessions Bearer OLD', '/api/auth/refresh ', '/api/sessions Bearer NEW']);
    expect(client.getAccessToken()).toBe('NEW');
  });

  it('surfaces the server error body when the refresh fails', async () => {
    const fetchImpl = vi.fn(async (url: RequestInfo | URL) =>
      String(url) === '/api/auth/refresh'
        ? jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'no cookie' } })
        : jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'expired', requestId: 'r1' } }),
    );
    const client = new ApiClient('', fetchImpl as typeof fetch);
    const err = await client.get('/api/sessions').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', requestId: 'r1' });
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it('does not refresh for participant calls', async () => {
    const fetchImpl = vi.fn(async () =>
      jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'bad token' } }),
    );
    const client = new ApiClient('', fetchImpl as typeof fetch);
    await expect(client.get('/api/sessions/1/me', { bearer: 'P' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('maps network failures and non-JSON errors', async () => {
    const down = new ApiClient(
      '',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(down.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
    const broken = new ApiClient(
      '',
      vi.fn(async () => new Response('<html>', { status: 502 })),
    );
    await expect(broken.get('/api/x')).rejects.toMatchObject({ status: 502, code: 'INTERNAL' });
    const empty = new ApiClient(
      '',
      vi.fn(async () => new Response(null, { status: 204 })),
    );
    await expect(empty.delete('/api/x')).resolves.toBeUndefined();
  });

  it('shares one refresh between concurrent callers', async () => {
    let refreshes = 0;
    const fetchImpl = vi.fn(async () => {
      refreshes++;
      return jsonResponse(200, { accessToken: 'A' });
    });
    const client = new ApiClient('', fetchImpl as typeof fetch);
    const [a, b] = await Promise.all([client.refresh(), client.refresh()]);
    expect([a, b, refreshes]).toEqual(['A', 'A', 1]);
  });
});

describe('jwtSecondsLeft', () => {
  it('reads exp', () => {
    expect(jwtSecondsLeft(jwt(1000), 900_000)).toBe(100);
    expect(jwtSecondsLeft('garbage')).toBeNull();
  });
});
