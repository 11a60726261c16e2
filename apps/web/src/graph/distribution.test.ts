import { describe, expect, it } from 'vitest';
import { averageFromCounts, distributionBand, percentileFromCounts } from './distribution';

describe('percentileFromCounts', () => {
  it('returns null for an empty audience', () => {
    expect(percentileFromCounts([0, 0, 0, 0, 0], 0.5)).toBeNull();
  });
  it('uses nearest rank on the cumulative counts', () => {
    // levels: 1,2,2,3,3,3,4,5  (N = 8)
    const counts = [1, 2, 3, 1, 1];
    expect(percentileFromCounts(counts, 0.25)).toBe(2); // rank 2 → level 2
    expect(percentileFromCounts(counts, 0.5)).toBe(3); // rank 4 → level 3
    expect(percentileFromCounts(counts, 0.75)).toBe(3); // rank 6 → level 3
    expect(percentileFromCounts(counts, 1)).toBe(5);
    expect(percentileFromCounts(counts, 0)).toBe(1);
  });
  it('handles everybody on one level', () => {
    expect(percentileFromCounts([0, 0, 0, 0, 40], 0.25)).toBe(5);
  });
});

describe('distributionBand', () => {
  it('gives min, quartiles and max', () => {
    expect(distributionBand([10, 0, 20, 50, 20])).toEqual({ min: 1, p25: 3, p75: 4, max: 5 });
    expect(distributionBand([0, 3, 0, 0, 0])).toEqual({ min: 2, p25: 2, p75: 2, max: 2 });
  });
  it('a split audience has a wide band', () => {
    expect(distributionBand([50, 0, 0, 0, 50])).toEqual({ min: 1, p25: 1, p75: 5, max: 5 });
  });
  it('is null when nobody counts', () => {
    expect(distributionBand([0, 0, 0, 0, 0])).toBeNull();
  });
});

describe('averageFromCounts', () => {
  it('weights levels by their counts', () => {
    expect(averageFromCounts([1, 0, 0, 0, 1])).toBe(3);
    expect(averageFromCounts([0, 0, 0, 0, 0])).toBeNull();
  });
});
