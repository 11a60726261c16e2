import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Transform } from 'node:stream';
import path from 'node:path';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface FileDigest {
  sha256: string;
  bytes: number;
}

/** A pass-through that hashes (SHA-256) and counts what flows through it: the one hasher. */
export function hashingStream(): { stream: Transform; digest: () => FileDigest } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), bytes }) };
}

/** SHA-256 and size of a file. */
export async function hashFile(file: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** An unguessable token: prefix + 256 random bits, URL-safe. */
export const randomToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * A secret from config, or else one generated once and kept in DATA_DIR/secrets (mode 0600),
 * so tokens survive restarts without any configuration. Never logged.
 */
export function loadOrCreateSecret(dataDir: string, name: string, configured?: string): string {
  if (configured) return configured;
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
