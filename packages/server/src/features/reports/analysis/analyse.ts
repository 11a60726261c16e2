import type { AnalysisParams, KeyMoment, ReportSegment, ReportSummary } from '@rstream/protocol';
import { median } from 'simple-statistics';
import { keyMoments, type Seg } from './moments.js';
import { noiseSigma, pelt } from './pelt.js';
import {
  densify,
  meanN,
  orNull,
  round1,
  smooth,
  weightedMean,
  type DenseSeries,
  type SecondPoint,
} from './series.js';

/** Bump when a change would give an old session a different report; stored with each report. */
export const ALGORITHM_VERSION = 'pelt-1.0';

export const DEFAULT_ANALYSIS_PARAMS: AnalysisParams = {
  penaltyScale: 4,
  minSegmentSec: 20,
  noiseBinSec: 5,
  minNoise: 0.05,
  minShift: 0.5,
  participationDrop: 0.3,
  recoveryFraction: 0.7,
  lowGapSec: 5,
  maxLowMoments: 3,
  questionsBeforeMs: 10_000,
  questionsAfterMs: 30_000,
};

export interface AnalysisInput {
  durationMs: number;
  /** the stored seconds, ascending by t */
  seconds: SecondPoint[];
  questions: { id: string; t: number | null; status: string }[];
  /** the session's warning rule */
  threshold: number;
  warningDurationSec: number;
  participants: number;
  signalled: number;
  signals: number;
}

export interface AnalysisResult {
  summary: ReportSummary;
  segments: ReportSegment[];
  keyMoments: Omit<KeyMoment, 'note'>[];
  /** what the segmentation worked with (for docs/benchmarks; stored too) */
  diagnostics: Record<string, number>;
}

/** The most points PELT runs on (beyond: bins of several seconds). */
export const PELT_MAX_POINTS = 2400;

/** b-second bins: weighted means, summed weights (b = 1: the series itself). */
function binned(values: Float64Array, weights: Float64Array, b: number) {
  if (b === 1) return { values, weights };
  const k = Math.ceil(values.length / b);
  const v = new Float64Array(k);
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sw = 0;
    let swx = 0;
    for (let t = i * b; t < Math.min(values.length, (i + 1) * b); t++) {
      if (weights[t]! > 0 && Number.isFinite(values[t]!)) {
        sw += weights[t]!;
        swx += weights[t]! * values[t]!;
      }
    }
    w[i] = sw;
    v[i] = sw > 0 ? swx / sw : NaN;
  }
  return { values: v, weights: w };
}

function segmentsOf(points: number[], length: number, series: DenseSeries): Seg[] {
  const bounds = [0, ...points, length];
  const out: Seg[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const s = bounds[i]!;
    const e = bounds[i + 1]!;
    out.push({ start: s, end: e, avg: weightedMean(series, s, e), n: meanN(series, s, e) });
  }
  return out;
}

export function analyse(
  input: AnalysisInput,
  params: AnalysisParams = DEFAULT_ANALYSIS_PARAMS,
): AnalysisResult {
  const series = densify(input.seconds, input.durationMs / 1000);
  const T = series.length;
  const lnT = Math.log(Math.max(T, 2));
  const penalty = params.penaltyScale * lnT;

  // the level: weighted by listeners counted, cost in units of the per-listener noise variance
  // bins several times shorter than a segment, so that steps stay rare among the differences
  const noiseBin = Math.max(1, Math.min(params.noiseBinSec, Math.floor(params.minSegmentSec / 4)));
  const sigma = noiseSigma(series.avg, series.n, noiseBin, params.minNoise);
  const positive: number[] = [];
  for (let t = 0; t < T; t++) if (series.n[t]! > 0) positive.push(series.n[t]!);
  const typicalN = positive.length ? median(positive) : 1;
  // PELT prunes well when changes are frequent; a long calm session keeps many candidates
  // alive (close to O(n²)), so past 40 min it runs on b-second bins (weights summed, so the
  // cost stays the same quantity); moment timings are then refined on the 1-Hz series.
  const b = Math.max(1, Math.ceil(T / PELT_MAX_POINTS));
  const level = binned(series.avg, series.n, b);
  const levelPoints = pelt({
    values: level.values,
    weights: level.weights,
    penalty,
    minSegment: Math.max(1, Math.round(params.minSegmentSec / b)),
    costScale: sigma * sigma * typicalN,
  }).map((i) => i * b);
  const levelSegs = segmentsOf(levelPoints, T, series);

  // how many are counted: its own segmentation, so a fall in participation is seen even when
  // the level does not move
  const ones = new Float64Array(T).fill(1);
  const countNoise = noiseSigma(series.n, ones, noiseBin, Math.max(1, 0.05 * typicalN));
  const count = binned(series.n, ones, b);
  const countPoints = pelt({
    values: count.values,
    weights: count.weights,
    penalty,
    minSegment: Math.max(1, Math.round(params.minSegmentSec / b)),
    costScale: countNoise * countNoise,
  }).map((i) => i * b);
  const countSegs = segmentsOf(countPoints, T, series);

  const summary = summarise(input, series);
  const moments = keyMoments({
    series,
    smoothed: smooth(series, 2),
    levelSegs,
    countSegs,
    questions: input.questions,
    threshold: input.threshold,
    minLowSec: Math.max(10, input.warningDurationSec),
    overallAvg: summary.avg ?? NaN,
    params,
  });
  return {
    summary,
    segments: levelSegs.map((s) => ({
      startT: s.start * 1000,
      endT: s.end * 1000,
      avg: orNull(s.avg),
      n: Math.round(s.n),
    })),
    keyMoments: moments,
    diagnostics: {
      noiseSigma: sigma,
      penalty,
      countNoise,
      levelSegments: levelSegs.length,
      countSegments: countSegs.length,
    },
  };
}

function summarise(input: AnalysisInput, series: DenseSeries): ReportSummary {
  const values: number[] = [];
  let below = 0;
  for (let t = 0; t < series.length; t++) {
    if (series.n[t]! <= 0) continue;
    const v = series.avg[t]!;
    values.push(v);
    if (v < input.threshold) below++;
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const has = values.length > 0;
  return {
    durationMs: Math.max(0, Math.round(input.durationMs)),
    participants: input.participants,
    signalled: input.signalled,
    signals: input.signals,
    avg: has ? orNull(sum / values.length) : null,
    median: has ? orNull(median(values)) : null,
    min: has ? round1(min) : null,
    max: has ? round1(max) : null,
    timeBelowThresholdMs: below * 1000,
    threshold: input.threshold,
    questions: {
      asked: input.questions.length,
      answered: input.questions.filter((q) => q.status === 'answered').length,
    },
  };
}
