import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaSigner } from '../../src/features/recordings/media-signing.js';
import { api, BACKENDS, startTestApp, WsClient, type TestApp } from '../helpers.js';
import {
  createRecording,
  cutPatch,
  makeMedia,
  stage,
  stop,
  tusCreate,
  tusHead,
  tusPatch,
  tusUploadAll,
  waitForStatus,
  type Stage,
} from './fixtures.js';

const work = mkdtempSync(path.join(tmpdir(), 'rstream-rec-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(BACKENDS)('recordings over tus on local disk (%s)', (backend) => {
  let t: TestApp;
  let media: Buffer;
  beforeAll(async () => {
    // ffmpeg off: the stored file must be the uploaded bytes exactly (the ffmpeg path has its own test)
    t = await startTestApp(backend, { RECORDING_FFMPEG: 'off', RECORDING_GRACE_SEC: '600' });
    media = makeMedia(work);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('create → upload in 1 s-like chunks → stop → ready; speakers hear every change; mediaUrl plays ranges', async () => {
    const s = await stage(t);
    const hostWs = new WsClient(t.url, s.session.id, s.host.token);
    const listenerWs = new WsClient(t.url, s.session.id, s.listener.participantToken);
    await hostWs.next((m) => m.type === 'welcome');
    await listenerWs.next((m) => m.type === 'welcome');

    const rec = await createRecording(t, s, s.presenter.participantToken);
    expect(rec.status).toBe('recording');
    const up = await tusCreate(t.url, s.presenter.participantToken, rec.id);
    expect(up.status).toBe(201);
    const pause = await api(t.url, 'PUT', `/api/sessions/${s.session.id}/recordings/${rec.id}`, {
      body: { status: 'paused' },
      token: s.presenter.participantToken,
    });
    expect(pause.status).toBe(200);
    await api(t.url, 'PUT', `/api/sessions/${s.session.id}/recordings/${rec.id}`, {
      body: { status: 'recording' },
      token: s.presenter.participantToken,
    });
    const end = await tusUploadAll(up.url!, s.presenter.participantToken, media, 16 * 1024);
    expect(end).toBe(media.length);
    expect((await stop(t, s, rec.id, s.presenter.participantToken)).status).toBe(200);
    const ready = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
    expect(ready.status).toBe('ready');
    expect(ready.interrupted).toBe(false);
    expect(ready.sizeBytes).toBe(media.length);
    expect(ready.pauses).toHaveLength(1);
    expect(ready.pauses[0]!.resumedAtMs).not.toBeNull();

    // the host's socket saw the recording through its states; the listener's saw none of it
    await hostWs.next(
      (m) => m.type === 'recording:status' && (m.recording as { status: string }).status === 'ready',
    );
    expect(listenerWs.messages.filter((m) => m.type === 'recording:status')).toEqual([]);

    const full = await fetch(`${t.url}${ready.mediaUrl}`);
    expect(full.status).toBe(200);
    expect(Buffer.from(await full.arrayBuffer()).equals(media)).toBe(true);
    const part = await fetch(`${t.url}${ready.mediaUrl}`, { headers: { range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${media.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(media.subarray(100, 1100))).toBe(true);
    const tail = await fetch(`${t.url}${ready.mediaUrl}`, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(media.subarray(media.length - 10))).toBe(true);
    const outside = await fetch(`${t.url}${ready.mediaUrl}`, {
      headers: { range: `bytes=${media.length + 5}-` },
    });
    expect(outside.status).toBe(416);

    // the file sits where `rstream sync recordings` looks
    const onDisk = readFileSync(path.join(t.config.RECORDINGS_DIR, s.session.id, `${rec.id}.mp4`));
    expect(onDisk.equals(media)).toBe(true);
    hostWs.close();
    listenerWs.close();
  });

  it('refuses media URLs without, with a wrong, or with an expired signature', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusUploadAll(up.url!, s.host.token, media, 64 * 1024);
    const ready = await waitForStatus(t, s, rec.id, ['ready']);
    const bare = ready.mediaUrl!.split('?')[0]!;
    expect((await fetch(`${t.url}${bare}`)).status).toBe(401);
    const tampered = ready.mediaUrl!.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await fetch(`${t.url}${tampered}`)).status).toBe(403);
    const secret = readFileSync(path.join(t.config.DATA_DIR, 'secrets', 'media-url-secret'), 'utf8').trim();
    const past = createMediaSigner(secret, 60, () => Date.now() - 3600_000).url(bare);
    const expired = await api<{ error: { code: string } }>(t.url, 'GET', past.url);
    expect(expired.status).toBe(403);
    expect(expired.body.error.code).toBe('MEDIA_URL_EXPIRED');
    // the same signer with a fresh clock is accepted: the refusal above was the expiry
    const fresh = createMediaSigner(secret, 60).url(bare);
    expect((await fetch(`${t.url}${fresh.url}`)).status).toBe(200);
  });

  it('resumes after a PATCH cut mid-way: HEAD gives the durable offset and the bytes match', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    const first = media.subarray(0, 20_000);
    expect((await tusPatch(up.url!, s.host.token, 0, first)).status).toBe(204);
    const uploadFile = path.join(t.config.DATA_DIR, 'uploads', up.url!.split('/').pop()!);
    const { statSync } = await import('node:fs');
    await cutPatch(
      up.url!,
      s.host.token,
      20_000,
      media.subarray(20_000),
      15_000,
      async () => statSync(uploadFile).size > 20_000,
    );
    let head = { status: 0, offset: 0 };
    // the server notices the cut and releases the upload's lock; HEAD then answers
    for (let i = 0; i < 200 && head.status !== 200; i++) head = await tusHead(up.url!, s.host.token);
    expect(head.status).toBe(200);
    expect(head.offset).toBeGreaterThan(20_000);
    expect(head.offset).toBeLessThanOrEqual(35_000);
    const end = await tusUploadAll(up.url!, s.host.token, media, 30_000, head.offset);
    expect(end).toBe(media.length);
    const ready = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
    expect(ready.status).toBe('ready');
    const stored = Buffer.from(await (await fetch(`${t.url}${ready.mediaUrl}`)).arrayBuffer());
    expect(stored.equals(media)).toBe(true);
  });

  it('answers a PATCH at a wrong offset with 409 and keeps the bytes it has', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusPatch(up.url!, s.host.token, 0, media.subarray(0, 1000));
    const wrong = await tusPatch(up.url!, s.host.token, 500, media.subarray(500, 1500));
    expect(wrong.status).toBe(409);
    expect((await tusHead(up.url!, s.host.token)).offset).toBe(1000);
  });

  it('refuses a recording or an upload when the session is not live, and a second upload per recording', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const second = await api<{ error: { code: string } }>(
      t.url,
      'POST',
      `/api/sessions/${s.session.id}/recordings`,
      { body: {}, token: s.host.token },
    );
    expect(second.body.error.code).toBe('RECORDING_IN_PROGRESS');
    const up = await tusCreate(t.url, s.host.token, rec.id);
    expect(up.status).toBe(201);
    const again = await tusCreate(t.url, s.host.token, rec.id);
    expect(again.status).toBe(409);
    await api(t.url, 'PUT', `/api/sessions/${s.session.id}`, {
      body: { status: 'ended' },
      token: s.host.token,
    });
    const late = await api<{ error: { code: string } }>(
      t.url,
      'POST',
      `/api/sessions/${s.session.id}/recordings`,
      { body: {}, token: s.host.token },
    );
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SESSION_NOT_LIVE');
    // the upload already under way may still deliver its bytes (nothing recorded is lost)
    expect((await tusPatch(up.url!, s.host.token, 0, media, media.length)).status).toBe(204);
    expect((await waitForStatus(t, s, rec.id, ['ready', 'failed'])).status).toBe('ready');
  });

  it('keeps listeners and other speakers out of every recording route and upload', async () => {
    const s: Stage = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusPatch(up.url!, s.host.token, 0, media.subarray(0, 1000));
    const base = `/api/sessions/${s.session.id}/recordings`;
    for (const token of [s.listener.participantToken, s.other.token]) {
      expect((await api(t.url, 'POST', base, { body: {}, token })).status).toBe(403);
      expect((await api(t.url, 'GET', base, { token })).status).toBe(403);
      expect(
        (await api(t.url, 'PUT', `${base}/${rec.id}`, { body: { status: 'stopped' }, token })).status,
      ).toBe(403);
      expect((await api(t.url, 'DELETE', `${base}/${rec.id}`, { token })).status).toBe(403);
      expect((await tusCreate(t.url, token, rec.id)).status).toBe(403);
      expect((await tusHead(up.url!, token)).status).toBe(403);
      expect((await tusPatch(up.url!, token, 1000, media.subarray(1000, 2000))).status).toBe(403);
      const del = await fetch(up.url!, {
        method: 'DELETE',
        headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}` },
      });
      expect(del.status).toBe(403);
    }
    expect((await tusCreate(t.url, undefined, rec.id)).status).toBe(401);
    // the presenter records but does not delete
    expect(
      (await api(t.url, 'DELETE', `${base}/${rec.id}`, { token: s.presenter.participantToken })).status,
    ).toBe(403);
    // nothing the refused callers sent was stored
    expect((await tusHead(up.url!, s.host.token)).offset).toBe(1000);
  });

  it('deletes a recording with its media (host)', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusUploadAll(up.url!, s.host.token, media, 64 * 1024);
    await waitForStatus(t, s, rec.id, ['ready']);
    expect((await t.app.storage.list(`recordings/${s.session.id}/`)).length).toBeGreaterThan(0);
    const del = await api(t.url, 'DELETE', `/api/sessions/${s.session.id}/recordings/${rec.id}`, {
      token: s.host.token,
    });
    expect(del.status).toBe(204);
    expect(await t.app.storage.list(`recordings/${s.session.id}/`)).toEqual([]);
    expect(
      (
        await api<{ recordings: unknown[] }>(t.url, 'GET', `/api/sessions/${s.session.id}/recordings`, {
          token: s.host.token,
        })
      ).body.recordings,
    ).toEqual([]);
  });
});
