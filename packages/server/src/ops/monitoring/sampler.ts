import { monitorEventLoopDelay } from 'node:perf_hooks';
import type client from 'prom-client';
import type { Metrics } from '../../platform/metrics.js';
import type { CacheReading, DbReading, SystemReading } from './readers.js';
import {
  DB_BUCKETS,
  HTTP_BUCKETS,
  MIN_REQUESTS_FOR_RATIO,
  quantile,
  rate,
  type OpsSample,
} from './sample.js';

const TICK_LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
export const BACKUP_METRIC = 'rstream_backup_last_success_timestamp_seconds';
export const PERSIST_BACKLOG_METRIC = 'rstream_persist_backlog_rows';

export interface SamplerDeps {
  instance: string;
  metrics: Metrics;
  readSystem: () => Promise<SystemReading>;
  readDb: () => Promise<DbReading>;
  readCache: (() => Promise<CacheReading>) | null;
  live: () => {
    wsConnections: number;
    participants: number;
    activeSpeakers: number;
    liveSessions: number;
    wsIn: number;
    wsOut: number;
  };
  /** samples kept (default 240 = 60 min at 15 s) */
  keep?: number;
}

async function histogramTotals(h: client.Histogram, bounds: number[]) {
  const buckets = new Array<number>(bounds.length).fill(0);
  let count = 0;
  let fivexx = 0;
  for (const v of (await h.get()).values) {
    if (v.metricName?.endsWith('_bucket')) {
      const i = bounds.indexOf(Number(v.labels.le));
      if (i >= 0) buckets[i]! += v.value;
    } else if (v.metricName?.endsWith('_count')) {
      count += v.value;
      if (String(v.labels.status ?? '').startsWith('5')) fivexx += v.value;
    }
  }
  return { buckets, count, fivexx };
}

async function counterTotal(c: client.Counter) {
  return (await c.get()).values.reduce((a, v) => a + v.value, 0);
}

/** Reads one OpsSample; keeps the last `keep` in memory for the dashboard and the rules. */
export function createSampler(deps: SamplerDeps) {
  const history: OpsSample[] = [];
  const keep = deps.keep ?? 240;
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  let tickSeen = { count: 0, buckets: [] as number[] };

  async function take(now = Date.now()): Promise<OpsSample> {
    const m = deps.metrics;
    const [sys, dbr, cache, http, dbq, slow, tick] = await Promise.all([
      deps.readSystem().catch(() => null),
      deps
        .readDb()
        .catch(
          (e: Error) =>
            ({ up: false, error: e.message, pool: null, deadlocks: null, replication: null }) as DbReading,
        ),
      deps.readCache ? deps.readCache().catch(() => null) : Promise.resolve(null),
      histogramTotals(m.httpDuration, HTTP_BUCKETS),
      histogramTotals(m.dbQueryDuration, DB_BUCKETS),
      counterTotal(m.dbSlowQueries),
      histogramTotals(m.tickLag, TICK_LAG_BUCKETS),
    ]);
    const live = deps.live();
    const prev = history[history.length - 1];
    const dt = prev ? now - prev.t : 0;
    // the sample that starts the 5-minute window (or the newest one, when all are older)
    const w5 = history.find((h) => h.t >= now - 5 * 60_000) ?? prev;
    const netRx = sys?.net.reduce((a, n) => a + n.rxBytes, 0) ?? 0;
    const netTx = sys?.net.reduce((a, n) => a + n.txBytes, 0) ?? 0;
    const req5 = http.count - (w5?.raw.httpCount ?? 0);
    const err5 = http.fivexx - (w5?.raw.http5xx ?? 0);
    const httpDelta = http.buckets.map((b, i) => b - (w5?.raw.httpBuckets[i] ?? 0));
    const dbDelta = dbq.buckets.map((b, i) => b - (w5?.raw.dbBuckets[i] ?? 0));
    const tickDelta = tick.buckets.map((b, i) => b - (tickSeen.buckets[i] ?? 0));
    const tickLagP95 = quantile(0.95, TICK_LAG_BUCKETS, tickDelta, tick.count - tickSeen.count);
    tickSeen = { count: tick.count, buckets: tick.buckets };
    const backup = m.registry.getSingleMetric(BACKUP_METRIC) as client.Gauge | undefined;
    const backupValues = backup ? (await backup.get()).values.map((v) => v.value).filter((v) => v > 0) : [];
    const backlog = m.registry.getSingleMetric(PERSIST_BACKLOG_METRIC) as client.Gauge | undefined;
    const backlogRows = backlog ? ((await backlog.get()).values[0]?.value ?? 0) : 0;
    const mem = process.memoryUsage();
    const lagP99 = loop.percentile(99) / 1e9;
    loop.reset();
    const cacheOps = cache ? cache.hits + cache.misses : 0;
    const prevCacheOps = prev ? prev.raw.cacheHits + prev.raw.cacheMisses : undefined;
    const w5CacheOps = w5 ? w5.raw.cacheHits + w5.raw.cacheMisses : 0;
    const sample: OpsSample = {
      t: now,
      instance: deps.instance,
      uptimeSec: process.uptime(),
      system: {
        cpuRatio: sys?.cpuRatio ?? null,
        load1: sys?.load1 ?? 0,
        memTotalBytes: sys?.memTotalBytes ?? 0,
        memAvailableBytes: sys?.memAvailableBytes ?? 0,
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        eventLoopLagP99Sec: Number.isFinite(lagP99) ? lagP99 : 0,
        disks: sys?.volumes ?? [],
        netRxBytesPerSec: rate(netRx, prev?.raw.netRx, dt),
        netTxBytesPerSec: rate(netTx, prev?.raw.netTx, dt),
      },
      app: {
        requestsPerSec: rate(http.count, prev?.raw.httpCount, dt),
        errorRatio: req5 >= MIN_REQUESTS_FOR_RATIO ? err5 / req5 : null,
        requests5m: req5,
        p95Sec: quantile(0.95, HTTP_BUCKETS, httpDelta, req5),
        wsConnections: live.wsConnections,
        wsInPerSec: rate(live.wsIn, prev?.raw.wsIn, dt),
        wsOutPerSec: rate(live.wsOut, prev?.raw.wsOut, dt),
        participants: live.participants,
        activeSpeakers: live.activeSpeakers,
        liveSessions: live.liveSessions,
        tickLagP95Sec: tickLagP95,
      },
      live: { persistBacklogRows: backlogRows },
      db: {
        up: dbr.up,
        error: dbr.error,
        queryP95Sec: quantile(0.95, DB_BUCKETS, dbDelta, dbq.count - (w5?.raw.dbCount ?? 0)),
        queriesPerSec: rate(dbq.count, prev?.raw.dbCount, dt),
        pool: dbr.pool,
        deadlocksTotal: dbr.deadlocks,
        replicationLagMaxSec: dbr.replication?.lags.length
          ? Math.max(...dbr.replication.lags.map((l) => l.seconds))
          : null,
      },
      cache: cache
        ? {
            hitRatio:
              cacheOps - w5CacheOps > 0 && w5
                ? (cache.hits - w5.raw.cacheHits) / (cacheOps - w5CacheOps)
                : null,
            usedMemoryBytes: cache.usedMemoryBytes,
            keys: cache.keys,
            keysWithTtl: cache.keysWithTtl,
            opsPerSec: rate(cacheOps, prevCacheOps, dt),
          }
        : null,
      backup: { lastSuccessSec: backupValues.length ? Math.max(...backupValues) : null },
      raw: {
        httpCount: http.count,
        http5xx: http.fivexx,
        httpBuckets: http.buckets,
        dbCount: dbq.count,
        dbBuckets: dbq.buckets,
        dbSlow: slow,
        wsIn: live.wsIn,
        wsOut: live.wsOut,
        netRx,
        netTx,
        cacheHits: cache?.hits ?? 0,
        cacheMisses: cache?.misses ?? 0,
      },
    };
    history.push(sample);
    if (history.length > keep) history.splice(0, history.length - keep);
    return sample;
  }

  return {
    history: history as readonly OpsSample[],
    take,
    latest: () => history[history.length - 1],
    /** 5xx share over the last 5 min, for rstream_http_error_ratio */
    errorRatio: () => history[history.length - 1]?.app.errorRatio ?? null,
    stop: () => loop.disable(),
  };
}
export type Sampler = ReturnType<typeof createSampler>;
