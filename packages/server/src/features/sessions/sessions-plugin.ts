import { defineFeature } from '../../http/feature.js';
import { createSessionsRepo } from './sessions-repo.js';
import { registerSessionRoutes } from './sessions-routes.js';
import { createSessionsService, type SessionsService } from './sessions-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionsService;
  }
}

/**
 * Sessions and their participants: create, join, settings, start/end. Changes go out as domain
 * events (session.started, session.ended, session.changed, participant.changed, …).
 *
 * Deleting a session deletes its stored files first: the one `session.deleting` handler asks
 * platform/owned-files.ts (every feature registers its files there), and emitStrict refuses the
 * deletion when storage fails — no row goes while one of its files is still stored.
 */
export const sessionsFeature = defineFeature(
  { name: 'sessions', needs: ['db', 'events', 'rateLimits', 'ownedFiles'], uses: ['guards', 'hub'] },
  async (app) => {
    app.decorate('sessions', createSessionsService(createSessionsRepo(app.db.kysely), app.events));
    app.events.on('session.deleting', async ({ sessionId }) => {
      await app.ownedFiles.deleteOwnedBy('session', sessionId);
    });
    registerSessionRoutes(app);
  },
);
