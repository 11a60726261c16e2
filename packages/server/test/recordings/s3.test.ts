import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllObjects } from '../../src/platform/s3.js';
import { cleanupTmp, startS3, type TestS3 } from '../backup/fixtures.js';
import { BACKENDS, startTestApp, type TestApp, waitFor } from '../helpers.js';
import {
  afterGrace,
  createRecording,
  cutPatch,
  stage,
  tusCreate,
  tusHead,
  tusPatch,
  tusUploadAll,
  waitForStatus,
} from './fixtures.js';

afterAll(() => cleanupTmp());

describe.each(BACKENDS)('recordings on S3 (s3rver, %s)', (backend) => {
  let s3: TestS3;
  let t: TestApp;
  beforeAll(async () => {
    s3 = await startS3('rstream-media');
    t = await startTestApp(backend, {
      ...s3.env,
      STORAGE_BACKEND: 's3',
      S3_SSE: 'AES256',
      RECORDING_FFMPEG: 'off',
      RECORDING_GRACE_SEC: '600',
    });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  const keys = async (prefix: string) => (await listAllObjects(s3.target, prefix)).map((o) => o.Key!);

  it('uploads 12 MB in 1 MB PATCHes (multipart parts + tail), stores recordings/<session>/<id>.mp4, plays ranges', async () => {
    const s = await stage(t);
    const data = randomBytes(12 * 1024 * 1024);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    expect(up.status).toBe(201);
    expect(await tusUploadAll(up.url!, s.host.token, data, 1024 * 1024)).toBe(data.length);
    const ready = await waitForStatus(t, s, rec.id, ['ready', 'failed'], 60_000);
    expect(ready.status).toBe('ready');
    expect(await keys(`recordings/${s.session.id}/`)).toEqual([`recordings/${s.session.id}/${rec.id}.mp4`]);
    // the upload's objects are gone once the media is stored
    const uploadId = up.url!.split('/').pop()!;
    expect((await keys('uploads/')).filter((k) => k.includes(uploadId))).toEqual([]);
    const part = await fetch(`${t.url}${ready.mediaUrl}`, { headers: { range: 'bytes=9000000-9000999' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(9_000_000, 9_001_000))).toBe(true);
    const whole = Buffer.from(await (await fetch(`${t.url}${ready.mediaUrl}`)).arrayBuffer());
    expect(whole.equals(data)).toBe(true);
  });

  it('resumes after a cut PATCH from the offset HEAD gives; the stored bytes equal the recorded ones', async () => {
    const s = await stage(t);
    const data = randomBytes(600_000);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    expect((await tusPatch(up.url!, s.host.token, 0, data.subarray(0, 100_000))).status).toBe(204);
    let sent = false;
    await cutPatch(up.url!, s.host.token, 100_000, data.subarray(100_000), 200_000, async () => {
      // give the server the bytes before cutting (it cannot be observed inside S3 until stored)
      if (!sent) {
        sent = true;
        return false;
      }
      return true;
    });
    let head = { status: 0, offset: 0 };
    await waitFor('HEAD', async () => (head = await tusHead(up.url!, s.host.token)).status === 200, 20_000);
    expect(head.offset).toBeGreaterThanOrEqual(100_000);
    expect(head.offset).toBeLessThanOrEqual(300_000);
    await tusUploadAll(up.url!, s.host.token, data, 150_000, head.offset);
    const ready = await waitForStatus(t, s, rec.id, ['ready', 'failed'], 60_000);
    expect(ready.status).toBe('ready');
    expect(ready.interrupted).toBe(false);
    const whole = Buffer.from(await (await fetch(`${t.url}${ready.mediaUrl}`)).arrayBuffer());
    expect(whole.equals(data)).toBe(true);
  });

  it('finishes an abandoned S3 upload with what arrived (the tail part included)', async () => {
    const s = await stage(t);
    const data = randomBytes(300_000);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusPatch(up.url!, s.host.token, 0, data.subarray(0, 123_457));
    expect(await afterGrace(t, s)).toBe(1);
    const done = await waitForStatus(t, s, rec.id, ['ready', 'failed'], 60_000);
    expect(done.status).toBe('ready');
    expect(done.interrupted).toBe(true);
    expect(done.sizeBytes).toBe(123_457);
    const whole = Buffer.from(await (await fetch(`${t.url}${done.mediaUrl}`)).arrayBuffer());
    expect(whole.equals(data.subarray(0, 123_457))).toBe(true);
  });
});

describe.each(BACKENDS)('S3 goes away before the finish (%s)', (backend) => {
  let s3: TestS3;
  let t: TestApp;
  beforeAll(async () => {
    s3 = await startS3('rstream-media');
    t = await startTestApp(backend, {
      ...s3.env,
      STORAGE_BACKEND: 's3',
      RECORDING_FFMPEG: 'off',
      RECORDING_GRACE_SEC: '600',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ends in failed STORAGE_UNAVAILABLE, never ready', async () => {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    expect((await tusPatch(up.url!, s.host.token, 0, randomBytes(50_000))).status).toBe(204);
    await s3.close(); // the bucket is unreachable from here on
    await afterGrace(t, s);
    const done = await waitForStatus(t, s, rec.id, ['ready', 'failed'], 60_000);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toBe('STORAGE_UNAVAILABLE');
    expect(done.mediaUrl).toBeNull();
  });
});
