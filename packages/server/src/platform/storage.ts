import { createReadStream, createWriteStream } from 'node:fs';
import {
  access,
  constants,
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat as statFile,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** An inclusive byte range, as HTTP Range counts it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where recordings, thumbnails and report files live: local disk by default, S3 with
 * STORAGE_BACKEND=s3 (platform/storage-s3.ts). Keys are `/`-separated paths such as
 * `recordings/<sessionId>/<recordingId>.mp4`. A write is all or nothing: a reader never sees
 * half an object.
 */
export interface Storage {
  readonly kind: 'local' | 's3';
  put(key: string, data: Buffer | string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /** Streams a local file in (large media), durable when it resolves. */
  putFile(key: string, file: string, contentType?: string): Promise<void>;
  /** null when there is no such object; `range` reads only those bytes. */
  getStream(key: string, range?: ByteRange): Promise<Readable | null>;
  stat(key: string): Promise<{ size: number; modifiedAt: Date } | null>;
  /** Every object whose key starts with the prefix, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
  /** Deletes every object under the prefix. */
  deletePrefix(prefix: string): Promise<void>;
  ping(): Promise<void>;
}

export function safeKey(key: string): string {
  const normalised = path.posix.normalize(key).replace(/^\/+/, '');
  if (normalised.startsWith('..') || normalised.includes('\0') || normalised === '.')
    throw new Error(`unsafe storage key: ${key}`);
  return normalised;
}

const isMissing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

/** fsync a file, then its folder, so a rename survives a power cut. */
async function syncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Local disk. `roots` maps key prefixes to their own folders: `recordings/` lives in
 * RECORDINGS_DIR so `rstream sync recordings` (and `aws s3 sync ./recordings …`) copy exactly the
 * recordings, with the same layout as in the bucket.
 */
export function createLocalStorage(root: string, roots: Record<string, string> = {}): Storage {
  const prefixes = Object.entries(roots).sort((a, b) => b[0].length - a[0].length);
  const resolve = (key: string) => {
    const k = safeKey(key);
    for (const [prefix, dir] of prefixes) {
      const bare = prefix.replace(/\/$/, '');
      if (k === bare) return dir;
      if (k.startsWith(prefix)) return path.join(dir, k.slice(prefix.length));
    }
    return path.join(root, k);
  };
  const tmpOf = (file: string) => `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;

  async function walk(dir: string, keyBase: string, out: StoredObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const key = keyBase ? `${keyBase}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(full, key, out);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
        const s = await statFile(full);
        out.push({ key, size: s.size, modifiedAt: s.mtime });
      }
    }
  }

  return {
    kind: 'local',
    async put(key, data) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = tmpOf(file);
      await writeFile(tmp, data);
      await rename(tmp, file);
    },
    async get(key) {
      try {
        return await readFile(resolve(key));
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },
    async putFile(key, file) {
      const target = resolve(key);
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = tmpOf(target);
      try {
        await copyFile(file, tmp);
        await syncFile(tmp);
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true }).catch(() => {});
        throw e;
      }
    },
    async getStream(key, range) {
      const file = resolve(key);
      try {
        await access(file, constants.R_OK);
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
      return createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },
    async stat(key) {
      try {
        const s = await statFile(resolve(key));
        return s.isFile() ? { size: s.size, modifiedAt: s.mtime } : null;
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },
    async list(prefix) {
      const p = prefix === '' ? '' : safeKey(prefix);
      // Walk from the deepest folder the prefix names, then filter on the full key.
      const dirKey = p.endsWith('/') || p === '' ? p.replace(/\/$/, '') : path.posix.dirname(p);
      const out: StoredObject[] = [];
      if (dirKey === '' || dirKey === '.') {
        await walk(root, '', out);
        for (const [pre, dir] of prefixes) {
          const bare = pre.replace(/\/$/, '');
          const inRoot = out.filter((o) => o.key.startsWith(pre));
          if (path.resolve(dir) !== path.resolve(root, bare)) {
            for (const o of inRoot) out.splice(out.indexOf(o), 1);
            await walk(dir, bare, out);
          }
        }
      } else {
        await walk(resolve(dirKey), dirKey, out);
      }
      return out.filter((o) => o.key.startsWith(p)).sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async delete(key) {
      await rm(resolve(key), { force: true });
    },
    async deletePrefix(prefix) {
      const p = safeKey(prefix);
      if (p.endsWith('/')) {
        await rm(resolve(p), { recursive: true, force: true });
        return;
      }
      for (const o of await this.list(p)) await rm(resolve(o.key), { force: true });
    },
    async ping() {
      for (const dir of [root, ...prefixes.map(([, d]) => d)]) {
        await mkdir(dir, { recursive: true });
        await access(dir, constants.W_OK);
      }
    },
  };
}

/** Writes a stream to a local file durably (`.tmp`, fsync, rename). */
export async function writeStreamToFile(body: Readable, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await pipeline(body, createWriteStream(tmp));
    await syncFile(tmp);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}
