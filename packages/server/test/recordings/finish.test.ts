import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestApp, type TestApp } from '../helpers.js';
import {
  afterGrace,
  createRecording,
  hasFfmpeg,
  makeMedia,
  stage,
  stop,
  tusCreate,
  tusPatch,
  tusUploadAll,
  waitForStatus,
} from './fixtures.js';

const work = mkdtempSync(path.join(tmpdir(), 'rstream-fin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(BACKENDS)('the finish job (%s)', (backend) => {
  let t: TestApp;
  let media: Buffer;
  beforeAll(async () => {
    t = await startTestApp(backend, { RECORDING_GRACE_SEC: '600' });
    media = makeMedia(work, 4);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finishes an abandoned upload after the grace period with what arrived (interrupted)', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    // ~60 % of the file, cut anywhere (not on a fragment boundary); then the presenter vanishes
    const cut = Math.floor(media.length * 0.6) + 7;
    expect((await tusPatch(up.url!, s.host.token, 0, media.subarray(0, cut))).status).toBe(204);
    // nothing is finished before the grace period is over…
    expect(await afterGrace(t, s, 0)).toBe(0);
    // …and the job's pass after it finishes the recording with what arrived
    expect(await afterGrace(t, s)).toBe(1);
    const done = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
    expect(done.status).toBe('ready');
    expect(done.interrupted).toBe(true);
    expect(done.endedAt).not.toBeNull();
    const stored = Buffer.from(await (await fetch(`${t.url}${done.mediaUrl}`)).arrayBuffer());
    if (hasFfmpeg) {
      // remuxed: a playable file, shorter than the whole recording
      expect(done.durationMs).toBeGreaterThan(500);
      expect(done.durationMs).toBeLessThan(4000);
      expect(stored.indexOf('moov')).toBeGreaterThan(0);
    } else {
      expect(stored.equals(media.subarray(0, cut))).toBe(true);
    }
    // a late PATCH of the finished recording is refused, not appended
    const late = await tusPatch(up.url!, s.host.token, cut, media.subarray(cut));
    expect(late.status).toBe(409);
  });

  it('takes over a finish whose instance died mid-way (a stale processing claim)', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    // paused first, so the grace job leaves it alone until the claim below is in place
    const paused = await api(t.url, 'PUT', `/api/sessions/${s.session.id}/recordings/${rec.id}`, {
      body: { status: 'paused' },
      token: s.host.token,
    });
    expect(paused.status).toBe(200);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    const cut = Math.floor(media.length / 2);
    await tusPatch(up.url!, s.host.token, 0, media.subarray(0, cut));
    // what a process killed after claiming leaves behind: processing, claimed an hour ago
    await t.app.db.kysely
      .updateTable('recordings')
      .set({
        status: 'processing',
        processing_started_at: new Date(Date.now() - 3600_000),
        interrupted: true,
      })
      .where('id', '=', rec.id)
      .where('status', '=', 'recording')
      .executeTakeFirst();
    expect(await afterGrace(t, s)).toBe(1);
    const done = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
    expect(done.status).toBe('ready');
    expect(done.interrupted).toBe(true);
    expect(done.sizeBytes).toBeGreaterThan(0);
  });

  it('fails a recording whose upload never came, without a ready file', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    await stop(t, s, rec.id);
    await afterGrace(t, s);
    const done = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toBe('EMPTY_UPLOAD');
    expect(done.mediaUrl).toBeNull();
  });

  it.skipIf(!hasFfmpeg)(
    'remuxes with +faststart, reads the true duration and makes a thumbnail strip (ffmpeg)',
    async () => {
      const s = await stage(t);
      const rec = await createRecording(t, s);
      const up = await tusCreate(t.url, s.host.token, rec.id);
      await tusUploadAll(up.url!, s.host.token, media, 40_000);
      const done = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
      expect(done.status).toBe('ready');
      expect(done.interrupted).toBe(false);
      expect(done.durationMs).toBeGreaterThan(3800);
      expect(done.durationMs).toBeLessThan(4300);
      const stored = Buffer.from(await (await fetch(`${t.url}${done.mediaUrl}`)).arrayBuffer());
      // faststart: the index precedes the media data, and the fragments are gone
      expect(stored.indexOf('moov')).toBeLessThan(stored.indexOf('mdat'));
      expect(stored.indexOf('moof')).toBe(-1);
      const thumbs = await fetch(`${t.url}${done.thumbnailsUrl}`);
      expect(thumbs.status).toBe(200);
      expect(thumbs.headers.get('content-type')).toBe('image/jpeg');
      const jpeg = Buffer.from(await thumbs.arrayBuffer());
      expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
      const listed = await t.app.storage.list(`recordings/${s.session.id}/`);
      expect(listed.map((o) => o.key)).toEqual([
        `recordings/${s.session.id}/${rec.id}.mp4`,
        `recordings/${s.session.id}/${rec.id}.thumbs.jpg`,
      ]);
    },
  );
});

describe.each(BACKENDS)('a failing storage never yields ready (%s)', (backend) => {
  let t: TestApp;
  let media: Buffer;
  beforeAll(async () => {
    // RECORDINGS_DIR is a plain file: every write into it fails (ENOTDIR), as a lost volume would
    const blocker = path.join(work, `not-a-dir-${backend}`);
    writeFileSync(blocker, 'x');
    t = await startTestApp(backend, { RECORDINGS_DIR: blocker, RECORDING_GRACE_SEC: '600' });
    media = makeMedia(work, 2);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ends in failed STORAGE_UNAVAILABLE with no media URL and keeps the uploaded bytes', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusUploadAll(up.url!, s.host.token, media, 50_000);
    const done = await waitForStatus(t, s, rec.id, ['ready', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toBe('STORAGE_UNAVAILABLE');
    expect(done.mediaUrl).toBeNull();
    // the upload is kept for an operator (not deleted with the failure)
    const head = await fetch(up.url!, {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${s.host.token}` },
    });
    expect(Number(head.headers.get('upload-offset'))).toBe(media.length);
    const r = await api(t.url, 'GET', `/api/sessions/${s.session.id}/recordings`, { token: s.host.token });
    expect(JSON.stringify(r.body)).not.toContain('"status":"ready"');
  });
});
