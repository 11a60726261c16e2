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
 * with signed download URLs, deleted with the session (platform/owned-files.ts: a storage failure refuses the deletion).
 */
export const materialsFeature = defineFeature(
  {
    name: 'materials',
    needs: ['db', 'config', 'storage', 'ownedFiles', 'uploads', 'guards', 'logger', 'hub'],
  },
  async (app) => {
    const service = createMaterialsService({
      repo: createMaterialsRepo(app.db.kysely),
      storage: app.storage,
      uploads: app.uploads,
      requireSpeaker: (req, sessionId) => app.guards.requireSpeaker(req, sessionId),
      tmpDir: path.join(app.config.DATA_DIR, 'tmp', 'materials'),
      log: app.logger,
      broadcast: (sessionId, message, audience) => app.hub.broadcast(sessionId, message, audience),
    });
    app.decorate('materials', service);
    app.uploads.addTarget('materialId', service.target);
    registerMaterialRoutes(app, service);
    // `materials/<sessionId>/` is an owned-files family (deleted with the session, files first, a
    // storage failure refuses the deletion); unfinished tus uploads are this feature's own step
    app.ownedFiles.registerFamily({ family: 'materials', owner: 'session' });
    app.ownedFiles.registerDeleter('session', 'materials', (sessionId) =>
      service.removeSessionUploads(sessionId),
    );
  },
);
