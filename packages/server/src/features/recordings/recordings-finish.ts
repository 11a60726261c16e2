import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Locks } from '../../platform/locks.js';
import { writeStreamToFile, type Storage } from '../../platform/storage.js';
import type { SessionsService } from '../sessions/sessions-service.js';
import type { MediaTools } from './media-tools.js';
import type { RecordingRow, RecordingsRepo } from './recordings-repo.js';
import { mediaKeyOf, thumbsKeyOf, type RecordingsService } from './recordings-service.js';
import { pausedMs, readPauses } from './recordings-view.js';
import { DurableFileStore, type TusStore } from './tus-stores.js';

/** Why a recording failed, in words the API shows (`failureReason`). */
export function failureReasonOf(e: unknown): string {
  const err = e as { code?: string; name?: string; $metadata?: unknown; message?: string };
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT') return 'STORAGE_FULL';
  if (err.code === 'UNREADABLE_MEDIA' || err.code === 'EMPTY_UPLOAD') return err.code;
  if (
    err.$metadata !== undefined ||
    ['EACCES', 'EROFS', 'ENOTDIR', 'EPERM', 'EISDIR', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(
      err.code ?? '',
    ) ||
    /ECONNREFUSED|socket hang up|getaddrinfo/i.test(err.message ?? '')
  )
    return 'STORAGE_UNAVAILABLE';
  return 'PROCESSING_FAILED';
}

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

export interface FinisherDeps {
  repo: RecordingsRepo;
  recordings: RecordingsService;
  sessions: Pick<SessionsService, 'findSession'>;
  storage: Storage;
  tus: TusStore;
  /** URL id (recordings.upload_id) → the store's id */
  storeIdOf(uploadId: string): string;
  tools: MediaTools;
  locks: Locks;
  instanceId: string;
  tmpDir: string;
  graceMs: number;
  log: Logger;
  /** a `processing` claim older than this is taken over (its instance died mid-way) */
  staleProcessingMs?: number;
}

/**
 * The finish path: claim (recording → processing, one instance wins), bring the bytes to a local
 * file, remux/probe/thumbnail with ffmpeg when present, store under `recordings/`, check the
 * stored size, and only then `ready`. Any failure ends in `failed` with a reason, never `ready`.
 */
export function createFinisher(deps: FinisherDeps) {
  const { repo, recordings, storage, tus, tools, log } = deps;
  const running = new Set<Promise<void>>();
  const staleMs = deps.staleProcessingMs ?? 15 * 60_000;

  async function sourceFile(row: RecordingRow, work: string): Promise<string> {
    const storeId = deps.storeIdOf(row.upload_id!);
    if (tus instanceof DurableFileStore) return tus.filePath(storeId);
    // S3: assemble what arrived into the object, then fetch it
    await tus.sealAtCurrentOffset(storeId);
    const file = path.join(work, 'source');
    await writeStreamToFile((await tus.read(storeId)) as Readable, file);
    return file;
  }

  async function process(row: RecordingRow): Promise<void> {
    const work = path.join(deps.tmpDir, row.id);
    const key = mediaKeyOf(row);
    const thumbsKey = thumbsKeyOf(row);
    try {
      if (!row.upload_id) throw coded('EMPTY_UPLOAD', 'no upload arrived');
      await mkdir(work, { recursive: true });
      const source = await sourceFile(row, work);
      if ((await stat(source)).size === 0) throw coded('EMPTY_UPLOAD', 'the upload is empty');
      let file = source;
      let durationMs: number | null = null;
      let thumbs: { file: string; intervalMs: number; count: number } | null = null;
      if (tools.available) {
        if ((await tools.probeDurationMs(source).catch(() => null)) === null)
          throw coded('UNREADABLE_MEDIA', 'ffprobe cannot read the upload');
        const out = path.join(work, `out.${key.split('.').pop()}`);
        try {
          await tools.remux(source, out, row.media_type);
          file = out;
        } catch (e) {
          log.warn({ err: e, recordingId: row.id }, 'remux failed; storing the fragmented file as it is');
        }
        durationMs = await tools.probeDurationMs(file).catch(() => null);
        if (durationMs) {
          const count = Math.max(1, Math.min(20, Math.floor(durationMs / 1000)));
          const intervalMs = Math.max(1000, Math.floor(durationMs / count));
          const strip = path.join(work, 'thumbs.jpg');
          try {
            await tools.thumbnailStrip(file, strip, intervalMs, count);
            thumbs = { file: strip, intervalMs, count };
          } catch (e) {
            log.warn({ err: e, recordingId: row.id }, 'thumbnail strip failed');
          }
        }
      }
      if (durationMs === null) {
        const session = await deps.sessions.findSession(row.session_id);
        const end = new Date(row.ended_at ?? Date.now()).getTime();
        const startedAt = session?.started_at ? new Date(session.started_at).getTime() : end;
        durationMs = Math.max(
          0,
          end - new Date(row.started_at).getTime() - pausedMs(readPauses(row.pauses), end - startedAt),
        );
      }
      const size = (await stat(file)).size;
      await storage.putFile(key, file, row.media_type);
      const stored = await storage.stat(key);
      if (!stored || stored.size !== size)
        throw coded('STORAGE_UNAVAILABLE', `stored ${stored?.size ?? 'nothing'} of ${size} bytes`);
      if (thumbs) await storage.putFile(thumbsKey, thumbs.file, 'image/jpeg');
      const ready = await repo.update(
        row.id,
        {
          status: 'ready',
          storage_key: key,
          thumbs_key: thumbs ? thumbsKey : null,
          thumb_interval_ms: thumbs?.intervalMs ?? null,
          thumb_count: thumbs?.count ?? null,
          size_bytes: size,
          duration_ms: durationMs,
          failure_reason: null,
        },
        { status: ['processing'] },
      );
      if (ready) recordings.publish(ready);
      // the upload's bytes now live in storage
      await tus.remove(deps.storeIdOf(row.upload_id)).catch(() => {});
      log.info({ recordingId: row.id, size, durationMs, interrupted: row.interrupted }, 'recording ready');
    } catch (e) {
      const reason = failureReasonOf(e);
      log.warn({ err: e, recordingId: row.id, reason }, 'recording failed');
      await storage.delete(key).catch(() => {});
      await storage.delete(thumbsKey).catch(() => {});
      const failed = await repo
        .update(row.id, { status: 'failed', failure_reason: reason }, { status: ['processing'] })
        .catch(() => undefined);
      if (failed) recordings.publish(failed);
    } finally {
      await rm(work, { recursive: true, force: true }).catch(() => {});
    }
  }

  /** Claims and finishes one recording; false when another instance (or call) has it. */
  async function finish(
    row: RecordingRow,
    interrupted: boolean,
    from: 'recording' | 'processing' = 'recording',
  ) {
    const claimed = await repo.update(
      row.id,
      {
        status: 'processing',
        processing_started_at: new Date(),
        interrupted: interrupted && !row.upload_complete,
        ended_at: row.ended_at ?? new Date(),
      },
      { status: [from] },
    );
    if (!claimed) return false;
    recordings.publish(claimed);
    const job = process(claimed);
    running.add(job);
    await job.finally(() => running.delete(job));
    return true;
  }

  /**
   * The grace job (once across instances, under a lease): finishes uploads that stopped
   * arriving, completed ones a crash left behind, and takes over stale `processing` claims.
   * `now` and `only` let a test run one pass at a given time over its own recordings.
   */
  async function scan(now = Date.now(), only?: (row: RecordingRow) => boolean): Promise<number> {
    const key = 'recordings:finish';
    if (!(await deps.locks.acquire(key, deps.instanceId, 60_000))) return 0;
    let finished = 0;
    try {
      for (const row of await repo.listOpen()) {
        if (only && !only(row)) continue;
        if (row.status === 'processing') {
          const since = new Date(row.processing_started_at ?? row.updated_at).getTime();
          if (now - since > staleMs && (await finish(row, row.interrupted, 'processing'))) finished++;
          continue;
        }
        if (row.upload_complete) {
          if (await finish(row, false)) finished++;
          continue;
        }
        const times = [row.started_at, row.last_byte_at, row.ended_at].filter(Boolean) as Date[];
        const last = Math.max(...times.map((d) => new Date(d).getTime()));
        const paused = readPauses(row.pauses).at(-1)?.resumedAtMs === null && !row.ended_at;
        if (paused) {
          // a paused recording waits for its presenter while the session is live
          const session = await deps.sessions.findSession(row.session_id);
          if (session?.status === 'live') continue;
        }
        if (now - last > deps.graceMs && (await finish(row, true))) finished++;
      }
    } finally {
      await deps.locks.release(key, deps.instanceId);
    }
    return finished;
  }

  return {
    finish,
    scan,
    /** For the upload hook: finish in the background (the PATCH is answered at once). */
    finishSoon(row: RecordingRow) {
      void finish(row, false).catch((e) => log.error({ err: e, recordingId: row.id }, 'finish failed'));
    },
    /** Waits for finishes in progress (shutdown, tests). */
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
export type Finisher = ReturnType<typeof createFinisher>;
