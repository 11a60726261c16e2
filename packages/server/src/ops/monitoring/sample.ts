import type { OpsCurrent } from '@rstream/protocol';

/**
 * One reading of everything the dashboard and the in-process alert rules look at. Taken every
 * 15 s per instance; `raw` holds cumulative counters so windows (5 min, 15 min) can be derived
 * by subtracting an older sample.
 */
export interface OpsSample extends OpsCurrent {
  /** live-path state for the in-process rules, not shown on the dashboard (absent in older samples) */
  live?: {
    /** rows waiting in memory for the database (rstream_persist_backlog_rows) */
    persistBacklogRows: number;
  };
  raw: {
    httpCount: number;
    http5xx: number;
    httpBuckets: number[];
    dbCount: number;
    dbBuckets: number[];
    dbSlow: number;
    wsIn: number;
    wsOut: number;
    netRx: number;
    netTx: number;
    cacheHits: number;
    cacheMisses: number;
  };
}

export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5];
export const DB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
export const MIN_REQUESTS_FOR_RATIO = 20;

/** The sample at the start of a window ending at the last sample (or the oldest one kept). */
export function sampleAgo(history: readonly OpsSample[], ms: number): OpsSample | undefined {
  const last = history[history.length - 1];
  if (!last) return undefined;
  for (const s of history) if (s.t >= last.t - ms) return s;
  return history[0];
}

/** Samples within the last `ms` (inclusive of the latest). */
export function within(history: readonly OpsSample[], ms: number): OpsSample[] {
  const last = history[history.length - 1];
  if (!last) return [];
  return history.filter((s) => s.t >= last.t - ms);
}

/** histogram_quantile over cumulative bucket counts (le ascending, +Inf excluded). */
export function quantile(q: number, bounds: number[], cumulative: number[], total: number): number | null {
  if (total <= 0) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (let i = 0; i < bounds.length; i++) {
    const c = cumulative[i] ?? 0;
    if (c >= rank) {
      const inBucket = c - prevCount;
      return inBucket > 0
        ? prevBound + ((bounds[i]! - prevBound) * (rank - prevCount)) / inBucket
        : bounds[i]!;
    }
    prevBound = bounds[i]!;
    prevCount = c;
  }
  return bounds[bounds.length - 1]!; // above the last bucket: report its bound, like Prometheus
}

/** Least-squares slope of value over time, per second. */
export function slopePerSec(points: { t: number; v: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const t0 = points[0]!.t;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (const p of points) {
    const x = (p.t - t0) / 1000;
    sx += x;
    sy += p.v;
    sxx += x * x;
    sxy += x * p.v;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? null : (n * sxy - sx * sy) / d;
}

export const rate = (cur: number, prev: number | undefined, dtMs: number) =>
  prev === undefined || dtMs <= 0 ? null : Math.max(0, cur - prev) / (dtMs / 1000);

/** A sample with nothing happening, to build on (tests, synthetic histories). */
export function emptySample(t: number, instance = 'test'): OpsSample {
  return {
    t,
    instance,
    uptimeSec: 60,
    system: {
      cpuRatio: 0.1,
      load1: 0.1,
      memTotalBytes: 8e9,
      memAvailableBytes: 4e9,
      rssBytes: 100e6,
      heapUsedBytes: 50e6,
      eventLoopLagP99Sec: 0.01,
      disks: [],
      netRxBytesPerSec: 0,
      netTxBytesPerSec: 0,
    },
    app: {
      requestsPerSec: 0,
      errorRatio: null,
      requests5m: 0,
      p95Sec: null,
      wsConnections: 0,
      wsInPerSec: 0,
      wsOutPerSec: 0,
      participants: 0,
      activeSpeakers: 0,
      liveSessions: 0,
      tickLagP95Sec: null,
    },
    db: {
      up: true,
      error: null,
      queryP95Sec: null,
      queriesPerSec: 0,
      pool: null,
      deadlocksTotal: 0,
      replicationLagMaxSec: null,
    },
    cache: null,
    backup: { lastSuccessSec: t / 1000 - 3600 },
    raw: {
      httpCount: 0,
      http5xx: 0,
      httpBuckets: [],
      dbCount: 0,
      dbBuckets: [],
      dbSlow: 0,
      wsIn: 0,
      wsOut: 0,
      netRx: 0,
      netTx: 0,
      cacheHits: 0,
      cacheMisses: 0,
    },
  };
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | T[K] : T[K];
};
/** emptySample with some fields changed: `sampleWith(t, { app: { errorRatio: 0.2 } })`. */
export function sampleWith(t: number, patch: DeepPartial<OpsSample>, instance = 'test'): OpsSample {
  const base = emptySample(t, instance); // a fresh object: patched in place
  for (const [k, v] of Object.entries(patch)) {
    const cur: unknown = Reflect.get(base, k);
    if (isRecord(v) && isRecord(cur)) Object.assign(cur, v);
    else Object.assign(base, { [k]: v });
  }
  return base;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
