import { readFileSync } from 'node:fs';
import { decodeKeyText, fileKey, type FileKey } from '../../platform/crypto-keys.js';

/** Backups are written in the one encrypted-file format (platform/crypto-file.ts). */
export type BackupKey = FileKey;

export class BackupKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupKeyError';
  }
}

/** A 32-byte key written as 64 hex characters or as base64; the value is never echoed. */
export function parseBackupKey(raw: string, source: string): BackupKey {
  const key = decodeKeyText(raw);
  if (!key) {
    throw new BackupKeyError(
      `${source} must be 32 bytes written as 64 hex characters or base64 (make one: openssl rand -hex 32).`,
    );
  }
  return fileKey(key);
}

/** The configured key: BACKUP_ENCRYPTION_KEY, else the file BACKUP_ENCRYPTION_KEY_FILE, else none. */
export function loadBackupKey(s: {
  BACKUP_ENCRYPTION_KEY?: string;
  BACKUP_ENCRYPTION_KEY_FILE?: string;
}): BackupKey | null {
  if (s.BACKUP_ENCRYPTION_KEY) return parseBackupKey(s.BACKUP_ENCRYPTION_KEY, 'BACKUP_ENCRYPTION_KEY');
  if (s.BACKUP_ENCRYPTION_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(s.BACKUP_ENCRYPTION_KEY_FILE, 'utf8');
    } catch (e) {
      throw new BackupKeyError(
        `cannot read BACKUP_ENCRYPTION_KEY_FILE (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    return parseBackupKey(text, 'BACKUP_ENCRYPTION_KEY_FILE');
  }
  return null;
}
