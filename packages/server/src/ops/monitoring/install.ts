import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { REPO_ROOT, type Config } from '../../config.js';
import type { Guards } from '../../http/caller.js';
import type { Bus } from '../../platform/bus.js';
import type { Db } from '../../platform/db.js';
import type { Locks } from '../../platform/locks.js';
import type { Metrics } from '../../platform/metrics.js';
import type { Gateway } from '../../realtime/gateway.js';
import type { Hub } from '../../realtime/hub.js';
import { createAlertsRepo } from '../alerts/alerts-repo.js';
import { registerAlertmanagerRelay } from '../alerts/alertmanager-relay.js';
import { createAlertsService, type AlertsService } from '../alerts/alerts-service.js';
import { channelsFromConfig, createNotifier, parseRoutes } from '../alerts/notifiers.js';
import { createInstanceRegistry } from './cluster.js';
import { registerCollectors } from './collectors.js';
import { registerOpsRoutes } from './ops-routes.js';
import { createCacheReader, createDbReader, createSystemReader } from './readers.js';
import type { OpsSample } from './sample.js';
import { createSampler, type Sampler } from './sampler.js';
import { createSlowQueryLog } from './slow-queries.js';

export interface OpsDeps {
  fastify: FastifyInstance;
  config: Config;
  db: Db;
  bus: Bus;
  locks: Locks;
  instanceId: string;
  hub: Hub;
  gateway: Gateway;
  metrics: Metrics;
  guards: Guards;
  log: Logger;
}

export interface Ops {
  instanceId: string;
  /** Raise/resolve ad-hoc alerts: `app.ops.alerts.raise({name, severity, level, summary, labels})`. */
  alerts: AlertsService;
  sampler: Sampler;
  /** One sampling + (when leading) evaluation round, as the timer runs it. */
  runOnce(): Promise<void>;
  close(): Promise<void>;
}

const ACTIVE_SPEAKER_MS = 5 * 60_000;
export const LEADER_LOCK = 'ops:alerts-leader';
const version = (() => {
  try {
    return (
      (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string })
        .version ?? 'unknown'
    );
  } catch {
    return 'unknown';
  }
})();

/** Metrics collectors, the 15-second sampler, in-process alert rules and the admin routes. */
export function installOps(deps: OpsDeps): Ops {
  const { config, db, bus, hub, gateway, metrics, log, locks, instanceId } = deps;
  const loose = config as Config & Partial<{ LOG_DIR: string; LOG_SLOW_QUERY_MS: number }>;
  const logDir = loose.LOG_DIR ? path.resolve(loose.LOG_DIR) : path.join(config.DATA_DIR, 'logs');
  const volumes = [
    { volume: 'data', path: config.DATA_DIR },
    ...(config.STORAGE_DIR.startsWith(config.DATA_DIR + path.sep)
      ? []
      : [{ volume: 'storage', path: config.STORAGE_DIR }]),
    ...(existsSync(logDir) ? [{ volume: 'logs', path: logDir }] : []),
  ];
  const readSystem = createSystemReader(volumes);
  const readDb = createDbReader(db);
  const readCache = createCacheReader(bus.redis);
  const slowLog = createSlowQueryLog();

  // who is live: read at scrape/sample time from the hub and the gateway
  const speakersSeen = new Map<string, number>();
  const live = () => {
    const now = Date.now();
    let participants = 0;
    for (const room of hub.rooms.values()) {
      participants += room.listeners.size;
      for (const c of room.speakers) speakersSeen.set(c.participantId ?? `host:${room.row.host_id}`, now);
    }
    for (const [k, t] of speakersSeen) if (now - t > ACTIVE_SPEAKER_MS) speakersSeen.delete(k);
    return {
      wsConnections: gateway.connectionCount(),
      participants,
      activeSpeakers: speakersSeen.size,
      liveSessions: hub.rooms.size,
      wsIn: hub.stats.messagesIn,
      wsOut: hub.stats.framesSent,
    };
  };
  const sampler = createSampler({ instance: instanceId, metrics, readSystem, readDb, readCache, live });
  Object.assign(metrics.sources, {
    wsConnections: () => live().wsConnections,
    liveSessions: () => hub.rooms.size,
    participantsConnected: () => live().participants,
    activeSpeakers: () => live().activeSpeakers,
    framesSent: () => hub.stats.framesSent,
    httpErrorRatio: () => sampler.errorRatio(),
  });
  const removeCollectors = registerCollectors({
    metrics,
    db,
    readSystem,
    readDb,
    readCache,
    slowQueryMs: loose.LOG_SLOW_QUERY_MS ?? 250,
    instance: { id: instanceId, version, db: db.kind, bus: bus.kind },
    onSlowQuery: (q) => slowLog.add(q),
  });

  const repo = createAlertsRepo(db.kysely as never);
  const notifier = createNotifier({
    channels: channelsFromConfig(config, log),
    routes: parseRoutes(config.ALERT_ROUTES),
    retries: config.ALERT_NOTIFY_RETRIES,
    backoffMs: config.ALERT_NOTIFY_BACKOFF_MS,
    log,
  });
  const dashboardUrl = config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/+$/, '')}/admin/ops` : null;
  const alerts = createAlertsService({
    repo,
    notifier,
    log,
    dashboardUrl,
    runbookBaseUrl: config.ALERT_RUNBOOK_BASE_URL,
    repeatIntervalMs: config.ALERT_REPEAT_INTERVAL_MIN * 60_000,
    adhocResolveMs: config.ALERT_ADHOC_RESOLVE_MIN * 60_000,
  });

  const intervalMs = config.ALERT_EVAL_INTERVAL_SEC * 1000;
  const lockTtlMs = intervalMs * 3;
  const instances = createInstanceRegistry(
    bus.redis,
    {
      id: instanceId,
      hostname: os.hostname(),
      pid: process.pid,
      version,
      startedAt: new Date().toISOString(),
      db: db.kind,
      bus: bus.kind,
    },
    intervalMs * 4,
  );
  // the leader's view of the other instances' recent samples
  const remote = new Map<string, OpsSample[]>();

  async function round(): Promise<void> {
    const sample = await sampler.take();
    // in-process rules run on one instance: whoever holds the lease (renewed every round)
    const leader = config.ALERTS_ENABLED
      ? await locks.acquire(LEADER_LOCK, instanceId, lockTtlMs).catch(() => false)
      : false;
    await instances.publish(sample, leader);
    if (!leader) return;
    const histories = new Map<string, readonly OpsSample[]>([[instanceId, sampler.history]]);
    if (bus.redis) {
      const seen = new Set<string>([instanceId]);
      for (const rec of await instances.list()) {
        if (rec.id === instanceId || !rec.sample) continue;
        seen.add(rec.id);
        const h = remote.get(rec.id) ?? [];
        if (h[h.length - 1]?.t !== rec.sample.t) h.push(rec.sample);
        while (h.length && h[0]!.t < sample.t - 60 * 60_000) h.shift();
        remote.set(rec.id, h);
        histories.set(rec.id, h);
      }
      for (const id of remote.keys()) if (!seen.has(id)) remote.delete(id);
    }
    await alerts.evaluate(histories, instanceId);
  }

  let running: Promise<void> | null = null;
  const runOnce = () => {
    running ??= round()
      .catch((err) => log.error({ err }, 'monitoring round failed'))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  void runOnce();

  registerOpsRoutes(deps.fastify, {
    guards: deps.guards,
    db,
    history: () => sampler.history,
    instances,
    instanceId,
    alerts,
    repo,
    notifier,
    slowLog,
    runbookBaseUrl: config.ALERT_RUNBOOK_BASE_URL,
    intervalSec: config.ALERT_EVAL_INTERVAL_SEC,
  });
  registerAlertmanagerRelay(deps.fastify, {
    token: config.ALERTMANAGER_WEBHOOK_TOKEN,
    notifier,
    dashboardUrl,
  });

  return {
    instanceId,
    alerts,
    sampler,
    runOnce,
    async close() {
      clearInterval(timer);
      await running;
      await alerts.idle();
      await locks.release(LEADER_LOCK, instanceId).catch(() => {});
      await instances.remove();
      removeCollectors();
      sampler.stop();
      notifier.close();
    },
  };
}
