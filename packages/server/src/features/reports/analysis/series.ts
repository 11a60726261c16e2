/** One stored second of a session (understanding_seconds), as the analysis reads it. */
export interface SecondPoint {
  /** seconds since the session started */
  t: number;
  avg: number | null;
  n: number;
}

/** A dense per-second series: index = second. `avg` is NaN where nobody was counted. */
export interface DenseSeries {
  avg: Float64Array;
  n: Float64Array;
  length: number;
}

/**
 * Every second from 0 to the end. The live path writes a row for each second of a live session;
 * a missing second (an instance restart, a gap in an old session) carries the last known state,
 * because signals are sticky: a listener's level stands until they change it.
 */
export function densify(points: readonly SecondPoint[], durationSec: number): DenseSeries {
  const last = points.length ? points[points.length - 1]!.t + 1 : 0;
  const length = Math.max(0, Math.ceil(durationSec), last);
  const avg = new Float64Array(length).fill(NaN);
  const n = new Float64Array(length);
  let i = 0;
  let curAvg = NaN;
  let curN = 0;
  for (let t = 0; t < length; t++) {
    while (i < points.length && points[i]!.t <= t) {
      const p = points[i++]!;
      curAvg = p.avg === null || p.n <= 0 ? NaN : p.avg;
      curN = p.avg === null ? 0 : p.n;
    }
    avg[t] = curAvg;
    n[t] = Number.isNaN(curAvg) ? 0 : curN;
  }
  return { avg, n, length };
}

/** Weighted mean of avg over [s, e) with weights n; NaN when nobody was counted. */
export function weightedMean(series: DenseSeries, s: number, e: number): number {
  let w = 0;
  let wx = 0;
  for (let t = Math.max(0, s); t < Math.min(series.length, e); t++) {
    const nt = series.n[t]!;
    if (nt > 0) {
      w += nt;
      wx += nt * series.avg[t]!;
    }
  }
  return w > 0 ? wx / w : NaN;
}

/** Mean listeners counted over [s, e). */
export function meanN(series: DenseSeries, s: number, e: number): number {
  const a = Math.max(0, s);
  const b = Math.min(series.length, e);
  if (b <= a) return 0;
  let sum = 0;
  for (let t = a; t < b; t++) sum += series.n[t]!;
  return sum / (b - a);
}

/** Centred moving average (weighted by n) over `half`·2+1 seconds: the timing of a change. */
export function smooth(series: DenseSeries, half: number): Float64Array {
  const out = new Float64Array(series.length);
  for (let t = 0; t < series.length; t++) out[t] = weightedMean(series, t - half, t + half + 1);
  return out;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const orNull = (x: number, r: (v: number) => number = round2) => (Number.isFinite(x) ? r(x) : null);
