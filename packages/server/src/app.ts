import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { adminFeature } from './features/admin/admin-plugin.js';
import { auditFeature } from './features/audit/audit-plugin.js';
import { authFeature } from './features/auth/auth-plugin.js';
import { materialsFeature } from './features/materials/materials-plugin.js';
import { invitationsFeature } from './features/invitations/invitations-plugin.js';
import { archiveFeature } from './features/archive/archive-plugin.js';
import type { ArchiveService } from './features/archive/archive-service.js';
import { questionsFeature, type QuestionsOptions } from './features/questions/questions-plugin.js';
import { reportsFeature, type Reports } from './features/reports/reports-plugin.js';
import { recordingsFeature, type RecordingsFeature } from './features/recordings/recordings-plugin.js';
import { sessionsFeature } from './features/sessions/sessions-plugin.js';
import { turnsFeature } from './features/turns/turns-plugin.js';
import { understandingFeature } from './features/understanding/understanding-plugin.js';
import { videosFeature } from './features/videos/videos-plugin.js';
import { trustProxySetting } from './http/client-ip.js';
import { httpPlugin } from './http/http-plugin.js';
import { frameworkErrors } from './http/security-headers.js';
import { systemRoutes } from './http/system-routes.js';
import { registerWebApp } from './http/web-app.js';
import { logOpsPlugin, opsPlugin } from './ops/ops-plugin.js';
import { securityAuditPlugin } from './ops/audit/index.js';
import type { SecurityAudit } from './ops/audit/audit-service.js';
import type { DataRetentionResult } from './ops/audit/data-retention.js';
import type { OwnedFiles } from './platform/owned-files.js';
import type { LogOps } from './ops/logs/index.js';
import type { BackupScheduler } from './ops/backup/scheduler.js';
import type { Ops } from './ops/monitoring/install.js';
import type { EventPort } from './platform/events.js';
import type { Bus } from './platform/bus.js';
import type { Db } from './platform/db.js';
import type { Jobs } from './platform/jobs.js';
import type { Locks } from './platform/locks.js';
import type { LogStreams } from './platform/log-types.js';
import type { Metrics } from './platform/metrics.js';
import { openPlatform } from './platform/platform.js';
import { platformPlugin } from './platform/platform-plugin.js';
import type { Storage } from './platform/storage.js';
import type { Gateway } from './realtime/gateway.js';
import type { Hub } from './realtime/hub.js';
import type { DrainResult } from './realtime/persist-queue.js';
import { realtimePlugin } from './realtime/realtime-plugin.js';

export interface App {
  fastify: FastifyInstance;
  config: Config;
  db: Db;
  bus: Bus;
  /** Leases for once-only work (Redis, the cluster primary, or in-process). */
  locks: Locks;
  /** This process's id among instances (host:pid:random). */
  instanceId: string;
  storage: Storage;
  recordings: RecordingsFeature;
  /** the archive service (list, keep, purge, runRetention) */
  archive: ArchiveService;
  hub: Hub;
  gateway: Gateway;
  metrics: Metrics;
  /** monitoring sampler, alert rules and notifications: `app.ops.alerts.raise({...})` */
  ops: Ops;
  log: Logger;
  /** the access/error/performance/security/app streams and the log detector */
  logs: LogStreams;
  logOps: LogOps;
  /** scheduled database backups (ops/backup) */
  backups: BackupScheduler;
  /** the domain events (session.started, session.ended, …) */
  events: EventPort;
  /** periodic jobs: `app.jobs.runNow('audit-retention')` */
  jobs: Jobs;
  /** session reports: `app.reports.job.runOne(sessionId)` */
  reports: Reports;
  /** the security audit (ops/audit): run, overview, risk acceptances */
  securityAudit: SecurityAudit;
  /** deletes expired archive sessions (with their files) and expired refresh tokens */
  runDataRetention(): Promise<DataRetentionResult>;
  /** the stored files each session/account owns (platform/owned-files.ts) */
  ownedFiles: OwnedFiles;
  /** Listens on config.PORT/HOST (0 = any free port) and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
  /** After close: live rows the shutdown drain could not write, and the spill file keeping them. */
  shutdownResult(): DrainResult;
}

export interface BuildOptions {
  logger?: Logger;
  /** limits that tests and benchmarks raise */
  authRateLimitPerMin?: number;
  joinRateLimitPerMin?: number;
  questions?: QuestionsOptions;
}

/**
 * Everything R-Stream is: the platform, then one plugin per feature, in the order they build on
 * each other (docs/architecture.md, "How to add a feature"). What tests start on port 0.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const platform = await openPlatform(config, { logger: options.logger });
  const fastify: FastifyInstance = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    trustProxy: trustProxySetting(config), // TRUSTED_PROXIES only (http/client-ip.ts)
    bodyLimit: 64 * 1024,
    requestIdHeader: false,
    logController: new LogController({ disableRequestLogging: true }), // the access stream (ops/logs) logs each request once
    genReqId: () => crypto.randomUUID(),
    frameworkErrors,
  });
  await fastify.register(platformPlugin, { platform });
  await fastify.register(logOpsPlugin);
  await fastify.register(httpPlugin, options);
  await fastify.register(systemRoutes);
  await fastify.register(auditFeature);
  await fastify.register(sessionsFeature);
  await fastify.register(understandingFeature);
  await fastify.register(authFeature);
  await fastify.register(realtimePlugin);
  await fastify.register(questionsFeature, options.questions ?? {});
  await fastify.register(reportsFeature);
  await fastify.register(turnsFeature); // discussion turns (issue 16)
  await fastify.register(invitationsFeature);
  await fastify.register(recordingsFeature);
  await fastify.register(materialsFeature); // discussion materials as files (issue 16)
  await fastify.register(videosFeature); // video-watching mode (issue 15)
  await fastify.register(archiveFeature);
  await fastify.register(adminFeature);
  await fastify.register(opsPlugin);
  await fastify.register(securityAuditPlugin); // rstream audit, data retention (issue 17)

  // ---- the web app (pre-compressed, cached by hash: http/web-app.ts) ----------------------
  await registerWebApp(fastify, { dir: config.WEB_DIST_DIR });

  await fastify.ready();

  let closed = false;
  return {
    fastify,
    config,
    db: platform.db,
    bus: platform.bus,
    locks: platform.locks,
    instanceId: platform.instanceId,
    storage: platform.storage,
    metrics: platform.metrics,
    log: platform.log,
    logs: platform.logs,
    events: platform.events,
    jobs: platform.jobs,
    reports: fastify.reports,
    recordings: fastify.recordings,
    archive: fastify.archive,
    hub: fastify.hub,
    gateway: fastify.gateway,
    logOps: fastify.logOps,
    backups: fastify.backups,
    ops: fastify.ops,
    securityAudit: fastify.securityAudit,
    runDataRetention: fastify.runDataRetention,
    ownedFiles: platform.ownedFiles,
    async listen() {
      await fastify.listen({ port: config.PORT, host: config.HOST });
      const addr = fastify.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
      return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    shutdownResult: () => fastify.hub.lastDrain,
    async close() {
      if (closed) return;
      closed = true;
      await fastify.close();
      await platform.close();
    },
  };
}
