import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createAccessTokens } from './features/auth/access-token.js';
import { createSessionsRepo } from './features/sessions/sessions-repo.js';
import { registerSessionRoutes } from './features/sessions/sessions-routes.js';
import { createSessionsService } from './features/sessions/sessions-service.js';
import { createQuestionsFeature } from './features/questions/questions-feature.js';
import { createUnderstandingRepo } from './features/understanding/understanding-repo.js';
import { registerUnderstandingRoutes } from './features/understanding/understanding-routes.js';
import { createUnderstandingService } from './features/understanding/understanding-service.js';
import { createGuards } from './http/caller.js';
import { createSecurity, installSecurity, installSecurityHooks } from './http/security.js';
import { frameworkErrors } from './http/security-headers.js';
import { installErrorHandler } from './http/errors-handler.js';
import { buildOpenApi } from './http/openapi.js';
import { createMemoryBus, createRedisBus, type Bus } from './platform/bus.js';
import { createIpcBus, createIpcLocks, workerIndex } from './platform/cluster.js';
import { createMemoryLocks, createRedisLocks, type Locks } from './platform/locks.js';
import { loadOrCreateSecret, safeEqual } from './platform/crypto.js';
import { migrateToLatest, openDb, pingDb, type Db } from './platform/db.js';
import { createLogStreams, type LogStreams } from './platform/logger.js';
import { alertSink, installLogOps, type LogOps } from './ops/logs/index.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import { createLocalStorage, type Storage } from './platform/storage.js';
// ---- recordings + archive (issue 13) ----
import { createS3Storage } from './platform/storage-s3.js';
import { createRecordingsFeature, type RecordingsFeature } from './features/recordings/recordings-feature.js';
import { createArchiveFeature } from './features/archive/archive-feature.js';
import type { ArchiveService } from './features/archive/archive-service.js';
// ---- end recordings + archive ----
import { startBackupScheduler, type BackupScheduler } from './ops/backup/scheduler.js';
import { createGateway, type Gateway } from './realtime/gateway.js';
import { createMessageRegistry } from './realtime/registry.js';
import { Hub } from './realtime/hub.js';
import { installOps, type Ops } from './ops/monitoring/install.js';

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
  /** Listens on config.PORT/HOST (0 = any free port) and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface BuildOptions {
  logger?: Logger;
  /** limits that tests and benchmarks raise */
  authRateLimitPerMin?: number;
  joinRateLimitPerMin?: number;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms).unref()),
  ]);

/** Everything R-Stream is, wired together; what tests start on port 0. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
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
  const distributed = bus.kind === 'redis' || worker !== null;
  const storage =
    config.STORAGE_BACKEND === 's3'
      ? createS3Storage(config)
      : createLocalStorage(config.STORAGE_DIR, { 'recordings/': config.RECORDINGS_DIR });
  const metrics = createMetrics();
  const backups = startBackupScheduler({ config, db, locks, instanceId, metrics, log });

  const tokens = createAccessTokens(
    loadOrCreateSecret(config.DATA_DIR, 'jwt-secret', config.JWT_SECRET),
    config.ACCESS_TOKEN_TTL_SEC,
  );
  const security = createSecurity({ config, db, bus, log, tokens });
  // eslint-disable-next-line prefer-const
  let hub: Hub;
  const sessions = createSessionsService(createSessionsRepo(db.kysely), () => hub);
  const understanding = createUnderstandingService(createUnderstandingRepo(db.kysely));
  hub = new Hub({
    tickMs: config.TICK_MS,
    presenceGraceMs: config.PRESENCE_GRACE_MS,
    log,
    sessions,
    understanding,
    onTick: (duration, lag) => {
      metrics.tickDuration.observe(duration / 1000);
      metrics.tickLag.observe(lag / 1000);
      logs.tick(duration, lag);
    },
    cluster: distributed ? { bus, locks, instanceId } : undefined,
  });
  const guards = createGuards({ tokens, sessions, users: security.auth });

  const fastify: FastifyInstance = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 64 * 1024,
    requestIdHeader: false,
    logController: new LogController({ disableRequestLogging: true }), // the access stream (ops/logs) logs each request once
    genReqId: () => crypto.randomUUID(),
    frameworkErrors,
  });
  installErrorHandler(fastify);
  const logOps = installLogOps(fastify, logs, config);
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await fastify.register(cookie);
  await installSecurityHooks(fastify, security, config);
  await fastify.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'FST_ERR_RATE_LIMIT',
      message: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
    }),
  });

  // ---- routes ----------------------------------------------------------------
  fastify.get('/api/health', async () => ({ status: 'ok' }));
  fastify.get('/api/ready', async (_req, reply) => {
    const checks: Record<string, string> = {};
    const probe = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), 2000, name);
        checks[name] = 'ok';
      } catch (e) {
        checks[name] = (e as Error).message || 'failed';
      }
    };
    await Promise.all([
      probe('db', () => pingDb(db.kysely)),
      probe('bus', () => bus.ping()),
      probe('storage', () => storage.ping()),
    ]);
    const failing = Object.keys(checks).filter((k) => checks[k] !== 'ok');
    if (failing.length > 0) return reply.code(503).send({ status: 'unavailable', checks, failing });
    return { status: 'ready', checks };
  });
  fastify.get('/metrics', async (req, reply) => {
    if (config.METRICS_TOKEN) {
      const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!safeEqual(given, config.METRICS_TOKEN)) {
        return reply
          .code(401)
          .send({ error: { code: 'UNAUTHENTICATED', message: 'Metrics need the bearer token.' } });
      }
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  const openApi = buildOpenApi();
  fastify.get('/api/openapi.json', async () => openApi);

  const authRateLimit = {
    max: options.authRateLimitPerMin ?? config.RATE_LIMIT_AUTH_PER_MIN,
    timeWindow: '1 minute',
  };
  const joinRateLimit = {
    max: options.joinRateLimitPerMin ?? config.RATE_LIMIT_JOIN_PER_MIN,
    timeWindow: '1 minute',
  };
  const securityRoutes = installSecurity(fastify, {
    security,
    guards,
    sessions,
    config,
    log,
    authRateLimit,
    joinRateLimit,
  });
  registerSessionRoutes(fastify, { sessions, guards, config, joinRateLimit });
  registerUnderstandingRoutes(fastify, { guards, hub, understanding, sessions });
  const questions = createQuestionsFeature({ db: db.kysely, hub, log });
  questions.registerRoutes(fastify, guards);
  // ---- recordings + archive (issue 13): becomes a plugin with wiring-v1 ----
  const recordings = await createRecordingsFeature({
    config,
    db: db.kysely,
    hub,
    sessions,
    storage,
    locks,
    distributed,
    instanceId,
    log,
  });
  recordings.registerRoutes(fastify, guards);
  const archive = createArchiveFeature({
    db: db.kysely,
    sessions,
    understanding,
    recordings,
    storage,
    locks,
    instanceId,
    log,
    config,
  });
  archive.registerRoutes(fastify, guards);
  recordings.start();
  archive.start();
  // ---- end recordings + archive ----

  // ---- the web app -------------------------------------------------------------
  const indexFile = path.join(config.WEB_DIST_DIR, 'index.html');
  const hasWeb = existsSync(indexFile);
  if (hasWeb) {
    await fastify.register(fastifyStatic, { root: config.WEB_DIST_DIR, wildcard: false, index: false });
  }
  const indexHtml = hasWeb ? readFileSync(indexFile) : null;
  fastify.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    if (
      req.method !== 'GET' ||
      url.startsWith('/api/') ||
      url.startsWith('/ws/') ||
      url === '/metrics' ||
      path.extname(url)
    ) {
      return reply
        .code(404)
        .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${url}.`, requestId: req.id } });
    }
    if (!indexHtml) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The web app is not built yet: run `npm run build` (npm start does it for you).');
    }
    return reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml);
  });

  // ---- WebSocket -------------------------------------------------------------------
  const wsMessages = createMessageRegistry();
  questions.registerMessages(wsMessages);
  const gateway = createGateway({
    hub,
    sessions,
    tokens,
    log,
    onMessage: () => metrics.wsMessagesIn.inc(),
    messages: wsMessages,
    ...securityRoutes.gatewayHooks(logs.accessLogWs),
  });
  fastify.server.on('upgrade', (req, socket, head) => {
    const ip = config.TRUST_PROXY
      ? String(req.headers['x-forwarded-for'] ?? '')
          .split(',')[0]!
          .trim() ||
        req.socket.remoteAddress ||
        ''
      : req.socket.remoteAddress || '';
    if (!gateway.handleUpgrade(req, socket, head, ip)) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
    }
  });
  const ops = installOps({ fastify, config, db, bus, locks, instanceId, hub, gateway, metrics, guards, log });
  logOps.addSink(alertSink(ops.alerts, log));
  await hub.start();

  let closed = false;
  return {
    fastify,
    config,
    db,
    bus,
    locks,
    instanceId,
    storage,
    recordings,
    archive: archive.service,
    hub,
    gateway,
    metrics,
    log,
    logs,
    logOps,
    backups,
    ops,
    async listen() {
      await fastify.listen({ port: config.PORT, host: config.HOST });
      const addr = fastify.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
      return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await ops.close();
      await questions.close();
      archive.close();
      await recordings.close();
      await hub.stop();
      await gateway.close();
      await fastify.close();
      await securityRoutes.close();
      await backups.stop();
      await bus.close();
      await db.close();
      logOps.close();
      logs.close();
    },
  };
}
