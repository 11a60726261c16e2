import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../../config.js';
import { sseParams } from '../../platform/storage-s3.js';
import { writeStreamToFile } from '../../platform/storage.js';
import { DurableFileStore, DurableS3Store, type TusStore } from './tus-stores.js';

/**
 * The tus uploads' store: files under DATA_DIR/uploads, or the S3 bucket's `uploads/` when storage
 * is S3. `written` is told of every stored byte range (the tus endpoint's progress).
 */
export function createUploadStore(
  config: Config,
  written: (storeId: string, offset: number) => Promise<void>,
) {
  const s3 = config.STORAGE_BACKEND === 's3';
  const idPrefix = s3
    ? `${config.S3_PREFIX ? config.S3_PREFIX.replace(/^\/+|\/+$/g, '') + '/' : ''}uploads/`
    : '';
  const store: TusStore = s3
    ? new DurableS3Store(
        {
          bucket: config.S3_BUCKET!,
          region: config.S3_REGION,
          ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
          ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
            ? {
                credentials: {
                  accessKeyId: config.S3_ACCESS_KEY_ID,
                  secretAccessKey: config.S3_SECRET_ACCESS_KEY,
                },
              }
            : {}),
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        },
        sseParams(config) as Record<string, string>,
        written,
        config.RECORDING_MAX_BYTES,
      )
    : new DurableFileStore(path.join(config.DATA_DIR, 'uploads'), written);
  const storeIdOf = (uploadId: string) => idPrefix + uploadId;

  const remove = (uploadId: string) =>
    store.remove(storeIdOf(uploadId)).catch((e: { status_code?: number; code?: string }) => {
      if (e?.status_code !== 404 && e?.code !== 'ENOENT') throw e; // already gone is fine
    });

  async function localFile(uploadId: string, workDir: string): Promise<string> {
    const storeId = storeIdOf(uploadId);
    if (store instanceof DurableFileStore) return store.filePath(storeId);
    await store.sealAtCurrentOffset(storeId);
    await mkdir(workDir, { recursive: true });
    const file = path.join(workDir, 'source');
    await writeStreamToFile((await store.read(storeId)) as Readable, file);
    return file;
  }

  return { store, idPrefix, storeIdOf, remove, localFile };
}
