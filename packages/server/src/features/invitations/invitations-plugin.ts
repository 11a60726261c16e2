import { defineFeature } from '../../http/feature.js';
import { createInvitationsRepo } from './invitations-repo.js';
import { registerInvitationRoutes } from './invitations-routes.js';
import { createInvitationsService, type InvitationsService } from './invitations-service.js';
import { createMailer } from './mailer.js';

declare module 'fastify' {
  interface FastifyInstance {
    invitations: InvitationsService;
  }
}

/** Presenter invitations: the host sends a link (by mail with SMTP), whoever holds it joins as presenter. */
export const invitationsFeature = defineFeature(
  { name: 'invitations', needs: ['db', 'sessions', 'audit', 'guards', 'rateLimits'] },
  async (app) => {
    const mailer = createMailer(app.config);
    const invitations = createInvitationsService({
      repo: createInvitationsRepo(app.db.kysely),
      sessions: app.sessions,
      audit: app.audit,
      mailer,
    });
    app.decorate('invitations', invitations);
    registerInvitationRoutes(app, {
      invitations,
      guards: app.guards,
      config: app.config,
      rateLimit: app.rateLimits.join,
    });
    app.addHook('onClose', async () => mailer.close());
  },
);
