import { chmodSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateToLatest, openDb, type Db } from '../../src/platform/db.js';
import { parseBackupKey } from '../../src/ops/backup/backup-key.js';
import { runBackup } from '../../src/ops/backup/backup-db.js';
import { manifestFile, readManifest, checksumFile } from '../../src/ops/backup/backup-files.js';
import { hashFile } from '../../src/platform/crypto.js';

const sha256OfFile = async (file: string) => (await hashFile(file)).sha256;
import { createBackupRunsRepo } from '../../src/ops/backup/backup-runs.js';
import { runRestore } from '../../src/ops/backup/restore-db.js';
import { createScratchDatabase } from '../helpers.js';
import { cleanupTmp, pgStats, populate, tmp, totalRows } from './fixtures.js';

const KEY = parseBackupKey('a1'.repeat(32), 'test key');
const OTHER_KEY = parseBackupKey(Buffer.alloc(32, 7).toString('base64'), 'other key');

let sourceUrl: string;
let source: Db;
let original: Awaited<ReturnType<typeof pgStats>>;

const migrate = async (t: { kind: string; url?: string }) => {
  const db = await openDb({ DATABASE_URL: t.url, DATA_DIR: tmp('mig'), DB_POOL_MAX: 2 });
  try {
    return ((await migrateToLatest(db.kysely)).results ?? []).map((r) => r.migrationName);
  } finally {
    await db.close();
  }
};

/** A backup of the source database (the options every test varies: dir, kind, key, runs…). */
const backupSource = (o: Omit<Parameters<typeof runBackup>[0], 'source'>) =>
  runBackup({ source: { kind: 'postgres', url: sourceUrl }, ...o });
/** A restore into the PostgreSQL database at `url`. */
const restoreTo = (url: string, o: Omit<Parameters<typeof runRestore>[0], 'target'>) =>
  runRestore({ target: { kind: 'postgres', url }, ...o });

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  sourceUrl = await createScratchDatabase('bksrc');
  source = await openDb({ DATABASE_URL: sourceUrl, DATA_DIR: tmp('src'), DB_POOL_MAX: 3 });
  await migrateToLatest(source.kysely);
  await populate(source, { sessions: 3, listeners: 8, signals: 3000 });
  original = await pgStats(sourceUrl);
});
afterAll(async () => {
  await source?.close();
  cleanupTmp();
});

/** A scratch database holding some sessions already, and its row counts and checksums. */
async function populatedTarget(label: string, data: Parameters<typeof populate>[1]) {
  const target = await createScratchDatabase(label);
  const db = await openDb({ DATABASE_URL: target, DATA_DIR: tmp('x'), DB_POOL_MAX: 2 });
  await migrateToLatest(db.kysely);
  await populate(db, data);
  await db.close();
  return { target, before: await pgStats(target) };
}
describe('PostgreSQL backup and restore', () => {
  it('backs up with a manifest and checksum, and restores identical data after the data is dropped', async () => {
    const dir = tmp('bk');
    const b = await backupSource({
      dir,
      kind: 'manual',
      key: null,
      runs: createBackupRunsRepo(source.kysely),
    });
    expect(b.status, b.line).toBe('success');
    expect(b.line).toMatch(/^backup db: ok manual rstream-db-\d{8}T\d{6}Z-manual\.dump/);
    expect(readdirSync(dir).sort()).toEqual([b.file, `${b.file}.manifest.json`, `${b.file}.sha256`].sort());
    const m = await readManifest(b.path!);
    expect(m.database.kind).toBe('postgres');
    expect(m.serverVersion).toMatch(/^15\./);
    // the newest migration the database has run (the last in migrations/index.ts)
    expect(m.migration.latest).toBe(Object.keys(migrations).at(-1));
    expect(m.tables.signals!.rows).toBe(9000);
    expect(m.tables.users).toEqual(original.users);
    expect(readFileSync(checksumFile(b.path!), 'utf8')).toBe(`${await sha256OfFile(b.path!)}  ${b.file}\n`);
    expect(readFileSync(b.path!).subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump -Fc

    // Drop the data: a fresh database stands in for the lost one.
    const target = await createScratchDatabase('bkdst');
    const r = await restoreTo(target, {
      file: b.path!,
      key: null,
      migrate,
    });
    expect(r.status, r.line).toBe('success');
    const restored = await pgStats(target);
    const { backup_runs: _a, ...restoredData } = restored;
    const { backup_runs: _b, ...originalData } = original;
    expect(restoredData).toEqual(originalData);
    expect(totalRows(restoredData)).toBeGreaterThan(9000);
  }, 90_000);

  it('refuses a non-empty target without --force (untouched), replaces it with --force', async () => {
    const dir = tmp('bk');
    const b = await backupSource({
      dir,
      kind: 'manual',
      key: null,
    });
    const { target, before } = await populatedTarget('bkforce', { sessions: 1, listeners: 2, signals: 10 });

    const refused = await restoreTo(target, { file: b.path!, key: null });
    expect(refused.status).toBe('refused');
    expect(refused.line).toMatch(/not empty \(.*users.*\): pass --force/);
    expect(await pgStats(target)).toEqual(before);

    const forced = await restoreTo(target, {
      file: b.path!,
      key: null,
      force: true,
      migrate,
    });
    expect(forced.status, forced.line).toBe('success');
    expect((await pgStats(target)).signals).toEqual(b.manifest!.tables.signals);
  }, 90_000);

  it('encrypts with AES-256-GCM and round-trips only with the right key', async () => {
    const dir = tmp('bkenc');
    const b = await backupSource({
      dir,
      kind: 'manual',
      key: KEY,
    });
    expect(b.status, b.line).toBe('success');
    expect(b.file).toMatch(/\.dump\.enc$/);
    const bytes = readFileSync(b.path!);
    expect(bytes.subarray(0, 8).toString()).toBe('RSCRYPT2');
    expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false);
    expect(bytes.includes(Buffer.from('Listener 1'))).toBe(false);
    expect(b.manifest!.encryption).toEqual({ algorithm: 'aes-256-gcm', keyId: KEY.id });

    const target = await createScratchDatabase('bkenc');
    const noKey = await restoreTo(target, { file: b.path!, key: null });
    expect(noKey.status).toBe('refused');
    expect(noKey.line).toContain(`encrypted (key ${KEY.id})`);
    const wrong = await restoreTo(target, {
      file: b.path!,
      key: OTHER_KEY,
    });
    expect(wrong.status).toBe('refused');
    expect(wrong.line).toContain(`encrypted with key ${KEY.id}`);
    expect(Object.values(await pgStats(target))).toEqual([]);

    const ok = await restoreTo(target, {
      file: b.path!,
      key: KEY,
      migrate,
    });
    expect(ok.status, ok.line).toBe('success');
    expect((await pgStats(target)).participants).toEqual(original.participants);
  }, 90_000);

  it('refuses corrupted and truncated backups and leaves the target untouched', async () => {
    const dir = tmp('bkbad');
    const plain = await backupSource({
      dir,
      kind: 'manual',
      key: null,
    });
    const enc = await backupSource({
      dir,
      kind: 'hourly',
      key: KEY,
    });
    const { target, before } = await populatedTarget('bkbad', { sessions: 1, listeners: 3, signals: 30 });

    const flipped = Buffer.from(readFileSync(plain.path!));
    const mid = Math.floor(flipped.length / 2);
    flipped[mid] = flipped[mid]! ^ 0xff;
    writeFileSync(plain.path!, flipped);
    const corrupt = await restoreTo(target, {
      file: plain.path!,
      key: null,
      force: true,
    });
    expect(corrupt.status).toBe('refused');
    expect(corrupt.line).toMatch(/checksum mismatch: the backup is corrupt or truncated/);

    truncateSync(enc.path!, Math.floor(enc.bytes! / 3));
    const cut = await restoreTo(target, {
      file: enc.path!,
      key: KEY,
      force: true,
    });
    expect(cut.status).toBe('refused');
    expect(cut.line).toMatch(/checksum mismatch/);
    expect(await pgStats(target)).toEqual(before);
  }, 90_000);

  it('a truncated dump that passes its (rewritten) checksum still fails as one transaction: target untouched', async () => {
    const dir = tmp('bktrunc');
    const b = await backupSource({
      dir,
      kind: 'manual',
      key: null,
    });
    const { target, before } = await populatedTarget('bktrunc', { sessions: 1, listeners: 2, signals: 20 });

    truncateSync(b.path!, Math.floor(b.bytes! * 0.6));
    const sha = await sha256OfFile(b.path!);
    const m = JSON.parse(readFileSync(manifestFile(b.path!), 'utf8'));
    writeFileSync(manifestFile(b.path!), JSON.stringify({ ...m, sha256: sha }));
    writeFileSync(checksumFile(b.path!), `${sha}  ${b.file}\n`);
    const r = await restoreTo(target, {
      file: b.path!,
      key: null,
      force: true,
    });
    expect(r.status).toBe('failed');
    expect(r.line).toMatch(/pg_restore|psql/);
    expect(r.line).toContain('the target was not changed');
    expect(await pgStats(target)).toEqual(before);
  }, 90_000);

  it('commits nothing when pg_restore fails after all the data went through (e.g. in an index)', async () => {
    const dir = tmp('bkpost');
    const b = await backupSource({
      dir,
      kind: 'manual',
      key: null,
    });
    const { target, before } = await populatedTarget('bkpost', { sessions: 1, listeners: 2, signals: 5 });
    // The whole script comes out, then pg_restore reports an error: the data alone must not be committed.
    const fake = path.join(tmp('bin'), 'pg_restore');
    writeFileSync(
      fake,
      '#!/bin/sh\npg_restore "$@"\necho "pg_restore: error: could not create index (simulated)" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const r = await restoreTo(target, {
      file: b.path!,
      key: null,
      force: true,
      pgRestoreBin: fake,
    });
    expect(r.status).toBe('failed');
    expect(r.line).toContain(
      'pg_restore exited with 1: pg_restore: error: could not create index (simulated)',
    );
    expect(await pgStats(target)).toEqual(before);
  }, 90_000);

  it('rolls the restore back when the restored rows do not match the manifest', async () => {
    const dir = tmp('bkcount');
    const b = await backupSource({
      dir,
      kind: 'manual',
      key: null,
    });
    const m = JSON.parse(readFileSync(manifestFile(b.path!), 'utf8'));
    m.tables.signals.rows += 1;
    writeFileSync(manifestFile(b.path!), JSON.stringify(m));
    const target = await createScratchDatabase('bkcount');
    const r = await restoreTo(target, { file: b.path!, key: null });
    expect(r.status).toBe('failed');
    expect(r.line).toContain('rstream-verify: table signals has 9000 rows (manifest: 9001)');
    expect(
      await withClient(
        target,
        async (c) => (await c.query(`select to_regclass('public.signals') as t`)).rows[0].t,
      ),
    ).toBeNull();
  }, 90_000);

  it('an interrupted backup leaves nothing behind and records the failure', async () => {
    const dir = tmp('bkint');
    const runs = createBackupRunsRepo(source.kysely);
    const aborted = await backupSource({
      dir,
      kind: 'manual',
      key: KEY,
      runs,
      hooks: {
        onDumpBytes: (n) => {
          if (n > 4096) throw new Error('disk full (simulated)');
        },
      },
    });
    expect(aborted.status).toBe('failed');
    expect(aborted.line).toMatch(/^backup db: FAILED manual after .* disk full \(simulated\)/);
    expect(readdirSync(dir)).toEqual([]);
    const last = (await runs.recent(1))[0]!;
    expect(last.status).toBe('failed');
    expect(last.error).toContain('disk full');

    // pg_dump itself dies midway (writes part of a dump, then fails).
    const fake = path.join(tmp('bin'), 'pg_dump');
    writeFileSync(
      fake,
      '#!/bin/sh\npg_dump "$@" | head -c 20000\necho "pg_dump: error: connection lost" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const died = await backupSource({
      dir,
      kind: 'hourly',
      key: null,
      hooks: { pgDumpBin: fake },
    });
    expect(died.status).toBe('failed');
    expect(died.line).toContain('pg_dump exited with 1: pg_dump: error: connection lost');
    expect(readdirSync(dir)).toEqual([]);

    // Two backups of one kind in the same second: the second refuses and the first stays whole.
    const at = new Date('2026-11-28T10:00:00Z');
    const first = await backupSource({
      dir,
      kind: 'manual',
      key: null,
      now: () => at,
    });
    const clash = await backupSource({
      dir,
      kind: 'manual',
      key: null,
      now: () => at,
    });
    expect(clash.status).toBe('failed');
    expect(clash.line).toContain('rstream-db-20261128T100000Z-manual.dump already exists');
    expect(readdirSync(dir)).toHaveLength(3);
    expect(await sha256OfFile(first.path!)).toBe(first.manifest!.sha256);
  }, 90_000);
});
