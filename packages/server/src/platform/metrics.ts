import client from 'prom-client';

/** The process's Prometheus registry and the metrics the core records. */
export function createMetrics() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app: 'rstream' });
  client.collectDefaultMetrics({ register: registry, prefix: 'rstream_' });

  const httpDuration = new client.Histogram({
    name: 'rstream_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const wsConnections = new client.Gauge({
    name: 'rstream_ws_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
  });
  const wsMessagesIn = new client.Counter({
    name: 'rstream_ws_messages_in_total',
    help: 'WebSocket messages received from clients',
    registers: [registry],
  });
  const wsFramesOut = new client.Counter({
    name: 'rstream_ws_frames_out_total',
    help: 'WebSocket frames written to clients by the tick',
    registers: [registry],
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
  const liveRooms = new client.Gauge({ name: 'rstream_live_sessions', help: 'Sessions loaded in memory', registers: [registry] });
  const participantsConnected = new client.Gauge({
    name: 'rstream_participants_connected',
    help: 'Connected listeners',
    registers: [registry],
  });
  return { registry, httpDuration, wsConnections, wsMessagesIn, wsFramesOut, tickDuration, tickLag, liveRooms, participantsConnected };
}
export type Metrics = ReturnType<typeof createMetrics>;
