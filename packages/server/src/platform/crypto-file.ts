import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { PassThrough, Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CryptoFileError } from './crypto-file-error.js';
import { legacyDecipher, readLegacyFrame } from './crypto-file-legacy.js';
import { findKey, type FileKey, type Keyring } from './crypto-keys.js';

/**
 * The one encrypted-file format (v2), used by backups and log archives:
 *   "RSCRYPT2" | uint16 BE header length | header JSON | chunk… | final chunk
 * Each chunk is AES-256-GCM(≤ chunkBytes of plaintext) followed by its 16-byte tag, with the nonce
 * `prefix(7) · counter(uint32 BE) · final(1)` and the magic, length and header as additional data.
 * So the header (key id, the caller's `meta`) cannot be changed unnoticed, every chunk is checked
 * before it is passed on, and a file cut at a chunk boundary fails (its last chunk is not final).
 * Reading also accepts the two earlier formats (backups "RSBKENC1", log archives "RSLOGAR1").
 */
const CRYPTO_FILE_MAGIC = Buffer.from('RSCRYPT2');
const TAG_BYTES = 16;
const PREFIX_BYTES = 7;
const MAX_HEADER = 4096;
const DEFAULT_CHUNK_BYTES = 64 * 1024;

export { CryptoFileError, type CryptoFileFault } from './crypto-file-error.js';
export {
  decodeKeyText,
  fileKey,
  fileKeyId,
  keyMatches,
  keyringOf,
  type FileKey,
  type Keyring,
} from './crypto-keys.js';

interface CryptoHeader {
  v: 2;
  alg: 'aes-256-gcm';
  keyId: string;
  nonce: string;
  chunkBytes: number;
  meta: Record<string, unknown>;
}

function nonceFor(prefix: Buffer, counter: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(counter, PREFIX_BYTES);
  n[11] = final ? 1 : 0;
  return n;
}

function frameOf(header: CryptoHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  if (json.length > MAX_HEADER) throw new Error('crypto-file header too large');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(json.length);
  return Buffer.concat([CRYPTO_FILE_MAGIC, len, json]);
}

/** A transform that writes the header, then the plaintext as authenticated chunks. */
export function encryptStream(
  k: FileKey,
  meta: Record<string, unknown> = {},
  chunkBytes = DEFAULT_CHUNK_BYTES,
): Transform {
  const prefix = randomBytes(PREFIX_BYTES);
  const frame = frameOf({
    v: 2,
    alg: 'aes-256-gcm',
    keyId: k.id,
    nonce: prefix.toString('base64'),
    chunkBytes,
    meta,
  });
  let counter = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const seal = (plain: Buffer, final: boolean): Buffer => {
    const c = createCipheriv('aes-256-gcm', k.key, nonceFor(prefix, counter++, final));
    c.setAAD(frame);
    return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  };
  let started = false;
  const start = (t: Transform) => {
    if (!started) t.push(frame);
    started = true;
  };
  return new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      start(this);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes <= chunkBytes) return cb();
      let all = Buffer.concat(pending);
      // keep at least one byte back: the final chunk is sealed in flush
      while (all.length > chunkBytes) {
        this.push(seal(all.subarray(0, chunkBytes), false));
        all = all.subarray(chunkBytes);
      }
      pending = [all];
      pendingBytes = all.length;
      cb();
    },
    flush(cb: TransformCallback) {
      start(this);
      this.push(seal(Buffer.concat(pending), true));
      cb();
    },
  });
}

/** What a reader learns from a file's header, whatever its format. */
export interface OpenedFile {
  format: 'v2' | 'backup-v1' | 'archive-v1';
  keyId: string;
  key: FileKey;
  /** v2: the writer's meta; archive-v1: its header fields; backup-v1: {} */
  meta: Record<string, unknown>;
  /** the plaintext; errors with CryptoFileError('corrupt') when a check fails */
  stream: Readable;
}

const corrupt = (label: string) =>
  new CryptoFileError(
    'corrupt',
    `${label}: failed authentication: it was altered, truncated or made with another key`,
  );

/** Opens an encrypted file of any known format for streaming decryption. */
export async function openEncrypted(file: string, keyring: Keyring, label = file): Promise<OpenedFile> {
  const fh = await open(file, 'r');
  let size: number;
  let head: Buffer;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(Math.min(size, CRYPTO_FILE_MAGIC.length + 2 + MAX_HEADER));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const legacy = readLegacyFrame(head, size, label);
  if (legacy) {
    const key = findKey(keyring, legacy.keyId, label);
    const tag = Buffer.alloc(TAG_BYTES);
    const t = await open(file, 'r');
    try {
      await t.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
    } finally {
      await t.close();
    }
    const decipher = legacyDecipher(legacy, key.key, tag);
    const src =
      size - TAG_BYTES > legacy.start
        ? createReadStream(file, { start: legacy.start, end: size - TAG_BYTES - 1 })
        : Readable.from([]);
    return { ...legacy, key, stream: guard(src, decipher, label) };
  }
  if (size < CRYPTO_FILE_MAGIC.length + 2 || !head.subarray(0, 8).equals(CRYPTO_FILE_MAGIC)) {
    throw new CryptoFileError('not-encrypted', `${label}: not an R-Stream encrypted file (bad magic)`);
  }
  const len = head.readUInt16BE(CRYPTO_FILE_MAGIC.length);
  const start = CRYPTO_FILE_MAGIC.length + 2 + len;
  if (len > MAX_HEADER || start + TAG_BYTES > size) {
    throw new CryptoFileError('truncated', `${label}: encrypted file is truncated or corrupted`);
  }
  const frame = head.subarray(0, start);
  let header: CryptoHeader;
  try {
    header = JSON.parse(frame.subarray(start - len).toString('utf8')) as CryptoHeader;
  } catch {
    throw new CryptoFileError('corrupt', `${label}: encrypted file's header is corrupted`);
  }
  if (
    header.v !== 2 ||
    header.alg !== 'aes-256-gcm' ||
    typeof header.keyId !== 'string' ||
    typeof header.nonce !== 'string' ||
    !Number.isInteger(header.chunkBytes) ||
    header.chunkBytes < 1
  ) {
    throw new CryptoFileError('corrupt', `${label}: unsupported encrypted-file header`);
  }
  const key = findKey(keyring, header.keyId, label);
  const stream = guard(
    createReadStream(file, { start }),
    openChunks(key.key, Buffer.from(header.nonce, 'base64'), frame, header.chunkBytes),
    label,
  );
  return { format: 'v2', keyId: header.keyId, key, meta: header.meta ?? {}, stream };
}

/** Decrypts v2 chunks; anything wrong (a chunk, the order, the end) fails. */
function openChunks(key: Buffer, prefix: Buffer, frame: Buffer, chunkBytes: number): Transform {
  const sealed = chunkBytes + TAG_BYTES;
  let counter = 0;
  let buf: Buffer = Buffer.alloc(0);
  const unseal = (c: Buffer, final: boolean): Buffer => {
    const d = createDecipheriv('aes-256-gcm', key, nonceFor(prefix, counter++, final));
    d.setAAD(frame);
    d.setAuthTag(c.subarray(c.length - TAG_BYTES));
    return Buffer.concat([d.update(c.subarray(0, c.length - TAG_BYTES)), d.final()]);
  };
  return new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      try {
        while (buf.length > sealed) {
          this.push(unseal(buf.subarray(0, sealed), false));
          buf = buf.subarray(sealed);
        }
      } catch (e) {
        return cb(e as Error);
      }
      cb();
    },
    flush(cb: TransformCallback) {
      if (buf.length < TAG_BYTES) return cb(new Error('unable to authenticate: no final chunk'));
      try {
        this.push(unseal(buf, true));
      } catch (e) {
        return cb(e as Error);
      }
      cb();
    },
  });
}

/** src → decipher as one readable whose errors are CryptoFileErrors. */
function guard(src: Readable, decipher: Transform, label: string): Readable {
  const out = new PassThrough();
  const fail = (err: Error) => {
    src.destroy();
    decipher.destroy();
    out.destroy(err instanceof CryptoFileError || !/auth|decrypt/i.test(err.message) ? err : corrupt(label));
  };
  src.on('error', fail);
  decipher.on('error', fail);
  src.pipe(decipher).pipe(out);
  return out;
}

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

/** Decrypts the whole file to nowhere: resolves when every check passed. */
export async function verifyEncrypted(file: string, keyring: Keyring, label = file): Promise<OpenedFile> {
  const f = await openEncrypted(file, keyring, label);
  await pipeline(f.stream, sink());
  return f;
}

/**
 * Decrypts `src` into `dest` through `dest.partial`, renamed only when every check passed: a
 * tampered or truncated file leaves no `dest` and no partial file behind.
 */
export async function decryptToFile(
  src: string,
  dest: string,
  keyring: Keyring,
  label = src,
): Promise<OpenedFile> {
  const part = `${dest}.partial`;
  const f = await openEncrypted(src, keyring, label);
  try {
    await pipeline(f.stream, createWriteStream(part, { flags: 'w', mode: 0o600 }));
    await rename(part, dest);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  return f;
}
