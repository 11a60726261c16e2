import { defineFeature } from '../../http/feature.js';
import { createUnderstandingRepo } from './understanding-repo.js';
import { registerUnderstandingRoutes } from './understanding-routes.js';
import { createUnderstandingService, type UnderstandingService } from './understanding-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    understanding: UnderstandingService;
  }
}

/** Levels (HTTP fallback of `understanding:set`) and the history graph; the hub persists through this service. */
export const understandingFeature = defineFeature(
  { name: 'understanding', needs: ['db', 'sessions'], uses: ['guards', 'hub'] },
  async (app) => {
    app.decorate('understanding', createUnderstandingService(createUnderstandingRepo(app.db.kysely)));
    registerUnderstandingRoutes(app);
  },
);
