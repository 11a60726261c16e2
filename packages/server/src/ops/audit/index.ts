import { defineFeature } from '../../http/feature.js';
import { registerSecurityAuditRoutes } from './audit-routes.js';
import { securityAuditJobs } from './audit-schedule.js';
import { createSecurityAudit, type SecurityAudit } from './audit-service.js';
import { runDataRetention, type DataRetentionResult } from './data-retention.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the security audit (ops/audit): run, overview, risk acceptances */
    securityAudit: SecurityAudit;
    /** deletes expired archive sessions (with their files) and expired refresh tokens */
    runDataRetention(): Promise<DataRetentionResult>;
  }
}

/** The security audit in the running server (issue 17): admin routes, the monthly run, the daily retention. */
export const securityAuditPlugin = defineFeature(
  {
    name: 'security-audit',
    needs: ['audit', 'guards', 'sessions', 'archive', 'ownedFiles', 'jobs', 'events'],
  },
  async (app) => {
    const { config } = app;
    const audit = createSecurityAudit({
      config,
      db: app.db.kysely,
      dbKind: app.db.kind,
      ownedFiles: app.ownedFiles,
      fastify: app,
      trail: app.audit,
    });
    let running: Promise<unknown> | null = null;
    const runInBackground = (skip: string[]) => {
      if (running) return { started: false };
      running = audit
        .run({ trigger: 'admin' }, { baseUrl: config.PUBLIC_URL, skip })
        .then(({ report }) =>
          app.logger.info({ exitCode: report.exitCode, counts: report.counts }, 'security audit finished'),
        )
        .catch((e) => app.logger.error({ err: e }, 'security audit failed'))
        .finally(() => {
          running = null;
        });
      return { started: true };
    };
    const retention = () =>
      runDataRetention({
        db: app.db.kysely,
        archiveRetention: () => app.archive.runRetention(),
        // files whose owner row is gone for a day: written outside the app, or left by a crash
        deleteOrphans: async () => {
          const orphans = await app.ownedFiles.orphans(86_400_000);
          await app.ownedFiles.deletePrefixes(orphans.map((o) => o.prefix));
          return orphans.length;
        },
      });
    registerSecurityAuditRoutes(app, {
      audit,
      guards: app.guards,
      runNow: runInBackground,
      running: () => running !== null,
    });
    for (const job of securityAuditJobs({
      config,
      slotTaken: (slot) => audit.store.slotTaken(slot),
      runMonthly: async (slot) =>
        (await audit.run({ trigger: 'schedule', slot }, { baseUrl: config.PUBLIC_URL })).report,
      runRetention: retention,
    }))
      app.jobs.register(job);
    app.decorate('securityAudit', audit);
    app.decorate('runDataRetention', retention);
    app.addHook('onClose', async () => void (await running));
  },
);
