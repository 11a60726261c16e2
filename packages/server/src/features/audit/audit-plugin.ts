import { recordDenials } from '../../http/caller.js';
import { defineFeature } from '../../http/feature.js';
import { createAuditRepo } from './audit-repo.js';
import { auditRetentionJob, createAuditService, type AuditService } from './audit-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

/** The security trail: every 401/403 recorded after it is sent, and its daily retention job. */
export const auditFeature = defineFeature({ name: 'audit', needs: ['db', 'jobs', 'logger'] }, async (app) => {
  const audit = createAuditService(createAuditRepo(app.db.kysely), app.logger);
  app.decorate('audit', audit);
  recordDenials(app, audit);
  app.jobs.register(auditRetentionJob(audit, app.config.LOG_RETENTION_SECURITY_DAYS));
  app.addHook('onClose', async () => audit.flush());
});
