import { open } from 'node:fs/promises';
import path from 'node:path';
import type http from 'node:http';
import type stream from 'node:stream';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
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
 */
export class DurableS3Store extends S3Store {
  constructor(
    config: S3ClientConfig & { bucket: string },
    sse: Record<string, string>,
    private readonly onWritten: OnWritten,
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
    await this.onWritten(id, newOffset);
    return newOffset;
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
