import { describe, expect, it } from 'vitest';
import { formatAverage, formatDuration } from './format';

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
});
