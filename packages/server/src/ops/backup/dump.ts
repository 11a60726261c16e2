import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { hashingStream } from '../../platform/crypto.js';
import { encryptStream } from '../../platform/crypto-file.js';
import type { BackupKey } from './backup-key.js';
import type { TableStats } from './backup-files.js';
import { migrationLevel, serverVersion, tableStats, type Exec } from './db-stats.js';

export interface DumpInfo {
  tables: TableStats;
  serverVersion: string;
  migration: { latest: string | null; applied: number };
}

export interface WrittenFile {
  bytes: number;
  dumpBytes: number;
  sha256: string;
}

export interface DumpHooks {
  /** Called with the plain dump bytes seen so far; throwing aborts the write (tests). */
  onDumpBytes?: (bytes: number) => void;
  /** pg_dump executable (default: pg_dump on PATH). */
  pgDumpBin?: string;
  signal?: AbortSignal;
}

const counter = (onBytes: (n: number) => void) => {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      n += chunk.length;
      try {
        onBytes(n);
      } catch (e) {
        cb(e as Error);
        return;
      }
      cb(null, chunk);
    },
  });
};

/** source → (count) → (encrypt) → (hash) → file. */
async function writeDump(
  source: Readable,
  file: string,
  key: BackupKey | null,
  hooks: DumpHooks,
): Promise<WrittenFile> {
  let dumpBytes = 0;
  const hasher = hashingStream();
  const stages: NodeJS.ReadWriteStream[] = [
    counter((n) => {
      dumpBytes = n;
      hooks.onDumpBytes?.(n);
    }),
  ];
  if (key) stages.push(encryptStream(key));
  stages.push(hasher.stream);
  await pipeline([source, ...stages, createWriteStream(file, { flags: 'wx' })], { signal: hooks.signal });
  return { ...hasher.digest(), dumpBytes };
}

/** The URL without its password (given to pg_dump through PGPASSWORD, so `ps` never shows it). */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  return { url: u.toString(), password };
}

/**
 * `pg_dump -Fc` of a PostgreSQL database. The counts and checksums in the manifest come from
 * the same exported snapshot pg_dump reads, so they describe exactly what the dump holds.
 */
export async function dumpPostgres(
  databaseUrl: string,
  file: string,
  key: BackupKey | null,
  hooks: DumpHooks = {},
): Promise<DumpInfo & WrittenFile> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
    const exec: Exec = async (q) => (await client.query(q)).rows as Record<string, unknown>[];
    const info: DumpInfo = {
      tables: await tableStats(exec),
      serverVersion: await serverVersion(exec),
      migration: await migrationLevel(exec),
    };
    const { url, password } = splitPassword(databaseUrl);
    const child = spawn(hooks.pgDumpBin ?? 'pg_dump', ['-Fc', `--snapshot=${snapshot}`, '--dbname', url], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', (e) => reject(new Error(`cannot run pg_dump: ${e.message}`)));
      child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
    });
    let written: WrittenFile;
    try {
      written = await writeDump(child.stdout, file, key, hooks);
    } catch (e) {
      child.kill('SIGTERM');
      await exited.catch(() => 0);
      throw e;
    }
    const code = await exited;
    if (code !== 0)
      throw new Error(
        `pg_dump exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`,
      );
    await client.query('COMMIT');
    return { ...info, ...written };
  } finally {
    await client.end().catch(() => {});
  }
}

async function pgliteInfo(db: PGlite): Promise<DumpInfo> {
  return db.transaction(async (tx) => {
    const exec: Exec = async (q) => (await tx.query<Record<string, unknown>>(q)).rows;
    return {
      tables: await tableStats(exec),
      serverVersion: await serverVersion(exec),
      migration: await migrationLevel(exec),
    };
  });
}

/**
 * An SQL dump of the embedded database (pglite-tools pgDump). pg_dump runs against an in-memory
 * copy made from `dumpDataDir()` (taken while PGlite runs nothing else): the live instance never
 * sees pg_dump's session (its read-only transaction, empty search_path, DEALLOCATE ALL), and the
 * stats in the manifest describe exactly the copy that was dumped.
 */
export async function dumpPglite(
  db: PGlite,
  file: string,
  key: BackupKey | null,
  hooks: DumpHooks = {},
): Promise<DumpInfo & WrittenFile> {
  const { PGlite: PGliteCtor } = await import('@electric-sql/pglite');
  const { pgDump } = await import('@electric-sql/pglite-tools/pg_dump');
  const copy = await PGliteCtor.create({ loadDataDir: await db.dumpDataDir('none') });
  let info: DumpInfo;
  let dump: File;
  try {
    info = await pgliteInfo(copy);
    dump = await pgDump({ pg: copy, args: ['--inserts', '--rows-per-insert=1000'] });
  } finally {
    await copy.close();
  }
  const text = Buffer.from(await dump.arrayBuffer());
  // The dump empties search_path; restoring sets it back (see restore-db.ts).
  const chunks = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) =>
    text.subarray(i * 65_536, (i + 1) * 65_536),
  );
  const written = await writeDump(Readable.from(chunks), file, key, hooks);
  return { ...info, ...written };
}
