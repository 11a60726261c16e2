import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, createSession, join, speaker, type TestApp } from '../helpers.js';
import { cleanupTmp } from '../backup/fixtures.js';
import { listLocal, listS3, start, startRestartableS3, type RestartableS3 } from './audit-fixtures.js';

/**
 * The deletion rule (fail closed, docs/security.md "Owned files"): deleting a session — the host's
 * DELETE, the archive retention, an account's erasure — first deletes every file it owns from
 * storage (platform/owned-files.ts, on `session.deleting`), then the rows. Storage down refuses the
 * deletion (503 STORAGE_UNAVAILABLE; the retention counts it and retries) and keeps every row; a
 * retry completes. Files without an owner row are the audit's safety net.
 */

const CHECKS = [
  'files.permissions',
  'users.disabled-live-tokens',
  'data.log-archive-encryption',
  'logs.security-events',
  'users.admins',
  'users.inactive',
  'users.expired-invitations',
  'api.route-guards',
  'api.metrics-token',
  'api.cors',
  'api.alertmanager-token',
  'api.ws-origin',
  'data.backup-encryption',
  'data.s3-encryption',
  'data.transport-tls',
  'data.backup-age',
  'data.restore-drill',
  'data.retention-jobs',
  'system.https',
  'system.headers',
  'system.npm-audit',
  'system.node-release',
  'system.os-updates',
  'system.log-settings',
  'system.trail-append-only',
];
/** every check but the orphan scan (the one this file is about) */
const ONLY_ORPHANS = { skip: CHECKS, npmRegistry: 'http://127.0.0.1:9' };

/** The files a session owns: recordings (media + thumbnails), reports, exports. */
const ownedKeys = (sessionId: string) => [
  `recordings/${sessionId}/${randomUUID()}.webm`,
  `recordings/${sessionId}/${randomUUID()}.thumbs.jpg`,
  `reports/${sessionId}/report.pdf`,
  `exports/${sessionId}/questions.csv`,
];
const FAMILIES = ['recordings', 'reports', 'exports'];

type Kind = 'local' | 's3';
const CASES: Array<[Kind, (typeof BACKENDS)[number]]> = BACKENDS.flatMap((b) => [
  ['local', b] as [Kind, typeof b],
  ['s3', b] as [Kind, typeof b],
]);

describe.each(CASES)('deleting what owns files (%s storage, %s)', (kind, backend) => {
  let s3: RestartableS3;
  let t: TestApp;
  const locked: string[] = [];

  beforeAll(async () => {
    s3 = await startRestartableS3(`deletion-${kind}-${backend}`);
    t = await start(backend, { ...s3.env, STORAGE_BACKEND: kind, RECORDING_FFMPEG: 'off' });
  }, 180_000);
  afterAll(async () => {
    storageBack();
    await t?.close();
    await s3?.close();
    cleanupTmp();
  });

  /** What is in storage, listed beside the app (the folders or the bucket itself). */
  async function stored(): Promise<string[]> {
    if (kind === 's3') return listS3(s3);
    return [
      ...listLocal(t.config.STORAGE_DIR),
      ...listLocal(t.config.RECORDINGS_DIR).map((k) => `recordings/${k}`),
    ];
  }
  const of = (keys: string[], id: string) => keys.filter((k) => k.split('/')[1] === id);

  async function storeFiles(sessionId: string): Promise<string[]> {
    const keys = ownedKeys(sessionId);
    for (const k of keys) await t.app.storage.put(k, 'x');
    return keys;
  }

  /** The fault: the bucket stops answering, or the session's folders become read-only. */
  async function storageDown(sessionIds: string[]) {
    if (kind === 's3') return s3.close();
    for (const id of sessionIds)
      for (const f of FAMILIES) {
        const dir = t.app.ownedFiles.locate(`${f}/${id}/`);
        // root ignores the mode bits: the immutable flag is what refuses it then
        if (process.getuid?.() === 0) execFileSync('chattr', ['+i', dir]);
        else chmodSync(dir, 0o555);
        locked.push(dir);
      }
  }
  async function storageUp() {
    if (kind === 's3') s3 = await s3.restart();
    else storageBack();
  }
  function storageBack() {
    for (const dir of locked.splice(0)) {
      if (process.getuid?.() === 0) execFileSync('chattr', ['-i', dir]);
      else chmodSync(dir, 0o755);
    }
  }

  const sessionRow = (id: string) =>
    t.app.db.kysely.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst();
  const participantRows = (id: string) =>
    t.app.db.kysely.selectFrom('participants').select('id').where('session_id', '=', id).execute();

  it('deleting a session deletes every file it owns and nothing else', async () => {
    const host = await speaker(t.url);
    const gone = await createSession(t.url, host.token);
    const kept = await createSession(t.url, host.token);
    const goneKeys = await storeFiles(gone.id);
    await storeFiles(kept.id);
    expect(of(await stored(), gone.id).sort()).toEqual([...goneKeys].sort());

    expect((await api(t.url, 'DELETE', `/api/sessions/${gone.id}`, { token: host.token })).status).toBe(204);
    expect(of(await stored(), gone.id)).toEqual([]);
    expect(of(await stored(), kept.id)).toHaveLength(4);
    expect(await sessionRow(gone.id)).toBeUndefined();
  });

  it('storage down: the deletion is refused (503), rows and files stay; storage back: a retry deletes all', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await join(t.url, s.code, 'Aiko');
    const keys = await storeFiles(s.id);
    await storageDown([s.id]);
    try {
      const del = await api<{ error: { code: string; message: string } }>(
        t.url,
        'DELETE',
        `/api/sessions/${s.id}`,
        { token: host.token },
      );
      expect(del.status).toBe(503);
      expect(del.body.error.code).toBe('STORAGE_UNAVAILABLE');
      expect(del.body.error.message).toMatch(/not deleted/);
      expect(JSON.stringify(del.body)).not.toMatch(/ECONNREFUSED|EPERM|EACCES|\/tmp\//);
    } finally {
      await storageUp();
    }
    expect((await sessionRow(s.id))?.id).toBe(s.id);
    expect(await participantRows(s.id)).toHaveLength(1);
    expect(of(await stored(), s.id).sort()).toEqual([...keys].sort());

    expect((await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: host.token })).status).toBe(204);
    expect(await sessionRow(s.id)).toBeUndefined();
    expect(await participantRows(s.id)).toEqual([]);
    expect(of(await stored(), s.id)).toEqual([]);
  });

  it('the retention job counts a refused session, keeps it whole and deletes it on its next run', async () => {
    const host = await speaker(t.url);
    const old = await createSession(t.url, host.token);
    const keys = await storeFiles(old.id);
    const ended = new Date(Date.now() - (t.config.ARCHIVE_RETENTION_DAYS + 1) * 86_400_000);
    await t.app.db.kysely
      .updateTable('sessions')
      .set({ status: 'ended', started_at: ended, ended_at: ended })
      .where('id', '=', old.id)
      .execute();
    await storageDown([old.id]);
    try {
      const r = await t.app.runDataRetention();
      expect(r.sessionsFailed).toBeGreaterThanOrEqual(1);
    } finally {
      await storageUp();
    }
    expect((await sessionRow(old.id))?.id).toBe(old.id);
    expect(of(await stored(), old.id).sort()).toEqual([...keys].sort());

    const again = await t.app.runDataRetention();
    expect(again.sessionsFailed).toBe(0);
    expect(again.sessions).toBeGreaterThanOrEqual(1);
    expect(await sessionRow(old.id)).toBeUndefined();
    expect(of(await stored(), old.id)).toEqual([]);
  });

  it('erasing an account deletes the files of all its sessions and its own; refused while storage is down', async () => {
    const host = await speaker(t.url);
    const a = await createSession(t.url, host.token);
    const b = await createSession(t.url, host.token);
    await storeFiles(a.id);
    await storeFiles(b.id);
    await t.app.storage.put(`users/${host.userId}/avatar.png`, 'x');

    await storageDown([a.id]);
    try {
      const refused = await api<{ error: { code: string } }>(t.url, 'DELETE', '/api/auth/me', {
        body: { password: 'correct-horse-1' },
        token: host.token,
      });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      await storageUp();
    }
    expect(
      await t.app.db.kysely.selectFrom('users').select('id').where('id', '=', host.userId).executeTakeFirst(),
    ).toBeDefined();
    expect((await sessionRow(a.id))?.id).toBe(a.id);
    expect(of(await stored(), a.id)).toHaveLength(4);

    const del = await api(t.url, 'DELETE', '/api/auth/me', {
      body: { password: 'correct-horse-1' },
      token: host.token,
    });
    expect(del.status).toBe(204);
    const left = await stored();
    for (const id of [a.id, b.id, host.userId]) expect(of(left, id)).toEqual([]);
  });

  it('a file written straight into storage without an owner row is reported by the audit and removed by its cleanup', async () => {
    const owner = randomUUID(); // no such session
    const key = `recordings/${owner}/stray.webm`;
    await t.app.storage.put(key, 'x');
    const host = await speaker(t.url);
    const kept = await createSession(t.url, host.token);
    await storeFiles(kept.id);

    const { report } = await t.app.securityAudit.run(
      { trigger: 'test', save: false },
      { baseUrl: t.url, ...ONLY_ORPHANS },
    );
    const finding = report.findings.find((f) => f.id === `data.orphaned-files:${kind}:recordings/${owner}/`);
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toContain(owner);
    expect(report.findings.some((f) => f.id.includes(kept.id))).toBe(false);

    // the cleanup (`rstream audit delete-orphans` does the same)
    const orphans = await t.app.ownedFiles.orphans();
    await t.app.ownedFiles.deletePrefixes(orphans.map((o) => o.prefix));
    expect(of(await stored(), owner)).toEqual([]);
    expect(of(await stored(), kept.id)).toHaveLength(4);
    const after = await t.app.securityAudit.run(
      { trigger: 'test', save: false },
      { baseUrl: t.url, ...ONLY_ORPHANS },
    );
    expect(after.report.findings.filter((f) => f.id.startsWith('data.orphaned-files'))).toEqual([]);
  });
});
