import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Guards } from '../../http/caller.js';
import type { Database } from '../../platform/db-schema.js';
import type { Locks } from '../../platform/locks.js';
import type { QuestionsService } from '../questions/questions-service.js';
import type { SessionsService } from '../sessions/sessions-service.js';
import type { UnderstandingService } from '../understanding/understanding-service.js';
import { createReportJob } from './report-job.js';
import { createReportsRepo } from './reports-repo.js';
import { registerReportRoutes } from './reports-routes.js';
import { createReportsService } from './reports-service.js';
import { DEFAULT_ANALYSIS_PARAMS } from './analysis/analyse.js';

/** The reports feature wired together: the service, its job, and its routes. */
export function createReportsFeature(deps: {
  db: Kysely<Database>;
  config: Config;
  sessions: SessionsService;
  understanding: UnderstandingService;
  questions: () => QuestionsService;
  locks: Locks;
  instanceId: string;
  log: Logger;
  flush?: () => Promise<void>;
}) {
  const repo = createReportsRepo(deps.db);
  const service = createReportsService({
    repo,
    sessions: deps.sessions,
    understanding: deps.understanding,
    questions: deps.questions,
    params: { ...DEFAULT_ANALYSIS_PARAMS, minSegmentSec: deps.config.REPORT_MIN_SEGMENT_SEC },
  });
  const job = createReportJob({
    repo,
    service,
    locks: deps.locks,
    instanceId: deps.instanceId,
    log: deps.log,
    delayMs: deps.config.REPORT_DELAY_MS,
    sweepSec: deps.config.REPORT_SWEEP_SEC,
    maxAttempts: deps.config.REPORT_MAX_ATTEMPTS,
    retryBaseMs: deps.config.REPORT_RETRY_BASE_MS,
    flush: deps.flush,
  });
  return {
    service,
    job,
    repo,
    registerRoutes: (app: FastifyInstance, guards: Guards) =>
      registerReportRoutes(app, { guards, reports: service, config: deps.config }),
    close: () => job.close(),
  };
}
export type ReportsFeature = ReturnType<typeof createReportsFeature>;
