import type { Counts } from '@rstream/protocol';

export interface Band {
  min: number;
  p25: number;
  p75: number;
  max: number;
}

/**
 * The level at percentile `p` (0..1) of a 5-level histogram, nearest-rank style: the lowest level
 * whose cumulative count reaches ceil(p·N) (at least the first listener). null when nobody counts.
 */
export function percentileFromCounts(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, p)) * total));
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    cumulative += Math.max(0, counts[i] ?? 0);
    if (cumulative >= rank) return i + 1;
  }
  return counts.length;
}

/** The shaded band (25th–75th percentile) and the faint range (lowest/highest level in use). */
export function distributionBand(counts: Counts | readonly number[]): Band | null {
  const p25 = percentileFromCounts(counts, 0.25);
  const p75 = percentileFromCounts(counts, 0.75);
  if (p25 === null || p75 === null) return null;
  const used = counts.map((c, i) => (c > 0 ? i + 1 : 0)).filter((l) => l > 0);
  return { min: Math.min(...used), p25, p75, max: Math.max(...used) };
}

/** Weighted mean of the histogram (what the server's `avg` is). */
export function averageFromCounts(counts: readonly number[]): number | null {
  let n = 0;
  let sum = 0;
  counts.forEach((c, i) => {
    n += c;
    sum += c * (i + 1);
  });
  return n > 0 ? sum / n : null;
}
