import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BACKENDS, createSession, join, speaker, startTestApp, WsClient, type TestApp } from '../helpers.js';
import { quiet } from './audit-fixtures.js';

/** Opens a socket the way the web app does: the token in Sec-WebSocket-Protocol, not in the URL. */
function open(t: TestApp, sessionId: string, protocols: string[], headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws/sessions/${sessionId}`, protocols, {
    headers,
  });
  const first = new Promise<{ type?: string; code?: number; status?: number }>((resolve) => {
    ws.once('message', (d) => resolve(JSON.parse(d.toString())));
    ws.once('close', (code) => resolve({ code }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => {});
  });
  return { ws, first };
}

describe.each(BACKENDS)('WebSocket token in the Sec-WebSocket-Protocol header on %s', (backend) => {
  let t: TestApp;
  let session: { id: string; code: string };
  let host: { token: string };
  beforeAll(async () => {
    t = await startTestApp(backend, {}, quiet);
    host = await speaker(t.url);
    session = await createSession(t.url, host.token);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('accepts a listener and the host by subprotocol and answers with the rstream subprotocol', async () => {
    const listener = await join(t.url, session.code, 'Proto');
    for (const token of [listener.participantToken, host.token]) {
      const c = open(t, session.id, ['rstream', `bearer.${token}`]);
      expect((await c.first).type).toBe('welcome');
      expect(c.ws.protocol).toBe('rstream');
      c.ws.close();
    }
  });

  it('refuses a wrong token sent that way with 4401, and keeps ?token= working', async () => {
    const bad = open(t, session.id, ['rstream', 'bearer.p_not-a-real-token']);
    expect((await bad.first).code).toBe(4401);
    const listener = await join(t.url, session.code, 'Query');
    const legacy = new WsClient(t.url, session.id, listener.participantToken);
    expect((await legacy.next((m) => m.type === 'welcome')).type).toBe('welcome');
    legacy.close();
  });

  it('refuses an upgrade from another site (Origin) with 403, whatever the token', async () => {
    const listener = await join(t.url, session.code, 'Foreign');
    const c = open(t, session.id, ['rstream', `bearer.${listener.participantToken}`], {
      origin: 'https://evil.example',
    });
    expect((await c.first).status).toBe(403);
    const same = open(t, session.id, ['rstream', `bearer.${listener.participantToken}`], {
      origin: t.url,
    });
    expect((await same.first).type).toBe('welcome');
    same.ws.close();
  });
});
