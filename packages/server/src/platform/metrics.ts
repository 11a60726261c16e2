import client from 'prom-client';

/**
 * Live values the registry reads at scrape time. Whoever owns the value (the realtime hub,
 * the monitoring sampler) plugs a function in; unset sources keep the last value set.
 */
export interface MetricSources {
  wsConnections?: () => number;
  liveSessions?: () => number;
  participantsConnected?: () => number;
  activeSpeakers?: () => number;
  /** cumulative frames written by the tick (Hub.stats.framesSent) */
  framesSent?: () => number;
  /** 5xx share of HTTP requests over the last 5 minutes (null: no traffic) */
  httpErrorRatio?: () => number | null;
}

const OPERATION_RE = /^\s*(?:with\b[\s\S]*?\)\s*)?(select|insert|update|delete)\b/i;
/** select/insert/update/delete/other: a bounded label for query metrics. */
export function queryOperation(sqlText: string): string {
  return OPERATION_RE.exec(sqlText)?.[1]?.toLowerCase() ?? 'other';
}

/** The process's Prometheus registry and the metrics the core records. */
export function createMetrics() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app: 'rstream' });
  client.collectDefaultMetrics({ register: registry, prefix: 'rstream_' });
  const sources: MetricSources = {};

  const httpDuration = new client.Histogram({
    name: 'rstream_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
    registers: [registry],
  });
  // Derived from the histogram at scrape time, so every response is counted exactly once.
  const errorsSeen = new Map<string, number>();
  const httpErrors = new client.Counter({
    name: 'rstream_http_errors_total',
    help: 'HTTP responses with a 5xx status, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
    async collect() {
      for (const v of (await httpDuration.get()).values) {
        if (!v.metricName?.endsWith('_count')) continue;
        const status = String(v.labels.status ?? '');
        if (!status.startsWith('5')) continue;
        const route = String(v.labels.route ?? 'unmatched');
        const key = `${v.labels.method} ${route} ${status}`;
        const delta = v.value - (errorsSeen.get(key) ?? 0);
        errorsSeen.set(key, v.value);
        if (delta > 0) this.inc({ route, status }, delta);
        else this.inc({ route, status }, 0);
      }
    },
  });
  const httpErrorRatio = new client.Gauge({
    name: 'rstream_http_error_ratio',
    help: 'Share of HTTP requests answered with 5xx over the last 5 minutes (this instance)',
    registers: [registry],
    collect() {
      const r = sources.httpErrorRatio?.();
      if (r !== undefined && r !== null) this.set(r);
    },
  });
  const gaugeFrom = (name: string, help: string, source: keyof MetricSources) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const f = sources[source] as (() => number) | undefined;
        if (f) this.set(f());
      },
    });
  const wsConnections = gaugeFrom('rstream_ws_connections', 'Open WebSocket connections', 'wsConnections');
  const liveRooms = gaugeFrom('rstream_live_sessions', 'Sessions loaded in memory', 'liveSessions');
  const participantsConnected = gaugeFrom(
    'rstream_participants_connected',
    'Connected listeners',
    'participantsConnected',
  );
  const activeSpeakers = gaugeFrom(
    'rstream_active_speakers',
    'Speakers (hosts and presenters) connected at some point in the last 5 minutes',
    'activeSpeakers',
  );
  const wsMessagesIn = new client.Counter({
    name: 'rstream_ws_messages_in_total',
    help: 'WebSocket messages received from clients',
    registers: [registry],
  });
  // Each counter follows Hub.stats.framesSent on its own, at scrape time.
  const followFrames = () => {
    let counted = 0;
    return function (this: client.Counter) {
      const sent = sources.framesSent?.();
      if (sent === undefined) return;
      if (sent > counted) this.inc(sent - counted);
      counted = sent;
    };
  };
  const wsFramesOut = new client.Counter({
    name: 'rstream_ws_frames_out_total',
    help: 'WebSocket frames written to clients by the tick',
    registers: [registry],
    collect: followFrames(),
  });
  const wsMessagesOut = new client.Counter({
    name: 'rstream_ws_messages_out_total',
    help: 'WebSocket messages sent to clients (the tick fan-out; pairs with rstream_ws_messages_in_total)',
    registers: [registry],
    collect: followFrames(),
  });
  const tickDuration = new client.Histogram({
    name: 'rstream_tick_duration_seconds',
    help: 'Time one real-time tick takes (tally, serialise, write to sockets)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  const tickLag = new client.Histogram({
    name: 'rstream_tick_lag_seconds',
    help: 'How late a tick started against its schedule',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const dbQueryDuration = new client.Histogram({
    name: 'rstream_db_query_duration_seconds',
    help: 'Database query duration by operation',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const dbQueryErrors = new client.Counter({
    name: 'rstream_db_query_errors_total',
    help: 'Database queries that failed',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const dbSlowQueries = new client.Counter({
    name: 'rstream_db_slow_queries_total',
    help: 'Database queries slower than DB_SLOW_QUERY_MS',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  return {
    registry,
    sources,
    httpDuration,
    httpErrors,
    httpErrorRatio,
    wsConnections,
    wsMessagesIn,
    wsFramesOut,
    wsMessagesOut,
    tickDuration,
    tickLag,
    liveRooms,
    participantsConnected,
    activeSpeakers,
    dbQueryDuration,
    dbQueryErrors,
    dbSlowQueries,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
