import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { hashFile } from '../../platform/crypto.js';

/**
 * A backup is three files side by side:
 *   rstream-db-20261128T140500Z-hourly.dump[.enc]      the dump (pg_dump -Fc, or SQL for PGlite)
 *   …dump[.enc].sha256                                   `sha256sum -c` compatible checksum
 *   …dump[.enc].manifest.json                            what is inside (see manifestSchema)
 */
export const BACKUP_KINDS = ['hourly', 'daily', 'manual', 'drill'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

const NAME_RE = /^rstream-db-(\d{8}T\d{6}Z)-(hourly|daily|manual|drill)\.(dump|sql)(\.enc)?$/;

export interface BackupName {
  name: string;
  time: Date;
  kind: BackupKind;
  format: 'custom' | 'sql';
  encrypted: boolean;
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function backupFileName(
  time: Date,
  kind: BackupKind,
  format: 'custom' | 'sql',
  encrypted: boolean,
): string {
  return `rstream-db-${stamp(time)}-${kind}.${format === 'custom' ? 'dump' : 'sql'}${encrypted ? '.enc' : ''}`;
}

export function parseBackupName(name: string): BackupName | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const s = m[1]!;
  const time = new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );
  if (Number.isNaN(time.getTime())) return null;
  return {
    name,
    time,
    kind: m[2] as BackupKind,
    format: m[3] === 'dump' ? 'custom' : 'sql',
    encrypted: Boolean(m[4]),
  };
}

export const checksumFile = (backup: string) => `${backup}.sha256`;
export const manifestFile = (backup: string) => `${backup}.manifest.json`;
export const sidecars = (backup: string) => [checksumFile(backup), manifestFile(backup)];

export const tableStatsSchema = z.record(
  z.string(),
  z.object({ rows: z.number().int().nonnegative(), checksum: z.string() }),
);
export type TableStats = z.infer<typeof tableStatsSchema>;

export const manifestSchema = z.object({
  format: z.literal('rstream-backup/1'),
  file: z.string(),
  kind: z.enum(BACKUP_KINDS),
  createdAt: z.string(),
  database: z.object({ kind: z.enum(['postgres', 'pglite']), name: z.string(), host: z.string().nullable() }),
  serverVersion: z.string(),
  migration: z.object({ latest: z.string().nullable(), applied: z.number().int() }),
  tables: tableStatsSchema,
  dumpBytes: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  encryption: z.object({ algorithm: z.literal('aes-256-gcm'), keyId: z.string() }).nullable(),
  durationMs: z.number().nonnegative(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Writes `.tmp` then renames, so a reader never sees half a file. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export class BackupInvalidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupInvalidError';
  }
}

export async function readManifest(backup: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(manifestFile(backup), 'utf8');
  } catch {
    throw new BackupInvalidError(`no manifest ${path.basename(manifestFile(backup))} next to the backup`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BackupInvalidError(`manifest ${path.basename(manifestFile(backup))} is not valid JSON`);
  }
  const r = manifestSchema.safeParse(parsed);
  if (!r.success)
    throw new BackupInvalidError(
      `manifest ${path.basename(manifestFile(backup))} is not valid: ${r.error.issues[0]?.message}`,
    );
  return r.data;
}

/** Refuses a file whose size or SHA-256 differs from its manifest and checksum file. */
export async function verifyBackupFile(backup: string): Promise<Manifest> {
  const manifest = await readManifest(backup);
  let recorded: string | undefined;
  try {
    recorded = (await readFile(checksumFile(backup), 'utf8')).trim().split(/\s+/)[0];
  } catch {
    throw new BackupInvalidError(
      `no checksum file ${path.basename(checksumFile(backup))} next to the backup`,
    );
  }
  if (recorded !== manifest.sha256) throw new BackupInvalidError('checksum file and manifest disagree');
  const actual = (await hashFile(backup)).sha256;
  if (actual !== manifest.sha256) {
    throw new BackupInvalidError(
      `checksum mismatch: the backup is corrupt or truncated (expected sha256 ${manifest.sha256.slice(0, 12)}…, got ${actual.slice(0, 12)}…)`,
    );
  }
  return manifest;
}
