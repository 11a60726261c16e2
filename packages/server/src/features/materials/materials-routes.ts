import {
  createMaterialRequestSchema,
  materialResponseSchema,
  materialsResponseSchema,
} from '@rstream/protocol';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { FeatureApp } from '../../http/feature.js';
import { sendBytes } from '../../http/send-bytes.js';
import type { MaterialsService } from './materials-service.js';

const sessionParams = z.object({ id: z.string().describe('session id') });
const materialParams = sessionParams.extend({ materialId: z.string().describe('material id') });
const signedQuery = z.object({ exp: z.string().optional(), sig: z.string().optional() });
const tags = ['materials'];

/** A name safe inside `filename="…"`, and the full one for `filename*`. */
const dispositionOf = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function registerMaterialRoutes(app: FeatureApp, materials: MaterialsService) {
  const { guards } = app;

  app.post(
    '/api/sessions/:id/materials',
    {
      schema: {
        tags,
        summary: 'Announce a file material (host, presenter; discussion sessions); its bytes follow by tus',
        params: sessionParams,
        body: createMaterialRequestSchema,
        response: { 201: materialResponseSchema },
      },
    },
    async (req, reply) => {
      const { session } = await guards.requireSpeaker(req, req.params.id);
      reply.code(201);
      return { material: await materials.create(session, req.body) };
    },
  );

  app.get(
    '/api/sessions/:id/materials',
    {
      schema: {
        tags,
        summary: 'The session’s file materials with signed download URLs (everyone in the session)',
        params: sessionParams,
        response: { 200: materialsResponseSchema },
      },
    },
    async (req, reply) => {
      const caller = await guards.requireSessionCaller(req, req.params.id);
      reply.header('cache-control', 'no-store');
      return { materials: await materials.list(caller.session, caller.speaker) };
    },
  );

  app.delete(
    '/api/sessions/:id/materials/:materialId',
    {
      schema: {
        tags,
        summary: 'Delete a file material (host, presenter): the file first, then the row',
        params: materialParams,
        response: { 204: z.null().describe('deleted') },
      },
    },
    async (req, reply) => {
      const { session } = await guards.requireSpeaker(req, req.params.id);
      await materials.remove(session, req.params.materialId);
      return reply.code(204).send(null);
    },
  );

  // The URL is the credential (a plain link sends no token): no signature 401, a bad one 403.
  app.get(
    '/api/media/materials/:materialId',
    {
      schema: {
        tags,
        summary: 'Download a material by its signed URL (always as an attachment)',
        params: z.object({ materialId: z.string() }),
        querystring: signedQuery,
        response: { 200: z.string().describe('the file') },
      },
    },
    async (req, reply) => {
      const verdict = materials.verify(req.params.materialId, req.query.exp, req.query.sig);
      if (verdict === 'missing')
        throw new AppError(
          401,
          'MEDIA_SIGNATURE_MISSING',
          'This download URL needs its signature (exp, sig).',
        );
      if (verdict === 'expired')
        throw new AppError(
          403,
          'MEDIA_URL_EXPIRED',
          'This download URL has expired; open the materials again.',
        );
      if (verdict === 'invalid')
        throw new AppError(403, 'MEDIA_SIGNATURE_INVALID', 'Bad download URL signature.');
      const { row, stream } = await materials.file(req.params.materialId);
      reply
        .type(row.media_type)
        .header('content-length', Number(row.size_bytes))
        .header('content-disposition', dispositionOf(row.file_name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=300');
      return sendBytes(reply, stream);
    },
  );
}
