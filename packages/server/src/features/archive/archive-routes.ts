import { archiveEntryResponseSchema, archiveListSchema, updateArchiveBodySchema } from '@rstream/protocol';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { conflict } from '../../errors.js';
import { baseUrlOf, type Guards } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import type { ArchiveService } from './archive-service.js';

const archiveParams = z.object({ sessionId: z.string().describe('session id') });
const tags = ['archive'];

export function registerArchiveRoutes(
  app: FeatureApp,
  deps: { guards: Guards; archive: ArchiveService; config: Pick<Config, 'PUBLIC_URL'> },
) {
  const { guards, archive } = deps;

  app.get(
    '/api/archive',
    {
      schema: {
        tags,
        summary: 'The caller’s ended sessions, newest first, with recordings, report and expiry',
        response: { 200: archiveListSchema },
      },
    },
    async (req) => {
      const claims = await guards.requireUser(req);
      return { sessions: await archive.list(claims.userId, baseUrlOf(req, deps.config)) };
    },
  );

  /** The host keeps an ended session past retention (keep: true), or lets it expire again. */
  app.put(
    '/api/archive/:sessionId',
    {
      schema: {
        tags,
        summary: 'Keep an ended session past retention, or let it expire again (host)',
        params: archiveParams,
        body: updateArchiveBodySchema,
        response: { 200: archiveEntryResponseSchema },
      },
    },
    async (req) => {
      const { session, claims } = await guards.requireHost(req, req.params.sessionId);
      if (session.status !== 'ended')
        throw conflict('INVALID_STATUS_CHANGE', 'Only ended sessions are archived.');
      await archive.setKeep(session, req.body.keep, claims.userId);
      return { entry: await archive.entry(session, baseUrlOf(req, deps.config)) };
    },
  );

  /** Earlier deletion by the host: the session, its rows and every file it owns. */
  app.delete(
    '/api/archive/:sessionId',
    {
      schema: {
        tags,
        summary: 'Delete an ended session now, with every file it owns (host)',
        params: archiveParams,
        response: { 204: z.null().describe('No content') },
      },
    },
    async (req, reply) => {
      const { session } = await guards.requireHost(req, req.params.sessionId);
      await archive.purge(session.id);
      return reply.code(204).send(null);
    },
  );
}
