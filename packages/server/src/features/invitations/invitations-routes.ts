import { acceptInvitationBodySchema, createInvitationBodySchema } from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { baseUrlOf, type Guards } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import { auditContext } from '../audit/audit-service.js';
import { isUuid } from '../sessions/sessions-service.js';
import type { InvitationsService } from './invitations-service.js';

type IdParams = { Params: { id: string } };

export function registerInvitationRoutes(
  app: FastifyInstance,
  deps: {
    invitations: InvitationsService;
    guards: Guards;
    config: Config;
    rateLimit: { max: number; timeWindow: string };
  },
) {
  const { invitations, guards, config } = deps;
  const limited = { config: { rateLimit: deps.rateLimit } };

  // Host only: presenters may not invite (docs/security.md).
  app.post<IdParams>('/api/sessions/:id/invitations', async (req, reply) => {
    const { claims, session } = await guards.requireHost(req, req.params.id);
    const body = parse(createInvitationBodySchema, req.body);
    const result = await invitations.create(
      session,
      claims.userId,
      body,
      baseUrlOf(req, config),
      auditContext(req),
    );
    return reply.code(201).send(result);
  });

  app.get<IdParams>('/api/sessions/:id/invitations', async (req) => {
    const { session } = await guards.requireHost(req, req.params.id);
    return { invitations: await invitations.list(session.id) };
  });

  app.delete<{ Params: { id: string; invitationId: string } }>(
    '/api/sessions/:id/invitations/:invitationId',
    async (req, reply) => {
      const { claims, session } = await guards.requireHost(req, req.params.id);
      if (!isUuid(req.params.invitationId))
        throw new AppError(404, 'INVITATION_NOT_FOUND', 'No such invitation in this session.');
      await invitations.revoke(session.id, req.params.invitationId, claims.userId, auditContext(req));
      return reply.code(204).send();
    },
  );

  // Anyone holding the link (the link is the credential); limited per IP like joining.
  app.get<{ Params: { token: string } }>('/api/invitations/:token', limited, async (req) =>
    invitations.preview(req.params.token),
  );

  app.post<{ Params: { token: string } }>('/api/invitations/:token/accept', limited, async (req) => {
    const { displayName } = parse(acceptInvitationBodySchema, req.body);
    return invitations.accept(req.params.token, displayName, auditContext(req));
  });
}
