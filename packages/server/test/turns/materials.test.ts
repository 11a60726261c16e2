import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestApp, WsClient, type TestApp } from '../helpers.js';
import { tusPatch } from '../recordings/fixtures.js';
import { discussion } from './turn-helpers.js';

interface MaterialBody {
  id: string;
  title: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  status: string;
  url: string | null;
}

const b64 = (v: string) => Buffer.from(v).toString('base64');

/** POST /api/uploads for a material (its length declared up front) → the upload URL. */
async function tusCreate(base: string, token: string, materialId: string, length: number) {
  const res = await fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(length),
      'upload-metadata': `materialId ${b64(materialId)}`,
      authorization: `Bearer ${token}`,
    },
  });
  const location = res.headers.get('location');
  await res.text();
  return { status: res.status, url: location ? new URL(location, `${base}/api/uploads`).toString() : null };
}

/**
 * Materials as uploaded files: announced by the people on stage, uploaded by tus
 * (`Upload-Metadata: materialId`), listed to everyone with a signed download URL, deleted on
 * request and with the session — and a storage that fails during the deletion keeps everything.
 */
describe.each(BACKENDS)('discussion materials (files) on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function uploaded(token: string, sessionId: string, data: Buffer, fileName = 'Agenda 議題.pdf') {
    const created = await api<{ material: MaterialBody }>(
      t.url,
      'POST',
      `/api/sessions/${sessionId}/materials`,
      { body: { title: 'Agenda', fileName, mediaType: 'application/pdf', sizeBytes: data.length }, token },
    );
    expect(created.status).toBe(201);
    expect(created.body.material).toMatchObject({ status: 'uploading', url: null });
    const up = await tusCreate(t.url, token, created.body.material.id, data.length);
    expect(up.status).toBe(201);
    const half = Math.floor(data.length / 2);
    expect((await tusPatch(up.url!, token, 0, data.subarray(0, half))).status).toBe(204);
    expect((await tusPatch(up.url!, token, half, data.subarray(half))).status).toBe(204);
    return { material: created.body.material, uploadUrl: up.url! };
  }

  const list = (sessionId: string, token: string) =>
    api<{ materials: MaterialBody[] }>(t.url, 'GET', `/api/sessions/${sessionId}/materials`, { token });

  it('the host uploads a file; every participant lists it and downloads it by its signed URL', async () => {
    const { host, s, people } = await discussion(t.url, { facilitator: 'me', materials: ['me'] }, ['Alice']);
    const alice = people[0]!;
    const data = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300_000)]);
    const { material } = await uploaded(host.token, s.id, data);

    const seen = await list(s.id, alice.participantToken);
    expect(seen.status).toBe(200);
    expect(seen.body.materials).toHaveLength(1);
    const m = seen.body.materials[0]!;
    expect(m).toMatchObject({
      id: material.id,
      title: 'Agenda',
      fileName: 'Agenda 議題.pdf',
      status: 'ready',
    });
    expect(m.url).toMatch(new RegExp(`^/api/media/materials/${material.id}\\?exp=\\d+&sig=`));
    const file = await fetch(`${t.url}${m.url}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; .*filename\*=UTF-8''Agenda%20/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await file.arrayBuffer()).equals(data)).toBe(true);
    // the signature is the credential
    expect((await fetch(`${t.url}/api/media/materials/${material.id}`)).status).toBe(401);
    // one character of the signature changed (to another character: an 'A' stays an 'A' otherwise)
    const tampered = m.url!.replace(/sig=(.)/, (_all, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect(tampered).not.toBe(m.url);
    expect((await fetch(`${t.url}${tampered}`)).status).toBe(403);
    // the stored file sits under the session's prefix
    expect((await t.app.storage.list(`materials/${s.id}/`)).map((o) => o.size)).toEqual([data.length]);

    // a listener may not announce or delete one
    const refused = await api(t.url, 'POST', `/api/sessions/${s.id}/materials`, {
      body: { fileName: 'x.pdf', mediaType: 'application/pdf', sizeBytes: 10 },
      token: alice.participantToken,
    });
    expect(refused.status).toBe(403);
    expect(
      (
        await api(t.url, 'DELETE', `/api/sessions/${s.id}/materials/${material.id}`, {
          token: alice.participantToken,
        })
      ).status,
    ).toBe(403);
    // the host deletes it: the file is gone, then the row
    expect(
      (await api(t.url, 'DELETE', `/api/sessions/${s.id}/materials/${material.id}`, { token: host.token }))
        .status,
    ).toBe(204);
    expect(await t.app.storage.list(`materials/${s.id}/`)).toEqual([]);
    expect((await list(s.id, alice.participantToken)).body.materials).toEqual([]);
  });

  it('every screen hears of a file as it changes: on stage while it uploads, everyone once ready, and its deletion', async () => {
    const { host, s, people } = await discussion(t.url, { facilitator: 'me', materials: ['me'] }, ['Alice']);
    const hostWs = new WsClient(t.url, s.id, host.token);
    const aliceWs = new WsClient(t.url, s.id, people[0]!.participantToken);
    try {
      await Promise.all([hostWs, aliceWs].map((c) => c.next((m) => m.type === 'welcome')));
      const updated = (status: string) => (m: Record<string, unknown>) =>
        m.type === 'material:updated' && (m.material as MaterialBody).status === status;
      const data = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(50_000)]);
      const created = await api<{ material: MaterialBody }>(
        t.url,
        'POST',
        `/api/sessions/${s.id}/materials`,
        {
          body: {
            title: 'Slides',
            fileName: 'slides.pdf',
            mediaType: 'application/pdf',
            sizeBytes: data.length,
          },
          token: host.token,
        },
      );
      const id = created.body.material.id;
      const onStage = (await hostWs.next(updated('uploading'))).material as MaterialBody;
      expect(onStage).toMatchObject({ id, title: 'Slides', url: null });

      const up = await tusCreate(t.url, host.token, id, data.length);
      expect((await tusPatch(up.url!, host.token, 0, data)).status).toBe(204);
      const [forHost, forAlice] = await Promise.all(
        [hostWs, aliceWs].map(async (c) => (await c.next(updated('ready'))).material as MaterialBody),
      );
      expect(forAlice).toMatchObject({ id, status: 'ready', sizeBytes: data.length });
      expect(forHost!.url).toBe(forAlice!.url);
      // the pushed URL downloads the file
      const file = await fetch(`${t.url}${forAlice!.url}`);
      expect(Buffer.from(await file.arrayBuffer()).equals(data)).toBe(true);
      // the listener never heard of it while it was uploading (it was sent before the ready one)
      expect(aliceWs.messages.filter(updated('uploading'))).toEqual([]);

      expect(
        (await api(t.url, 'DELETE', `/api/sessions/${s.id}/materials/${id}`, { token: host.token })).status,
      ).toBe(204);
      for (const c of [hostWs, aliceWs])
        expect(await c.next((m) => m.type === 'material:removed')).toEqual({
          type: 'material:removed',
          materialId: id,
        });
    } finally {
      hostWs.close();
      aliceWs.close();
    }
  });

  it('limits: types, sizes, no byte past the declared size, discussion sessions only', async () => {
    const { host, s } = await discussion(t.url, { facilitator: 'me' }, []);
    const post = (body: unknown) =>
      api<{ error: { code: string } }>(t.url, 'POST', `/api/sessions/${s.id}/materials`, {
        body,
        token: host.token,
      });
    expect((await post({ fileName: 'page.html', mediaType: 'text/html', sizeBytes: 10 })).status).toBe(400);
    expect(
      (await post({ fileName: 'big.pdf', mediaType: 'application/pdf', sizeBytes: 26 * 1024 * 1024 })).status,
    ).toBe(400);
    expect((await post({ fileName: '../x.pdf', mediaType: 'application/pdf', sizeBytes: 10 })).status).toBe(
      400,
    );
    const ok = await api<{ material: MaterialBody }>(t.url, 'POST', `/api/sessions/${s.id}/materials`, {
      body: { fileName: 'notes.txt', mediaType: 'text/plain', sizeBytes: 100 },
      token: host.token,
    });
    expect(ok.status).toBe(201);
    // a tus upload longer than declared is refused at creation, and PATCH bytes past it too
    expect((await tusCreate(t.url, host.token, ok.body.material.id, 101)).status).toBe(413);
    const up = await tusCreate(t.url, host.token, ok.body.material.id, 100);
    expect(up.status).toBe(201);
    expect((await tusPatch(up.url!, host.token, 0, randomBytes(150))).status).toBe(413);
    expect((await list(s.id, host.token)).body.materials.map((m) => m.status)).toEqual(['uploading']);

    const talk = await api<{ id: string }>(t.url, 'POST', '/api/sessions', {
      body: { title: 'Talk', mode: 'presentation' },
      token: host.token,
    });
    const wrong = await api<{ error: { code: string } }>(
      t.url,
      'POST',
      `/api/sessions/${talk.body.id}/materials`,
      { body: { fileName: 'a.pdf', mediaType: 'application/pdf', sizeBytes: 10 }, token: host.token },
    );
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('NOT_DISCUSSION');
  });

  it('deleting the session deletes its files; storage down during the deletion refuses it, nothing lost', async () => {
    const { host, s } = await discussion(t.url, { facilitator: 'me' }, []);
    const data = randomBytes(50_000);
    const { material } = await uploaded(host.token, s.id, data, 'slides.pdf');
    const storage = t.app.storage;
    const deletePrefix = storage.deletePrefix.bind(storage);
    storage.deletePrefix = async () => {
      throw new Error('storage down (injected)');
    };
    try {
      const res = await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: host.token });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      storage.deletePrefix = deletePrefix;
    }
    // the session, the material's row and its file are all still there, and it still downloads
    const after = await list(s.id, host.token);
    expect(after.status).toBe(200);
    expect(after.body.materials.map((m) => m.id)).toEqual([material.id]);
    const file = await fetch(`${t.url}${after.body.materials[0]!.url}`);
    expect(Buffer.from(await file.arrayBuffer()).equals(data)).toBe(true);

    // and one material's deletion with storage down is refused the same way
    const del = storage.delete.bind(storage);
    storage.delete = async () => {
      throw new Error('storage down (injected)');
    };
    try {
      const r = await api<{ error: { code: string } }>(
        t.url,
        'DELETE',
        `/api/sessions/${s.id}/materials/${material.id}`,
        { token: host.token },
      );
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      storage.delete = del;
    }
    expect((await list(s.id, host.token)).body.materials).toHaveLength(1);

    // storage back: the deletion goes through, files first
    expect((await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: host.token })).status).toBe(204);
    expect(await storage.list(`materials/${s.id}/`)).toEqual([]);
    const rows = await t.app.db.kysely
      .selectFrom('materials')
      .select('id')
      .where('session_id', '=', s.id)
      .execute();
    expect(rows).toEqual([]);
  });
});
