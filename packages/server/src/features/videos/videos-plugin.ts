import path from 'node:path';
import { videoControlMessageSchema, videoViewerMessageSchema } from '@rstream/protocol';
import { AppError, badRequest, forbidden } from '../../errors.js';
import { bearerToken } from '../../http/caller.js';
import { defineFeature } from '../../http/feature.js';
import { looksLikeJwt } from '../auth/access-token.js';
import type { UploadTarget } from '../recordings/uploads-routes.js';
import { isUuid, readSettings } from '../sessions/sessions-view.js';
import { reportSection, videoAxis, type AnalysisDeps } from './video-analysis.js';
import { createVideoLive, type VideoLive } from './video-live.js';
import { createVideosRepo } from './videos-repo.js';
import { registerVideoRoutes } from './videos-routes.js';
import { createVideosService, videoNotFound, type VideosService } from './videos-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    videos: { service: VideosService; live: VideoLive; analysis: AnalysisDeps };
  }
}

const UPLOAD_TYPES = new Set(['video/mp4', 'video/webm']);

/**
 * Video-watching mode (issue 15): the video library (URL or tus upload), the playback state each
 * session shares (`video:control` → `video:state`, owned by the database, synced by the bus), the
 * viewers' sync states (`video:viewer` → `video:viewers`), the video stamp on every signal, the
 * `axis=video` history and the cohorts of a video. docs/video.md.
 */
export const videosFeature = defineFeature(
  {
    name: 'videos',
    needs: [
      'config',
      'db',
      'hub',
      'bus',
      'sessions',
      'understanding',
      'storage',
      'uploads',
      'guards',
      'wsMessages',
      'events',
      'logger',
      'ownedFiles',
    ],
  },
  async (app) => {
    const repo = createVideosRepo(app.db.kysely);
    const service = createVideosService({
      repo,
      storage: app.storage,
      uploads: app.uploads,
      tmpDir: path.join(app.config.DATA_DIR, 'tmp', 'videos'),
      log: app.logger,
    });
    const live = createVideoLive({
      repo,
      hub: app.hub,
      bus: app.bus,
      instanceId: app.instanceId,
      log: app.logger,
      durationOf: (id) => service.durationOf(id),
    });
    const analysis: AnalysisDeps = {
      repo,
      understanding: app.understanding,
      durationOf: (id) => service.durationOf(id),
    };
    app.decorate('videos', { service, live, analysis });

    // ---- owned files: an account's videos go with it (files first, fail closed; the rows cascade) ----
    app.ownedFiles.registerDeleter('user', 'videos', async (userId) => {
      for (const row of await repo.listOfOwner(userId)) await service.removeFiles(row);
    });
    // `videos/<videoId>/`: the orphan check asks the videos table, not the owners'
    app.ownedFiles.registerFamily({
      family: 'videos',
      owner: 'user',
      existing: async (ids) => {
        const rows = await Promise.all(ids.filter(isUuid).map((id) => repo.find(id)));
        return new Set(rows.flatMap((r) => (r ? [r.id] : [])));
      },
    });

    // ---- the live path: rooms get the media clock, joiners the state ----
    app.hub.onRoom.push((room) => {
      room.mediaClock = live.clockOf(room);
      live.warm(room);
    });
    for (const room of app.hub.rooms.values()) room.mediaClock = live.clockOf(room);
    app.hub.onJoin.push((room, _client, send) => {
      void live.sendState(room, send).catch((err) => app.logger.warn({ err }, 'video state not sent'));
    });
    app.wsMessages.register({
      type: 'video:control',
      schema: videoControlMessageSchema,
      roles: ['host', 'presenter'],
      forbiddenMessage: 'Only the facilitator (or the host) controls the video.',
      // a database compare-and-set each
      cost: 2,
      handle: ({ room, client }, msg) => live.control(room, client, msg),
    });
    app.wsMessages.register({
      type: 'video:viewer',
      schema: videoViewerMessageSchema,
      roles: ['listener'],
      forbiddenMessage: 'Only viewers report their player state.',
      cost: 2,
      handle: ({ room, client }, msg) => live.viewer(room, client, msg),
    });
    app.understanding.addAxis('video', videoAxis(analysis));
    // the report's video section (features/reports/sections/video.ts renders it)
    if (app.hasDecorator('reports'))
      app.reports.setVideoSource((session) =>
        reportSection(
          { ...analysis, titleOf: async (id) => (await service.find(id))?.title ?? null },
          session,
        ),
      );
    app.addHook('onReady', () => live.start());
    app.addHook('onClose', async () => {
      await live.stop();
      await service.idle();
    });
    app.events.on('session.changed', ({ session }) => {
      setImmediate(() => void live.sessionChanged(session.id).catch(() => {}));
    });
    app.events.on('session.deleted', ({ sessionId }) => live.forget(sessionId));

    // ---- settings.video: the host's own video; no start without one ----
    app.sessions.addSettingsCheck(async ({ hostId, mode, settings, previous, goingLive }) => {
      if (mode !== 'video') return;
      const videoId = settings.video?.videoId ?? null;
      if (videoId && videoId !== previous?.video?.videoId) {
        const row = await service.find(videoId);
        if (!row || row.owner_id !== hostId)
          throw badRequest('settings.video.videoId is not one of your videos.', [
            { path: 'settings.video.videoId', message: 'not one of your videos' },
          ]);
      }
      if (goingLive && !videoId)
        throw new AppError(
          409,
          'NO_VIDEO',
          'Choose the video first (or wait for the invited provider to add it): a video session cannot start without one.',
        );
    });

    // ---- tus: `Upload-Metadata: videoId <b64>, filetype <b64>` ----
    const target: UploadTarget = {
      async authorizeCreate(req, videoId) {
        const row = isUuid(videoId) ? await service.find(videoId) : undefined;
        if (!row) throw videoNotFound();
        await mayUpload(req, row.owner_id, row.id);
        if (row.source !== 'upload' || row.status !== 'uploading' || row.upload_id)
          throw new AppError(409, 'UPLOAD_EXISTS', 'This video already has its file (or is a URL).');
        const meta = parseMeta(req.headers['upload-metadata'] as string | undefined);
        const type = (meta.filetype ?? row.media_type ?? '').split(';')[0]!.trim().toLowerCase();
        if (!UPLOAD_TYPES.has(type)) throw service.badType();
        const length = Number(req.headers['upload-length']);
        service.checkSize(
          Number.isFinite(length) && length > 0
            ? length
            : row.declared_bytes === null
              ? null
              : Number(row.declared_bytes),
        );
        return { attach: (uploadId) => service.attachUpload(row, uploadId, type) };
      },
      async authorizeExisting(req, uploadId) {
        const row = await service.findByUpload(uploadId);
        if (!row) return null;
        await mayUpload(req, row.owner_id, row.id);
        return { found: true };
      },
      written: async () => {},
      complete: (uploadId, size) => service.uploadComplete(uploadId, size),
      terminated: (uploadId) => service.uploadTerminated(uploadId),
    };
    app.uploads.addTarget('videoId', target);

    /** The owner (access token), or the presenter of a session naming the video (participant token). */
    async function mayUpload(
      req: Parameters<UploadTarget['authorizeCreate']>[0],
      ownerId: string,
      videoId: string,
    ) {
      const token = bearerToken(req);
      if (token && looksLikeJwt(token)) {
        const { userId } = await app.guards.requireUser(req);
        if (userId !== ownerId) throw forbidden('Only the video’s owner can upload its file.');
        return;
      }
      const participant = token ? await app.sessions.findParticipantByToken(token) : undefined;
      const session = participant ? await app.sessions.findSession(participant.session_id) : undefined;
      if (
        !participant ||
        participant.role !== 'presenter' ||
        !session ||
        session.host_id !== ownerId ||
        readSettings(session.settings).video?.videoId !== videoId
      )
        throw forbidden('Only the video’s owner, or the presenter providing it, can upload its file.');
    }

    registerVideoRoutes(app, service, analysis);
  },
);

function parseMeta(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key) out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return out;
}
