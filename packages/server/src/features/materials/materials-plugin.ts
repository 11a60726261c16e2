import path from 'node:path';
import { defineFeature } from '../../http/feature.js';
import { createMaterialsRepo } from './materials-repo.js';
import { registerMaterialRoutes } from './materials-routes.js';
import { createMaterialsService, type MaterialsService } from './materials-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    materials: MaterialsService;
  }
}

/**
 * Discussion materials that are files (issue 16): uploaded through the recordings feature's tus
 * endpoint (`Upload-Metadata: materialId`), kept under materials/<sessionId>/, listed to everyone
 * with signed download URLs, deleted with the session (a storage failure refuses the deletion).
 */
export const materialsFeature = defineFeature(
  { name: 'materials', needs: ['db', 'config', 'storage', 'uploads', 'guards', 'events', 'logger'] },
  async (app) => {
    const service = createMaterialsService({
      repo: createMaterialsRepo(app.db.kysely),
      storage: app.storage,
      uploads: app.uploads,
      requireSpeaker: (req, sessionId) => app.guards.requireSpeaker(req, sessionId),
      tmpDir: path.join(app.config.DATA_DIR, 'tmp', 'materials'),
      log: app.logger,
    });
    app.decorate('materials', service);
    app.uploads.addTarget('materialId', service.target);
    registerMaterialRoutes(app, service);
    app.events.on('session.deleting', ({ sessionId }) => service.removeSessionFiles(sessionId));
  },
);
