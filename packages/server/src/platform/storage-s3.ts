import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../config.js';
import {
  createS3Target,
  deleteKeys,
  listAllObjects,
  sseParams,
  type S3Settings,
  type S3Target,
} from './s3.js';
import { safeKey, type Storage } from './storage.js';

export type S3StorageSettings = S3Settings & Pick<Config, 'S3_SSE' | 'S3_SSE_KMS_KEY_ID' | 'S3_PREFIX'>;

/** The server-side encryption fields every write carries (one definition: platform/s3.ts). */
export { sseParams };

const notFound = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
};

/**
 * Storage in an S3 bucket (any S3-compatible endpoint). Keys are the same as on local disk,
 * under S3_PREFIX (default none), so `recordings/…` in the bucket is what `rstream sync
 * recordings` writes too. Large objects go up as multipart uploads: S3 shows an object only once
 * the upload completed, so a failed write leaves nothing half-written.
 */
export function createS3Storage(s: S3StorageSettings, target: S3Target = createS3Target(s)): Storage {
  const { client, bucket } = target;
  const sse = sseParams(s);
  const base = s.S3_PREFIX ? s.S3_PREFIX.replace(/^\/+|\/+$/g, '') + '/' : '';
  const full = (key: string) => base + safeKey(key);
  const strip = (key: string) => key.slice(base.length);

  return {
    kind: 's3',
    async put(key, data) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: full(key), Body: data, ...sse }));
    },
    async get(key) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async putFile(key, file, contentType) {
      await new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: full(key),
          Body: createReadStream(file),
          ...(contentType ? { ContentType: contentType } : {}),
          ...sse,
        },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
      }).done();
    },
    async getStream(key, range) {
      try {
        const r = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: full(key),
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
        return r.Body as Readable;
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async stat(key) {
      try {
        const r = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: full(key) }));
        return { size: r.ContentLength ?? 0, modifiedAt: r.LastModified ?? new Date(0) };
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async list(prefix) {
      const objects = await listAllObjects(target, base + (prefix === '' ? '' : safeKey(prefix)));
      return objects
        .map((o) => ({ key: strip(o.Key!), size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) }))
        .sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: full(key) }));
    },
    async deletePrefix(prefix) {
      const keys = (await listAllObjects(target, base + safeKey(prefix))).map((o) => o.Key!);
      await deleteKeys(target, keys);
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
