import {
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  closeSync,
  fsyncSync,
  readFileSync,
} from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Config } from '../../config.js';
import { hashingStream } from '../../platform/crypto.js';
import { CryptoFileError } from '../../platform/crypto-file-error.js';
import { decodeKeyText, fileKey, keyringOf, type FileKey, type Keyring } from '../../platform/crypto-keys.js';
import { encryptStream, openEncrypted } from '../../platform/crypto-file.js';

/**
 * A log archive, one file per stream and day: gzip(log) in the one encrypted-file format
 * (platform/crypto-file.ts) whose authenticated header `meta` names the stream, day, original
 * name, and the original's SHA-256 and size. Keys rotate: old archives stay readable while their
 * key is listed in LOG_ARCHIVE_OLD_KEYS. Archives written before v2 ("RSLOGAR1") still read.
 */

export type { Keyring };

export interface ArchiveHeader {
  keyId: string;
  stream: string;
  day: string;
  /** original file name */
  name: string;
  /** SHA-256 and size of the original (uncompressed) log */
  sha256: string;
  bytes: number;
  createdAt: string;
}

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

function parseKey(text: string, where: string): FileKey {
  const key = decodeKeyText(text);
  if (!key) {
    throw new ArchiveError(
      `${where} must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`); got ${Buffer.from(text.trim(), 'base64').length} bytes`,
    );
  }
  return fileKey(key);
}

/** Keys from LOG_ARCHIVE_KEY or LOG_ARCHIVE_KEY_FILE (current) and LOG_ARCHIVE_OLD_KEYS (comma-separated, read only). */
export function loadKeyring(
  c: Pick<Config, 'LOG_ARCHIVE_KEY' | 'LOG_ARCHIVE_KEY_FILE' | 'LOG_ARCHIVE_OLD_KEYS'>,
): Keyring {
  let current: FileKey | null = null;
  if (c.LOG_ARCHIVE_KEY) current = parseKey(c.LOG_ARCHIVE_KEY, 'LOG_ARCHIVE_KEY');
  else if (c.LOG_ARCHIVE_KEY_FILE) {
    if (!existsSync(c.LOG_ARCHIVE_KEY_FILE))
      throw new ArchiveError(`LOG_ARCHIVE_KEY_FILE ${c.LOG_ARCHIVE_KEY_FILE} does not exist`);
    current = parseKey(
      readFileSync(c.LOG_ARCHIVE_KEY_FILE, 'utf8'),
      `LOG_ARCHIVE_KEY_FILE (${c.LOG_ARCHIVE_KEY_FILE})`,
    );
  }
  const old = (c.LOG_ARCHIVE_OLD_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text, i) => parseKey(text, `LOG_ARCHIVE_OLD_KEYS entry ${i + 1}`));
  return keyringOf(current, old);
}

/**
 * Compresses and encrypts `source` into `target` and fsyncs it. `onChunk` sees the progress (the
 * tests use it to interrupt a run half-way).
 */
export async function writeArchive(
  source: string,
  target: string,
  key: FileKey,
  meta: { stream: string; day: string; name: string; sha256: string; bytes: number; now: number },
  onChunk?: (written: number) => void,
): Promise<ArchiveHeader> {
  const header: ArchiveHeader = {
    keyId: key.id,
    stream: meta.stream,
    day: meta.day,
    name: meta.name,
    sha256: meta.sha256,
    bytes: meta.bytes,
    createdAt: new Date(meta.now).toISOString(),
  };
  const { keyId: _k, ...fields } = header;
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      written += chunk.length;
      try {
        onChunk?.(written);
      } catch (err) {
        return cb(err as Error);
      }
      cb(null, chunk);
    },
  });
  await pipeline(
    createReadStream(source),
    counter,
    createGzip({ level: 9 }),
    encryptStream(key, { compression: 'gzip', ...fields }),
    createWriteStream(target, { flags: 'wx', mode: 0o640 }),
  );
  const fd = openSync(target, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return header;
}

const tampered = (file: string, err: Error): ArchiveError =>
  new ArchiveError(
    `${file}: archive is tampered with or corrupted (${err instanceof CryptoFileError && err.fault === 'corrupt' ? 'authentication failed' : err.message})`,
  );

/** The archive's errors in its own words: missing, not an archive, cut short, unknown key, altered. */
function archiveError(file: string, err: unknown): ArchiveError {
  if (err instanceof ArchiveError) return err;
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ArchiveError(`${file}: no such archive`);
  if (err instanceof CryptoFileError) {
    if (err.fault === 'not-encrypted')
      return new ArchiveError(`${file}: not an R-Stream log archive (bad magic)`);
    if (err.fault === 'truncated') return new ArchiveError(`${file}: archive is truncated or corrupted`);
    if (err.fault === 'unknown-key')
      return new ArchiveError(
        `${err.message}; set LOG_ARCHIVE_KEY or add the old key to LOG_ARCHIVE_OLD_KEYS`,
      );
  }
  return tampered(file, err as Error);
}

/** The decrypted, decompressed log as a stream. Unverified until it ends: use verifyArchive first. */
async function decryptStream(
  file: string,
  keyring: Keyring,
): Promise<{ header: ArchiveHeader; stream: Readable }> {
  let opened;
  try {
    opened = await openEncrypted(file, keyring);
  } catch (err) {
    throw archiveError(file, err);
  }
  const m = opened.meta as Omit<ArchiveHeader, 'keyId'>;
  const header: ArchiveHeader = {
    keyId: opened.keyId,
    stream: m.stream,
    day: m.day,
    name: m.name,
    sha256: m.sha256,
    bytes: m.bytes,
    createdAt: m.createdAt,
  };
  const gunzip = createGunzip();
  opened.stream.on('error', (err) => gunzip.destroy(archiveError(file, err)));
  opened.stream.pipe(gunzip);
  return { header, stream: gunzip };
}

/** Decrypts the whole archive and checks every tag and the original's SHA-256. Throws ArchiveError. */
export async function verifyArchive(file: string, keyring: Keyring): Promise<ArchiveHeader> {
  const { header, stream } = await decryptStream(file, keyring);
  const h = hashingStream();
  try {
    await pipeline(stream, h.stream, new Writable({ write: (_c, _e, cb) => cb() }));
  } catch (err) {
    throw archiveError(file, err);
  }
  const d = h.digest();
  if (d.sha256 !== header.sha256 || d.bytes !== header.bytes) {
    throw new ArchiveError(
      `${file}: content does not match the archive's checksum (tampered with or corrupted)`,
    );
  }
  return header;
}

/** Verifies, then streams the plain log into `out` (nothing unverified is ever written out). */
export async function readArchive(
  file: string,
  keyring: Keyring,
  out: NodeJS.WritableStream,
): Promise<ArchiveHeader> {
  const header = await verifyArchive(file, keyring);
  const { stream } = await decryptStream(file, keyring);
  try {
    await pipeline(stream, out, { end: false });
  } catch (err) {
    throw archiveError(file, err);
  }
  return header;
}

/** Verifies, then yields the archive's lines. */
export async function* archiveLines(file: string, keyring: Keyring): AsyncGenerator<string> {
  await verifyArchive(file, keyring);
  const { stream } = await decryptStream(file, keyring);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk as Buffer);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) yield l;
  }
  rest += decoder.end();
  if (rest) yield rest;
}
