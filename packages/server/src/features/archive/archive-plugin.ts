import { defineFeature } from '../../http/feature.js';
import { registerArchiveRoutes } from './archive-routes.js';
import { createArchiveService, type ArchiveService } from './archive-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    archive: ArchiveService;
  }
}

/**
 * The archive: ended sessions with their recordings, keep/purge, and the retention job
 * (`archive-retention`, once across instances). A session's report files (`reports/<id>/`) are
 * an owned-files family: deleting the session deletes them first (platform/owned-files.ts).
 */
export const archiveFeature = defineFeature(
  {
    name: 'archive',
    needs: [
      'config',
      'db',
      'sessions',
      'understanding',
      'recordings',
      'storage',
      'guards',
      'jobs',
      'events',
      'logger',
    ],
  },
  async (app) => {
    const archive = createArchiveService({
      db: app.db.kysely,
      sessions: app.sessions,
      understanding: app.understanding,
      recordings: app.recordings,
      retentionDays: app.config.ARCHIVE_RETENTION_DAYS,
      log: app.logger,
    });
    app.decorate('archive', archive);
    registerArchiveRoutes(app, { guards: app.guards, archive, config: app.config });
    app.jobs.register({
      name: 'archive-retention',
      everyMs: app.config.ARCHIVE_RETENTION_INTERVAL_MIN * 60_000,
      firstRunAfterMs: 60_000, // not during a restart storm
      leaseMs: 10 * 60_000,
      run: async () => {
        const r = await archive.runRetention();
        return {
          status: r.failed > 0 ? 'failed' : 'ok',
          line: `archive retention: ${r.deleted} sessions older than ${app.config.ARCHIVE_RETENTION_DAYS} days deleted, ${r.failed} to retry`,
          details: r,
        };
      },
    });
  },
);
