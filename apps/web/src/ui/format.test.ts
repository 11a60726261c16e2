import { describe, expect, it } from 'vitest';
import { formatAverage, formatClock, formatDuration } from './format';

describe('format', () => {
  it('formats the average with two decimals or a dash', () => {
    expect(formatAverage(3.5)).toBe('3.50');
    expect(formatAverage(null)).toBe('–');
    expect(formatAverage(Number.NaN)).toBe('–');
  });
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75_000)).toBe('1:15');
    expect(formatDuration(3_725_400)).toBe('1:02:05');
    expect(formatDuration(-61_000)).toBe('1:01');
  });
  it('writes the clock as Intl does for both languages, without Intl', () => {
    for (const iso of [
      '2026-12-02T00:00:00Z',
      '2026-12-02T09:05:59Z',
      '2026-12-02T13:45:00Z',
      '2026-12-02T23:59:00Z',
    ]) {
      for (const locale of ['en-GB', 'ja-JP']) {
        const intl = new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
        expect(formatClock(iso)).toBe(intl);
      }
    }
    expect(formatClock(null)).toBe('–');
    expect(formatClock('not a date')).toBe('–');
  });
});
