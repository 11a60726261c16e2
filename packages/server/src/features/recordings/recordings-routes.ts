import {
  createRecordingBodySchema,
  recordingListSchema,
  recordingResponseSchema,
  updateRecordingBodySchema,
} from '@rstream/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, forbidden } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import type { Storage } from '../../platform/storage.js';
import type { MediaSigner } from './media-signing.js';
import type { RecordingsRepo } from './recordings-repo.js';
import { recordingNotFound, type RecordingsService } from './recordings-service.js';
import { mediaPath, thumbnailsPath } from './recordings-view.js';
import { isUuid } from '../sessions/sessions-view.js';

const sessionParams = z.object({ id: z.string().describe('session id') });
const recordingParams = sessionParams.extend({ recordingId: z.string().describe('recording id') });
const tags = ['recordings'];

export function registerRecordingRoutes(
  app: FeatureApp,
  deps: { guards: Guards; recordings: RecordingsService },
) {
  const { guards, recordings } = deps;

  app.post(
    '/api/sessions/:id/recordings',
    {
      schema: {
        tags,
        summary: 'Start a recording (speakers, live session); its bytes then go to /api/uploads',
        params: sessionParams,
        body: createRecordingBodySchema,
        response: { 201: recordingResponseSchema },
      },
    },
    async (req, reply) => {
      const caller = await guards.requireSpeaker(req, req.params.id);
      return reply.code(201).send({ recording: await recordings.create(caller, req.body) });
    },
  );

  app.get(
    '/api/sessions/:id/recordings',
    {
      schema: {
        tags,
        summary: 'The session’s recordings with signed media URLs (speakers)',
        params: sessionParams,
        response: { 200: recordingListSchema },
      },
    },
    async (req) => {
      const caller = await guards.requireSpeaker(req, req.params.id);
      return { recordings: await recordings.list(caller.session) };
    },
  );

  app.put(
    '/api/sessions/:id/recordings/:recordingId',
    {
      schema: {
        tags,
        summary: 'Pause, resume or stop a recording (speakers)',
        params: recordingParams,
        body: updateRecordingBodySchema,
        response: { 200: recordingResponseSchema },
      },
    },
    async (req) => {
      const caller = await guards.requireSpeaker(req, req.params.id);
      const { status } = req.body;
      return { recording: await recordings.setStatus(caller.session, req.params.recordingId, status) };
    },
  );

  app.delete(
    '/api/sessions/:id/recordings/:recordingId',
    {
      schema: {
        tags,
        summary: 'Delete a recording and its media (host)',
        params: recordingParams,
        response: { 204: z.null().describe('No content') },
      },
    },
    async (req, reply) => {
      const caller = await guards.requireSpeaker(req, req.params.id);
      if (caller.kind !== 'host') throw forbidden('Only the session’s host can delete a recording.');
      await recordings.remove(caller.session, req.params.recordingId);
      return reply.code(204).send(null);
    },
  );
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range) → inclusive bounds; null = unsatisfiable. */
/**
 * A stored file as a media answer: Range → 206 (416 outside the file), HEAD without a body,
 * private caching. Recordings, thumbnails and videos are served by this one step.
 */
export async function sendStoredFile(
  req: FastifyRequest,
  reply: FastifyReply,
  storage: Storage,
  key: string,
  stat: { size: number; modifiedAt: Date },
  type: string,
) {
  reply
    .header('accept-ranges', 'bytes')
    .header('content-type', type)
    .header('cache-control', 'private, max-age=3600')
    .header('last-modified', stat.modifiedAt.toUTCString());
  const rangeHeader = req.headers.range;
  if (rangeHeader) {
    const range = parseRange(rangeHeader, stat.size);
    if (!range) {
      reply.header('content-range', `bytes */${stat.size}`);
      throw new AppError(416, 'RANGE_NOT_SATISFIABLE', `Range outside the ${stat.size} bytes of this file.`);
    }
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`)
      .header('content-length', range.end - range.start + 1);
    if (req.method === 'HEAD') return reply.send();
    return reply.send(await storage.getStream(key, range));
  }
  reply.header('content-length', stat.size);
  if (req.method === 'HEAD') return reply.send();
  return reply.send(await storage.getStream(key));
}

export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

/**
 * Signed media: `GET /api/media/recordings/:recordingId?exp&sig` (and `/thumbnails`). The URL is
 * the credential (a `<video>` sends no bearer token): no signature 401, a wrong or expired one
 * 403. Answers Range with 206 straight from storage (local file or S3 ranged GET).
 */
export function registerMediaRoutes(
  app: FastifyInstance,
  deps: { repo: RecordingsRepo; signer: MediaSigner; storage: Storage },
) {
  const serve =
    (which: 'media' | 'thumbs') =>
    async (req: FastifyRequest<{ Params: { recordingId: string } }>, reply: FastifyReply) => {
      const id = req.params.recordingId;
      const path = which === 'media' ? mediaPath(id) : thumbnailsPath(id);
      const q = req.query as Record<string, unknown>;
      const verdict = deps.signer.verify(path, q.exp, q.sig);
      if (verdict === 'missing')
        throw new AppError(401, 'MEDIA_SIGNATURE_MISSING', 'This media URL needs its signature (exp, sig).');
      if (verdict === 'expired')
        throw new AppError(
          403,
          'MEDIA_URL_EXPIRED',
          'This media URL has expired; list the recordings again.',
        );
      if (verdict === 'invalid')
        throw new AppError(403, 'MEDIA_SIGNATURE_INVALID', 'Bad media URL signature.');
      const row = isUuid(id) ? await deps.repo.find(id) : undefined;
      const key = which === 'media' ? row?.storage_key : row?.thumbs_key;
      if (!row || row.status !== 'ready' || !key) throw recordingNotFound();
      const stat = await deps.storage.stat(key);
      if (!stat) throw recordingNotFound();
      const type = which === 'media' ? row.media_type : 'image/jpeg';
      return sendStoredFile(req, reply, deps.storage, key, stat, type);
    };
  app.get('/api/media/recordings/:recordingId', serve('media'));
  app.get('/api/media/recordings/:recordingId/thumbnails', serve('thumbs'));
}
