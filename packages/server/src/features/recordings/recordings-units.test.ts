import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalStorage } from '../../platform/storage.js';
import { createMediaSigner } from './media-signing.js';
import { failureReasonOf } from './recordings-finish.js';
import { parseRange } from './recordings-routes.js';
import { pausedMs } from './recordings-view.js';
import { parseUploadMetadata } from './uploads-routes.js';

describe('parseRange', () => {
  it('reads start-end, open-ended and suffix ranges, clamps the end, refuses what lies outside', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBeNull();
    expect(parseRange('bytes=50-10', 1000)).toBeNull();
    expect(parseRange('bytes=-0', 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-9', 1000)).toBeNull();
    expect(parseRange('items=0-1', 1000)).toBeNull();
  });
});

describe('media URL signatures', () => {
  it('accepts its own URL, refuses another path, a changed expiry, an expired one and none', () => {
    let now = 1_000_000_000_000;
    const signer = createMediaSigner('k'.repeat(40), 60, () => now);
    const { url } = signer.url('/api/media/recordings/a');
    const q = new URLSearchParams(url.split('?')[1]);
    expect(signer.verify('/api/media/recordings/a', q.get('exp'), q.get('sig'))).toBe('ok');
    expect(signer.verify('/api/media/recordings/b', q.get('exp'), q.get('sig'))).toBe('invalid');
    expect(signer.verify('/api/media/recordings/a', String(Number(q.get('exp')) + 1000), q.get('sig'))).toBe(
      'invalid',
    );
    expect(signer.verify('/api/media/recordings/a', undefined, undefined)).toBe('missing');
    now += 61_000;
    expect(signer.verify('/api/media/recordings/a', q.get('exp'), q.get('sig'))).toBe('expired');
    const other = createMediaSigner('o'.repeat(40), 60, () => now);
    const o = new URLSearchParams(other.url('/api/media/recordings/a').url.split('?')[1]);
    expect(signer.verify('/api/media/recordings/a', o.get('exp'), o.get('sig'))).toBe('invalid');
  });
});

describe('small pieces of the upload path', () => {
  it('parses tus Upload-Metadata', () => {
    const b = (s: string) => Buffer.from(s).toString('base64');
    expect(parseUploadMetadata(`recordingId ${b('r-1')},filetype ${b('video/mp4')},flag`)).toEqual({
      recordingId: 'r-1',
      filetype: 'video/mp4',
      flag: '',
    });
    expect(parseUploadMetadata(undefined)).toEqual({});
  });

  it('counts paused time up to a moment, open pauses included', () => {
    const pauses = [
      { atMs: 1000, resumedAtMs: 3000 },
      { atMs: 5000, resumedAtMs: null },
    ];
    expect(pausedMs(pauses, 500)).toBe(0);
    expect(pausedMs(pauses, 2000)).toBe(1000);
    expect(pausedMs(pauses, 4000)).toBe(2000);
    expect(pausedMs(pauses, 8000)).toBe(5000);
  });

  it('names storage failures', () => {
    expect(failureReasonOf(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('STORAGE_FULL');
    expect(failureReasonOf(Object.assign(new Error('x'), { code: 'ENOTDIR' }))).toBe('STORAGE_UNAVAILABLE');
    expect(failureReasonOf({ name: 'InternalError', $metadata: { httpStatusCode: 500 } })).toBe(
      'STORAGE_UNAVAILABLE',
    );
    expect(failureReasonOf(new Error('connect ECONNREFUSED 127.0.0.1:9000'))).toBe('STORAGE_UNAVAILABLE');
    expect(failureReasonOf(new Error('something else'))).toBe('PROCESSING_FAILED');
  });
});

describe('local storage', () => {
  it('keeps recordings/ in its own folder, lists by prefix across both, deletes by prefix', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rstream-st-'));
    try {
      const storage = createLocalStorage(path.join(root, 'storage'), {
        'recordings/': path.join(root, 'rec'),
      });
      await storage.put('recordings/s1/a.mp4', 'aaaa');
      await storage.put('recordings/s2/b.mp4', 'bb');
      await storage.put('reports/s1/r.pdf', 'r');
      expect((await storage.list('')).map((o) => o.key)).toEqual([
        'recordings/s1/a.mp4',
        'recordings/s2/b.mp4',
        'reports/s1/r.pdf',
      ]);
      expect((await storage.list('recordings/s1/')).map((o) => [o.key, o.size])).toEqual([
        ['recordings/s1/a.mp4', 4],
      ]);
      expect(await storage.stat('recordings/s1/a.mp4')).toMatchObject({ size: 4 });
      const chunks: Buffer[] = [];
      for await (const c of (await storage.getStream('recordings/s1/a.mp4', { start: 1, end: 2 }))!)
        chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('aa');
      await storage.deletePrefix('recordings/s1/');
      expect((await storage.list('recordings/')).map((o) => o.key)).toEqual(['recordings/s2/b.mp4']);
      expect(await storage.getStream('recordings/s1/a.mp4')).toBeNull();
      await expect(storage.put('../escape', 'x')).rejects.toThrow(/unsafe/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
