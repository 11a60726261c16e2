import { mkdir, readFile, rename, rm, writeFile, access, constants } from 'node:fs/promises';
import path from 'node:path';

/** Where recordings and exports live: local disk by default (S3 with S3_* settings, later). */
export interface Storage {
  readonly kind: 'local' | 's3';
  put(key: string, data: Buffer | string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /** Deletes every object under the prefix. */
  deletePrefix(prefix: string): Promise<void>;
  ping(): Promise<void>;
}

function safeKey(key: string): string {
  const normalised = path.posix.normalize(key).replace(/^\/+/, '');
  if (normalised.startsWith('..') || normalised.includes('\0')) throw new Error(`unsafe storage key: ${key}`);
  return normalised;
}

export function createLocalStorage(root: string): Storage {
  const resolve = (key: string) => path.join(root, safeKey(key));
  return {
    kind: 'local',
    async put(key, data) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, file);
    },
    async get(key) {
      try {
        return await readFile(resolve(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async deletePrefix(prefix) {
      await rm(resolve(prefix), { recursive: true, force: true });
    },
    async ping() {
      await mkdir(root, { recursive: true });
      await access(root, constants.W_OK);
    },
  };
}
