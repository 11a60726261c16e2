import client from 'prom-client';
import type { LogEvent } from 'kysely';
import type { Db } from '../../platform/db.js';
import { queryOperation, type Metrics } from '../../platform/metrics.js';
import type { CacheReading, DbReading, SystemReading } from './readers.js';

/**
 * System, database and cache metrics, read at scrape time through the readers. A reader that
 * fails or times out leaves its series out of that scrape (and counts the failure); it never
 * fails /metrics.
 */
export interface CollectorDeps {
  metrics: Metrics;
  db: Db;
  readSystem: () => Promise<SystemReading>;
  readDb: () => Promise<DbReading>;
  readCache: (() => Promise<CacheReading>) | null;
  slowQueryMs: number;
  instance: { id: string; version: string; db: string; bus: string };
  onSlowQuery?: (q: { sql: string; ms: number; at: number }) => void;
}

export function registerCollectors(deps: CollectorDeps): () => void {
  const registry = deps.metrics.registry;
  const readErrors = new client.Counter({
    name: 'rstream_monitoring_read_errors_total',
    help: 'Metric reads that failed or timed out, by reader',
    labelNames: ['reader'] as const,
    registers: [registry],
  });
  const safe = async <T>(reader: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch {
      readErrors.inc({ reader });
      return null;
    }
  };
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    collect: (g: client.Gauge) => Promise<void>,
  ) =>
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        await collect(this);
      },
    });
  /** A counter that follows an absolute, monotonic reading at scrape time (a reset restarts it). */
  const follower = (
    name: string,
    help: string,
    labelNames: string[],
    read: () => Promise<{ labels: Record<string, string>; value: number }[]>,
  ) => {
    const last = new Map<string, number>();
    return new client.Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        for (const { labels, value } of await read()) {
          const key = JSON.stringify(labels);
          const prev = last.get(key);
          last.set(key, value);
          this.inc(labels, prev === undefined || value < prev ? value : value - prev);
        }
      },
    });
  };

  // ---- system
  gauge(
    'rstream_system_cpu_usage_ratio',
    'Share of all CPUs busy since the previous read (0–1)',
    [],
    async (g) => {
      const s = await safe('system', deps.readSystem);
      if (s?.cpuRatio !== null && s?.cpuRatio !== undefined) g.set(s.cpuRatio);
    },
  );
  gauge('rstream_system_load1', '1-minute load average', [], async (g) => {
    const s = await safe('system', deps.readSystem);
    if (s) g.set(s.load1);
  });
  gauge('rstream_system_memory_total_bytes', 'Memory of the machine', [], async (g) => {
    const s = await safe('system', deps.readSystem);
    if (s) g.set(s.memTotalBytes);
  });
  gauge('rstream_system_memory_available_bytes', 'Memory available to new work', [], async (g) => {
    const s = await safe('system', deps.readSystem);
    if (s) g.set(s.memAvailableBytes);
  });
  const volumeGauge = (name: string, help: string, pick: (v: SystemReading['volumes'][number]) => number) =>
    gauge(name, help, ['volume', 'path'], async (g) => {
      const s = await safe('system', deps.readSystem);
      g.reset();
      for (const v of s?.volumes ?? []) g.set({ volume: v.volume, path: v.path }, pick(v));
    });
  volumeGauge(
    'rstream_disk_total_bytes',
    'Size of the filesystem holding the data/storage/log folder',
    (v) => v.totalBytes,
  );
  volumeGauge(
    'rstream_disk_free_bytes',
    'Free bytes (for unprivileged users) on that filesystem',
    (v) => v.freeBytes,
  );
  volumeGauge(
    'rstream_disk_used_ratio',
    'Used share of that filesystem (0–1, as df computes it)',
    (v) => v.usedRatio,
  );
  const net = async () => (await safe('system', deps.readSystem))?.net ?? [];
  follower(
    'rstream_network_receive_bytes_total',
    'Bytes received by the machine, by interface (/proc/net/dev)',
    ['interface'],
    async () => (await net()).map((n) => ({ labels: { interface: n.iface }, value: n.rxBytes })),
  );
  follower(
    'rstream_network_transmit_bytes_total',
    'Bytes sent by the machine, by interface (/proc/net/dev)',
    ['interface'],
    async () => (await net()).map((n) => ({ labels: { interface: n.iface }, value: n.txBytes })),
  );

  // ---- database
  gauge(
    'rstream_db_up',
    'Whether the database answered `select 1` within 1.5 s (1) or not (0)',
    [],
    async (g) => {
      const d = await safe('db', deps.readDb);
      g.set(d?.up ? 1 : 0);
    },
  );
  if (deps.db.pool) {
    const poolGauge = (name: string, help: string, pick: (p: NonNullable<DbReading['pool']>) => number) =>
      gauge(name, help, [], async (g) => {
        const d = await safe('db', deps.readDb);
        if (d?.pool) g.set(pick(d.pool));
      });
    poolGauge('rstream_db_pool_total', 'Connections open in the pool', (p) => p.total);
    poolGauge('rstream_db_pool_idle', 'Idle connections in the pool', (p) => p.idle);
    poolGauge('rstream_db_pool_waiting', 'Queries waiting for a pool connection', (p) => p.waiting);
    poolGauge('rstream_db_pool_max', 'Pool size limit (DB_POOL_MAX)', (p) => p.max);
  }
  follower(
    'rstream_db_deadlocks_total',
    'Deadlocks detected in this database (pg_stat_database)',
    ['database'],
    async () => {
      const d = await safe('db', deps.readDb);
      return d?.deadlocks === null || d?.deadlocks === undefined
        ? []
        : [{ labels: { database: deps.db.kind }, value: d.deadlocks }];
    },
  );
  gauge(
    'rstream_db_replication_lag_seconds',
    'Replication lag: per replica on a primary, replay delay on a replica',
    ['role', 'replica'],
    async (g) => {
      const d = await safe('db', deps.readDb);
      g.reset();
      for (const l of d?.replication?.lags ?? [])
        g.set({ role: d!.replication!.role, replica: l.replica }, l.seconds);
    },
  );
  const { dbQueryDuration, dbQueryErrors, dbSlowQueries } = deps.metrics;
  const onQuery = (e: LogEvent) => {
    const op = queryOperation(e.query.sql);
    const seconds = e.queryDurationMillis / 1000;
    if (e.level === 'error') dbQueryErrors.inc({ operation: op });
    dbQueryDuration.observe({ operation: op }, seconds);
    if (e.queryDurationMillis >= deps.slowQueryMs) {
      dbSlowQueries.inc({ operation: op });
      deps.onSlowQuery?.({ sql: e.query.sql, ms: e.queryDurationMillis, at: Date.now() });
    }
  };
  deps.db.queryListeners.add(onQuery);

  // ---- cache (Redis, when used)
  const readCache = deps.readCache;
  if (readCache) {
    const fromCache = (pick: (c: CacheReading) => number) => async () => {
      const c = await safe('cache', readCache);
      return c ? [{ labels: {}, value: pick(c) }] : [];
    };
    follower(
      'rstream_cache_hits_total',
      'Redis keyspace hits',
      [],
      fromCache((c) => c.hits),
    );
    follower(
      'rstream_cache_misses_total',
      'Redis keyspace misses',
      [],
      fromCache((c) => c.misses),
    );
    follower(
      'rstream_cache_evicted_keys_total',
      'Keys Redis evicted for memory',
      [],
      fromCache((c) => c.evictedKeys),
    );
    const cacheGauge = (name: string, help: string, pick: (c: CacheReading) => number | null) =>
      gauge(name, help, [], async (g) => {
        const c = await safe('cache', readCache);
        if (!c) return;
        const v = pick(c);
        if (v !== null) g.set(v);
      });
    cacheGauge('rstream_cache_hit_ratio', 'Redis hits / (hits + misses) since Redis started', (c) =>
      c.hits + c.misses > 0 ? c.hits / (c.hits + c.misses) : null,
    );
    cacheGauge('rstream_cache_memory_used_bytes', 'Memory Redis uses', (c) => c.usedMemoryBytes);
    cacheGauge('rstream_cache_keys', 'Keys in Redis', (c) => c.keys);
    cacheGauge(
      'rstream_cache_keys_with_ttl',
      'Keys in Redis that have an expiry (TTL)',
      (c) => c.keysWithTtl,
    );
  }

  // ---- identity
  new client.Gauge({
    name: 'rstream_instance_info',
    help: 'This instance (value 1): id, version, database and bus kind',
    labelNames: ['instance_id', 'version', 'db', 'bus'],
    registers: [registry],
  }).set(
    {
      instance_id: deps.instance.id,
      version: deps.instance.version,
      db: deps.instance.db,
      bus: deps.instance.bus,
    },
    1,
  );

  return () => deps.db.queryListeners.delete(onQuery);
}
