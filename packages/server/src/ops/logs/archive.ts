import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../../config.js';
import { LOG_STREAMS } from '../../platform/log-file.js';
import { hashFile } from '../../platform/crypto.js';
import { createS3Target, s3Configured } from '../../platform/s3.js';
import { ArchiveError, loadKeyring, verifyArchive, writeArchive, type Keyring } from './archive-file.js';
import {
  ageInDays,
  archiveDir,
  archivePathFor,
  isExpired,
  listLogFiles,
  retentionDays,
  TMP_SUFFIX,
  type LogFile,
} from './log-files.js';
import { S3_LOG_PREFIX } from './retention.js';

/**
 * Compresses and encrypts every live log file at least LOG_ARCHIVE_AFTER_DAYS old into
 * LOG_DIR/archive/<stream>/, optionally uploads it to S3 (logs/<stream>/…), and removes the
 * original only after the archive has been decrypted, decompressed and hash-compared.
 * Written to `.tmp` then renamed: an interrupted run never leaves a half archive under the real
 * name, and the next run removes stale `.tmp` files.
 */

export interface ArchiveRunResult {
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  archived: string[];
  uploaded: number;
  failures: string[];
  line: string;
}

export interface ArchiveOptions {
  now?: number;
  keyring?: Keyring;
  /** false: keep the archive local even when S3 is configured */
  upload?: boolean;
  /** test hook: sees the bytes read so far from the file being archived */
  onChunk?: (file: LogFile, bytesRead: number) => void;
}

const LOCK_STALE_MS = 6 * 3600_000;

function takeLock(logDir: string, now: number): (() => void) | null {
  const dir = path.join(logDir, 'archive');
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const lock = path.join(dir, '.lock');
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    if (now - statSync(lock).mtimeMs < LOCK_STALE_MS) return null;
    writeFileSync(lock, String(process.pid));
  }
  return () => rmSync(lock, { force: true });
}

function removeStaleTmp(logDir: string): number {
  let n = 0;
  for (const s of LOG_STREAMS) {
    const dir = archiveDir(logDir, s);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name.endsWith(TMP_SUFFIX)) {
        rmSync(path.join(dir, name), { force: true });
        n++;
      }
    }
  }
  return n;
}

async function upload(config: Config, file: LogFile, archivePath: string): Promise<void> {
  const target = createS3Target(config);
  try {
    const key = `${S3_LOG_PREFIX}${file.stream}/${path.basename(archivePath)}`;
    await new Upload({
      client: target.client,
      params: { Bucket: target.bucket, Key: key, Body: createReadStream(archivePath), ...target.sse },
    }).done();
  } finally {
    target.client.destroy();
  }
}

async function archiveOne(
  config: Config,
  file: LogFile,
  keyring: Keyring,
  opts: ArchiveOptions,
  now: number,
): Promise<'archived' | 'existing'> {
  const final = archivePathFor(config.LOG_DIR!, file.stream, file.day);
  const source = await hashFile(file.path);
  if (existsSync(final)) {
    // A run stopped between rename and removing the original: finish it if the archive holds this file.
    const header = await verifyArchive(final, keyring);
    if (header.sha256 !== source.sha256)
      throw new ArchiveError(`${final} already exists and holds different content; left both in place`);
    rmSync(file.path);
    return 'existing';
  }
  mkdirSync(path.dirname(final), { recursive: true, mode: 0o750 });
  const tmp = `${final}${TMP_SUFFIX}`;
  rmSync(tmp, { force: true });
  try {
    await writeArchive(
      file.path,
      tmp,
      keyring.current!,
      { stream: file.stream, day: file.day, name: path.basename(file.path), ...source, now },
      (n) => opts.onChunk?.(file, n),
    );
    const header = await verifyArchive(tmp, keyring);
    if (header.sha256 !== source.sha256) throw new ArchiveError(`${tmp}: verification failed`);
    renameSync(tmp, final);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  rmSync(file.path);
  return 'archived';
}

export async function archiveLogs(config: Config, opts: ArchiveOptions = {}): Promise<ArchiveRunResult> {
  const skipped = (why: string): ArchiveRunResult => ({
    status: 'skipped',
    archived: [],
    uploaded: 0,
    failures: [],
    line: `logs archive: skipped (${why})`,
  });
  if (!config.LOG_DIR) return skipped('LOG_DIR is not set');
  const now = opts.now ?? Date.now();
  let keyring: Keyring;
  try {
    keyring = opts.keyring ?? loadKeyring(config);
  } catch (err) {
    return {
      ...skipped(''),
      status: 'failed',
      failures: [(err as Error).message],
      line: `logs archive: failed: ${(err as Error).message}`,
    };
  }
  if (!keyring.current)
    return skipped(
      'no LOG_ARCHIVE_KEY or LOG_ARCHIVE_KEY_FILE; logs stay uncompressed until retention deletes them',
    );
  const release = takeLock(config.LOG_DIR, now);
  if (!release) return skipped('another archive run holds LOG_DIR/archive/.lock');
  const archived: string[] = [];
  const failures: string[] = [];
  let uploaded = 0;
  const retention = retentionDays(config);
  const wantUpload = (opts.upload ?? config.LOG_ARCHIVE_UPLOAD) && s3Configured(config);
  try {
    removeStaleTmp(config.LOG_DIR);
    const due = listLogFiles(config.LOG_DIR).filter(
      (f) =>
        f.kind === 'live' &&
        ageInDays(f.day, now) >= config.LOG_ARCHIVE_AFTER_DAYS &&
        !isExpired(f.day, retention[f.stream], now),
    );
    for (const f of due) {
      try {
        const outcome = await archiveOne(config, f, keyring, opts, now);
        const final = archivePathFor(config.LOG_DIR, f.stream, f.day);
        archived.push(final);
        if (wantUpload && outcome === 'archived') {
          try {
            await upload(config, f, final);
            uploaded++;
          } catch (err) {
            failures.push(`upload ${path.basename(final)}: ${(err as Error).message} (kept locally)`);
          }
        }
      } catch (err) {
        failures.push(`${path.basename(f.path)}: ${(err as Error).message}`);
      }
    }
  } finally {
    release();
  }
  const status = failures.length === 0 ? 'ok' : archived.length ? 'partial' : 'failed';
  const line =
    `logs archive: ${status}, archived ${archived.length} file(s)` +
    (wantUpload ? `, uploaded ${uploaded}` : '') +
    (failures.length ? `, ${failures.length} failure(s): ${failures[0]}` : '');
  return { status, archived, uploaded, failures, line };
}
