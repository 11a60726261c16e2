import {
  cohortsResponseSchema,
  createVideoBodySchema,
  sessionVideoResponseSchema,
  setSessionVideoBodySchema,
  updateVideoBodySchema,
  videoListSchema,
  videoResponseSchema,
} from '@rstream/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, forbidden } from '../../errors.js';
import { baseUrlOf } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { sendStoredFile } from '../recordings/recordings-routes.js';
import { isUuid, readSettings } from '../sessions/sessions-view.js';
import { cohortsOf, type AnalysisDeps } from './video-analysis.js';
import { mediaPathOf, videoNotFound, type VideosService } from './videos-service.js';

const tags = ['videos'];
const videoParams = z.object({ videoId: z.string().describe('video id') });
const sessionParams = z.object({ id: z.string().describe('session id') });

export function registerVideoRoutes(app: FeatureApp, videos: VideosService, analysis: AnalysisDeps) {
  const { guards } = app;

  /** The session's presenter may provide its video when the host chose provider "someone_else". */
  async function sessionProvider(req: FastifyRequest, sessionId: string) {
    const caller = await guards.requireSpeaker(req, sessionId);
    const session = caller.session;
    if (session.mode !== 'video') throw new AppError(409, 'NOT_VIDEO', 'This is not a video session.');
    const settings = readSettings(session.settings);
    if (caller.kind !== 'host' && settings.video?.provider !== 'someone_else')
      throw forbidden('The host provides this session’s video.');
    if (session.status === 'ended') throw new AppError(409, 'SESSION_ENDED', 'The session has ended.');
    return { caller, session, settings };
  }

  async function pick(req: FastifyRequest, sessionId: string, videoId: string) {
    const { session, settings } = await sessionProvider(req, sessionId);
    await app.sessions.update(
      session.host_id,
      session.id,
      { settings: { video: { ...settings.video!, videoId } } },
      baseUrlOf(req, app.config),
    );
  }

  app.post(
    '/api/videos',
    {
      schema: {
        tags,
        summary:
          'Add a video: a direct media URL, or a title then the file by tus (speakers; a session’s presenter with sessionId)',
        body: createVideoBodySchema,
        response: { 201: videoResponseSchema },
      },
    },
    async (req, reply) => {
      let ownerId: string;
      if (req.body.sessionId) {
        const { session } = await sessionProvider(req, req.body.sessionId);
        ownerId = session.host_id;
      } else ownerId = (await guards.requireUser(req)).userId;
      const row = await videos.create(ownerId, req.body);
      if (req.body.sessionId) await pick(req, req.body.sessionId, row.id);
      return reply.code(201).send({ video: await videos.view(row) });
    },
  );

  app.get(
    '/api/videos',
    { schema: { tags, summary: 'The caller’s videos, newest first', response: { 200: videoListSchema } } },
    async (req) => ({ videos: await videos.list((await guards.requireUser(req)).userId) }),
  );

  app.get(
    '/api/videos/:videoId',
    {
      schema: {
        tags,
        summary: 'One video (owner)',
        params: videoParams,
        response: { 200: videoResponseSchema },
      },
    },
    async (req) => {
      const { userId } = await guards.requireUser(req);
      return { video: await videos.view(await videos.findOwned(userId, req.params.videoId)) };
    },
  );

  app.put(
    '/api/videos/:videoId',
    {
      schema: {
        tags,
        summary: 'Rename a video, or give the duration the browser read (owner)',
        params: videoParams,
        body: updateVideoBodySchema,
        response: { 200: videoResponseSchema },
      },
    },
    async (req) => {
      const { userId } = await guards.requireUser(req);
      return { video: await videos.update(userId, req.params.videoId, req.body) };
    },
  );

  app.delete(
    '/api/videos/:videoId',
    {
      schema: {
        tags,
        summary: 'Delete a video and its file (owner); 409 VIDEO_IN_USE while a session names it',
        params: videoParams,
        response: { 204: z.null().describe('No content') },
      },
    },
    async (req, reply) => {
      const { userId } = await guards.requireUser(req);
      await videos.remove(userId, req.params.videoId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/videos/:videoId/cohorts',
    {
      schema: {
        tags,
        summary: 'Every showing of the video on its own time axis, and the minutes where all dip (owner)',
        params: videoParams,
        response: { 200: cohortsResponseSchema },
      },
    },
    async (req) => {
      const { userId } = await guards.requireUser(req);
      const row = await videos.findOwned(userId, req.params.videoId);
      return cohortsOf(analysis, row.id);
    },
  );

  app.get(
    '/api/sessions/:id/video',
    {
      schema: {
        tags,
        summary: 'The session’s video with a playable (signed) mediaUrl (anyone of the session)',
        params: sessionParams,
        response: { 200: sessionVideoResponseSchema },
      },
    },
    async (req) => {
      const caller = await guards.requireSessionCaller(req, req.params.id);
      const videoId = readSettings(caller.session.settings).video?.videoId;
      if (caller.session.mode !== 'video' || !videoId) return { video: null };
      const row = await videos.find(videoId);
      return { video: row ? await videos.view(row) : null };
    },
  );

  app.put(
    '/api/sessions/:id/video',
    {
      schema: {
        tags,
        summary:
          'Pick the session’s video from the host’s library (host; presenter when provider is someone_else)',
        params: sessionParams,
        body: setSessionVideoBodySchema,
        response: { 200: sessionVideoResponseSchema },
      },
    },
    async (req) => {
      await pick(req, req.params.id, req.body.videoId);
      const row = await videos.find(req.body.videoId);
      return { video: row ? await videos.view(row) : null };
    },
  );

  // Signed media (a <video> element sends no bearer token): as the recordings' media URLs.
  app.get(
    '/api/media/videos/:videoId',
    async (req: FastifyRequest<{ Params: { videoId: string } }>, reply: FastifyReply) => {
      const id = req.params.videoId;
      const q = req.query as Record<string, unknown>;
      const verdict = app.uploads.signer.verify(mediaPathOf(id), q.exp, q.sig);
      if (verdict === 'missing')
        throw new AppError(401, 'MEDIA_SIGNATURE_MISSING', 'This media URL needs its signature (exp, sig).');
      if (verdict === 'expired')
        throw new AppError(403, 'MEDIA_URL_EXPIRED', 'This media URL has expired; fetch the video again.');
      if (verdict === 'invalid')
        throw new AppError(403, 'MEDIA_SIGNATURE_INVALID', 'Bad media URL signature.');
      const row = isUuid(id) ? await videos.find(id) : undefined;
      if (!row || row.status !== 'ready' || !row.storage_key) throw videoNotFound();
      const stat = await app.storage.stat(row.storage_key);
      if (!stat) throw videoNotFound();
      return sendStoredFile(req, reply, app.storage, row.storage_key, stat, row.media_type ?? 'video/mp4');
    },
  );
}
