import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLIENT_MESSAGE_TYPES } from '@rstream/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, join, startTestApp, WsClient, type TestApp } from '../helpers.js';
import { PUBLIC_ROUTES } from '../../src/platform/route-access.js';
import { createUsers, createWorld, type World } from './fixtures.js';
import {
  MATRIX,
  refs,
  routeTable,
  tokenOf,
  WHO,
  WS_CONNECT,
  WS_MATRIX,
  type WsExpect,
} from './routes-matrix.js';

describe.each(BACKENDS)('authorisation matrix on %s', (backend) => {
  let t: TestApp;
  let users: Awaited<ReturnType<typeof createUsers>>;
  let world: World;
  beforeAll(async () => {
    // no web build: only the API's routes are in the table
    t = await startTestApp(backend, {
      WEB_DIST_DIR: mkdtempSync(path.join(tmpdir(), 'rstream-noweb-')),
      ALERTMANAGER_WEBHOOK_TOKEN: 'matrix-relay-token-not-given-to-anyone',
      // the matrix's recording must still be running when its routes are called, however slow the run
      RECORDING_GRACE_SEC: '86400',
    });
    users = await createUsers(t);
    world = await createWorld(t, users);
    const asker = await join(t.url, world.sessionA.code, 'Asker');
    const q = await api<{ question: { id: string } }>(
      t.url,
      'POST',
      `/api/sessions/${world.sessionA.id}/questions`,
      { body: { content: 'Why?' }, token: asker.participantToken },
    );
    refs.questionId = q.body.question.id;
    const rec = await api<{ recording: { id: string } }>(
      t.url,
      'POST',
      `/api/sessions/${world.sessionA.id}/recordings`,
      { body: {}, token: users.host.token },
    );
    refs.recordingId = rec.body.recording.id;
    const upload = await fetch(`${t.url}/api/uploads`, {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-defer-length': '1',
        'upload-metadata': `recordingId ${Buffer.from(refs.recordingId).toString('base64')}`,
        authorization: `Bearer ${users.host.token}`,
      },
    });
    refs.uploadId = upload.headers.get('location')!.split('/').pop()!;
    const video = async () =>
      (
        await api<{ video: { id: string } }>(t.url, 'POST', '/api/videos', {
          body: { title: 'Matrix', url: 'https://media.example.test/matrix.mp4' },
          token: users.host.token,
        })
      ).body.video.id;
    refs.videoId = await video();
    refs.usedVideoId = await video();
    await api(t.url, 'POST', '/api/sessions', {
      body: { title: 'Showing', mode: 'video', settings: { video: { videoId: refs.usedVideoId } } },
      token: users.host.token,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has an entry for every route the server serves, and no entry for a route that is gone', () => {
    const served = routeTable(t.app.fastify).filter((r) => !r.includes('/assets/'));
    expect(served.length).toBeGreaterThan(30);
    expect(
      served.filter((r) => !(r in MATRIX)),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((r) => !served.includes(r)),
      'matrix entries without a route',
    ).toEqual([]);
  });

  it('lets anonymous callers through exactly the routes the server declares public (PUBLIC_ROUTES)', () => {
    const open = Object.entries(MATRIX)
      .filter(([, e]) => !/^40[13]/.test(String(e.expect.anonymous)))
      .map(([k]) => k)
      .sort();
    expect(open).toEqual(Object.keys(PUBLIC_ROUTES).sort());
  });

  it('answers every route with the expected status for every kind of caller', async () => {
    const wrong: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      const method = key.split(' ')[0]!;
      for (const who of WHO) {
        const w = entry.fresh ? await createWorld(t, users) : world;
        const body = entry.body?.(w);
        const r = await api<{ error?: { code: string } }>(t.url, method, entry.path(w), {
          body,
          token: tokenOf(w, who),
          headers: entry.headers?.(w),
        });
        const want = entry.expect[who];
        const got = typeof want === 'string' ? `${r.status}:${r.body?.error?.code}` : r.status;
        if (got !== want)
          wrong.push(
            `${key} as ${who}: expected ${want}, got ${got} ${JSON.stringify(r.body).slice(0, 120)}`,
          );
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('checks every client WebSocket message for every kind of caller', async () => {
    expect(Object.keys(WS_MATRIX).sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
    // every type the protocol declares is registered with the gateway, and nothing else
    expect([...t.app.gateway.messageTypes()].sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
    const wrong: string[] = [];
    for (const who of WHO) {
      const ws = new WsClient(t.url, world.sessionA.id, tokenOf(world, who) ?? null);
      const want = WS_CONNECT[who];
      if (typeof want === 'number') {
        const code = await ws.closed();
        if (code !== want) wrong.push(`connect as ${who}: expected close ${want}, got ${code}`);
        continue;
      }
      const welcome = await ws.next((m) => m.type === 'welcome');
      if (welcome.role !== want) wrong.push(`connect as ${who}: role ${String(welcome.role)}`);
      for (const [type, spec] of Object.entries(WS_MATRIX)) {
        const expected = spec.expect[who] ?? 'refused';
        const from = ws.messages.length;
        ws.send(spec.msg());
        // a ping right after: its pong proves everything before it was handled
        const marker = `after-${type}`;
        ws.send({ type: 'ping', id: marker });
        await ws.next((m) => m.type === 'pong' && m.id === marker, 5000, from);
        const error = ws.messages.slice(from).find((m) => m.type === 'error');
        const got: WsExpect = error ? `error:${String(error.code)}` : 'ok';
        if (got !== expected) wrong.push(`${type} as ${who}: expected ${expected}, got ${got}`);
      }
      ws.close();
      await ws.closed();
    }
    expect(wrong).toEqual([]);
  });
});
