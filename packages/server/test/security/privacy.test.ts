import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../helpers.js';
import { waitForAudit } from './fixtures.js';

describe.each(BACKENDS)('who sees whom on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('in an anonymous session no listener learns another listener’s name, by REST or WebSocket', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token, { anonymous: true, graphVisibility: 'all' });
    await goLive(t.url, host.token, s.id);
    const secret = await join(t.url, s.code, 'Secret Sam');
    const nosy = await join(t.url, s.code, 'Nosy Nick');
    const r = await api<{ error: { code: string } }>(t.url, 'GET', `/api/sessions/${s.id}/participants`, {
      token: nosy.participantToken,
    });
    expect(r.status).toBe(403);
    const ws = new WsClient(t.url, s.id, nosy.participantToken);
    await ws.next((m) => m.type === 'welcome');
    const sam = new WsClient(t.url, s.id, secret.participantToken);
    await sam.next((m) => m.type === 'welcome');
    sam.send({ type: 'understanding:set', level: 2 });
    await ws.next((m) => m.type === 'understanding:update' && m.n === 1);
    const history = await api(t.url, 'GET', `/api/sessions/${s.id}/understanding`, {
      token: nosy.participantToken,
    });
    expect(history.status).toBe(200);
    const seen = JSON.stringify([ws.messages, history.body]);
    expect(seen).not.toContain('Secret Sam');
    expect(seen).not.toContain(secret.participantId);
    // the host sees the level but not the name either
    const hostView = await api<{ participants: { displayName: string | null }[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/participants`,
      { token: host.token },
    );
    expect(hostView.body.participants.every((p) => p.displayName === null)).toBe(true);
    ws.close();
    sam.close();
  });

  it('a listener never gets another session’s data, even with a valid token of its own session', async () => {
    const a = await speaker(t.url);
    const sa = await createSession(t.url, a.token, {}, 'Mine');
    const sb = await createSession(t.url, a.token, {}, 'Not mine');
    const l = await join(t.url, sa.code, 'Lia');
    for (const route of ['', '/participants', '/understanding', '/me', '/questions', '/invitations']) {
      const r = await api(t.url, 'GET', `/api/sessions/${sb.id}${route}`, { token: l.participantToken });
      expect([403, 404], `${route}: ${r.status}`).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toContain('Not mine');
    }
    const ws = new WsClient(t.url, sb.id, l.participantToken);
    expect(await ws.closed()).toBe(4403);
    const [denied] = await waitForAudit(t, { type: 'ws_denied', session_id: sb.id });
    expect(denied).toMatchObject({ outcome: 'denied', ip: '127.0.0.1' });
    expect(denied!.details).toMatchObject({ code: 4403 });
  });
});
