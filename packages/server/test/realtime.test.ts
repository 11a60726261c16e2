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
} from './helpers.js';

type Msg = Record<string, unknown>;
const isUpdate = (m: Msg) => m.type === 'understanding:update';

describe.each(BACKENDS)('real-time understanding on %s', (backend) => {
  let t: TestApp;
  const sockets: WsClient[] = [];
  const ws = (sessionId: string, token: string | null) => {
    const c = new WsClient(t.url, sessionId, token);
    sockets.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { TICK_MS: '50', PRESENCE_GRACE_MS: '300' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });

  async function liveSession(settings: Record<string, unknown> = {}) {
    const host = await speaker(t.url, 'Host');
    const s = await createSession(t.url, host.token, settings);
    await goLive(t.url, host.token, s.id);
    return { host, s };
  }

  it('greets each client with welcome and the session status', async () => {
    const { host, s } = await liveSession();
    const sp = ws(s.id, host.token);
    const welcome = await sp.next((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({ role: 'host', participantId: null, protocolVersion: 1, tickMs: 50 });
    const status = await sp.next((m) => m.type === 'session:status');
    expect(status).toMatchObject({ status: 'live' });
    expect(typeof status.startedAt).toBe('string');
  });

  it('aggregates listeners’ signals into one update per tick for the speaker and listeners', async () => {
    const { host, s } = await liveSession();
    const a = await join(t.url, s.code, 'Alice');
    const b = await join(t.url, s.code, 'Bob');
    const sp = ws(s.id, host.token);
    const la = ws(s.id, a.participantToken);
    const lb = ws(s.id, b.participantToken);
    await Promise.all([sp, la, lb].map((c) => c.next((m) => m.type === 'welcome')));

    la.send({ type: 'understanding:set', level: 2 });
    lb.send({ type: 'understanding:set', level: 5 });
    const update = await sp.next((m) => isUpdate(m) && m.n === 2);
    expect(update).toMatchObject({ avg: 3.5, n: 2, counts: [0, 1, 0, 0, 1] });
    const levels = Object.fromEntries(
      (update.participants as { participantId: string; level: number }[]).map((p) => [
        p.participantId,
        p.level,
      ]),
    );
    expect(levels).toEqual({ [a.participantId]: 2, [b.participantId]: 5 });
    expect(typeof update.ts).toBe('number');

    const forListener = await lb.next((m) => isUpdate(m) && m.n === 2);
    expect(forListener).toMatchObject({ avg: 3.5, n: 2 });
    expect(forListener).not.toHaveProperty('participants');

    const roster = await sp.next(
      (m) => m.type === 'participants' && (m.participants as unknown[]).length === 2,
    );
    const names = (roster.participants as { displayName: string }[]).map((p) => p.displayName).sort();
    expect(names).toEqual(['Alice', 'Bob']);
  });

  it('sends listeners no aggregate when the graph is hidden from them', async () => {
    const { host, s } = await liveSession({ graphVisibility: 'own' });
    const a = await join(t.url, s.code, 'Alice');
    const sp = ws(s.id, host.token);
    const la = ws(s.id, a.participantToken);
    await la.next((m) => m.type === 'welcome');
    la.send({ type: 'understanding:set', level: 4 });
    await sp.next((m) => isUpdate(m) && m.n === 1);
    la.send({ type: 'ping', id: 'after' });
    await la.next((m) => m.type === 'pong' && m.id === 'after');
    expect(la.messages.filter(isUpdate)).toHaveLength(0);
  });

  it('keeps a listener’s level across a reconnect and forgets absent listeners after the grace period', async () => {
    const { host, s } = await liveSession();
    const a = await join(t.url, s.code, 'Alice');
    const sp = ws(s.id, host.token);
    const first = ws(s.id, a.participantToken);
    await first.next((m) => m.type === 'welcome');
    first.send({ type: 'understanding:set', level: 4 });
    await sp.next((m) => isUpdate(m) && m.n === 1 && m.avg === 4);

    first.close();
    // Away longer than the grace period: no longer counted.
    await sp.nextNew((m) => isUpdate(m) && m.n === 0, 5000);

    const again = ws(s.id, a.participantToken);
    const welcome = await again.next((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({ role: 'listener', participantId: a.participantId, level: 4 });
    const back = await sp.nextNew((m) => isUpdate(m) && m.n === 1);
    expect(back.avg).toBe(4);
  });

  it('answers bad messages with an error and keeps the connection (nothing stored)', async () => {
    const { host, s } = await liveSession();
    const a = await join(t.url, s.code, 'Alice');
    const la = ws(s.id, a.participantToken);
    await la.next((m) => m.type === 'welcome');
    const cases: [unknown, string][] = [
      ['not json', 'BAD_MESSAGE'],
      [{ type: 'understanding:set', level: 7 }, 'VALIDATION_FAILED'],
      [{ type: 'understanding:set', level: 2.5 }, 'VALIDATION_FAILED'],
      [{ type: 'understanding:set' }, 'VALIDATION_FAILED'],
      [{ type: 'teleport' }, 'UNKNOWN_MESSAGE'],
      [{ type: 'ping', id: 'x'.repeat(5000) }, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [msg, code] of cases) {
      const from = la.messages.length;
      la.send(msg);
      const err = await la.next((m) => m.type === 'error', 3000, from);
      expect(err.code, JSON.stringify(msg).slice(0, 60)).toBe(code);
    }
    la.send({ type: 'ping', id: 1 });
    expect(await la.next((m) => m.type === 'pong' && m.id === 1)).toBeTruthy();
    expect(la.closeCode).toBeNull();
    await t.app.hub.flush();
    const stored = await t.app.db.kysely
      .selectFrom('signals')
      .select('level')
      .where('session_id', '=', s.id)
      .execute();
    expect(stored).toHaveLength(0);
    // The host cannot signal.
    const sp = ws(s.id, host.token);
    await sp.next((m) => m.type === 'welcome');
    sp.send({ type: 'understanding:set', level: 3 });
    expect((await sp.next((m) => m.type === 'error')).code).toBe('FORBIDDEN');
  });

  it('refuses signals before the start and after the end', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    const a = await join(t.url, s.code, 'Early');
    const la = ws(s.id, a.participantToken);
    await la.next((m) => m.type === 'welcome');
    la.send({ type: 'understanding:set', level: 3 });
    expect((await la.next((m) => m.type === 'error')).code).toBe('SESSION_NOT_LIVE');
    const http = await api<{ error: { code: string } }>(
      t.url,
      'POST',
      `/api/sessions/${s.id}/understanding`,
      { body: { level: 3 }, token: a.participantToken },
    );
    expect(http.status).toBe(409);
    await goLive(t.url, host.token, s.id);
    await la.next((m) => m.type === 'session:status' && m.status === 'live');
    la.send({ type: 'understanding:set', level: 3 });
    await la.next((m) => m.type === 'understanding:update' && m.n === 1);
    await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'ended' }, token: host.token });
    await la.next((m) => m.type === 'session:status' && m.status === 'ended');
    const from = la.messages.length;
    la.send({ type: 'understanding:set', level: 4 });
    const err = await la.next((m) => m.type === 'error', 3000, from);
    expect(err).toMatchObject({ code: 'SESSION_NOT_LIVE', message: 'The session has ended.' });
  });

  it('closes with the contract’s codes: 4401 bad token, 4403 other session, 4404 unknown session', async () => {
    const { s } = await liveSession();
    const other = await liveSession();
    const b = await join(t.url, other.s.code, 'Mallory');
    expect(await ws(s.id, 'p_not-a-real-token').closed()).toBe(4401);
    expect(await ws(s.id, null).closed()).toBe(4401);
    expect(await ws(s.id, 'eyJ.bad.jwt').closed()).toBe(4401);
    expect(await ws(s.id, b.participantToken).closed()).toBe(4403);
    expect(await ws(s.id, other.host.token).closed()).toBe(4403);
    expect(await ws('00000000-0000-4000-8000-000000000000', b.participantToken).closed()).toBe(4404);
    expect(await ws('nope', b.participantToken).closed()).toBe(4404);
  });

  it('persists signals and per-second aggregates, and serves the history with downsampling', async () => {
    const { host, s } = await liveSession();
    const a = await join(t.url, s.code, 'Alice');
    const b = await join(t.url, s.code, 'Bob');
    const sp = ws(s.id, host.token);
    const la = ws(s.id, a.participantToken);
    const lb = ws(s.id, b.participantToken);
    await Promise.all([la, lb].map((c) => c.next((m) => m.type === 'welcome')));
    la.send({ type: 'understanding:set', level: 1 });
    lb.send({ type: 'understanding:set', level: 3 });
    await sp.next((m) => isUpdate(m) && m.n === 2 && m.avg === 2);
    // HTTP fallback of the same signal path.
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/understanding`, {
          body: { level: 5 },
          token: a.participantToken,
        })
      ).status,
    ).toBe(202);
    const latest = await sp.next((m) => isUpdate(m) && m.avg === 4);
    // Wait until at least one full second with both listeners has been recorded.
    const started = Date.now();
    let history: {
      points: { t: number; avg: number | null; n: number }[];
      participants?: { participantId: string; displayName: string; points: { level: number }[] }[];
    } = { points: [] };
    while (Date.now() - started < 10_000) {
      await t.app.hub.flush();
      history = (
        await api<typeof history>(t.url, 'GET', `/api/sessions/${s.id}/understanding`, { token: host.token })
      ).body;
      if (history.points.some((p) => p.n === 2 && p.avg === 4)) break;
      await sp.nextNew(isUpdate, 1500).catch(() => undefined);
    }
    expect(
      history.points.some((p) => p.n === 2 && p.avg === 4),
      JSON.stringify(history.points),
    ).toBe(true);
    const alice = history.participants!.find((p) => p.participantId === a.participantId)!;
    expect(alice.displayName).toBe('Alice');
    expect(alice.points.at(-1)!.level).toBe(5);
    expect(latest.seq).toBeGreaterThan(0);

    const stored = await t.app.db.kysely
      .selectFrom('signals')
      .select(['level'])
      .where('session_id', '=', s.id)
      .orderBy('id')
      .execute();
    expect(stored.map((r) => r.level)).toEqual(expect.arrayContaining([1, 3, 5]));

    const coarse = await api<{ step: number; points: unknown[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/understanding?step=60000&participants=0`,
      { token: host.token },
    );
    expect(coarse.body.step).toBe(60_000);
    expect(coarse.body.points).toHaveLength(1);
    expect(coarse.body).not.toHaveProperty('participants');

    // A listener sees the aggregate (graph visibility "all") but no one's line.
    const asListener = await api<{ points: unknown[]; participants?: unknown }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/understanding`,
      { token: b.participantToken },
    );
    expect(asListener.body.points.length).toBeGreaterThan(0);
    expect(asListener.body.participants).toBeUndefined();
  });

  it('raises the warning when the average stays below the rule, and clears it', async () => {
    const { host, s } = await liveSession({ warning: { enabled: true, threshold: 2.5, durationSec: 1 } });
    const a = await join(t.url, s.code, 'Alice');
    const sp = ws(s.id, host.token);
    const la = ws(s.id, a.participantToken);
    await la.next((m) => m.type === 'welcome');
    la.send({ type: 'understanding:set', level: 1 });
    const on = await sp.next((m) => m.type === 'warning' && m.active === true, 5000);
    expect(on.avg).toBe(1);
    la.send({ type: 'understanding:set', level: 4 });
    await sp.next((m) => m.type === 'warning' && m.active === false, 5000);
  });
});
