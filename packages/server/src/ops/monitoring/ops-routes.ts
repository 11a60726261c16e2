import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { forbidden, notFound } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import type { Db } from '../../platform/db.js';
import type { AlertRow, AlertsRepo } from '../alerts/alerts-repo.js';
import type { AlertsService } from '../alerts/alerts-service.js';
import type { Notifier } from '../alerts/notifiers.js';
import type { InstanceRegistry } from './cluster.js';
import type { OpsSample } from './sample.js';
import { readStatementStats, type createSlowQueryLog } from './slow-queries.js';

export interface OpsRouteDeps {
  guards: Guards;
  db: Db;
  history: () => readonly OpsSample[];
  instances: InstanceRegistry;
  instanceId: string;
  alerts: AlertsService;
  repo: AlertsRepo;
  notifier: Notifier;
  slowLog: ReturnType<typeof createSlowQueryLog>;
  runbookBaseUrl: string;
  intervalSec: number;
}

/** The time series the dashboard draws, one array per metric, aligned on `t` (ms). */
export function toSeries(history: readonly OpsSample[]) {
  const pick = (f: (s: OpsSample) => number | null | undefined) => history.map((s) => f(s) ?? null);
  return {
    t: history.map((s) => s.t),
    cpuRatio: pick((s) => s.system.cpuRatio),
    memUsedRatio: pick((s) =>
      s.system.memTotalBytes ? 1 - s.system.memAvailableBytes / s.system.memTotalBytes : null,
    ),
    rssBytes: pick((s) => s.system.rssBytes),
    heapUsedBytes: pick((s) => s.system.heapUsedBytes),
    diskUsedRatioMax: pick((s) =>
      s.system.disks.length ? Math.max(...s.system.disks.map((d) => d.usedRatio)) : null,
    ),
    netRxBytesPerSec: pick((s) => s.system.netRxBytesPerSec),
    netTxBytesPerSec: pick((s) => s.system.netTxBytesPerSec),
    eventLoopLagP99Sec: pick((s) => s.system.eventLoopLagP99Sec),
    requestsPerSec: pick((s) => s.app.requestsPerSec),
    errorRatio: pick((s) => s.app.errorRatio),
    p95Sec: pick((s) => s.app.p95Sec),
    wsConnections: pick((s) => s.app.wsConnections),
    participants: pick((s) => s.app.participants),
    activeSpeakers: pick((s) => s.app.activeSpeakers),
    wsInPerSec: pick((s) => s.app.wsInPerSec),
    wsOutPerSec: pick((s) => s.app.wsOutPerSec),
    tickLagP95Sec: pick((s) => s.app.tickLagP95Sec),
    dbQueryP95Sec: pick((s) => s.db.queryP95Sec),
    dbQueriesPerSec: pick((s) => s.db.queriesPerSec),
    dbPoolTotal: pick((s) => s.db.pool?.total),
    dbPoolIdle: pick((s) => s.db.pool?.idle),
    dbPoolWaiting: pick((s) => s.db.pool?.waiting),
    replicationLagSec: pick((s) => s.db.replicationLagMaxSec),
    cacheHitRatio: pick((s) => s.cache?.hitRatio),
    cacheMemoryBytes: pick((s) => s.cache?.usedMemoryBytes),
  };
}

const silenceBody = z.object({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const FP_RE = /^[0-9a-f]{16}$/;
const tags = ['ops'];
const fpParams = z.object({ fingerprint: z.string().describe('the alert’s fingerprint (16 hex digits)') });
const alertSchema = z.looseObject({
  fingerprint: z.string(),
  name: z.string(),
  severity: z.string(),
  status: z.enum(['firing', 'resolved']),
  startedAt: z.string(),
  silencedUntil: z.string().nullable(),
  runbookUrl: z.string(),
});
// The dashboard's types live in the protocol (ops.ts); these schemas name the top level of each answer.
const overviewSchema = z.looseObject({
  instance: z.string(),
  intervalSec: z.number(),
  now: z.string(),
  current: z.unknown(),
  series: z.record(z.string(), z.unknown()),
  channels: z.unknown(),
});
const alertListSchema = z.object({
  firing: z.array(alertSchema),
  recent: z.array(alertSchema.extend({ notifications: z.array(z.record(z.string(), z.unknown())) })),
  silences: z.array(z.object({ fingerprint: z.string(), until: z.string() })),
});
const slowQueriesSchema = z.looseObject({ recent: z.array(z.unknown()) });
const instancesSchema = z.looseObject({ instances: z.array(z.record(z.string(), z.unknown())) });

export function registerOpsRoutes(app: FeatureApp, deps: OpsRouteDeps) {
  async function requireAdmin(req: FastifyRequest) {
    const claims = await deps.guards.requireUser(req);
    if (claims.role !== 'admin') throw forbidden('Only administrators can see the operations dashboard.');
    return claims;
  }
  const toAlert = (r: AlertRow, silences: Map<string, Date>) => ({
    fingerprint: r.fingerprint,
    name: r.name,
    source: r.source,
    severity: r.severity,
    level: r.level,
    summary: r.summary,
    labels: r.labels,
    value: r.value,
    status: r.status,
    startedAt: new Date(r.started_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
    lastNotifiedAt: r.last_notified_at ? new Date(r.last_notified_at).toISOString() : null,
    notifyCount: r.notify_count,
    ackedAt: r.acked_at ? new Date(r.acked_at).toISOString() : null,
    ackedBy: r.acked_by,
    silencedUntil: silences.get(r.fingerprint)?.toISOString() ?? null,
    runbook: `docs/runbooks/${r.runbook}.md`,
    runbookUrl: `${deps.runbookBaseUrl}${r.runbook}.md`,
  });

  app.get(
    '/api/admin/ops/overview',
    {
      schema: {
        tags,
        summary: 'The operations dashboard: current sample and series',
        response: { 200: overviewSchema },
      },
    },
    async (req) => {
      await requireAdmin(req);
      const history = deps.history();
      const latest = history[history.length - 1] ?? null;
      return {
        instance: deps.instanceId,
        intervalSec: deps.intervalSec,
        now: new Date().toISOString(),
        current: latest && { ...latest, raw: undefined },
        series: toSeries(history),
        channels: { configured: deps.notifier.configured, routes: deps.notifier.routes },
      };
    },
  );

  app.get(
    '/api/admin/alerts',
    {
      schema: {
        tags,
        summary: 'Firing and recent alerts, their deliveries, active silences',
        querystring: listQuery,
        response: { 200: alertListSchema },
      },
    },
    async (req) => {
      await requireAdmin(req);
      const { limit } = req.query;
      const [firing, recent, silences] = await Promise.all([
        deps.repo.firing(),
        deps.repo.recent(limit),
        deps.repo.activeSilences(new Date()),
      ]);
      const deliveries = await deps.repo.deliveries(recent.map((r) => r.id));
      return {
        firing: firing.map((r) => toAlert(r, silences)),
        recent: recent.map((r) => ({
          ...toAlert(r, silences),
          notifications: deliveries
            .filter((d) => d.alert_id === r.id)
            .map((d) => ({
              channel: d.channel,
              kind: d.kind,
              ok: d.ok,
              attempts: d.attempts,
              error: d.error,
              at: new Date(d.at).toISOString(),
            })),
        })),
        silences: [...silences].map(([fingerprint, until]) => ({ fingerprint, until: until.toISOString() })),
      };
    },
  );

  app.post(
    '/api/admin/alerts/:fingerprint/ack',
    {
      schema: {
        tags,
        summary: 'Acknowledge a firing alert',
        params: fpParams,
        response: { 200: z.object({ fingerprint: z.string(), ackedAt: z.string() }) },
      },
    },
    async (req) => {
      const claims = await requireAdmin(req);
      if (!FP_RE.test(req.params.fingerprint)) throw notFound('No firing alert with this fingerprint.');
      const row = await deps.alerts.ack(req.params.fingerprint, claims.userId);
      if (!row) throw notFound('No firing alert with this fingerprint.');
      return { fingerprint: row.fingerprint, ackedAt: new Date(row.acked_at!).toISOString() };
    },
  );

  app.post(
    '/api/admin/alerts/:fingerprint/silence',
    {
      schema: {
        tags,
        summary: 'Silence an alert’s notifications for a while',
        params: fpParams,
        body: silenceBody,
        response: { 200: z.object({ fingerprint: z.string(), silencedUntil: z.string() }) },
      },
    },
    async (req) => {
      const claims = await requireAdmin(req);
      const { minutes } = req.body;
      if (
        !FP_RE.test(req.params.fingerprint) ||
        !(await deps.repo.latestByFingerprint(req.params.fingerprint))
      ) {
        throw notFound('No alert with this fingerprint.');
      }
      const until = await deps.alerts.silence(req.params.fingerprint, minutes, claims.userId);
      return { fingerprint: req.params.fingerprint, silencedUntil: until.toISOString() };
    },
  );

  app.get(
    '/api/admin/ops/slow-queries',
    {
      schema: {
        tags,
        summary: 'pg_stat_statements (when installed) and the slow queries seen here',
        response: { 200: slowQueriesSchema },
      },
    },
    async (req) => {
      await requireAdmin(req);
      const stats = await readStatementStats(deps.db);
      return { ...stats, recent: deps.slowLog.list() };
    },
  );

  app.get(
    '/api/admin/instances',
    {
      schema: {
        tags,
        summary: 'The instances and which one leads the alert rules',
        response: { 200: instancesSchema },
      },
    },
    async (req) => {
      await requireAdmin(req);
      const list = await deps.instances.list();
      return {
        instances: list.map(({ sample, ...info }) => ({
          ...info,
          lastSeenAt: sample ? new Date(sample.t).toISOString() : null,
          uptimeSec: sample?.uptimeSec ?? null,
          cpuRatio: sample?.system.cpuRatio ?? null,
          rssBytes: sample?.system.rssBytes ?? null,
          wsConnections: sample?.app.wsConnections ?? null,
          requestsPerSec: sample?.app.requestsPerSec ?? null,
          errorRatio: sample?.app.errorRatio ?? null,
          dbUp: sample?.db.up ?? null,
        })),
      };
    },
  );
}
