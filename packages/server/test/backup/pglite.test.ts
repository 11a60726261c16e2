import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBackupKey } from '../../src/ops/backup/backup-key.js';
import { runBackup, type BackupResult } from '../../src/ops/backup/backup-db.js';
import type { TableStats } from '../../src/ops/backup/backup-files.js';
import { tableStats } from '../../src/ops/backup/db-stats.js';
import { runDrill } from '../../src/ops/backup/drill.js';
import { runRestore } from '../../src/ops/backup/restore-db.js';
import { startTestApp, type TestApp } from '../helpers.js';
import { cleanupTmp, cli, populate, tmp } from './fixtures.js';

const KEY = parseBackupKey('5c'.repeat(32), 'test key');
let t: TestApp;
let backup: BackupResult;
let before: TableStats;

async function statsOfDir(dir: string): Promise<TableStats> {
  const db = await PGlite.create(dir);
  try {
    return await db.transaction(async (tx) =>
      tableStats(async (q) => (await tx.query<Record<string, unknown>>(q)).rows),
    );
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  t = await startTestApp('pglite', { BACKUP_SCHEDULE: 'off' });
  await populate(t.app.db, { sessions: 2, listeners: 4, signals: 1500 });
  const pg = t.app.db.pglite!;
  before = await pg.transaction(async (tx) =>
    tableStats(async (q) => (await tx.query<Record<string, unknown>>(q)).rows),
  );
  backup = await runBackup({
    source: { kind: 'pglite', pg, dataDir: t.config.DATA_DIR },
    dir: tmp('pgl-bk'),
    kind: 'manual',
    key: KEY,
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  cleanupTmp();
});

describe('embedded database (PGlite) backups', () => {
  it('dumps SQL, encrypted, with a manifest that matches the live data; the server keeps working', async () => {
    expect(backup.status, backup.line).toBe('success');
    expect(backup.file).toMatch(/^rstream-db-\d{8}T\d{6}Z-manual\.sql\.enc$/);
    expect(backup.manifest!.database.kind).toBe('pglite');
    expect(backup.manifest!.tables).toEqual(before);
    expect(readFileSync(backup.path!).includes(Buffer.from('INSERT INTO'))).toBe(false);
    // pg_dump ran on a copy: the live instance still reads and writes with its own search_path.
    const n = await t.app.db.kysely
      .selectFrom('signals')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3000);
    await t.app.db.kysely
      .insertInto('users')
      .values({
        id: crypto.randomUUID(),
        email: 'after-dump@example.test',
        username: 'x',
        password_hash: 'h',
      })
      .execute();
    const ro = await t.app.db.pglite!.query<{ transaction_read_only: string }>('show transaction_read_only');
    expect(ro.rows[0]!.transaction_read_only).toBe('off');
  }, 90_000);

  it('restores into a new embedded database with identical data, then refuses to overwrite it without --force', async () => {
    const dir = path.join(tmp('pgl-target'), 'pglite');
    const r = await runRestore({ file: backup.path!, target: { kind: 'pglite', dir }, key: KEY });
    expect(r.status, r.line).toBe('success');
    expect(await statsOfDir(dir)).toEqual(before);

    const again = await runRestore({ file: backup.path!, target: { kind: 'pglite', dir }, key: KEY });
    expect(again.status).toBe('refused');
    expect(again.line).toContain('pass --force');
  }, 90_000);

  it('refuses a corrupted file and leaves the target folder as it was', async () => {
    const copy = path.join(tmp('pgl-bad'), backup.file!);
    const bytes = Buffer.from(readFileSync(backup.path!));
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 1;
    writeFileSync(copy, bytes);
    for (const s of ['.sha256', '.manifest.json'])
      writeFileSync(`${copy}${s}`, readFileSync(`${backup.path!}${s}`));
    const root = tmp('pgl-untouched');
    const r = await runRestore({
      file: copy,
      target: { kind: 'pglite', dir: path.join(root, 'pglite') },
      key: KEY,
      force: true,
    });
    expect(r.status).toBe('refused');
    expect(r.line).toContain('checksum mismatch');
    expect(readdirSync(root)).toEqual([]);
  }, 90_000);

  it('an aborted embedded dump leaves no file behind', async () => {
    const dir = tmp('pgl-abort');
    const r = await runBackup({
      source: { kind: 'pglite', pg: t.app.db.pglite!, dataDir: t.config.DATA_DIR },
      dir,
      kind: 'hourly',
      key: null,
      hooks: {
        onDumpBytes: (n) => {
          if (n > 1000) throw new Error('write aborted (simulated)');
        },
      },
    });
    expect(r.status).toBe('failed');
    expect(readdirSync(dir)).toEqual([]);
  }, 90_000);

  it('the drill passes on the embedded database', async () => {
    const r = await runDrill({ config: t.config, db: t.app.db });
    expect(r.status, r.lines.join('\n')).toBe('success');
    expect(r.lines.join('\n')).toMatch(/drill: RTO measured \d+\.\d\d s to restore pglite/);
    expect(r.lines.some((l) => /^ {2}signals +3000 +[0-9a-f]{32} +yes$/.test(l))).toBe(true);
  }, 90_000);

  it('CLI on the embedded database: backup db, then restore db latest --force swaps the folder and migrates', async () => {
    const dataDir = tmp('cli-embedded');
    const env = { DATA_DIR: dataDir, BACKUP_ENCRYPTION_KEY: '5c'.repeat(32) };
    expect((await cli(['migrate'], env)).code).toBe(0);
    const b = await cli(['backup', 'db'], env);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/^backup db: ok manual rstream-db-\d{8}T\d{6}Z-manual\.sql\.enc \(/m);
    const refused = await cli(['restore', 'db', 'latest'], {
      ...env,
      BACKUP_ENCRYPTION_KEY: 'aa'.repeat(32),
    });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/REFUSED .* encrypted with key [0-9a-f]{16}; the configured key is/);
    const r = await cli(['restore', 'db', 'latest', '--force'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^restore db: ok rstream-db-.*-manual\.sql\.enc → pglite \(\d+ tables, \d+ rows verified\)/m,
    );
    expect(
      readdirSync(dataDir)
        .filter((n) => n.startsWith('pglite'))
        .sort(),
    ).toEqual(['pglite', expect.stringMatching(/^pglite\.before-restore-\d{8}T\d{6}\d*Z$/)]);
    const status = await cli(['backup', 'status', '--json'], env);
    const json = JSON.parse(status.out) as { lastSuccess: { kind: string; file: string; status: string } };
    // backup_runs came back with the restore; the run that made this backup is recorded as its success
    expect(json.lastSuccess).toMatchObject({
      kind: 'manual',
      status: 'success',
      file: expect.stringMatching(/-manual\.sql\.enc$/),
    });
  }, 120_000);
});
