import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createEventPort, type EventPort } from './events.js';
import { createMemoryBus, createRedisBus, type Bus } from './bus.js';
import { createIpcBus, createIpcLocks, workerIndex } from './cluster.js';
import { migrateToLatest, openDb, type Db } from './db.js';
import { createJobs, type Jobs } from './jobs.js';
import { createMemoryLocks, createRedisLocks, type Locks } from './locks.js';
import { createLogStreams } from './logger.js';
import { type LogStreams } from './log-types.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createS3Storage } from './storage-s3.js';
import { createOwnedFiles, type OwnedFiles } from './owned-files.js';
import { createLocalStorage, type Storage } from './storage.js';

/** The services every feature may use; opened before Fastify exists, closed after it. */
export interface Platform {
  config: Config;
  db: Db;
  bus: Bus;
  /** Leases for once-only work (Redis, the cluster primary, or in-process). */
  locks: Locks;
  /** This process's id among instances (host:pid:random). */
  instanceId: string;
  /** true when several processes share the sessions (Redis bus or cluster workers) */
  distributed: boolean;
  storage: Storage;
  /** the stored files each session/account owns, deleted with it (issue 17) */
  ownedFiles: OwnedFiles;
  metrics: Metrics;
  /** the app logger (also `fastify.log`) */
  log: Logger;
  /** the access/error/performance/security/app streams */
  logs: LogStreams;
  /** the domain-event port (session.started, session.ended, …) */
  events: EventPort;
  /** the one periodic-jobs mechanism */
  jobs: Jobs;
  close(): Promise<void>;
}

export async function openPlatform(config: Config, options: { logger?: Logger } = {}): Promise<Platform> {
  const logs = createLogStreams(config);
  const log = options.logger ?? logs.app;
  const db = await openDb(config);
  db.queryListeners.add(logs.onQuery);
  await migrateToLatest(db.kysely);
  // Several processes share a session through Redis, or through the cluster primary without it.
  const worker = workerIndex();
  const bus = config.REDIS_URL
    ? await createRedisBus(config.REDIS_URL)
    : worker !== null
      ? createIpcBus()
      : createMemoryBus();
  const locks = bus.redis
    ? createRedisLocks(bus.redis)
    : worker !== null
      ? createIpcLocks()
      : createMemoryLocks();
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const metrics = createMetrics();
  const events = createEventPort(log);
  const jobs = createJobs({ locks, instanceId, log, registry: metrics.registry });
  // one store for every feature: S3, or local files with recordings under RECORDINGS_DIR
  const storage =
    config.STORAGE_BACKEND === 's3'
      ? createS3Storage(config)
      : createLocalStorage(config.STORAGE_DIR, { 'recordings/': config.RECORDINGS_DIR });
  const ownedFiles = createOwnedFiles({ db: db.kysely, storage, config });
  return {
    config,
    db,
    bus,
    locks,
    instanceId,
    distributed: bus.kind === 'redis' || worker !== null,
    storage,
    ownedFiles,
    metrics,
    log,
    logs,
    events,
    jobs,
    async close() {
      await jobs.stop();
      await events.idle();
      await bus.close();
      await db.close();
      logs.close();
    },
  };
}
