import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent, formatSeconds, sortAlerts, toChartData } from './ops-format';
import { opsText } from './ops-i18n';

describe('ops dashboard formatting', () => {
  it('formats values and leaves gaps as a dash', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(null)).toBe('—');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(7200)).toBe('2.0 h');
  });

  it('turns the overview series into uPlot columns with seconds on x', () => {
    const data = toChartData({ t: [1000, 16000], cpuRatio: [0.1, null] }, ['cpuRatio', 'missing']);
    expect(data).toEqual([
      [1, 16],
      [0.1, null],
      [null, null],
    ]);
  });

  it('sorts alerts critical first, then by level, then newest', () => {
    const a = (severity: 'critical' | 'warning' | 'info', level: number, startedAt: string) => ({
      severity,
      level,
      startedAt,
    });
    const sorted = sortAlerts([
      a('info', 3, '2026-01-01'),
      a('warning', 2, '2026-01-02'),
      a('critical', 2, '2026-01-01'),
      a('critical', 1, '2026-01-01'),
    ]);
    expect(sorted.map((x) => `${x.severity}${x.level}`)).toEqual([
      'critical1',
      'critical2',
      'warning2',
      'info3',
    ]);
  });

  it('has every string in Japanese and English', () => {
    const en = opsText('en');
    const ja = opsText('ja');
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    expect(ja.title).toBe('運用ダッシュボード');
  });
});
