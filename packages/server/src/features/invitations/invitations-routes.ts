import {
  acceptInvitationBodySchema,
  acceptInvitationResponseSchema,
  createInvitationBodySchema,
  createInvitationResponseSchema,
  invitationListSchema,
  invitationPreviewSchema,
} from '@rstream/protocol';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { baseUrlOf } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { auditContext } from '../audit/audit-service.js';
import { isUuid } from '../sessions/sessions-view.js';
import type { InvitationsService } from './invitations-service.js';

const idParams = z.object({ id: z.string().describe('session id') });
const tokenParams = z.object({ token: z.string().describe('the invitation link’s token') });
const tags = ['invitations'];

export function registerInvitationRoutes(app: FeatureApp, deps: { invitations: InvitationsService }) {
  const { invitations } = deps;
  const { guards, config } = app;
  const limited = { config: { rateLimit: app.rateLimits.join } };

  // Host only: presenters may not invite (docs/security.md).
  app.post(
    '/api/sessions/:id/invitations',
    {
      schema: {
        tags,
        summary: 'Invite a presenter (host); by mail when SMTP is set',
        params: idParams,
        body: createInvitationBodySchema,
        response: { 201: createInvitationResponseSchema },
      },
    },
    async (req, reply) => {
      const { claims, session } = await guards.requireHost(req, req.params.id);
      const result = await invitations.create(
        session,
        claims.userId,
        req.body,
        baseUrlOf(req, config),
        auditContext(req),
      );
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/sessions/:id/invitations',
    {
      schema: {
        tags,
        summary: 'The session’s invitations (host)',
        params: idParams,
        response: { 200: invitationListSchema },
      },
    },
    async (req) => {
      const { session } = await guards.requireHost(req, req.params.id);
      return { invitations: await invitations.list(session.id) };
    },
  );

  app.delete(
    '/api/sessions/:id/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Revoke an invitation (host)',
        params: idParams.extend({ invitationId: z.string() }),
        response: { 204: z.null().describe('No content') },
      },
    },
    async (req, reply) => {
      const { claims, session } = await guards.requireHost(req, req.params.id);
      if (!isUuid(req.params.invitationId))
        throw new AppError(404, 'INVITATION_NOT_FOUND', 'No such invitation in this session.');
      await invitations.revoke(session.id, req.params.invitationId, claims.userId, auditContext(req));
      return reply.code(204).send(null);
    },
  );

  // Anyone holding the link (the link is the credential); limited per IP like joining.
  app.get(
    '/api/invitations/:token',
    {
      ...limited,
      schema: {
        tags,
        summary: 'What the link invites to',
        params: tokenParams,
        response: { 200: invitationPreviewSchema },
      },
    },
    async (req) => invitations.preview(req.params.token),
  );

  app.post(
    '/api/invitations/:token/accept',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Accept: a presenter participant token',
        params: tokenParams,
        body: acceptInvitationBodySchema,
        response: { 200: acceptInvitationResponseSchema },
      },
    },
    async (req) => invitations.accept(req.params.token, req.body.displayName, auditContext(req)),
  );
}
