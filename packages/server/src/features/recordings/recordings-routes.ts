import { createRecordingBodySchema, updateRecordingBodySchema } from '@rstream/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import type { Storage } from '../../platform/storage.js';
import type { MediaSigner } from './media-signing.js';
import type { RecordingsRepo } from './recordings-repo.js';
import { recordingNotFound, type RecordingsService } from './recordings-service.js';
import { mediaPath, thumbnailsPath } from './recordings-view.js';
import { isUuid } from '../sessions/sessions-service.js';

type IdParams = { Params: { id: string } };
type RecParams = { Params: { id: string; recordingId: string } };

export function registerRecordingRoutes(
  app: FastifyInstance,
  deps: { guards: Guards; recordings: RecordingsService },
) {
  const { guards, recordings } = deps;

  app.post<IdParams>('/api/sessions/:id/recordings', async (req, reply) => {
    const caller = await guards.requireSpeaker(req, req.params.id);
    const body = parse(createRecordingBodySchema, req.body);
    return reply.code(201).send({ recording: await recordings.create(caller, body) });
  });

  app.get<IdParams>('/api/sessions/:id/recordings', async (req) => {
    const caller = await guards.requireSpeaker(req, req.params.id);
    return { recordings: await recordings.list(caller.session) };
  });

  app.put<RecParams>('/api/sessions/:id/recordings/:recordingId', async (req) => {
    const caller = await guards.requireSpeaker(req, req.params.id);
    const { status } = parse(updateRecordingBodySchema, req.body);
    return { recording: await recordings.setStatus(caller.session, req.params.recordingId, status) };
  });

  app.delete<RecParams>('/api/sessions/:id/recordings/:recordingId', async (req, reply) => {
    const caller = await guards.requireSpeaker(req, req.params.id);
    if (caller.kind !== 'host') throw forbidden('Only the session’s host can delete a recording.');
    await recordings.remove(caller.session, req.params.recordingId);
    return reply.code(204).send();
  });
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range) → inclusive bounds; null = unsatisfiable. */
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
          throw new AppError(
            416,
            'RANGE_NOT_SATISFIABLE',
            `Range outside the ${stat.size} bytes of this file.`,
          );
        }
        reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`)
          .header('content-length', range.end - range.start + 1);
        if (req.method === 'HEAD') return reply.send();
        return reply.send(await deps.storage.getStream(key, range));
      }
      reply.header('content-length', stat.size);
      if (req.method === 'HEAD') return reply.send();
      return reply.send(await deps.storage.getStream(key));
    };
  app.get('/api/media/recordings/:recordingId', serve('media'));
  app.get('/api/media/recordings/:recordingId/thumbnails', serve('thumbs'));
}
