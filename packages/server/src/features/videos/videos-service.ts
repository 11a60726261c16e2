import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  VIDEO_MAX_BYTES,
  VIDEO_MEDIA_TYPES,
  type CreateVideoBody,
  type UpdateVideoBody,
  type Video,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { AppError, badRequest, conflict, forbidden } from '../../errors.js';
import { toNumber } from '../../platform/db-schema.js';
import type { Storage } from '../../platform/storage.js';
import type { Uploads } from '../recordings/recordings-plugin.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { isUuid } from '../sessions/sessions-view.js';
import type { VideoRow, VideosRepo } from './videos-repo.js';

export const videoNotFound = () => new AppError(404, 'VIDEO_NOT_FOUND', 'No such video.');
export const mediaPathOf = (videoId: string) => `/api/media/videos/${videoId}`;
const mediaKeyOf = (row: Pick<VideoRow, 'id' | 'media_type'>) =>
  `videos/${row.id}/media.${row.media_type === 'video/webm' ? 'webm' : 'mp4'}`;

/** The media type a direct URL names (by extension), or the declared one; null: not a video we play. */
export function mediaTypeOfUrl(url: string, declared?: string): string | null {
  if (declared && (VIDEO_MEDIA_TYPES as readonly string[]).includes(declared)) return declared;
  const pathname = (() => {
    try {
      return new URL(url).pathname.toLowerCase();
    } catch {
      return '';
    }
  })();
  if (pathname.endsWith('.mp4') || pathname.endsWith('.m4v')) return 'video/mp4';
  if (pathname.endsWith('.webm')) return 'video/webm';
  if (pathname.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  return null;
}

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

export interface VideosServiceDeps {
  repo: VideosRepo;
  storage: Storage;
  uploads: Pick<Uploads, 'localFile' | 'remove' | 'tools' | 'signer' | 'maxBytes'>;
  tmpDir: string;
  log: Logger;
}

export function createVideosService(deps: VideosServiceDeps) {
  const { repo, storage, uploads, log } = deps;
  const maxBytes = Math.min(VIDEO_MAX_BYTES, uploads.maxBytes);
  const running = new Set<Promise<void>>();
  const durations = new Map<string, { ms: number | null; at: number }>();

  function toVideo(row: VideoRow, usedBy: number): Video {
    let mediaUrl: string | null = null;
    let mediaUrlExpiresAt: string | null = null;
    if (row.source === 'url') mediaUrl = row.url;
    else if (row.status === 'ready' && row.storage_key) {
      const signed = uploads.signer.url(mediaPathOf(row.id));
      mediaUrl = signed.url;
      mediaUrlExpiresAt = signed.expiresAt.toISOString();
    }
    return {
      id: row.id,
      title: row.title,
      source: row.source,
      url: row.url,
      durationMs: row.duration_ms === null ? null : toNumber(row.duration_ms),
      mediaUrl,
      status: row.status,
      sizeBytes: row.size_bytes === null ? null : toNumber(row.size_bytes),
      mediaType: row.media_type,
      createdAt: new Date(row.created_at).toISOString(),
      usedBy,
      mediaUrlExpiresAt,
      failureReason: row.failure_reason,
    };
  }

  async function view(row: VideoRow): Promise<Video> {
    return toVideo(row, (await repo.usage([row.id])).get(row.id) ?? 0);
  }

  async function findOwned(ownerId: string, videoId: string): Promise<VideoRow> {
    const row = isUuid(videoId) ? await repo.find(videoId) : undefined;
    if (!row) throw videoNotFound();
    if (row.owner_id !== ownerId) throw forbidden('Only the video’s owner can do this.');
    return row;
  }

  async function removeFiles(row: VideoRow) {
    if (row.storage_key) await storage.delete(row.storage_key);
    await storage.deletePrefix(`videos/${row.id}/`);
    if (row.upload_id) await uploads.remove(row.upload_id);
  }

  /** The finished upload → storage, duration by ffprobe (when present), then `ready`; else `failed`. */
  async function process(row: VideoRow, size: number): Promise<void> {
    const work = path.join(deps.tmpDir, row.id);
    const key = mediaKeyOf(row);
    try {
      if (!row.upload_id) throw coded('EMPTY_UPLOAD', 'no upload');
      const file = await uploads.localFile(row.upload_id, work);
      const bytes = (await stat(file)).size;
      if (bytes === 0) throw coded('EMPTY_UPLOAD', 'the upload is empty');
      let durationMs: number | null = null;
      if (uploads.tools.available) {
        durationMs = await uploads.tools.probeDurationMs(file).catch(() => null);
        if (durationMs === null) throw coded('NOT_A_VIDEO', 'ffprobe cannot read the upload');
      }
      await storage.putFile(key, file, row.media_type ?? 'video/mp4');
      const stored = await storage.stat(key);
      if (!stored || stored.size !== bytes)
        throw coded('STORAGE_UNAVAILABLE', `stored ${stored?.size ?? 'nothing'} of ${bytes} bytes`);
      await repo.update(
        row.id,
        {
          status: 'ready',
          storage_key: key,
          size_bytes: bytes,
          // without ffprobe the browser gives it (PUT /api/videos/:id {durationMs})
          ...(durationMs !== null ? { duration_ms: durationMs } : {}),
          failure_reason: null,
        },
        ['processing'],
      );
      durations.delete(row.id);
      await uploads.remove(row.upload_id).catch(() => {});
      log.info({ videoId: row.id, size, durationMs }, 'video ready');
    } catch (e) {
      const err = e as { code?: string };
      const reason = ['EMPTY_UPLOAD', 'NOT_A_VIDEO', 'STORAGE_UNAVAILABLE'].includes(err.code ?? '')
        ? err.code!
        : err.code === 'ENOSPC'
          ? 'STORAGE_FULL'
          : 'PROCESSING_FAILED';
      log.warn({ err: e, videoId: row.id, reason }, 'video upload failed');
      await storage.delete(key).catch(() => {});
      await repo
        .update(row.id, { status: 'failed', failure_reason: reason }, ['processing'])
        .catch(() => undefined);
    } finally {
      await rm(work, { recursive: true, force: true }).catch(() => {});
    }
  }

  return {
    toVideo,
    view,
    findOwned,
    maxBytes,
    find: (id: string) => (isUuid(id) ? repo.find(id) : Promise.resolve(undefined)),
    findByUpload: (uploadId: string) => repo.findByUpload(uploadId),

    /** Duration (ms) for the live state, cached 10 s (a processing upload gets it later). */
    async durationOf(videoId: string): Promise<number | null> {
      const hit = durations.get(videoId);
      if (hit && Date.now() - hit.at < 10_000) return hit.ms;
      const row = await repo.find(videoId);
      const ms = row?.duration_ms === null || !row ? null : toNumber(row.duration_ms);
      durations.set(videoId, { ms, at: Date.now() });
      if (durations.size > 10_000) durations.clear();
      return ms;
    },

    async create(ownerId: string, body: CreateVideoBody): Promise<VideoRow> {
      if (body.url) {
        const mediaType = mediaTypeOfUrl(body.url, body.mediaType);
        if (!mediaType)
          throw new AppError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'A direct link to an .mp4, .webm or .m3u8 file (or declare mediaType).',
          );
        return repo.insert({
          id: randomUUID(),
          owner_id: ownerId,
          title: body.title,
          source: 'url',
          url: body.url,
          status: 'ready',
          media_type: mediaType,
          duration_ms: body.durationMs ?? null,
          declared_bytes: null,
        });
      }
      if (body.mediaType === 'application/vnd.apple.mpegurl')
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload an MP4 or WebM file (HLS by URL only).');
      if (body.sizeBytes !== undefined && body.sizeBytes > maxBytes)
        throw new AppError(413, 'PAYLOAD_TOO_LARGE', `Videos are limited to ${maxBytes} bytes.`);
      return repo.insert({
        id: randomUUID(),
        owner_id: ownerId,
        title: body.title,
        source: 'upload',
        url: null,
        status: 'uploading',
        media_type: body.mediaType ?? null,
        duration_ms: null,
        declared_bytes: body.sizeBytes ?? null,
      });
    },

    async list(ownerId: string): Promise<Video[]> {
      const rows = await repo.listOfOwner(ownerId);
      const usage = await repo.usage(rows.map((r) => r.id));
      return rows.map((r) => toVideo(r, usage.get(r.id) ?? 0));
    },

    async update(ownerId: string, videoId: string, body: UpdateVideoBody): Promise<Video> {
      const row = await findOwned(ownerId, videoId);
      const patch: Parameters<VideosRepo['update']>[1] = {};
      if (body.title !== undefined) patch.title = body.title;
      // a duration ffprobe measured is not overwritten by the browser's
      if (body.durationMs !== undefined && (row.source === 'url' || row.duration_ms === null))
        patch.duration_ms = body.durationMs;
      const updated = Object.keys(patch).length > 0 ? await repo.update(row.id, patch) : row;
      durations.delete(row.id);
      return view(updated ?? row);
    },

    /** 409 VIDEO_IN_USE while a session (not deleted) names it; else its files, then the row. */
    async remove(ownerId: string, videoId: string): Promise<void> {
      const row = await findOwned(ownerId, videoId);
      const used = (await repo.usage([row.id])).get(row.id) ?? 0;
      if (used > 0)
        throw conflict(
          'VIDEO_IN_USE',
          `${used} session${used === 1 ? '' : 's'} show${used === 1 ? 's' : ''} this video; delete ${used === 1 ? 'it' : 'them'} or pick another video first.`,
        );
      await removeFiles(row);
      await repo.delete(row.id);
      durations.delete(row.id);
    },

    /** Every file of an owner's videos (the account is deleted). */
    removeFiles,

    // ---- the tus target's steps ----
    async attachUpload(row: VideoRow, uploadId: string, mediaType: string) {
      const updated = await repo.update(row.id, { upload_id: uploadId, media_type: mediaType }, [
        'uploading',
      ]);
      if (!updated) throw conflict('UPLOAD_EXISTS', 'This video already has its upload.');
    },
    async uploadComplete(uploadId: string, size: number) {
      const row = await repo.findByUpload(uploadId);
      if (!row) return;
      const claimed = await repo.update(row.id, { status: 'processing', size_bytes: size }, ['uploading']);
      if (!claimed) return;
      const job = process(claimed, size);
      running.add(job);
      void job.finally(() => running.delete(job));
    },
    async uploadTerminated(uploadId: string) {
      const row = await repo.findByUpload(uploadId);
      if (row && row.status === 'uploading') await repo.update(row.id, { upload_id: null }, ['uploading']);
    },

    /** Whether a session's caller may see a video: the owner, or anyone of a session naming it. */
    sessionNames(session: SessionRow, videoId: string): boolean {
      const settings = (
        typeof session.settings === 'string' ? JSON.parse(session.settings) : session.settings
      ) as {
        video?: { videoId?: string | null };
      };
      return session.mode === 'video' && settings?.video?.videoId === videoId;
    },

    checkSize(declared: number | null) {
      if (declared !== null && declared > maxBytes)
        throw new AppError(413, 'PAYLOAD_TOO_LARGE', `Videos are limited to ${maxBytes} bytes.`);
    },
    badType: () =>
      new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload an MP4 (video/mp4) or WebM (video/webm) file.'),

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    badRequest,
  };
}
export type VideosService = ReturnType<typeof createVideosService>;
