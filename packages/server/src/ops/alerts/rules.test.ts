import { describe, expect, it } from 'vitest';
import { sampleWith, type OpsSample } from '../monitoring/sample.js';
import { formatValue, renderSummary, ruleByName, RULES, T } from './rules.js';
import { renderPrometheusRules, toPromTemplate } from './export-rules.js';

const check = (name: string, h: OpsSample[]) => ruleByName(name)!.check!(h);
/** one sample every 15 s from t0 for `minutes`, built by f(i, t) */
const series = (minutes: number, f: (i: number, t: number) => Parameters<typeof sampleWith>[1]) =>
  Array.from({ length: (minutes * 60) / 15 + 1 }, (_, i) => sampleWith(i * 15_000, f(i, i * 15_000)));

describe('alert rules (in-process form)', () => {
  it('every rule has severity, level 1–3, a runbook slug and a PromQL expression; names are unique', () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(['critical', 'warning', 'info']).toContain(r.severity);
      expect([1, 2, 3]).toContain(r.level);
      expect(r.runbook).toMatch(/^[a-z0-9-]+$/);
      expect(r.promql.length).toBeGreaterThan(5);
      expect(Boolean(r.check) || r.prometheusOnly).toBe(true);
    }
    for (const needed of [
      'HighErrorRate',
      'SlowResponses',
      'WebSocketConnectionsCollapsed',
      'DiskNearlyFull',
      'DiskCriticallyFull',
      'MemoryGrowth',
      'EventLoopLag',
      'DatabaseDown',
      'DeadlocksRising',
      'ReplicationLag',
      'SlowQueries',
      'LowCacheHitRatio',
      'BackupTooOld',
      'InstanceDown',
    ])
      expect(ruleByName(needed), needed).toBeDefined();
  });

  it('HighErrorRate fires above 5% and only with enough requests (errorRatio is null below)', () => {
    expect(check('HighErrorRate', [sampleWith(0, { app: { errorRatio: 0.2 } })])).toEqual([
      { labels: {}, value: 0.2 },
    ]);
    expect(check('HighErrorRate', [sampleWith(0, { app: { errorRatio: 0.04 } })])).toEqual([]);
    expect(check('HighErrorRate', [sampleWith(0, { app: { errorRatio: null } })])).toEqual([]);
  });

  it('SlowResponses needs a p95 above 300 ms and at least 20 requests', () => {
    expect(check('SlowResponses', [sampleWith(0, { app: { p95Sec: 0.5, requests5m: 100 } })])).toHaveLength(
      1,
    );
    expect(check('SlowResponses', [sampleWith(0, { app: { p95Sec: 0.5, requests5m: 5 } })])).toHaveLength(0);
  });

  it('WebSocketConnectionsCollapsed compares with the 10-minute peak', () => {
    const h = series(10, (i) => ({ app: { wsConnections: i < 30 ? 200 : 40 } }));
    expect(check('WebSocketConnectionsCollapsed', h)).toEqual([{ labels: {}, value: 40 }]);
    const small = series(10, (i) => ({ app: { wsConnections: i < 30 ? 10 : 1 } }));
    expect(check('WebSocketConnectionsCollapsed', small)).toEqual([]);
    const steady = series(10, () => ({ app: { wsConnections: 150 } }));
    expect(check('WebSocketConnectionsCollapsed', steady)).toEqual([]);
  });

  it('disk rules fire per volume at their own thresholds', () => {
    const disks = [
      { volume: 'data', path: '/d', totalBytes: 100, freeBytes: 15, usedRatio: 0.85 },
      { volume: 'logs', path: '/l', totalBytes: 100, freeBytes: 5, usedRatio: 0.95 },
    ];
    const h = [sampleWith(0, { system: { disks } })];
    expect(check('DiskNearlyFull', h).map((x) => x.labels.volume)).toEqual(['data', 'logs']);
    expect(check('DiskCriticallyFull', h)).toEqual([{ labels: { volume: 'logs', path: '/l' }, value: 0.95 }]);
  });

  it('MemoryGrowth needs 25+ minutes of steady growth above the floor', () => {
    const leak = series(30, (_i, t) => ({ system: { rssBytes: 300e6 + (t / 3600_000) * 200e6 } }));
    const hit = check('MemoryGrowth', leak);
    expect(hit).toHaveLength(1);
    expect(hit[0]!.value).toBeGreaterThan(190e6);
    expect(check('MemoryGrowth', leak.slice(0, 40))).toEqual([]); // only 10 min of data
    const flat = series(30, () => ({ system: { rssBytes: 400e6 } }));
    expect(check('MemoryGrowth', flat)).toEqual([]);
  });

  it('DeadlocksRising counts the increase over 15 minutes', () => {
    const h = series(20, (i) => ({ db: { deadlocksTotal: i < 40 ? 1 : 5 } }));
    expect(check('DeadlocksRising', h)).toEqual([{ labels: {}, value: 4 }]);
    expect(
      check(
        'DeadlocksRising',
        series(20, () => ({ db: { deadlocksTotal: 7 } })),
      ),
    ).toEqual([]);
    expect(
      check(
        'DeadlocksRising',
        series(20, () => ({ db: { deadlocksTotal: null } })),
      ),
    ).toEqual([]);
  });

  it('BackupTooOld handles an old backup, a missing metric on a young instance, and on an old one', () => {
    const now = 100 * 3600_000;
    expect(
      check('BackupTooOld', [sampleWith(now, { backup: { lastSuccessSec: now / 1000 - 30 * 3600 } })]),
    ).toHaveLength(1);
    expect(
      check('BackupTooOld', [sampleWith(now, { backup: { lastSuccessSec: now / 1000 - 3600 } })]),
    ).toHaveLength(0);
    expect(
      check('BackupTooOld', [sampleWith(now, { backup: { lastSuccessSec: null }, uptimeSec: 3600 })]),
    ).toHaveLength(0);
    expect(
      check('BackupTooOld', [sampleWith(now, { backup: { lastSuccessSec: null }, uptimeSec: 27 * 3600 })]),
    ).toHaveLength(1);
  });

  it('database, replication, slow queries, cache and event-loop rules', () => {
    expect(check('DatabaseDown', [sampleWith(0, { db: { up: false } })])).toHaveLength(1);
    expect(check('DatabaseDown', [sampleWith(0, {})])).toHaveLength(0);
    expect(check('ReplicationLag', [sampleWith(0, { db: { replicationLagMaxSec: 45 } })])).toHaveLength(1);
    expect(check('ReplicationLag', [sampleWith(0, { db: { replicationLagMaxSec: null } })])).toHaveLength(0);
    expect(
      check(
        'SlowQueries',
        series(10, (i) => ({ raw: { dbSlow: i } })),
      ),
    ).toHaveLength(1);
    expect(
      check(
        'SlowQueries',
        series(10, () => ({ raw: { dbSlow: 3 } })),
      ),
    ).toHaveLength(0);
    const cache = (hits: number, misses: number, ratio: number) => ({
      cache: { hitRatio: ratio, usedMemoryBytes: 1, keys: 1, keysWithTtl: 0, opsPerSec: 10 },
      raw: { cacheHits: hits, cacheMisses: misses },
    });
    const low = series(5, (i) => cache(i * 300, i * 300, 0.5));
    expect(check('LowCacheHitRatio', low)).toEqual([{ labels: {}, value: 0.5 }]);
    const quiet = series(5, (i) => cache(i, i, 0.5)); // under 1 read/s
    expect(check('LowCacheHitRatio', quiet)).toEqual([]);
    expect(
      check('EventLoopLag', [sampleWith(0, { system: { eventLoopLagP99Sec: T.eventLoopLagSec * 2 } })]),
    ).toHaveLength(1);
  });
});

describe('alert rule text', () => {
  it('renders summaries in-process and as Prometheus templates', () => {
    expect(
      renderSummary(
        'High error rate on {instance}: {value}',
        { instance: 'a' },
        formatValue(0.123, 'percent'),
      ),
    ).toBe('High error rate on a: 12.3%');
    expect(toPromTemplate('on {instance}: {value}', 'percent')).toBe(
      'on {{ $labels.instance }}: {{ $value | humanizePercentage }}',
    );
    expect(formatValue(0.25, 'seconds')).toBe('250 ms');
    expect(formatValue(30 * 3600, 'seconds')).toBe('30.0 h');
  });

  it('exports every rule with severity, level and runbook_url', () => {
    const yml = renderPrometheusRules('https://example.test/rb/');
    for (const r of RULES) {
      expect(yml).toContain(`- alert: ${r.name}\n`);
      expect(yml).toContain(`runbook_url: "https://example.test/rb/${r.runbook}.md"`);
    }
    expect(yml.match(/severity: critical/g)?.length).toBe(
      RULES.filter((r) => r.severity === 'critical').length,
    );
    expect(yml).toContain('level: "1"');
    expect(yml).toContain('for: 2m');
  });

  it('LivePersistenceBacklog fires in-app while live rows wait for the database, and not before or after', () => {
    const rule = ruleByName('LivePersistenceBacklog')!;
    expect(rule.prometheusOnly).toBeFalsy();
    expect(check('LivePersistenceBacklog', [sampleWith(0, {})])).toEqual([]);
    expect(check('LivePersistenceBacklog', [sampleWith(0, { live: { persistBacklogRows: 0 } })])).toEqual([]);
    expect(check('LivePersistenceBacklog', [sampleWith(0, { live: { persistBacklogRows: 120 } })])).toEqual([
      { labels: {}, value: 120 },
    ]);
    expect(renderSummary(rule.summary, { instance: 'a' }, formatValue(120, rule.valueFormat))).toBe(
      '120 live rows on a wait in memory for the database',
    );
  });
});
