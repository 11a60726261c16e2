import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  api,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../helpers.js';
import { parsePromText, type Scrape } from './prom-text.js';

async function scrape(base: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  return parsePromText(await res.text());
}

describe('GET /metrics after real traffic (PostgreSQL + Redis)', () => {
  let t: TestApp;
  let m: Scrape;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('postgres', { REDIS_URL: inject('redisUrl'), METRICS_TOKEN: 'scrape-secret' });
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const listener = await join(t.url, s.code, 'Aiko');
    await api(t.url, 'GET', '/api/sessions/not-a-uuid', { token: host.token }); // a 4xx
    const hostWs = new WsClient(t.url, s.id, host.token);
    const listenerWs = new WsClient(t.url, s.id, listener.participantToken);
    sockets.push(hostWs, listenerWs);
    await hostWs.next((x) => x.type === 'welcome');
    await listenerWs.next((x) => x.type === 'welcome');
    listenerWs.send({ type: 'understanding:set', level: 4 });
    await hostWs.next((x) => x.type === 'understanding:update' && x.n === 1 && x.avg === 4);
    m = await scrape(t.url, 'scrape-secret');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('refuses a scrape without the bearer token', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
  });

  it('has the application metrics with their types and labels', () => {
    expect(m.types.get('rstream_http_request_duration_seconds')).toBe('histogram');
    const created = m.find('rstream_http_request_duration_seconds_count', {
      method: 'POST',
      route: '/api/sessions',
      status: '201',
    });
    expect(created[0]?.value).toBeGreaterThanOrEqual(1);
    expect(
      m.find('rstream_http_request_duration_seconds_count', { route: '/api/sessions/:id', status: '404' })
        .length + m.find('rstream_http_request_duration_seconds_count', { status: '400' }).length,
    ).toBeGreaterThan(0);
    expect(m.types.get('rstream_http_errors_total')).toBe('counter');
    expect(m.types.get('rstream_http_error_ratio')).toBe('gauge');
    expect(m.value('rstream_ws_connections')).toBe(2);
    expect(m.value('rstream_participants_connected')).toBe(1);
    expect(m.value('rstream_active_speakers')).toBe(1);
    expect(m.value('rstream_live_sessions')).toBeGreaterThanOrEqual(1);
    expect(m.types.get('rstream_ws_messages_in_total')).toBe('counter');
    expect(m.value('rstream_ws_messages_in_total')).toBeGreaterThanOrEqual(1);
    expect(m.value('rstream_ws_messages_out_total')).toBeGreaterThan(0);
    expect(m.value('rstream_ws_frames_out_total')).toBe(m.value('rstream_ws_messages_out_total'));
    expect(m.types.get('rstream_tick_duration_seconds')).toBe('histogram');
    expect(m.value('rstream_tick_lag_seconds_count')).toBeGreaterThan(0);
    expect(m.value('rstream_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.find('rstream_instance_info', { db: 'postgres', bus: 'redis' })[0]?.value).toBe(1);
  });

  it('has the system metrics', () => {
    expect(m.value('rstream_system_cpu_usage_ratio')).toBeGreaterThanOrEqual(0);
    expect(m.value('rstream_system_memory_total_bytes')).toBeGreaterThan(
      m.value('rstream_system_memory_available_bytes')!,
    );
    expect(m.value('rstream_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    const disk = m.find('rstream_disk_used_ratio', { volume: 'data', path: t.config.DATA_DIR });
    expect(disk).toHaveLength(1);
    expect(disk[0]!.value).toBeGreaterThan(0);
    expect(disk[0]!.value).toBeLessThan(1);
    expect(m.value('rstream_disk_total_bytes', { volume: 'data' })).toBeGreaterThan(
      m.value('rstream_disk_free_bytes', { volume: 'data' })!,
    );
    expect(m.types.get('rstream_network_receive_bytes_total')).toBe('counter');
    expect(m.types.get('rstream_network_transmit_bytes_total')).toBe('counter');
  });

  it('has the database metrics: queries by operation, pool, deadlocks; no replication lag on a standalone primary', () => {
    expect(m.types.get('rstream_db_query_duration_seconds')).toBe('histogram');
    expect(m.value('rstream_db_query_duration_seconds_count', { operation: 'insert' })).toBeGreaterThan(0);
    expect(m.value('rstream_db_query_duration_seconds_count', { operation: 'select' })).toBeGreaterThan(0);
    expect(m.value('rstream_db_up')).toBe(1);
    expect(m.value('rstream_db_pool_total')).toBeGreaterThan(0);
    expect(m.value('rstream_db_pool_max')).toBe(t.config.DB_POOL_MAX);
    expect(m.value('rstream_db_pool_waiting')).toBe(0);
    expect(m.types.get('rstream_db_deadlocks_total')).toBe('counter');
    expect(m.find('rstream_db_deadlocks_total', { database: 'postgres' })).toHaveLength(1);
    expect(m.types.get('rstream_db_replication_lag_seconds')).toBe('gauge');
    expect(m.find('rstream_db_replication_lag_seconds')).toHaveLength(0);
  });

  it('has the cache metrics from Redis INFO', () => {
    expect(m.types.get('rstream_cache_hits_total')).toBe('counter');
    expect(m.value('rstream_cache_hits_total')).toBeGreaterThanOrEqual(0);
    expect(m.value('rstream_cache_misses_total')).toBeGreaterThanOrEqual(0);
    const ratio = m.value('rstream_cache_hit_ratio');
    if (ratio !== undefined) expect(ratio).toBeLessThanOrEqual(1);
    expect(m.value('rstream_cache_memory_used_bytes')).toBeGreaterThan(0);
    expect(m.value('rstream_cache_keys')).toBeGreaterThanOrEqual(m.value('rstream_cache_keys_with_ttl')!);
  });

  it('counts a failed database query by operation', async () => {
    await t.app.db.kysely
      .selectFrom('no_such_table' as never)
      .selectAll()
      .execute()
      .catch(() => {});
    const after = await scrape(t.url, 'scrape-secret');
    expect(after.value('rstream_db_query_errors_total', { operation: 'select' })).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /metrics on the embedded database without Redis', () => {
  it('reports the database as up, leaves out pool, replication and cache series', async () => {
    const t = await startTestApp('pglite');
    try {
      await speaker(t.url);
      const m = await scrape(t.url);
      expect(m.value('rstream_db_up')).toBe(1);
      expect(m.value('rstream_db_query_duration_seconds_count', { operation: 'insert' })).toBeGreaterThan(0);
      expect(m.find('rstream_db_pool_total')).toHaveLength(0);
      expect(m.find('rstream_db_replication_lag_seconds')).toHaveLength(0);
      expect(m.types.has('rstream_cache_hits_total')).toBe(false);
      expect(m.find('rstream_instance_info', { db: 'pglite', bus: 'memory' })).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
