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
 */
export const sessionsFeature = defineFeature(
  { name: 'sessions', needs: ['db', 'events', 'rateLimits'], uses: ['guards', 'hub'] },
  async (app) => {
    app.decorate('sessions', createSessionsService(createSessionsRepo(app.db.kysely), app.events));
    registerSessionRoutes(app);
  },
);
