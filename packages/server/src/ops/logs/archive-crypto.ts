import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  closeSync,
  fsyncSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Config } from '../../config.js';

/**
 * Log archive format (v1), one file per stream and day:
 *   "RSLOGAR1" | uint16 BE header length | header JSON | AES-256-GCM(gzip(log)) | 16-byte GCM tag
 * The magic, length and header are the GCM additional data, so none of it can be changed unnoticed.
 * The header names the key (first 8 hex of its SHA-256) so keys can rotate: old archives stay
 * readable while their key is listed in LOG_ARCHIVE_OLD_KEYS.
 */

const MAGIC = Buffer.from('RSLOGAR1');
const TAG_BYTES = 16;
const MAX_HEADER = 4096;

export interface ArchiveHeader {
  v: 1;
  alg: 'aes-256-gcm';
  compression: 'gzip';
  keyId: string;
  iv: string;
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

export interface ArchiveKey {
  id: string;
  key: Buffer;
}
export interface Keyring {
  /** the key new archives are written with (null: archiving is off) */
  current: ArchiveKey | null;
  byId: Map<string, ArchiveKey>;
}

export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

function parseKey(text: string, where: string): ArchiveKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(text.trim())) {
    throw new ArchiveError(
      `${where} must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`); got ${key.length} bytes`,
    );
  }
  return { id: keyIdOf(key), key };
}

/** Keys from LOG_ARCHIVE_KEY or LOG_ARCHIVE_KEY_FILE (current) and LOG_ARCHIVE_OLD_KEYS (comma-separated, read only). */
export function loadKeyring(
  c: Pick<Config, 'LOG_ARCHIVE_KEY' | 'LOG_ARCHIVE_KEY_FILE' | 'LOG_ARCHIVE_OLD_KEYS'>,
): Keyring {
  let current: ArchiveKey | null = null;
  if (c.LOG_ARCHIVE_KEY) current = parseKey(c.LOG_ARCHIVE_KEY, 'LOG_ARCHIVE_KEY');
  else if (c.LOG_ARCHIVE_KEY_FILE) {
    if (!existsSync(c.LOG_ARCHIVE_KEY_FILE))
      throw new ArchiveError(`LOG_ARCHIVE_KEY_FILE ${c.LOG_ARCHIVE_KEY_FILE} does not exist`);
    current = parseKey(
      readFileSync(c.LOG_ARCHIVE_KEY_FILE, 'utf8'),
      `LOG_ARCHIVE_KEY_FILE (${c.LOG_ARCHIVE_KEY_FILE})`,
    );
  }
  const byId = new Map<string, ArchiveKey>();
  for (const [i, text] of (c.LOG_ARCHIVE_OLD_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .entries()) {
    const k = parseKey(text, `LOG_ARCHIVE_OLD_KEYS entry ${i + 1}`);
    byId.set(k.id, k);
  }
  if (current) byId.set(current.id, current);
  return { current, byId };
}

/** Hashes and counts what flows through. */
function hashing(): { stream: Transform; digest: () => { sha256: string; bytes: number } } {
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

export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const h = hashing();
  await pipeline(createReadStream(file), h.stream, new Writable({ write: (_c, _e, cb) => cb() }));
  return h.digest();
}

function headerBlock(header: ArchiveHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(2);
  len.writeUInt16BE(json.length);
  return Buffer.concat([MAGIC, len, json]);
}

/**
 * Compresses and encrypts `source` into `target` and fsyncs it. `onChunk` sees the progress (the
 * tests use it to interrupt a run half-way).
 */
export async function writeArchive(
  source: string,
  target: string,
  key: ArchiveKey,
  meta: { stream: string; day: string; name: string; sha256: string; bytes: number; now: number },
  onChunk?: (written: number) => void,
): Promise<ArchiveHeader> {
  const iv = randomBytes(12);
  const header: ArchiveHeader = {
    v: 1,
    alg: 'aes-256-gcm',
    compression: 'gzip',
    keyId: key.id,
    iv: iv.toString('base64'),
    stream: meta.stream,
    day: meta.day,
    name: meta.name,
    sha256: meta.sha256,
    bytes: meta.bytes,
    createdAt: new Date(meta.now).toISOString(),
  };
  const head = headerBlock(header);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(head);
  const out = createWriteStream(target, { flags: 'wx', mode: 0o640 });
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
    cipher,
    async function* (src: AsyncIterable<Buffer>) {
      yield head;
      for await (const chunk of src) yield chunk;
      yield cipher.getAuthTag();
    },
    out,
  );
  const fd = openSync(target, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return header;
}

/** Reads and checks an archive's frame: header, which key it needs, where the ciphertext lies. */
export function readArchiveHeader(
  file: string,
  keyring: Keyring,
): { header: ArchiveHeader; head: Buffer; key: ArchiveKey; start: number; end: number; tag: Buffer } {
  if (!existsSync(file)) throw new ArchiveError(`${file}: no such archive`);
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const fixed = Buffer.alloc(MAGIC.length + 2);
    if (
      readSync(fd, fixed, 0, fixed.length, 0) < fixed.length ||
      !fixed.subarray(0, MAGIC.length).equals(MAGIC)
    ) {
      throw new ArchiveError(`${file}: not an R-Stream log archive (bad magic)`);
    }
    const len = fixed.readUInt16BE(MAGIC.length);
    const start = fixed.length + len;
    if (len > MAX_HEADER || start + TAG_BYTES > size)
      throw new ArchiveError(`${file}: archive is truncated or corrupted`);
    const json = Buffer.alloc(len);
    readSync(fd, json, 0, len, fixed.length);
    let header: ArchiveHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as ArchiveHeader;
    } catch {
      throw new ArchiveError(`${file}: archive header is corrupted`);
    }
    if (
      header.v !== 1 ||
      header.alg !== 'aes-256-gcm' ||
      typeof header.keyId !== 'string' ||
      typeof header.iv !== 'string'
    ) {
      throw new ArchiveError(`${file}: unsupported archive header`);
    }
    const key = keyring.byId.get(header.keyId);
    if (!key) {
      const have = [...keyring.byId.keys()].join(', ') || 'none';
      throw new ArchiveError(
        `${file}: encrypted with key ${header.keyId}, which is not configured (keys available: ${have}); ` +
          'set LOG_ARCHIVE_KEY or add the old key to LOG_ARCHIVE_OLD_KEYS',
      );
    }
    const tag = Buffer.alloc(TAG_BYTES);
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
    return { header, head: Buffer.concat([fixed, json]), key, start, end: size - TAG_BYTES, tag };
  } finally {
    closeSync(fd);
  }
}

/** The decrypted, decompressed log as a stream. Unverified until it ends: use verifyArchive first. */
function decryptStream(file: string, keyring: Keyring): { header: ArchiveHeader; stream: Readable } {
  const f = readArchiveHeader(file, keyring);
  const decipher = createDecipheriv('aes-256-gcm', f.key.key, Buffer.from(f.header.iv, 'base64'));
  decipher.setAAD(f.head);
  decipher.setAuthTag(f.tag);
  const src =
    f.end > f.start ? createReadStream(file, { start: f.start, end: f.end - 1 }) : Readable.from([]);
  const gunzip = createGunzip();
  const fail = (err: Error) =>
    gunzip.destroy(
      new ArchiveError(
        `${file}: archive is tampered with or corrupted (${/auth|decrypt/i.test(err.message) ? 'authentication failed' : err.message})`,
      ),
    );
  src.on('error', fail);
  decipher.on('error', fail);
  src.pipe(decipher).pipe(gunzip);
  gunzip.on('error', () => {});
  return { header: f.header, stream: gunzip };
}

const wrap = (file: string, err: unknown): ArchiveError =>
  err instanceof ArchiveError
    ? err
    : new ArchiveError(`${file}: archive is tampered with or corrupted (${(err as Error).message})`);

/** Decrypts the whole archive and checks the tag and the original's SHA-256. Throws ArchiveError. */
export async function verifyArchive(file: string, keyring: Keyring): Promise<ArchiveHeader> {
  const { header, stream } = decryptStream(file, keyring);
  const h = hashing();
  try {
    await pipeline(stream, h.stream, new Writable({ write: (_c, _e, cb) => cb() }));
  } catch (err) {
    throw wrap(file, err);
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
  const { stream } = decryptStream(file, keyring);
  try {
    await pipeline(stream, out, { end: false });
  } catch (err) {
    throw wrap(file, err);
  }
  return header;
}

/** Verifies, then yields the archive's lines. */
export async function* archiveLines(file: string, keyring: Keyring): AsyncGenerator<string> {
  await verifyArchive(file, keyring);
  const { stream } = decryptStream(file, keyring);
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
