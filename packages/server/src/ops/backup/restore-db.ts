import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { decryptToFile } from '../../platform/crypto-file.js';
import { keyMatches, keyringOf } from '../../platform/crypto-keys.js';
import type { BackupKey } from './backup-key.js';
import { BackupInvalidError, parseBackupName, verifyBackupFile, type Manifest } from './backup-files.js';
import { diffStats, describeDiff, nonEmptyTables, quoteIdent, tableStats, type Exec } from './db-stats.js';
import { splitPassword } from './dump.js';

export type RestoreTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export interface RestoreOptions {
  file: string;
  target: RestoreTarget;
  key: BackupKey | null;
  force?: boolean;
  /** Run pending migrations afterwards (default true). */
  migrate?: (target: RestoreTarget, manifest: Manifest) => Promise<string[]>;
  pgRestoreBin?: string;
  psqlBin?: string;
}

export interface RestoreResult {
  status: 'success' | 'refused' | 'failed';
  line: string;
  durationMs: number;
  manifest?: Manifest;
  migrated?: string[];
  error?: string;
}

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

function run(
  bin: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: Readable; stdout?: 'pipe' | 'ignore' },
) {
  const child = spawn(bin, args, {
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin ? 'pipe' : 'ignore', opts.stdout ?? 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  if (opts.stdin) {
    child.stdin!.on('error', () => {});
    opts.stdin.pipe(child.stdin!);
  }
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`cannot run ${path.basename(bin)}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const msg =
          stderr
            .split('\n')
            .filter((l) => /ERROR|FATAL|error|invalid|could not/.test(l))
            .slice(0, 3)
            .join(' / ') || stderr.trim().slice(-300);
        reject(new Error(`${path.basename(bin)} exited with ${code}: ${msg || 'no message'}`));
      }
    });
  });
  return { child, done };
}

/** SQL that refuses (and so rolls back) the restore unless every table matches the manifest. */
export function verificationSql(tables: Manifest['tables']): string {
  const lines = [
    "SET LOCAL TimeZone = 'UTC';",
    "SET LOCAL DateStyle = 'ISO, YMD';",
    "SET LOCAL IntervalStyle = 'postgres';",
    'SET LOCAL extra_float_digits = 1;',
    "SET LOCAL bytea_output = 'hex';",
    'DO $rstream_verify$ DECLARE n bigint; c text; BEGIN',
  ];
  for (const [table, s] of Object.entries(tables)) {
    const lit = table.replace(/'/g, "''");
    lines.push(
      `  SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) INTO n, c FROM public.${quoteIdent(table)} t;`,
      `  IF n <> ${s.rows} OR c <> '${s.checksum}' THEN RAISE EXCEPTION 'rstream-verify: table % has % rows (manifest: ${s.rows}) or a different checksum', '${lit}', n; END IF;`,
    );
  }
  lines.push('END $rstream_verify$;');
  return `${lines.join('\n')}\n`;
}

/** The dump as SQL text: pg_restore turns a custom-format archive into a script. */
function sqlStream(plain: string, format: 'custom' | 'sql', bin: string) {
  if (format === 'sql') {
    const stream = createReadStream(plain) as Readable;
    const done = new Promise<void>((resolve, reject) => stream.on('end', resolve).on('error', reject));
    return { stream, done, child: null };
  }
  const r = run(bin, ['--no-owner', '--no-acl', '--exit-on-error', '-f', '-', plain], { stdout: 'pipe' });
  // pg_restore's exit code counts only after its output was read to the end.
  const ended = new Promise<void>((resolve) => r.child.stdout!.on('end', resolve));
  return {
    stream: r.child.stdout as Readable,
    done: Promise.all([r.done, ended]).then(() => {}),
    child: r.child,
  };
}

async function restorePostgres(
  url: string,
  plain: string,
  format: 'custom' | 'sql',
  manifest: Manifest,
  o: RestoreOptions,
) {
  const { url: bare, password } = splitPassword(url);
  const input = new PassThrough();
  // One explicit transaction: wipe, restore, verify, and COMMIT only when pg_restore finished
  // cleanly. Any error (ON_ERROR_STOP), or the end of input without COMMIT, rolls all of it back.
  input.write('BEGIN;\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n');
  const sqlText = sqlStream(plain, format, o.pgRestoreBin ?? 'pg_restore');
  const psql = run(o.psqlBin ?? 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', bare], {
    env: password ? { PGPASSWORD: password } : {},
    stdin: input,
  });
  sqlText.stream.pipe(input, { end: false });
  sqlText.stream.on('error', () => {});
  const source = sqlText.done.then(
    () => {
      input.write('\nSET search_path TO public;\n');
      input.write(verificationSql(manifest.tables));
      input.end('COMMIT;\n');
    },
    (e: unknown) => {
      input.end(); // no COMMIT
      throw e;
    },
  );
  // psql stopping early must not leave pg_restore blocked on a full pipe.
  psql.done.catch(() => sqlText.child?.kill('SIGTERM'));
  const results = await Promise.allSettled([source, psql.done]);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) {
    psql.child.kill('SIGTERM');
    throw failed.reason;
  }
}

async function openPglite(dir: string) {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(dir);
}

async function restorePglite(
  dir: string,
  plain: string,
  format: 'custom' | 'sql',
  manifest: Manifest,
  o: RestoreOptions,
) {
  const src = sqlStream(plain, format, o.pgRestoreBin ?? 'pg_restore');
  const chunks: Buffer[] = [];
  for await (const c of src.stream) chunks.push(c as Buffer);
  await src.done;
  const text = Buffer.concat(chunks).toString('utf8');
  const db = await openPglite(dir);
  try {
    await db.exec(text);
    await db.exec('SET search_path TO public');
    const stats = await db.transaction(async (tx) =>
      tableStats(async (q) => (await tx.query<Record<string, unknown>>(q)).rows),
    );
    const diff = diffStats(manifest.tables, stats, { checksums: true, allowExtra: false });
    if (diff.length) throw new Error(`restored data does not match the manifest: ${describeDiff(diff)}`);
  } finally {
    await db.close();
  }
}

async function targetHasData(target: RestoreTarget): Promise<string[]> {
  if (target.kind === 'postgres') {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const exec: Exec = async (q) => (await client.query(q)).rows as Record<string, unknown>[];
      return await nonEmptyTables(exec);
    } finally {
      await client.end();
    }
  }
  if (!existsSync(target.dir)) return [];
  const db = await openPglite(target.dir);
  try {
    return await nonEmptyTables(async (q) => (await db.query<Record<string, unknown>>(q)).rows);
  } finally {
    await db.close();
  }
}

/**
 * Verifies, decrypts and restores a backup, then runs pending migrations. PostgreSQL: one
 * transaction (wipe + restore + row/checksum verification), so a failure leaves the target as it
 * was. PGlite: restored into a new folder that replaces the old one only when verified.
 */
export async function runRestore(o: RestoreOptions): Promise<RestoreResult> {
  const t0 = performance.now();
  const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
  const base = path.basename(o.file);
  let work: string | null = null;
  let manifest: Manifest | undefined;
  try {
    if (!existsSync(o.file)) throw new RestoreRefusedError(`no such backup file: ${o.file}`);
    manifest = await verifyBackupFile(o.file);
    const parsed = parseBackupName(base);
    const format = parsed?.format ?? (manifest.database.kind === 'postgres' ? 'custom' : 'sql');
    if (manifest.encryption && !o.key) {
      throw new RestoreRefusedError(
        `the backup is encrypted (key ${manifest.encryption.keyId}): set BACKUP_ENCRYPTION_KEY or BACKUP_ENCRYPTION_KEY_FILE`,
      );
    }
    if (manifest.encryption && o.key && !keyMatches(o.key, manifest.encryption.keyId)) {
      throw new RestoreRefusedError(
        `the backup was encrypted with key ${manifest.encryption.keyId}; the configured key is ${o.key.id}`,
      );
    }
    const busy = await targetHasData(o.target);
    if (busy.length && !o.force) {
      throw new RestoreRefusedError(
        `the target database is not empty (${busy.join(', ')}): pass --force to replace its contents`,
      );
    }
    work = await mkdtemp(path.join(tmpdir(), 'rstream-restore-'));
    let plain = o.file;
    if (manifest.encryption) {
      plain = path.join(work, 'plain');
      await decryptToFile(o.file, plain, keyringOf(o.key), 'encrypted backup');
      const size = (await stat(plain)).size;
      if (size !== manifest.dumpBytes)
        throw new BackupInvalidError(
          `decrypted size ${size} differs from the manifest's ${manifest.dumpBytes}`,
        );
    }
    if (o.target.kind === 'postgres') {
      await restorePostgres(o.target.url, plain, format, manifest, o);
    } else {
      const fresh = `${o.target.dir}.restore-${process.pid}`;
      await rm(fresh, { recursive: true, force: true });
      try {
        await restorePglite(fresh, plain, format, manifest, o);
      } catch (e) {
        await rm(fresh, { recursive: true, force: true });
        throw e;
      }
      // The replaced folder stays beside the new one until the operator removes it.
      const old = `${o.target.dir}.before-restore-${new Date().toISOString().replace(/[-:.]/g, '')}`;
      if (existsSync(o.target.dir)) await rename(o.target.dir, old);
      await rename(fresh, o.target.dir);
    }
    let migrated: string[] = [];
    try {
      migrated = o.migrate ? await o.migrate(o.target, manifest) : [];
    } catch (e) {
      const message = `restored, but migrating it failed: ${(e as Error).message}`;
      return {
        status: 'failed',
        line: `restore db: FAILED ${base} after ${secs()} s: ${message}`,
        durationMs: performance.now() - t0,
        manifest,
        error: message,
      };
    }
    const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
    const line =
      `restore db: ok ${base} → ${o.target.kind} (${Object.keys(manifest.tables).length} tables, ${rows} rows verified` +
      `${migrated.length ? `, migrated ${migrated.join(', ')}` : ''}) in ${secs()} s`;
    return { status: 'success', line, durationMs: performance.now() - t0, manifest, migrated };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const refused =
      e instanceof RestoreRefusedError ||
      e instanceof BackupInvalidError ||
      /authentication|encrypted with key/.test(message);
    const line = `restore db: ${refused ? 'REFUSED' : 'FAILED'} ${base} after ${secs()} s: ${message}; the target was not changed`;
    return {
      status: refused ? 'refused' : 'failed',
      line,
      durationMs: performance.now() - t0,
      manifest,
      error: message,
    };
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }
}
