import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listAllObjects } from '../../src/platform/s3.js';
import { createBackupRunsRepo } from '../../src/ops/backup/backup-runs.js';
import { runDrill } from '../../src/ops/backup/drill.js';
import { runBackup } from '../../src/ops/backup/backup-db.js';
import { manifestFile } from '../../src/ops/backup/backup-files.js';
import { createScratchDatabase, startTestApp, type TestApp } from '../helpers.js';
import { cleanupTmp, cli, pgStats, populate, startS3, tmp, type TestS3 } from './fixtures.js';

const KEY_HEX = '3e'.repeat(32);

let s3: TestS3;
let dbUrl: string;
let a: TestApp;
let b: TestApp;
const dirA = tmp('sched-a');
const dirB = tmp('sched-b');

beforeAll(async () => {
  s3 = await startS3();
  dbUrl = await createScratchDatabase('sched');
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: inject('redisUrl'),
    BACKUP_UPLOAD_S3: 'true',
    BACKUP_ENCRYPTION_KEY: KEY_HEX,
    ...s3.env,
  };
  a = await startTestApp('postgres', { ...env, BACKUP_DIR: dirA });
  b = await startTestApp('postgres', { ...env, BACKUP_DIR: dirB });
  await populate(a.app.db, { sessions: 2, listeners: 6, signals: 2000 });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await s3?.close();
  cleanupTmp();
});

describe('scheduled backups across instances, metrics, S3 upload, CLI and drill', () => {
  it('one slot is backed up by exactly one of two instances (Redis lease + slot row)', async () => {
    expect(a.app.backups.enabled).toBe(false); // NODE_ENV=test: no timer, slots run on demand
    const slot = '2026-11-28T15';
    const results = await Promise.all([
      a.app.backups.runSlot('hourly', slot),
      b.app.backups.runSlot('hourly', slot),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'success']);
    expect(readdirSync(dirA).length + readdirSync(dirB).length).toBe(3);
    const late = await b.app.backups.runSlot('hourly', slot);
    expect(late.status).toBe('skipped');
    expect(late.line).toContain('another instance has it');
    const runs = await createBackupRunsRepo(a.app.db.kysely).recent(10);
    expect(runs.filter((r) => r.slot === slot).map((r) => r.status)).toEqual(['success']);
    const keys = (await listAllObjects(s3.target, 'backups/db/')).map((o) => o.Key!);
    expect(keys).toHaveLength(3);
    expect(keys.some((k) => /^backups\/db\/rstream-db-\d{8}T\d{6}Z-hourly\.dump\.enc$/.test(k))).toBe(true);
  }, 90_000);

  it('exports the newest backup time, size and duration on every instance', async () => {
    const lastSuccess = (text: string) =>
      Number(/^rstream_backup_last_success_timestamp_seconds\{[^}]*\} (\d+)/m.exec(text)?.[1]);
    let text = '';
    // The gauges read backup_runs (shared by the instances); wait out a scrape cached just before.
    for (const until = Date.now() + 5000; Date.now() < until;) {
      text = await (await fetch(`${b.url}/metrics`)).text();
      if (lastSuccess(text) > 0) break;
    }
    expect(Math.abs(lastSuccess(text) - Date.now() / 1000)).toBeLessThan(300);
    expect(Number(/^rstream_backup_last_size_bytes\{[^}]*\} (\d+)/m.exec(text)?.[1])).toBeGreaterThan(1000);
    expect(text).toMatch(/^rstream_backup_last_duration_seconds\{[^}]*\} \d/m);
  }, 90_000);

  it('rstream restore db <s3 key> restores the uploaded backup into an empty database; status and bad args', async () => {
    const key = (await listAllObjects(s3.target, 'backups/db/'))
      .map((o) => o.Key!)
      .find((k) => k.endsWith('.enc'))!;
    const target = await createScratchDatabase('clirestore');
    const env = { DATABASE_URL: target, BACKUP_ENCRYPTION_KEY: KEY_HEX, ...s3.env };
    const r = await cli(['restore', 'db', key], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^restore db: ok rstream-db-.*-hourly\.dump\.enc → postgres \(\d+ tables, \d+ rows verified\)/m,
    );
    const restored = await pgStats(target);
    const source = await pgStats(dbUrl);
    expect(restored.signals).toEqual(source.signals);
    expect(restored.sessions).toEqual(source.sessions);

    const status = await cli(['backup', 'status', '--max-age-hours', '1'], { DATABASE_URL: dbUrl });
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/newest successful backup: rstream-db-.*-hourly\.dump\.enc/);

    const bad = await cli(['backup', 'db', '--kind', 'weekly'], { DATABASE_URL: dbUrl });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--kind must be manual, hourly or daily');
    const badKey = await cli(['backup', 'db'], { DATABASE_URL: dbUrl, BACKUP_ENCRYPTION_KEY: 'too-short' });
    expect(badKey.code).toBe(1);
    expect(badKey.err).toContain('BACKUP_ENCRYPTION_KEY must be 32 bytes');
    expect(badKey.err).not.toContain('too-short');
  }, 90_000);

  it('rstream sync archives uploads a folder, then nothing the second time', async () => {
    const archives = tmp('cli-archives');
    writeFileSync(path.join(archives, 'session-1.json'), '{"t":[1,2,3]}');
    writeFileSync(path.join(archives, 'session-2.json'), '{"t":[4]}');
    const env = { ...s3.env, ARCHIVES_DIR: archives, DATA_DIR: tmp('cli-sync') };
    const first = await cli(['sync', 'archives'], env);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(
      /^sync archives: ok 2 uploaded \(\d+ B\), 0 unchanged in .* → s3:\/\/rstream-backups\/archives\/$/m,
    );
    const second = await cli(['sync', 'archives'], env);
    expect(second.out).toMatch(/^sync archives: ok 0 uploaded \(0 B\), 2 unchanged/m);
  }, 90_000);

  it('the drill restores into a scratch database, compares every table and reports RTO and RPO', async () => {
    const r = await runDrill({ config: a.config, db: a.app.db });
    expect(r.status, r.lines.join('\n')).toBe('success');
    const out = r.lines.join('\n');
    expect(out).toMatch(
      /drill: restoring rstream-db-.*-drill\.dump\.enc into scratch postgres rstream_drill_/,
    );
    expect(out).toMatch(/^ {2}signals +4000 +[0-9a-f]{32} +yes$/m);
    expect(out).toMatch(/drill: RTO measured \d+\.\d\d s to restore postgres .*target 4 h\)/);
    expect(out).toContain('drill: ok');
    // the scratch database is gone
    const scratch = /scratch postgres (rstream_drill_\w+)/.exec(out)![1]!;
    const url = new URL(dbUrl);
    url.pathname = `/${scratch}`;
    await expect(pgStats(url.toString())).rejects.toThrow(/does not exist/);
  }, 90_000);

  it('the drill fails (non-zero) when the backup does not restore to what its manifest says', async () => {
    const dir = tmp('drill-bad');
    const b = await runBackup({ source: { kind: 'postgres', url: dbUrl }, dir, kind: 'manual', key: null });
    const m = JSON.parse(readFileSync(manifestFile(b.path!), 'utf8'));
    m.tables.participants.checksum = '0'.repeat(32);
    writeFileSync(manifestFile(b.path!), JSON.stringify(m));
    const r = await runDrill({ config: a.config, db: a.app.db, file: b.path! });
    expect(r.status).toBe('failed');
    expect(r.lines.join('\n')).toMatch(
      /rstream-verify: table participants has 12 rows \(manifest: 12\) or a different checksum/,
    );
    expect(r.lines.at(-1)).toBe('drill: FAILED the restore did not complete');
  }, 90_000);
});
