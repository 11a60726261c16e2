import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../platform/metrics.js';
import type { DbReading, SystemReading } from './readers.js';
import { createSampler } from './sampler.js';

describe('the 15-second sampler (real prom-client metrics, fixed system readings)', () => {
  it('derives rates, the 5-minute error ratio and p95 from cumulative counters', async () => {
    const metrics = createMetrics();
    let rx = 1_000;
    const system = async (): Promise<SystemReading> => ({
      cpuRatio: 0.25,
      load1: 0.5,
      cpus: 2,
      memTotalBytes: 8e9,
      memAvailableBytes: 6e9,
      volumes: [],
      net: [{ iface: 'eth0', rxBytes: (rx += 15_000), txBytes: 0 }],
    });
    const db = async (): Promise<DbReading> => ({
      up: true,
      error: null,
      pool: null,
      deadlocks: 3,
      replication: null,
    });
    let wsIn = 0;
    const sampler = createSampler({
      instance: 'u',
      metrics,
      readSystem: system,
      readDb: db,
      readCache: null,
      live: () => ({ wsConnections: 4, participants: 3, activeSpeakers: 1, liveSessions: 1, wsIn, wsOut: 0 }),
    });
    const t0 = 1_800_000_000_000;
    const first = await sampler.take(t0);
    expect(first.app.errorRatio).toBeNull();
    expect(first.app.requestsPerSec).toBeNull();

    for (let i = 0; i < 27; i++)
      metrics.httpDuration.observe({ method: 'GET', route: '/api/x', status: '200' }, 0.04);
    for (let i = 0; i < 3; i++)
      metrics.httpDuration.observe({ method: 'GET', route: '/api/x', status: '503' }, 0.8);
    wsIn = 30;
    const second = await sampler.take(t0 + 15_000);
    expect(second.app.requestsPerSec).toBe(2);
    expect(second.app.errorRatio).toBeCloseTo(0.1);
    expect(second.app.p95Sec).toBeGreaterThan(0.5);
    expect(second.app.p95Sec).toBeLessThanOrEqual(1);
    expect(second.app.wsInPerSec).toBe(2);
    expect(second.system.netRxBytesPerSec).toBe(1000);
    expect(second.db.deadlocksTotal).toBe(3);

    // six quiet minutes later the 5-minute window holds no requests
    const later = await sampler.take(t0 + 6 * 60_000);
    expect(later.app.errorRatio).toBeNull();
    expect(later.app.requests5m).toBe(0);
    expect(sampler.history).toHaveLength(3);
    expect(sampler.errorRatio()).toBeNull();
    sampler.stop();
  });

  it('carries the live persistence backlog gauge (rstream_persist_backlog_rows) for the in-app rule', async () => {
    const metrics = createMetrics();
    const none = createSampler({
      instance: 'u',
      metrics,
      readSystem: async () => {
        throw new Error('no /proc here');
      },
      readDb: async () => ({ up: true, error: null, pool: null, deadlocks: 0, replication: null }),
      readCache: null,
      live: () => ({
        wsConnections: 0,
        participants: 0,
        activeSpeakers: 0,
        liveSessions: 0,
        wsIn: 0,
        wsOut: 0,
      }),
    });
    expect((await none.take(1_000)).live).toEqual({ persistBacklogRows: 0 });
    let rows = 0;
    new client.Gauge({
      name: 'rstream_persist_backlog_rows',
      help: 'test',
      registers: [metrics.registry],
      collect() {
        this.set(rows);
      },
    });
    rows = 42;
    expect((await none.take(16_000)).live).toEqual({ persistBacklogRows: 42 });
  });
});
