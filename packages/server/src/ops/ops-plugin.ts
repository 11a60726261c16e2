import fp from 'fastify-plugin';
import { alertSink, installLogOps, type LogOps } from './logs/index.js';
import { startBackupScheduler, type BackupScheduler } from './backup/scheduler.js';
import { installOps, type Ops } from './monitoring/install.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the log detector and its sinks (ops/logs) */
    logOps: LogOps;
    /** monitoring sampler, alert rules and notifications: `app.ops.alerts.raise({...})` */
    ops: Ops;
    /** scheduled database backups (ops/backup) */
    backups: BackupScheduler;
  }
}

/** Log streams' HTTP hooks and detector: registered first, so every request is logged once. */
export const logOpsPlugin = fp(
  async (app) => {
    const logOps = installLogOps(app, app.logs, app.config);
    app.decorate('logOps', logOps);
    app.addHook('onClose', async () => logOps.close());
  },
  { name: 'log-ops', dependencies: ['platform'], fastify: '5.x' },
);

/** Monitoring (collectors, sampler, alert rules, /api/admin/ops/*) and scheduled backups. */
export const opsPlugin = fp(
  async (app) => {
    const ops = installOps({
      fastify: app,
      config: app.config,
      db: app.db,
      bus: app.bus,
      locks: app.locks,
      instanceId: app.instanceId,
      hub: app.hub,
      gateway: app.gateway,
      metrics: app.metrics,
      guards: app.guards,
      log: app.logger,
    });
    app.decorate('ops', ops);
    app.logOps.addSink(alertSink(ops.alerts, app.logger));
    const backups = startBackupScheduler({
      config: app.config,
      db: app.db,
      locks: app.locks,
      instanceId: app.instanceId,
      metrics: app.metrics,
      log: app.logger,
    });
    app.decorate('backups', backups);
    app.addHook('onClose', async () => {
      await ops.close();
      await backups.stop();
    });
  },
  { name: 'ops', dependencies: ['realtime', 'log-ops', 'auth'], fastify: '5.x' },
);
