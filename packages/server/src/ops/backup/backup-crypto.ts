import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  type CipherGCM,
  type DecipherGCM,
} from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * AES-256-GCM for backup files. Layout: MAGIC (8 bytes) · key id (8 bytes) · IV (12 bytes) ·
 * ciphertext · auth tag (16 bytes). The key id lets a restore name the key it needs without
 * revealing it; GCM's tag refuses any changed or truncated file.
 */
export const ENC_MAGIC = Buffer.from('RSBKENC1');
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const ENC_HEADER_BYTES = ENC_MAGIC.length + KEY_ID_BYTES + IV_BYTES;

export interface BackupKey {
  key: Buffer;
  /** 16 hex chars derived from the key: stored in manifests, safe to show. */
  id: string;
}

export class BackupKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupKeyError';
  }
}

/** A 32-byte key written as 64 hex characters or as base64; the value is never echoed. */
export function parseBackupKey(raw: string, source: string): BackupKey {
  const text = raw.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const b = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    if (b.length === 32) key = b;
  }
  if (!key) {
    throw new BackupKeyError(
      `${source} must be 32 bytes written as 64 hex characters or base64 (make one: openssl rand -hex 32).`,
    );
  }
  return { key, id: backupKeyId(key) };
}

export const backupKeyId = (key: Buffer): string =>
  createHash('sha256')
    .update('rstream-backup-key\0')
    .update(key)
    .digest('hex')
    .slice(0, KEY_ID_BYTES * 2);

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

/** A transform that writes the header, encrypts, and appends the tag. */
export function createEncryptStream(k: BackupKey): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', k.key, iv);
  let headerSent = false;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      if (!headerSent) {
        this.push(Buffer.concat([ENC_MAGIC, Buffer.from(k.id, 'hex'), iv]));
        headerSent = true;
      }
      cb(null, cipher.update(chunk));
    },
    flush(cb: TransformCallback) {
      if (!headerSent) this.push(Buffer.concat([ENC_MAGIC, Buffer.from(k.id, 'hex'), iv]));
      const last = cipher.final();
      this.push(Buffer.concat([last, cipher.getAuthTag()]));
      cb();
    },
  });
}

export async function isEncryptedFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(ENC_MAGIC.length);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return bytesRead === buf.length && buf.equals(ENC_MAGIC);
  } finally {
    await fh.close();
  }
}

/**
 * Decrypts `src` into `dest`. Throws (and the caller deletes `dest`) when the key is not the
 * one used, or when the file was altered or cut short (the GCM tag does not match).
 */
export async function decryptFile(src: string, dest: string, k: BackupKey): Promise<void> {
  const fh = await open(src, 'r');
  let size: number;
  let header: Buffer;
  let tag: Buffer;
  try {
    size = (await fh.stat()).size;
    if (size < ENC_HEADER_BYTES + TAG_BYTES)
      throw new Error('encrypted backup is truncated (shorter than its header)');
    header = Buffer.alloc(ENC_HEADER_BYTES);
    await fh.read(header, 0, ENC_HEADER_BYTES, 0);
    tag = Buffer.alloc(TAG_BYTES);
    await fh.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await fh.close();
  }
  if (!header.subarray(0, ENC_MAGIC.length).equals(ENC_MAGIC))
    throw new Error('not an R-Stream encrypted backup');
  const keyId = header.subarray(ENC_MAGIC.length, ENC_MAGIC.length + KEY_ID_BYTES).toString('hex');
  if (keyId !== k.id)
    throw new BackupKeyError(`backup was encrypted with key ${keyId}; the configured key is ${k.id}`);
  const iv = header.subarray(ENC_MAGIC.length + KEY_ID_BYTES);
  const decipher: DecipherGCM = createDecipheriv('aes-256-gcm', k.key, iv);
  decipher.setAuthTag(tag);
  try {
    await pipeline(
      createReadStream(src, { start: ENC_HEADER_BYTES, end: size - TAG_BYTES - 1 }),
      decipher,
      createWriteStream(dest),
    );
  } catch (e) {
    if (/auth|unable to authenticate/i.test((e as Error).message)) {
      throw new Error(
        'encrypted backup failed authentication: it was altered, truncated or made with another key',
      );
    }
    throw e;
  }
}
