import { medianAbsoluteDeviation } from 'simple-statistics';

/**
 * PELT — Pruned Exact Linear Time change-point detection (Killick, Fearnhead & Eckley 2012,
 * JASA 107:500), for a change in mean with a weighted squared-error cost.
 *
 * The series is one value per second (the average level) with a weight per second (how many
 * listeners were counted): the average of n listeners has variance σ²/n, so weighting by n is
 * the inverse-variance weighting, and a second nobody signalled in (weight 0) costs nothing.
 * The cost of x[s..e) is Σw(x−μw)² / (σ²·w̄) — in units of the noise variance at a typical
 * audience size w̄ — so the penalty can be stated independently of the data's scale.
 */
export interface PeltInput {
  values: ArrayLike<number>;
  weights: ArrayLike<number>;
  /** added for each segment (the cost of one more change point) */
  penalty: number;
  /** fewest points in a segment */
  minSegment: number;
  /** divides every cost (σ²·w̄); 1 when the cost is already normalised */
  costScale?: number;
}

/** Change points: the start indices of every segment after the first, ascending. */
export function pelt({ values, weights, penalty, minSegment, costScale = 1 }: PeltInput): number[] {
  const T = values.length;
  const m = Math.max(1, Math.floor(minSegment));
  if (T < 2 * m) return [];
  // prefix sums of w, w·x, w·x² make any segment's cost O(1)
  const S0 = new Float64Array(T + 1);
  const S1 = new Float64Array(T + 1);
  const S2 = new Float64Array(T + 1);
  for (let i = 0; i < T; i++) {
    const w = weights[i]! > 0 && Number.isFinite(values[i]!) ? weights[i]! : 0;
    const x = w > 0 ? values[i]! : 0;
    S0[i + 1] = S0[i]! + w;
    S1[i + 1] = S1[i]! + w * x;
    S2[i + 1] = S2[i]! + w * x * x;
  }
  const scale = costScale > 0 ? costScale : 1;
  const cost = (s: number, e: number) => {
    const w = S0[e]! - S0[s]!;
    if (w <= 0) return 0;
    const sx = S1[e]! - S1[s]!;
    // max(0, …): rounding can make a constant segment's cost a hair negative
    return Math.max(0, S2[e]! - S2[s]! - (sx * sx) / w) / scale;
  };

  const F = new Float64Array(T + 1).fill(Infinity);
  const last = new Int32Array(T + 1);
  F[0] = -penalty;
  let candidates: number[] = [0];
  for (let t = m; t <= T; t++) {
    // a segment may start at s only if s is itself a valid end (s = 0 or s ≥ m)
    const fresh = t - m;
    if (fresh >= m) {
      // The pruning step, applied when `fresh` becomes a candidate: an s with
      // F(s) + C(s, fresh) ≥ F(fresh) can never beat `fresh` as the last change before any
      // later t (K = 0 for this cost). Pruning only now keeps it exact with a minimum segment
      // length, where `fresh` may not end a segment before fresh + m; dropping ties keeps a
      // flat series from growing the candidate set.
      const Ff = F[fresh]!;
      const kept: number[] = [];
      for (const s of candidates) if (F[s]! + cost(s, fresh) < Ff) kept.push(s);
      kept.push(fresh);
      candidates = kept;
    }
    let best = Infinity;
    let arg = 0;
    for (const s of candidates) {
      const v = F[s]! + cost(s, t) + penalty;
      if (v < best) {
        best = v;
        arg = s;
      }
    }
    F[t] = best;
    last[t] = arg;
  }
  const points: number[] = [];
  for (let t = last[T]!; t > 0; t = last[t]!) points.push(t);
  return points.reverse();
}

/**
 * The noise of a per-second series (levels), robustly: the median absolute deviation of the
 * first differences of its `binSec`-second means, ×1.4826 (normal consistency) ÷ √2 (a
 * difference of two values has twice the variance), ×√binSec back to one second. Binning first
 * matters: sticky signals make most one-second differences exactly zero, which would say
 * "no noise". Steps in the series are a few differences among many, so the median ignores them.
 */
export function noiseSigma(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  binSec: number,
  floor: number,
): number {
  const bins: number[] = [];
  const b = Math.max(1, Math.floor(binSec));
  for (let i = 0; i + b <= values.length; i += b) {
    let w = 0;
    let wx = 0;
    for (let j = i; j < i + b; j++) {
      if (weights[j]! > 0 && Number.isFinite(values[j]!)) {
        w += weights[j]!;
        wx += weights[j]! * values[j]!;
      }
    }
    if (w > 0) bins.push(wx / w);
  }
  if (bins.length < 3) return floor;
  const diffs = new Array<number>(bins.length - 1);
  for (let i = 1; i < bins.length; i++) diffs[i - 1] = bins[i]! - bins[i - 1]!;
  const sigma = ((1.4826 * medianAbsoluteDeviation(diffs)) / Math.SQRT2) * Math.sqrt(b);
  return Math.max(floor, Number.isFinite(sigma) ? sigma : floor);
}

/** The naive O(n²) optimal partitioning (Jackson et al. 2005): PELT without pruning, the baseline. */
export function optimalPartitioning(input: PeltInput): number[] {
  const { values, weights, penalty, minSegment, costScale = 1 } = input;
  const T = values.length;
  const m = Math.max(1, Math.floor(minSegment));
  if (T < 2 * m) return [];
  const S0 = new Float64Array(T + 1);
  const S1 = new Float64Array(T + 1);
  const S2 = new Float64Array(T + 1);
  for (let i = 0; i < T; i++) {
    const w = weights[i]! > 0 ? weights[i]! : 0;
    const x = w > 0 ? values[i]! : 0;
    S0[i + 1] = S0[i]! + w;
    S1[i + 1] = S1[i]! + w * x;
    S2[i + 1] = S2[i]! + w * x * x;
  }
  const cost = (s: number, e: number) => {
    const w = S0[e]! - S0[s]!;
    if (w <= 0) return 0;
    const sx = S1[e]! - S1[s]!;
    return Math.max(0, S2[e]! - S2[s]! - (sx * sx) / w) / costScale;
  };
  const F = new Float64Array(T + 1).fill(Infinity);
  const last = new Int32Array(T + 1);
  F[0] = -penalty;
  for (let t = m; t <= T; t++) {
    for (let s = 0; s <= t - m; s++) {
      if (s !== 0 && s < m) continue;
      const v = F[s]! + cost(s, t) + penalty;
      if (v < F[t]!) {
        F[t] = v;
        last[t] = s;
      }
    }
  }
  const points: number[] = [];
  for (let t = last[T]!; t > 0; t = last[t]!) points.push(t);
  return points.reverse();
}
