import { updateArchiveBodySchema } from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { conflict } from '../../errors.js';
import { baseUrlOf, type Guards } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import type { ArchiveService } from './archive-service.js';

type IdParams = { Params: { sessionId: string } };

export function registerArchiveRoutes(
  app: FastifyInstance,
  deps: { guards: Guards; archive: ArchiveService; config: Pick<Config, 'PUBLIC_URL'> },
) {
  const { guards, archive } = deps;

  app.get('/api/archive', async (req) => {
    const claims = await guards.requireUser(req);
    return { sessions: await archive.list(claims.userId, baseUrlOf(req, deps.config)) };
  });

  /** The host keeps an ended session past retention (keep: true), or lets it expire again. */
  app.put<IdParams>('/api/archive/:sessionId', async (req) => {
    const { session, claims } = await guards.requireHost(req, req.params.sessionId);
    const { keep } = parse(updateArchiveBodySchema, req.body);
    if (session.status !== 'ended')
      throw conflict('INVALID_STATUS_CHANGE', 'Only ended sessions are archived.');
    await archive.setKeep(session, keep, claims.userId);
    return { entry: await archive.entry(session, baseUrlOf(req, deps.config)) };
  });

  /** Earlier deletion by the host: the session, its rows and every file it owns. */
  app.delete<IdParams>('/api/archive/:sessionId', async (req, reply) => {
    const { session } = await guards.requireHost(req, req.params.sessionId);
    await archive.purge(session.id);
    return reply.code(204).send();
  });
}
