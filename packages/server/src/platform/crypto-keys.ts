import { createHash } from 'node:crypto';
import { CryptoFileError } from './crypto-file-error.js';

/** The keys of encrypted files (platform/crypto-file.ts): one key-id rule, keyrings for rotation. */

export interface FileKey {
  key: Buffer;
  /** 16 hex chars derived from the key: written in headers and manifests, safe to show. */
  id: string;
  /** the ids the earlier formats gave the same key, so their files still find it */
  legacyIds: string[];
}

export interface Keyring {
  /** the key new files are written with (null: none configured) */
  current: FileKey | null;
  /** every usable key under its id and its legacy ids */
  byId: Map<string, FileKey>;
}

/** The one key-id rule. */
export const fileKeyId = (key: Buffer): string =>
  createHash('sha256').update('rstream-file-key\0').update(key).digest('hex').slice(0, 16);

export function fileKey(key: Buffer): FileKey {
  return {
    key,
    id: fileKeyId(key),
    legacyIds: [
      createHash('sha256').update('rstream-backup-key\0').update(key).digest('hex').slice(0, 16),
      createHash('sha256').update(key).digest('hex').slice(0, 8),
    ],
  };
}

/** 32 bytes written as 64 hex characters or base64/base64url; null for anything else. */
export function decodeKeyText(raw: string): Buffer | null {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const b = Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64');
  return b.length === 32 ? b : null;
}

export function keyringOf(current: FileKey | null, others: FileKey[] = []): Keyring {
  const byId = new Map<string, FileKey>();
  for (const k of current ? [...others, current] : others) {
    for (const id of [...k.legacyIds, k.id]) byId.set(id, k);
  }
  return { current, byId };
}

/** Does `id` (from a header or a manifest, any format) name this key? */
export const keyMatches = (k: FileKey, id: string): boolean => k.id === id || k.legacyIds.includes(id);

/** The key a header names, or a CryptoFileError('unknown-key') listing the ones there are. */
export function findKey(keyring: Keyring, keyId: string, label: string): FileKey {
  const key = keyring.byId.get(keyId);
  if (key) return key;
  const have = [...new Set([...keyring.byId.values()].map((k) => k.id))].join(', ') || 'none';
  throw new CryptoFileError(
    'unknown-key',
    `${label}: encrypted with key ${keyId}, which is not configured (keys available: ${have})`,
    keyId,
  );
}
