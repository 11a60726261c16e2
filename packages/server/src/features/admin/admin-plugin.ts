import { defineFeature } from '../../http/feature.js';
import { registerAdminRoutes } from './admin-routes.js';
import { createAdminService, type AdminService } from './admin-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    admin: AdminService;
  }
}

/** /api/admin/*: users (role, disable, delete) and the security trail, for instance admins. */
export const adminFeature = defineFeature(
  { name: 'admin', needs: ['auth', 'audit', 'guards'] },
  async (app) => {
    const admin = createAdminService({
      auth: app.auth,
      audit: app.audit,
      onUserChanged: (id) => app.guards.forgetUser(id),
    });
    app.decorate('admin', admin);
    registerAdminRoutes(app, { admin, audit: app.audit, guards: app.guards });
  },
);
