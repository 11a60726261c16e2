import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Guards } from '../../http/caller.js';
import { registerArchiveRoutes } from './archive-routes.js';
import { createArchiveService, type ArchiveDeps } from './archive-service.js';

/** The archive: its routes and the daily retention job (once across instances). */
export function createArchiveFeature(deps: Omit<ArchiveDeps, 'retentionDays'> & { config: Config }) {
  const archive = createArchiveService({ ...deps, retentionDays: deps.config.ARCHIVE_RETENTION_DAYS });
  const timers: NodeJS.Timeout[] = [];
  const run = () =>
    void archive.runRetention().catch((e) => deps.log.warn({ err: e }, 'archive retention failed'));
  return {
    service: archive,
    registerRoutes: (app: FastifyInstance, guards: Guards) =>
      registerArchiveRoutes(app, { guards, archive, config: deps.config }),
    start() {
      // first pass a minute after start (not during a restart storm), then every interval
      timers.push(setTimeout(run, 60_000).unref());
      timers.push(setInterval(run, deps.config.ARCHIVE_RETENTION_INTERVAL_MIN * 60_000).unref());
    },
    close() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
