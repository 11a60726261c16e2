import { createDecipheriv, type DecipherGCM } from 'node:crypto';
import { CryptoFileError } from './crypto-file-error.js';

/**
 * Read-only support for the two formats written before crypto-file v2 (never written any more):
 * - backups  "RSBKENC1" · key id (8 bytes) · IV (12) · AES-256-GCM ciphertext · tag (16)
 * - log archives "RSLOGAR1" · uint16 BE length · header JSON (keyId, iv, …) · ciphertext · tag,
 *   with magic, length and header as additional data.
 * Both are one GCM message: the plaintext is unverified until the end, so callers stream it to a
 * temporary file or to nowhere first (decryptToFile, verifyEncrypted).
 */
const BACKUP_V1 = Buffer.from('RSBKENC1');
const ARCHIVE_V1 = Buffer.from('RSLOGAR1');
const TAG_BYTES = 16;

export interface LegacyFrame {
  format: 'backup-v1' | 'archive-v1';
  keyId: string;
  iv: Buffer;
  aad: Buffer | null;
  start: number;
  meta: Record<string, unknown>;
}

const cut = (label: string) =>
  new CryptoFileError('truncated', `${label}: encrypted file is truncated or corrupted`);

/** The frame of a file in an earlier format, or null when `head` starts otherwise. */
export function readLegacyFrame(head: Buffer, size: number, label: string): LegacyFrame | null {
  const magic = head.subarray(0, 8);
  if (magic.equals(BACKUP_V1)) {
    const start = 8 + 8 + 12;
    if (size < start + TAG_BYTES) throw cut(label);
    return {
      format: 'backup-v1',
      keyId: head.subarray(8, 16).toString('hex'),
      iv: head.subarray(16, start),
      aad: null,
      start,
      meta: {},
    };
  }
  if (!magic.equals(ARCHIVE_V1)) return null;
  if (head.length < 10) throw cut(label);
  const len = head.readUInt16BE(8);
  const start = 10 + len;
  if (start > head.length || start + TAG_BYTES > size) throw cut(label);
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(head.subarray(10, start).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new CryptoFileError('corrupt', `${label}: encrypted file's header is corrupted`);
  }
  if (h.v !== 1 || h.alg !== 'aes-256-gcm' || typeof h.keyId !== 'string' || typeof h.iv !== 'string') {
    throw new CryptoFileError('corrupt', `${label}: unsupported encrypted-file header`);
  }
  const { keyId, iv, v: _v, alg: _alg, ...meta } = h;
  return {
    format: 'archive-v1',
    keyId,
    iv: Buffer.from(iv, 'base64'),
    aad: head.subarray(0, start),
    start,
    meta,
  };
}

export function legacyDecipher(f: LegacyFrame, key: Buffer, tag: Buffer): DecipherGCM {
  const d = createDecipheriv('aes-256-gcm', key, f.iv);
  if (f.aad) d.setAAD(Buffer.from(f.aad));
  d.setAuthTag(tag);
  return d;
}
