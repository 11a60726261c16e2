import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type http from 'node:http';
import type stream from 'node:stream';
import type { Part, S3ClientConfig } from '@aws-sdk/client-s3';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { ERRORS, type DataStore, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import type { Locks } from '../../platform/locks.js';

/** Told after bytes are durable in the store, before the PATCH is answered. */
export type OnWritten = (storeId: string, offset: number) => Promise<void>;

async function fsyncPath(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * The tus file store, acknowledging only what is on disk: each PATCH's bytes are fsync'ed before
 * the new offset is answered, so "saved up to 12:34" survives a power cut. A cut PATCH keeps what
 * arrived (synced too); `HEAD` answers that offset and the client continues from it.
 */
export class DurableFileStore extends FileStore {
  constructor(
    directory: string,
    private readonly onWritten: OnWritten,
  ) {
    super({ directory });
  }

  override async write(readable: http.IncomingMessage | stream.Readable, id: string, offset: number) {
    let newOffset: number;
    try {
      newOffset = await super.write(readable, id, offset);
    } finally {
      await fsyncPath(path.join(this.directory, id)).catch(() => {});
    }
    await this.onWritten(id, newOffset);
    return newOffset;
  }

  /** The upload's file on disk (the finish job reads it without a copy). */
  filePath(id: string): string {
    return path.join(this.directory, id);
  }
}

/**
 * The tus S3 store: parts go to S3 as the multipart upload of the object `<id>` (ids carry the
 * `uploads/` prefix); a tail smaller than S3's 5 MiB minimum part waits in `<id>.part`. S3 has
 * stored the bytes when a PATCH is answered. Every write carries the S3_SSE encryption.
 *
 * The parts of an upload are tracked in a manifest object `<id>.parts` (number, ETag, size)
 * written after each part is stored, instead of S3 ListParts: S3-compatible servers without
 * ListParts (s3rver, some gateways) work too, and a HEAD costs one GET instead of a listing.
 */
export class DurableS3Store extends S3Store {
  private readonly manifestWrites = new Map<string, Promise<unknown>>();

  constructor(
    config: S3ClientConfig & { bucket: string },
    sse: Record<string, string>,
    private readonly onWritten: OnWritten,
    /** the largest upload (sizes the parts of a deferred-length upload) */
    private readonly maxBytes: number,
  ) {
    super({ s3ClientConfig: config, partSize: 8 * 1024 * 1024, useTags: false });
    if (Object.keys(sse).length > 0) {
      const encrypted = new Set(['PutObjectCommand', 'CreateMultipartUploadCommand']);
      this.client.middlewareStack.add(
        (next, context) => async (args) => {
          if (encrypted.has(context.commandName ?? '')) Object.assign(args.input as object, sse);
          return next(args);
        },
        { step: 'initialize', name: 'rstreamSse' },
      );
    }
  }

  override async write(readable: stream.Readable, id: string, offset: number) {
    const newOffset = await super.write(readable, id, offset);
    await this.manifestWrites.get(id);
    await this.onWritten(id, newOffset);
    return newOffset;
  }

  // A deferred length would size parts for S3's 5 TiB maximum (~550 MB each); ours is smaller.
  protected override calcOptimalPartSize(size?: number): number {
    return super.calcOptimalPartSize(size ?? this.maxBytes);
  }

  private manifestKey = (id: string) => `${id}.parts`;

  private async readManifest(id: string): Promise<Part[]> {
    try {
      const r = await this.client.getObject({ Bucket: this.bucket, Key: this.manifestKey(id) });
      return JSON.parse(await r.Body!.transformToString()) as Part[];
    } catch (e) {
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return [];
      throw e;
    }
  }

  protected override async uploadPart(
    metadata: Parameters<S3Store['uploadPart']>[0],
    readStream: Parameters<S3Store['uploadPart']>[1],
    partNumber: number,
  ): Promise<string> {
    const size = Buffer.isBuffer(readStream)
      ? readStream.length
      : (await stat(String((readStream as { path?: string | Buffer }).path))).size;
    const etag = await super.uploadPart(metadata, readStream, partNumber);
    const id = metadata.file.id;
    // read-modify-write of the manifest, one at a time per upload (parts upload in parallel)
    const next = (this.manifestWrites.get(id) ?? Promise.resolve()).then(async () => {
      const parts = (await this.readManifest(id)).filter((p) => p.PartNumber !== partNumber);
      parts.push({ PartNumber: partNumber, ETag: etag, Size: size });
      parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
      await this.client.putObject({
        Bucket: this.bucket,
        Key: this.manifestKey(id),
        Body: JSON.stringify(parts),
      });
    });
    this.manifestWrites.set(
      id,
      next.catch(() => {}),
    );
    await next;
    return etag;
  }

  protected override async retrieveParts(id: string): Promise<Part[]> {
    await this.manifestWrites.get(id);
    return this.readManifest(id);
  }

  /** Aborts the multipart upload where the server can, and deletes every object of the upload. */
  override async remove(id: string): Promise<void> {
    const { 'upload-id': uploadId } = await this.getMetadata(id).catch(() => ({ 'upload-id': '' }));
    if (uploadId) {
      await this.client
        .abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: uploadId })
        .catch(() => {});
    }
    const keys = [id, this.infoKey(id), this.partKey(id, true), this.manifestKey(id)];
    const results = await Promise.allSettled(
      keys.map((key) => this.client.deleteObject({ Bucket: this.bucket, Key: key })),
    );
    const failed = results.find(
      (r): r is PromiseRejectedResult =>
        r.status === 'rejected' &&
        (r.reason as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode !== 404,
    );
    if (failed) throw failed.reason;
    this.manifestWrites.delete(id);
    await this.clearCache(id);
  }

  /**
   * Completes an unfinished upload with what arrived: declares the length it has and writes zero
   * bytes, which makes the store assemble the parts (and the `.part` tail) into the object.
   */
  async sealAtCurrentOffset(id: string): Promise<number> {
    const upload = await this.getUpload(id);
    if (upload.size === undefined || upload.size !== upload.offset) {
      if (upload.size === undefined) await this.declareUploadLength(id, upload.offset);
      const { Readable } = await import('node:stream');
      await super.write(Readable.from([]), id, upload.offset);
    }
    return upload.offset;
  }
}

/**
 * tus's per-upload lock across instances, on the Locks leases (Redis or the cluster primary): two
 * PATCHes of one upload never interleave, whichever instance each reaches.
 */
export class LeaseLocker implements Locker {
  constructor(
    private readonly locks: Locks,
    private readonly owner: string,
    private readonly waitMs = 20_000,
  ) {}

  newLock(id: string): Lock {
    const key = `tus:${id}`;
    const owner = `${this.owner}:${Math.random().toString(36).slice(2)}`;
    const locks = this.locks;
    const waitMs = this.waitMs;
    let renew: NodeJS.Timeout | null = null;
    const TTL = 30_000;
    return {
      async lock(signal: AbortSignal, _cancelReq: RequestRelease) {
        const deadline = Date.now() + waitMs;
        while (!(await locks.acquire(key, owner, TTL))) {
          if (signal.aborted || Date.now() > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
          await new Promise((r) => setTimeout(r, 50));
        }
        renew = setInterval(() => void locks.acquire(key, owner, TTL).catch(() => {}), TTL / 3);
        renew.unref();
      },
      async unlock() {
        if (renew) clearInterval(renew);
        renew = null;
        await locks.release(key, owner);
      },
    };
  }
}

export type TusStore = (DurableFileStore | DurableS3Store) & DataStore;
