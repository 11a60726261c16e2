import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestApp, type TestApp } from '../helpers.js';
import {
  createRecording,
  makeMedia,
  stage,
  tusCreate,
  tusUploadAll,
  waitForStatus,
  type Stage,
} from './fixtures.js';

const work = mkdtempSync(path.join(tmpdir(), 'rstream-arch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const DAY = 24 * 3600 * 1000;

interface Entry {
  session: { id: string; endedAt: string };
  recordings: { id: string; status: string }[];
  report: { status: string };
  expiresAt: string | null;
  keep: boolean;
  durationMs: number | null;
  participants: number;
  avg: number | null;
}

describe.each(BACKENDS)('archive and retention (%s)', (backend) => {
  let t: TestApp;
  let media: Buffer;
  beforeAll(async () => {
    t = await startTestApp(backend, { RECORDING_FFMPEG: 'off', ARCHIVE_RETENTION_DAYS: '30' });
    media = makeMedia(work, 2);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An ended session with a ready recording, a report file and per-second averages. */
  async function endedWithFiles(): Promise<Stage & { recordingId: string }> {
    const s = await stage(t);
    const rec = await createRecording(t, s);
    const up = await tusCreate(t.url, s.host.token, rec.id);
    await tusUploadAll(up.url!, s.host.token, media, 64 * 1024);
    await waitForStatus(t, s, rec.id, ['ready']);
    await t.app.storage.put(`reports/${s.session.id}/report.pdf`, 'pdf bytes');
    await t.app.db.kysely
      .insertInto('understanding_seconds')
      .values([
        { session_id: s.session.id, t_sec: 0, avg: 3, n: 1, c1: 0, c2: 0, c3: 1, c4: 0, c5: 0 },
        { session_id: s.session.id, t_sec: 1, avg: 4, n: 1, c1: 0, c2: 0, c3: 0, c4: 1, c5: 0 },
      ])
      .execute();
    await api(t.url, 'PUT', `/api/sessions/${s.session.id}`, {
      body: { status: 'ended' },
      token: s.host.token,
    });
    return { ...s, recordingId: rec.id };
  }

  const archiveOf = async (token: string) =>
    (await api<{ sessions: Entry[] }>(t.url, 'GET', '/api/archive', { token })).body.sessions;

  it('lists the speaker’s ended sessions with duration, participants, average, recordings and expiry', async () => {
    const s = await endedWithFiles();
    // The report is made by a job when the session ends; the archive shows its state.
    await expect
      .poll(
        async () =>
          (
            await api<{ status: string }>(t.url, 'GET', `/api/sessions/${s.session.id}/report`, {
              token: s.host.token,
            })
          ).body.status,
        { timeout: 30_000, interval: 100 },
      )
      .toBe('ready');
    const list = await archiveOf(s.host.token);
    expect(list).toHaveLength(1);
    const e = list[0]!;
    expect(e.session.id).toBe(s.session.id);
    expect(e.recordings.map((r) => r.status)).toEqual(['ready']);
    expect(e.report.status).toBe('ready');
    expect(e.participants).toBe(2); // the listener and the presenter
    expect(e.avg).toBeCloseTo(3.5);
    expect(e.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(e.expiresAt!) - Date.parse(e.session.endedAt)).toBe(30 * DAY);
    expect(await archiveOf(s.other.token)).toEqual([]);
  });

  it('retention deletes expired sessions with every file, keeps the kept ones', async () => {
    const old = await endedWithFiles();
    const kept = await endedWithFiles();
    const recent = await endedWithFiles();
    const keep = await api<{ entry: Entry }>(t.url, 'PUT', `/api/archive/${kept.session.id}`, {
      body: { keep: true },
      token: kept.host.token,
    });
    expect(keep.status).toBe(200);
    expect(keep.body.entry.keep).toBe(true);
    expect(keep.body.entry.expiresAt).toBeNull();
    const longAgo = new Date(Date.now() - 31 * DAY);
    await t.app.db.kysely
      .updateTable('sessions')
      .set({ ended_at: longAgo })
      .where('id', 'in', [old.session.id, kept.session.id])
      .execute();

    const run = await t.app.archive.runRetention();
    expect(run).toMatchObject({ status: 'ok', failed: 0 });
    expect(run.deleted).toBeGreaterThanOrEqual(1);

    const ids = (await t.app.db.kysely.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(ids).not.toContain(old.session.id);
    expect(ids).toContain(kept.session.id);
    expect(ids).toContain(recent.session.id);
    const recRows = await t.app.db.kysely
      .selectFrom('recordings')
      .select('id')
      .where('session_id', '=', old.session.id)
      .execute();
    expect(recRows).toEqual([]);
    expect(await t.app.storage.list(`recordings/${old.session.id}/`)).toEqual([]);
    expect(await t.app.storage.list(`reports/${old.session.id}/`)).toEqual([]);
    expect((await t.app.storage.list(`recordings/${kept.session.id}/`)).length).toBe(1);
    expect((await t.app.storage.list(`reports/${recent.session.id}/`)).length).toBe(1);
  });

  it('deletes earlier at the host’s request, files included (DELETE /api/archive/:id and /api/sessions/:id)', async () => {
    for (const route of ['/api/archive/', '/api/sessions/']) {
      const s = await endedWithFiles();
      expect((await api(t.url, 'DELETE', `${route}${s.session.id}`, { token: s.other.token })).status).toBe(
        403,
      );
      expect((await t.app.storage.list(`recordings/${s.session.id}/`)).length).toBe(1);
      expect((await api(t.url, 'DELETE', `${route}${s.session.id}`, { token: s.host.token })).status).toBe(
        204,
      );
      expect(await t.app.storage.list(`recordings/${s.session.id}/`)).toEqual([]);
      expect(await t.app.storage.list(`reports/${s.session.id}/`)).toEqual([]);
      expect(await archiveOf(s.host.token)).toEqual([]);
    }
  });

  it('keeps the session when a file cannot be deleted (storage fails), and deletes it all on retry', async () => {
    const s = await endedWithFiles();
    const storage = t.app.storage;
    const deletePrefix = storage.deletePrefix.bind(storage);
    storage.deletePrefix = async () => {
      throw new Error('storage down (injected)');
    };
    try {
      const res = await api(t.url, 'DELETE', `/api/archive/${s.session.id}`, { token: s.host.token });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      storage.deletePrefix = deletePrefix;
    }
    const row = await t.app.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', s.session.id)
      .executeTakeFirst();
    expect(row?.id).toBe(s.session.id);
    expect((await t.app.storage.list(`reports/${s.session.id}/`)).length).toBe(1);
    expect((await archiveOf(s.host.token)).map((e) => e.session.id)).toContain(s.session.id);

    expect((await api(t.url, 'DELETE', `/api/archive/${s.session.id}`, { token: s.host.token })).status).toBe(
      204,
    );
    expect(await t.app.storage.list(`recordings/${s.session.id}/`)).toEqual([]);
    expect(await t.app.storage.list(`reports/${s.session.id}/`)).toEqual([]);
    expect((await archiveOf(s.host.token)).map((e) => e.session.id)).not.toContain(s.session.id);
  });
});
