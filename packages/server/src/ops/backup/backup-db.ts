import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../../config.js';
import { deleteKeys, type S3Target } from '../../platform/s3.js';
import { loadBackupKey, type BackupKey } from './backup-key.js';
import {
  backupFileName,
  checksumFile,
  manifestFile,
  writeFileAtomic,
  type BackupKind,
  type Manifest,
} from './backup-files.js';
import { formatBytes } from '@rstream/protocol/light';
import type { BackupRunsRepo } from './backup-runs.js';
import { dumpPglite, dumpPostgres, type DumpHooks } from './dump.js';

export type BackupSource =
  { kind: 'postgres'; url: string } | { kind: 'pglite'; pg: PGlite; dataDir: string };

export interface BackupSettings {
  dir: string;
  keepHourlyHours: number;
  keepDailyDays: number;
  uploadS3: boolean;
  s3Prefix: string;
}

export function backupSettings(config: Config): BackupSettings {
  const prefix = config.BACKUP_S3_PREFIX.replace(/^\/+/, '');
  return {
    dir: path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups')),
    keepHourlyHours: config.BACKUP_KEEP_HOURLY_HOURS,
    keepDailyDays: config.BACKUP_KEEP_DAILY_DAYS,
    uploadS3: config.BACKUP_UPLOAD_S3,
    s3Prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
  };
}

export const backupKeyFromConfig = (config: Config): BackupKey | null => loadBackupKey(config);

export interface BackupOptions {
  source: BackupSource;
  dir: string;
  kind: BackupKind;
  key: BackupKey | null;
  s3?: { target: S3Target; prefix: string } | null;
  runs?: BackupRunsRepo | null;
  slot?: string | null;
  instance?: string;
  now?: () => Date;
  hooks?: DumpHooks;
}

export interface BackupResult {
  status: 'success' | 'failed' | 'skipped';
  /** The one line the job logs. */
  line: string;
  durationMs: number;
  file?: string;
  path?: string;
  bytes?: number;
  s3Key?: string;
  manifest?: Manifest;
  error?: string;
}

export const instanceName = () => `${hostname()}:${process.pid}`;

function describeSource(source: BackupSource): Manifest['database'] {
  if (source.kind === 'pglite')
    return { kind: 'pglite', name: path.join(source.dataDir, 'pglite'), host: null };
  const u = new URL(source.url);
  return {
    kind: 'postgres',
    name: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    host: u.host || null,
  };
}

async function uploadFile(s3: S3Target, key: string, file: string, contentType: string): Promise<void> {
  await new Upload({
    client: s3.client,
    params: {
      Bucket: s3.bucket,
      Key: key,
      Body: createReadStream(file),
      ContentType: contentType,
      ...s3.sse,
    },
    partSize: 8 * 1024 * 1024,
    leavePartsOnError: false,
  }).done();
}

/**
 * One database backup: dump to a hidden `.tmp`, write checksum and manifest, rename into place,
 * optionally upload. On any failure nothing it wrote is left behind (locally or in S3).
 */
export async function runBackup(o: BackupOptions): Promise<BackupResult> {
  const now = o.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const format = o.source.kind === 'postgres' ? 'custom' : 'sql';
  const name = backupFileName(started, o.kind, format, o.key !== null);
  const final = path.join(o.dir, name);
  const tmp = path.join(o.dir, `.${name}.${process.pid}.tmp`);
  const written: string[] = [];
  const uploaded: string[] = [];
  let runId: string | null = null;
  if (o.runs) {
    runId = await o.runs.start(o.kind, o.slot ?? null, o.instance ?? instanceName(), started);
    if (!runId)
      return {
        status: 'skipped',
        durationMs: elapsed(),
        line: `backup db: skipped ${o.kind} ${o.slot}: another instance has it`,
      };
  }
  try {
    await mkdir(o.dir, { recursive: true });
    if (existsSync(final)) throw new Error(`${name} already exists (one backup of a kind per second)`);
    const dump =
      o.source.kind === 'postgres'
        ? await dumpPostgres(o.source.url, tmp, o.key, o.hooks)
        : await dumpPglite(o.source.pg, tmp, o.key, o.hooks);
    written.push(tmp);
    const manifest: Manifest = {
      format: 'rstream-backup/1',
      file: name,
      kind: o.kind,
      createdAt: started.toISOString(),
      database: describeSource(o.source),
      serverVersion: dump.serverVersion,
      migration: dump.migration,
      tables: dump.tables,
      dumpBytes: dump.dumpBytes,
      bytes: dump.bytes,
      sha256: dump.sha256,
      encryption: o.key ? { algorithm: 'aes-256-gcm', keyId: o.key.id } : null,
      durationMs: Math.round(elapsed()),
    };
    // Sidecars first, the dump last: a dump under its final name is always complete.
    written.push(checksumFile(final), manifestFile(final));
    await writeFileAtomic(checksumFile(final), `${dump.sha256}  ${name}\n`);
    await writeFileAtomic(manifestFile(final), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmp, final);
    written[0] = final;
    let s3Key: string | undefined;
    if (o.s3) {
      s3Key = `${o.s3.prefix}${name}`;
      for (const [file, type] of [
        [checksumFile(final), 'text/plain'],
        [manifestFile(final), 'application/json'],
        [final, 'application/octet-stream'],
      ] as const) {
        const key = `${o.s3.prefix}${path.basename(file)}`;
        uploaded.push(key);
        await uploadFile(o.s3.target, key, file, type);
      }
    }
    const rows = Object.values(dump.tables).reduce((n, t) => n + t.rows, 0);
    const durationMs = elapsed();
    if (runId) {
      await o.runs!.finish(runId, {
        status: 'success',
        finishedAt: now(),
        durationMs,
        sizeBytes: dump.bytes,
        file: name,
        location: s3Key ? o.s3!.target.url(s3Key) : final,
        sha256: dump.sha256,
        encrypted: o.key !== null,
      });
    }
    const line =
      `backup db: ok ${o.kind} ${name} (${formatBytes(dump.bytes)}, ${Object.keys(dump.tables).length} tables, ${rows} rows` +
      `${o.key ? `, aes-256-gcm key ${o.key.id}` : ''}) in ${(durationMs / 1000).toFixed(1)} s → ${final}${s3Key ? ` + ${o.s3!.target.url(s3Key)}` : ''}`;
    return {
      status: 'success',
      line,
      durationMs,
      file: name,
      path: final,
      bytes: dump.bytes,
      s3Key,
      manifest,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const uploadFailed = uploaded.length > 0;
    if (uploadFailed && o.s3) await deleteKeys(o.s3.target, uploaded).catch(() => {});
    // A local backup that is complete stays when only the upload failed; otherwise nothing stays.
    const keepLocal = uploadFailed && written[0] === final;
    if (!keepLocal) await Promise.all([tmp, ...written].map((f) => rm(f, { force: true })));
    const durationMs = elapsed();
    if (runId)
      await o
        .runs!.finish(runId, { status: 'failed', finishedAt: now(), durationMs, error: message })
        .catch(() => {});
    const line = `backup db: FAILED ${o.kind} after ${(durationMs / 1000).toFixed(1)} s: ${uploadFailed ? `upload to S3 failed (local copy kept at ${final}): ` : ''}${message}`;
    return { status: 'failed', line, durationMs, error: message };
  }
}
