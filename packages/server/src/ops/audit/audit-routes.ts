import { acceptRiskBodySchema, auditOverviewSchema, runAuditBodySchema } from '@rstream/protocol';
import { z } from 'zod';
import type { Guards } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import type { SecurityAudit } from './audit-service.js';

const tags = ['security-audit'];

/**
 * /api/admin/security-audit*: admins only. GET the latest report with the trend and the
 * acceptances; POST …/run starts a run (202; one at a time); POST …/acceptances accepts a risk.
 */
export function registerSecurityAuditRoutes(
  app: FeatureApp,
  deps: {
    audit: SecurityAudit;
    guards: Guards;
    runNow: (skip: string[]) => { started: boolean };
    running: () => boolean;
  },
) {
  const { audit, guards } = deps;
  app.get(
    '/api/admin/security-audit',
    {
      schema: {
        tags,
        summary: 'The latest security audit report, its trend and the risk acceptances (admin)',
        response: { 200: auditOverviewSchema.extend({ running: z.boolean() }) },
      },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { ...(await audit.overview()), running: deps.running() };
    },
  );
  app.post(
    '/api/admin/security-audit/run',
    {
      schema: {
        tags,
        summary: 'Start a security audit run in the background (admin; one at a time)',
        body: runAuditBodySchema.optional(),
        response: { 202: z.object({ started: z.boolean() }) },
      },
    },
    async (req, reply) => {
      await guards.requireAdmin(req);
      return reply.code(202).send(deps.runNow(req.body?.skip ?? []));
    },
  );
  app.post(
    '/api/admin/security-audit/acceptances',
    {
      schema: {
        tags,
        summary: 'Accept the risk of a finding until a date (admin)',
        body: acceptRiskBodySchema,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => {
      const claims = await guards.requireAdmin(req);
      const id = await audit.accept(req.body, {
        userId: claims.userId,
        label: null,
        ip: req.ip,
        requestId: String(req.id),
      });
      return reply.code(201).send({ id });
    },
  );
}
