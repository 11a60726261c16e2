import {
  adminUpdateUserBodySchema,
  adminUserListSchema,
  adminUserSchema,
  auditListSchema,
  auditQuerySchema,
} from '@rstream/protocol';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import type { FeatureApp } from '../../http/feature.js';
import { isUuid } from '../sessions/sessions-view.js';
import { auditContext } from '../audit/audit-service.js';
import type { AdminService } from './admin-service.js';

const tags = ['admin'];

/** /api/admin/*: instance admins only (role checked against the database on every call). */
export function registerAdminRoutes(app: FeatureApp, deps: { admin: AdminService }) {
  const { admin } = deps;
  const { audit, guards } = app;

  app.get(
    '/api/admin/users',
    { schema: { tags, summary: 'Every account', response: { 200: adminUserListSchema } } },
    async (req) => {
      await guards.requireAdmin(req);
      return { users: await admin.listUsers() };
    },
  );

  app.put(
    '/api/admin/users/:id',
    {
      schema: {
        tags,
        summary: 'Change an account’s role, disable or enable it',
        params: z.object({ id: z.string().describe('user id') }),
        body: adminUpdateUserBodySchema,
        response: { 200: z.object({ user: adminUserSchema }) },
      },
    },
    async (req) => {
      const claims = await guards.requireAdmin(req);
      if (!isUuid(req.params.id)) throw notFound('No such user.');
      const user = await admin.updateUser(
        { userId: claims.userId },
        req.params.id,
        req.body,
        auditContext(req),
      );
      guards.forgetUser(req.params.id);
      return { user };
    },
  );

  app.get(
    '/api/admin/audit',
    {
      schema: {
        tags,
        summary: 'The security trail, newest first (cursor pages)',
        querystring: auditQuerySchema,
        response: { 200: auditListSchema },
      },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return audit.list(req.query);
    },
  );
}
