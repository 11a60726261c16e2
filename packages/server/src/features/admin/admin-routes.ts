import { adminUpdateUserBodySchema, auditQuerySchema } from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import { isUuid } from '../sessions/sessions-service.js';
import { auditContext, type AuditService } from '../audit/audit-service.js';
import type { AdminService } from './admin-service.js';

/** /api/admin/*: instance admins only (role checked against the database on every call). */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: { admin: AdminService; audit: AuditService; guards: Guards },
) {
  const { admin, audit, guards } = deps;

  app.get('/api/admin/users', async (req) => {
    await guards.requireAdmin(req);
    return { users: await admin.listUsers() };
  });

  app.put<{ Params: { id: string } }>('/api/admin/users/:id', async (req) => {
    const claims = await guards.requireAdmin(req);
    const body = parse(adminUpdateUserBodySchema, req.body);
    if (!isUuid(req.params.id)) throw notFound('No such user.');
    const user = await admin.updateUser({ userId: claims.userId }, req.params.id, body, auditContext(req));
    guards.forgetUser(req.params.id);
    return { user };
  });

  app.get('/api/admin/audit', async (req) => {
    await guards.requireAdmin(req);
    return audit.list(parse(auditQuerySchema, req.query, 'query'));
  });
}
