import { defineFeature } from '../../http/feature.js';
import { DEFAULT_ANALYSIS_PARAMS } from './analysis/analyse.js';
import { createReportJob, type ReportJob } from './report-job.js';
import { createReportsRepo, type ReportsRepo } from './reports-repo.js';
import { registerReportRoutes } from './reports-routes.js';
import { createReportsService, type ReportsService } from './reports-service.js';
import { turnsSection } from './sections/turns.js';
import { videoSection, type VideoSectionSource } from './sections/video.js';

export interface Reports {
  service: ReportsService;
  job: ReportJob;
  repo: ReportsRepo;
  /** The video mode's cohorts for its section (set by features/videos, which registers later). */
  setVideoSource(source: VideoSectionSource): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    reports: Reports;
  }
}

/**
 * Session reports (issue 14, docs/analysis.md): made when a session ends (`session.ended`), by a
 * sweep job for any ended session without one, and by `rstream report <sessionId>`.
 */
export const reportsFeature = defineFeature(
  {
    name: 'reports',
    needs: [
      'db',
      'config',
      'sessions',
      'understanding',
      'questions',
      'locks',
      'instanceId',
      'logger',
      'events',
      'jobs',
      'hub',
    ],
    uses: ['guards', 'turns'],
  },
  async (app) => {
    const { config } = app;
    const repo = createReportsRepo(app.db.kysely);
    let videoSource: VideoSectionSource | null = null;
    const service = createReportsService({
      repo,
      sessions: app.sessions,
      understanding: app.understanding,
      questions: () => app.questions,
      params: { ...DEFAULT_ANALYSIS_PARAMS, minSegmentSec: config.REPORT_MIN_SEGMENT_SEC },
      // each mode's own section (sections/): discussion speakers, video cohorts
      sections: [turnsSection(() => app.turns), videoSection(() => videoSource)],
    });
    const job = createReportJob({
      repo,
      service,
      instanceId: app.instanceId,
      log: app.logger,
      delayMs: config.REPORT_DELAY_MS,
      maxAttempts: config.REPORT_MAX_ATTEMPTS,
      retryBaseMs: config.REPORT_RETRY_BASE_MS,
      // the last seconds of an ended session may still be queued on this instance
      flush: () => app.hub.flush(),
    });
    app.decorate('reports', {
      service,
      job,
      repo,
      setVideoSource: (source: VideoSectionSource) => void (videoSource = source),
    });
    app.events.on('session.ended', async ({ sessionId }) => job.sessionEnded(sessionId));
    app.jobs.register({
      name: 'report-sweep',
      everyMs: config.REPORT_SWEEP_SEC * 1000,
      leaseMs: 10 * 60_000,
      run: async () => `reports: ${await job.sweep()} made for ended sessions without one`,
    });
    registerReportRoutes(app, service);
    app.addHook('onClose', async () => job.close());
  },
);
