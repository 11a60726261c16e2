import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type _Object,
} from '@aws-sdk/client-s3';
import { cleanEtag, deleteKeys, listAllObjects, type S3Target } from '../../platform/s3.js';
import { formatBytes } from '@rstream/protocol/light';
import { writeFileAtomic } from './backup-files.js';
import { loadState, localEtags, md5b64, MiB, readSlice, walk } from './sync-local.js';

/**
 * `aws s3 sync` through the SDK: uploads new and changed files, optionally deletes what is gone
 * locally, and resumes a large upload where it stopped (the state file keeps completed parts).
 */
export interface SyncOptions {
  target: S3Target;
  localDir: string;
  /** Key prefix, e.g. `archives/`. */
  prefix: string;
  /** JSON file remembering uploaded files and unfinished multipart uploads. */
  stateFile: string;
  label?: string;
  dryRun?: boolean;
  delete?: boolean;
  partSize?: number;
  /** Files above this size go multipart. */
  multipartThreshold?: number;
  concurrency?: number;
  /** Per-file lines (dry run, uploads, deletes). */
  onLine?: (line: string) => void;
  /** Called after each stored part; throwing stops the sync there (tests of resuming). */
  afterPart?: (file: string, partNumber: number) => void;
}

export interface SyncResult {
  status: 'success' | 'failed';
  line: string;
  uploaded: string[];
  resumedParts: number;
  partsUploaded: number;
  unchanged: number;
  deleted: string[];
  bytes: number;
  failed: { file: string; error: string }[];
}

export async function runSync(o: SyncOptions): Promise<SyncResult> {
  const t0 = performance.now();
  const label = o.label ?? o.prefix.replace(/\/$/, '');
  const partSize = o.partSize ?? 8 * MiB;
  const threshold = o.multipartThreshold ?? 16 * MiB;
  const where = o.target.url(o.prefix);
  const say = o.onLine ?? (() => {});
  const result: SyncResult = {
    status: 'success',
    line: '',
    uploaded: [],
    resumedParts: 0,
    partsUploaded: 0,
    unchanged: 0,
    deleted: [],
    bytes: 0,
    failed: [],
  };
  const finish = () => {
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const verb = o.dryRun ? 'would upload' : 'uploaded';
    const parts = [
      `${result.uploaded.length} ${verb} (${formatBytes(result.bytes)}${result.resumedParts ? `, ${result.resumedParts} parts resumed` : ''})`,
      `${result.unchanged} unchanged`,
      ...(o.delete ? [`${result.deleted.length} ${o.dryRun ? 'would delete' : 'deleted'}`] : []),
    ];
    const failed = result.failed.length
      ? `FAILED ${result.failed.length} file(s) (${result.failed.map((f) => `${f.file}: ${f.error}`).join('; ')}); `
      : '';
    result.status = result.failed.length ? 'failed' : 'success';
    result.line = `sync ${label}: ${failed || (o.dryRun ? 'dry run, ' : 'ok ')}${parts.join(', ')} in ${secs} s → ${where}`;
    return result;
  };

  let files: string[];
  try {
    files = (await walk(o.localDir)).sort();
  } catch (e) {
    result.failed.push({
      file: o.localDir,
      error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder does not exist' : (e as Error).message,
    });
    return finish();
  }
  const remote = new Map<string, _Object>();
  for (const obj of await listAllObjects(o.target, o.prefix)) if (obj.Key) remote.set(obj.Key, obj);
  const state = await loadState(o.stateFile, where);
  let saving = Promise.resolve();
  const save = () => {
    if (o.dryRun) return Promise.resolve();
    saving = saving.then(async () => {
      await mkdir(path.dirname(o.stateFile), { recursive: true });
      await writeFileAtomic(o.stateFile, JSON.stringify(state));
    });
    return saving;
  };

  const uploadMultipart = async (rel: string, full: string, key: string, size: number, mtimeMs: number) => {
    let up = state.uploads[rel];
    if (up && (up.size !== size || up.mtimeMs !== mtimeMs || up.partSize !== partSize)) {
      await o.target.client
        .send(new AbortMultipartUploadCommand({ Bucket: o.target.bucket, Key: key, UploadId: up.uploadId }))
        .catch(() => {});
      up = undefined;
    }
    if (!up) {
      const created = await o.target.client.send(
        new CreateMultipartUploadCommand({ Bucket: o.target.bucket, Key: key, ...o.target.sse }),
      );
      up = { size, mtimeMs, uploadId: created.UploadId!, partSize, parts: [] };
      state.uploads[rel] = up;
      await save();
    }
    const count = Math.ceil(size / partSize);
    for (let n = 1; n <= count; n++) {
      if (up.parts.some((p) => p.PartNumber === n)) {
        result.resumedParts++;
        continue;
      }
      const body = await readSlice(full, (n - 1) * partSize, Math.min(partSize, size - (n - 1) * partSize));
      const r = await o.target.client.send(
        new UploadPartCommand({
          Bucket: o.target.bucket,
          Key: key,
          UploadId: up.uploadId,
          PartNumber: n,
          Body: body,
          ContentMD5: md5b64(body),
        }),
      );
      up.parts.push({ PartNumber: n, ETag: r.ETag! });
      result.partsUploaded++;
      await save();
      o.afterPart?.(rel, n);
    }
    const done = await o.target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: o.target.bucket,
        Key: key,
        UploadId: up.uploadId,
        MultipartUpload: { Parts: [...up.parts].sort((a, b) => a.PartNumber - b.PartNumber) },
      }),
    );
    delete state.uploads[rel];
    return cleanEtag(done.ETag);
  };

  const syncOne = async (rel: string) => {
    const full = path.join(o.localDir, rel);
    const key = `${o.prefix}${rel}`;
    const st = await stat(full);
    const obj = remote.get(key);
    const known = state.files[rel];
    const remoteEtag = cleanEtag(obj?.ETag);
    if (
      known &&
      obj &&
      known.size === st.size &&
      known.mtimeMs === st.mtimeMs &&
      obj.Size === st.size &&
      known.etag === remoteEtag
    ) {
      result.unchanged++;
      return;
    }
    if (obj && obj.Size === st.size) {
      const local = await localEtags(full, partSize);
      if (remoteEtag === local.whole || remoteEtag === local.multipart) {
        state.files[rel] = { size: st.size, mtimeMs: st.mtimeMs, etag: remoteEtag };
        result.unchanged++;
        return;
      }
    }
    result.bytes += st.size;
    result.uploaded.push(rel);
    if (o.dryRun) {
      say(`would upload ${rel} (${formatBytes(st.size)}) → ${o.target.url(key)}`);
      return;
    }
    let etag: string;
    if (st.size > threshold) {
      etag = await uploadMultipart(rel, full, key, st.size, st.mtimeMs);
    } else {
      const body = await readFile(full);
      const r = await o.target.client.send(
        new PutObjectCommand({
          Bucket: o.target.bucket,
          Key: key,
          Body: body,
          ContentMD5: md5b64(body),
          ...o.target.sse,
        }),
      );
      etag = cleanEtag(r.ETag);
    }
    state.files[rel] = { size: st.size, mtimeMs: st.mtimeMs, etag };
    await save();
    say(`uploaded ${rel} (${formatBytes(st.size)})`);
  };

  const queue = [...files];
  const worker = async () => {
    for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
      try {
        await syncOne(rel);
      } catch (e) {
        result.uploaded = result.uploaded.filter((u) => u !== rel);
        result.failed.push({ file: rel, error: (e as Error).message });
        queue.length = 0; // stop early: a rerun resumes from the state file
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, files.length)) }, worker));

  if (o.delete && result.failed.length === 0) {
    const local = new Set(files.map((f) => `${o.prefix}${f}`));
    const gone = [...remote.keys()].filter((k) => !local.has(k) && !k.endsWith('/'));
    for (const k of gone) say(`${o.dryRun ? 'would delete' : 'deleted'} ${o.target.url(k)}`);
    if (!o.dryRun) {
      await deleteKeys(o.target, gone);
      for (const k of gone) delete state.files[k.slice(o.prefix.length)];
    }
    result.deleted = gone;
  }
  await save();
  await saving;
  return finish();
}
