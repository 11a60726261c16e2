import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllObjects } from '../../src/platform/s3.js';
import { backupFileName, type BackupKind } from '../../src/ops/backup/backup-files.js';
import { pruneLocal, pruneS3 } from '../../src/ops/backup/retention.js';
import { cleanupTmp, startS3, tmp, type TestS3 } from './fixtures.js';

const NOW = new Date('2026-11-28T12:30:00Z');
const H = 3_600_000;
const rules = { keepHourlyHours: 48, keepDailyDays: 30 };
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** name → should it survive? */
const CASES: [Date, BackupKind, boolean][] = [
  [ago(1 * H), 'hourly', true],
  [ago(47 * H), 'hourly', true],
  [ago(48 * H + 60_000), 'hourly', false],
  [ago(72 * H), 'hourly', false],
  [ago(29 * 24 * H), 'daily', true],
  [ago(30 * 24 * H + 60_000), 'daily', false],
  [ago(90 * 24 * H), 'daily', false],
  [ago(10 * 24 * H), 'manual', true],
  [ago(31 * 24 * H), 'manual', false],
  [ago(3 * H), 'drill', true],
];

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3('retention');
});
afterAll(async () => {
  await s3?.close();
  cleanupTmp();
});

describe('backup retention', () => {
  it('deletes exactly the backups outside the window (with their sidecars), stale .tmp files, and nothing else', async () => {
    const dir = tmp('ret');
    const expectKept: string[] = [];
    for (const [time, kind, keep] of CASES) {
      const name = backupFileName(time, kind, 'custom', kind === 'daily');
      for (const f of [name, `${name}.sha256`, `${name}.manifest.json`]) {
        writeFileSync(path.join(dir, f), 'x');
        if (keep) expectKept.push(f);
      }
    }
    const staleTmp = `.${backupFileName(ago(10 * H), 'hourly', 'custom', false)}.123.tmp`;
    const freshTmp = `.${backupFileName(ago(0), 'hourly', 'custom', false)}.124.tmp`;
    writeFileSync(path.join(dir, staleTmp), 'partial');
    utimesSync(path.join(dir, staleTmp), ago(7 * H), ago(7 * H));
    writeFileSync(path.join(dir, freshTmp), 'in progress');
    utimesSync(path.join(dir, freshTmp), ago(60_000), ago(60_000));
    writeFileSync(path.join(dir, 'notes.txt'), 'operator file');
    expectKept.push(freshTmp, 'notes.txt');

    const dry = await pruneLocal(dir, NOW, rules, true);
    expect(dry.deleted).toHaveLength(5 * 3 + 1);
    expect(readdirSync(dir)).toHaveLength(CASES.length * 3 + 3);

    const r = await pruneLocal(dir, NOW, rules);
    expect(r.kept).toBe(CASES.filter((c) => c[2]).length);
    expect(readdirSync(dir).sort()).toEqual(expectKept.sort());
    expect(r.deleted).toContain(staleTmp);
  });

  it('always keeps the newest backup, however old', async () => {
    const dir = tmp('ret1');
    const only = backupFileName(ago(400 * 24 * H), 'daily', 'sql', false);
    const older = backupFileName(ago(500 * 24 * H), 'hourly', 'sql', false);
    for (const f of [only, older]) writeFileSync(path.join(dir, f), 'x');
    await pruneLocal(dir, NOW, rules);
    expect(readdirSync(dir)).toEqual([only]);
  });

  it('applies the same window to the copies in S3', async () => {
    const prefix = 'backups/db/';
    const expected: string[] = [];
    for (const [time, kind, keep] of CASES) {
      const name = backupFileName(time, kind, 'custom', false);
      for (const f of [name, `${name}.sha256`, `${name}.manifest.json`]) {
        await s3.target.client.send(
          new PutObjectCommand({ Bucket: s3.target.bucket, Key: `${prefix}${f}`, Body: 'x' }),
        );
        if (keep) expected.push(`${prefix}${f}`);
      }
    }
    await s3.target.client.send(
      new PutObjectCommand({ Bucket: s3.target.bucket, Key: 'archives/keep-me.json', Body: '{}' }),
    );
    const r = await pruneS3(s3.target, prefix, NOW, rules);
    expect(r.deleted).toHaveLength(5 * 3);
    expect((await listAllObjects(s3.target, prefix)).map((o) => o.Key).sort()).toEqual(expected.sort());
    expect((await listAllObjects(s3.target, 'archives/')).map((o) => o.Key)).toEqual([
      'archives/keep-me.json',
    ]);
  });
});
