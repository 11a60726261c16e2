import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EventPort } from './events.js';
import type { Bus } from './bus.js';
import type { Db } from './db.js';
import type { Jobs } from './jobs.js';
import type { Locks } from './locks.js';
import type { LogStreams } from './log-types.js';
import type { Metrics } from './metrics.js';
import type { Platform } from './platform.js';
import type { OwnedFiles } from './owned-files.js';
import type { Storage } from './storage.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    bus: Bus;
    locks: Locks;
    instanceId: string;
    /** several processes share the sessions (Redis bus or cluster workers) */
    distributed: boolean;
    storage: Storage;
    /** deletes the stored files a session or account owns (platform/owned-files.ts) */
    ownedFiles: OwnedFiles;
    metrics: Metrics;
    /** the same pino logger as `log`, typed as pino's Logger for services */
    logger: Logger;
    logs: LogStreams;
    events: EventPort;
    jobs: Jobs;
  }
}

/**
 * The platform services as decorators, so every feature plugin reaches them typed
 * (`app.db.kysely`, `app.events.on(…)`, `app.jobs.register(…)`). Timed jobs start when the app
 * is ready and stop when it closes.
 */
export const platformPlugin = fp<{ platform: Platform }>(
  async (app, { platform: p }) => {
    app.decorate('config', p.config);
    app.decorate('db', p.db);
    app.decorate('bus', p.bus);
    app.decorate('locks', p.locks);
    app.decorate('instanceId', p.instanceId);
    app.decorate('distributed', p.distributed);
    app.decorate('storage', p.storage);
    app.decorate('ownedFiles', p.ownedFiles);
    app.decorate('metrics', p.metrics);
    app.decorate('logger', p.log);
    app.decorate('logs', p.logs);
    app.decorate('events', p.events);
    app.decorate('jobs', p.jobs);
    app.addHook('onReady', async () => p.jobs.start());
    app.addHook('preClose', async () => p.jobs.stop());
  },
  { name: 'platform', fastify: '5.x' },
);
