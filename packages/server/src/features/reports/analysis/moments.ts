import type { AnalysisParams, KeyMoment } from '@rstream/protocol';
import { dropNote, lowNote, participationNote, peakNote, recoveryNote } from './notes.js';
import { meanN, orNull, weightedMean, type DenseSeries } from './series.js';

/** A segment of the dense series, in seconds [start, end). */
export interface Seg {
  start: number;
  end: number;
  avg: number;
  n: number;
}

export interface MomentContext {
  series: DenseSeries;
  /** 5-s centred moving average: the timing of each change within its segments */
  smoothed: Float64Array;
  levelSegs: Seg[];
  countSegs: Seg[];
  questions: { id: string; t: number | null }[];
  threshold: number;
  minLowSec: number;
  overallAvg: number;
  params: AnalysisParams;
}

type Draft = Omit<KeyMoment, 'note' | 'questionIds'> & { questionIds?: string[] };

function questionsNear(ctx: MomentContext, startT: number, endT: number): string[] {
  const from = startT - ctx.params.questionsBeforeMs;
  const to = endT + ctx.params.questionsAfterMs;
  return ctx.questions.filter((q) => q.t !== null && q.t >= from && q.t <= to).map((q) => q.id);
}

/** Last second in [from, to] where `pred` holds on the smoothed series (`fallback` when none). */
function lastWhere(
  s: Float64Array,
  from: number,
  to: number,
  pred: (x: number) => boolean,
  fallback: number,
) {
  for (let t = Math.min(to, s.length - 1); t >= Math.max(0, from); t--) if (pred(s[t]!)) return t;
  return fallback;
}
function firstWhere(
  s: Float64Array,
  from: number,
  to: number,
  pred: (x: number) => boolean,
  fallback: number,
) {
  for (let t = Math.max(0, from); t <= Math.min(to, s.length - 1); t++) if (pred(s[t]!)) return t;
  return fallback;
}

/** Extends a descent from segs[i] on, through rises smaller than `tolerance`; returns the trough index. */
function troughFrom(segs: Seg[], i: number, tolerance: number, key: 'avg' | 'n' = 'avg'): number {
  let j = i;
  for (let k = i + 1; k < segs.length; k++) {
    if (segs[k]![key] < segs[j]![key]) j = k;
    else if (segs[k]![key] - segs[j]![key] >= tolerance) break;
  }
  return j;
}

function levelDrops(ctx: MomentContext): Draft[] {
  const { levelSegs: L, params: p, smoothed: sm, series } = ctx;
  const out: Draft[] = [];
  let i = 1;
  while (i < L.length) {
    if (!(L[i]!.avg < L[i - 1]!.avg)) {
      i++;
      continue;
    }
    const before = L[i - 1]!;
    const j = troughFrom(L, i, p.minShift / 2);
    const trough = L[j]!;
    const fall = before.avg - trough.avg;
    if (fall < p.minShift) {
      i++;
      continue;
    }
    // when did it actually fall: last second still near the old level, first one near the new
    const start = lastWhere(sm, before.start, trough.start, (x) => x >= before.avg - 0.2 * fall, L[i]!.start);
    const reached = firstWhere(sm, start, trough.end - 1, (x) => x <= trough.avg + 0.2 * fall, trough.start);
    const nDuring = meanN(series, reached, trough.end);
    const participation = nDuring <= (1 - p.participationDrop) * before.n;
    const drop: Draft = {
      id: `drop-${start * 1000}`,
      kind: 'drop',
      startT: start * 1000,
      endT: Math.max(reached, start + 1) * 1000,
      fromAvg: orNull(before.avg),
      toAvg: orNull(trough.avg),
      n: Math.round(nDuring),
      nBefore: Math.round(before.n),
      participation,
      recoveryMs: null,
      notes: { en: '', ja: '' },
    };
    out.push(drop);
    // recovery: the first later segment back within recoveryFraction of the fall
    const target = trough.avg + p.recoveryFraction * fall;
    let k = j + 1;
    while (k < L.length && L[k]!.avg < target) k++;
    if (k < L.length) {
      const back = L[k]!;
      const rise = back.avg - trough.avg;
      const rStart = lastWhere(sm, trough.start, back.start, (x) => x <= trough.avg + 0.2 * rise, back.start);
      const rEnd = firstWhere(sm, rStart, back.end - 1, (x) => x >= back.avg - 0.2 * rise, back.start);
      const recoveryMs = (rEnd - start) * 1000;
      drop.recoveryMs = recoveryMs;
      out.push({
        id: `recovery-${rStart * 1000}`,
        kind: 'recovery',
        startT: rStart * 1000,
        endT: Math.max(rEnd, rStart + 1) * 1000,
        fromAvg: orNull(trough.avg),
        toAvg: orNull(back.avg),
        n: Math.round(meanN(series, rEnd, back.end)),
        nBefore: Math.round(trough.n),
        participation: false,
        recoveryMs,
        notes: { en: '', ja: '' },
      });
      i = k;
    } else {
      i = L.length;
    }
  }
  return out;
}

/** Falls in how many listeners signal, where the level itself did not fall (or is not explained). */
function participationDrops(ctx: MomentContext, existing: Draft[]): Draft[] {
  const { countSegs: N, params: p, series } = ctx;
  const out: Draft[] = [];
  for (let i = 1; i < N.length; i++) {
    const before = N[i - 1]!;
    if (!(N[i]!.n < before.n)) continue;
    const j = troughFrom(N, i, Math.max(1, before.n * 0.05), 'n');
    const trough = N[j]!;
    if (trough.n > (1 - p.participationDrop) * before.n || before.n - trough.n < 2) continue;
    const startT = trough.start * 1000;
    const endT = trough.end * 1000;
    const overlapping = existing.find(
      (m) => m.kind === 'drop' && m.startT < endT && m.endT + 60_000 > startT,
    );
    if (overlapping) {
      overlapping.participation = true;
      i = j;
      continue;
    }
    out.push({
      id: `drop-${startT}`,
      kind: 'drop',
      startT,
      endT,
      fromAvg: orNull(weightedMean(series, before.start, before.end)),
      toAvg: orNull(weightedMean(series, trough.start, trough.end)),
      n: Math.round(trough.n),
      nBefore: Math.round(before.n),
      participation: true,
      recoveryMs: null,
      notes: { en: '', ja: '' },
    });
    i = j;
  }
  return out;
}

/** The longest stretches below the warning threshold (short rises bridged), longest first. */
function lows(ctx: MomentContext): Draft[] {
  const { series, threshold, params: p } = ctx;
  const stretches: [number, number][] = [];
  let start = -1;
  let lastBelow = -1;
  for (let t = 0; t <= series.length; t++) {
    const below = t < series.length && series.n[t]! > 0 && series.avg[t]! < threshold;
    if (below) {
      if (start < 0 || t - lastBelow - 1 > p.lowGapSec) {
        if (start >= 0) stretches.push([start, lastBelow + 1]);
        start = t;
      }
      lastBelow = t;
    }
  }
  if (start >= 0) stretches.push([start, lastBelow + 1]);
  return stretches
    .filter(([s, e]) => e - s >= ctx.minLowSec)
    .sort((a, b) => b[1] - b[0] - (a[1] - a[0]) || a[0] - b[0])
    .slice(0, p.maxLowMoments)
    .map(([s, e]) => ({
      id: `low-${s * 1000}`,
      kind: 'low' as const,
      startT: s * 1000,
      endT: e * 1000,
      fromAvg: orNull(weightedMean(series, s - 30, s)),
      toAvg: orNull(weightedMean(series, s, e)),
      n: Math.round(meanN(series, s, e)),
      nBefore: Math.round(meanN(series, s - 30, s)),
      participation: false,
      notes: { en: '', ja: '' },
    }));
}

function peak(ctx: MomentContext): Draft[] {
  const L = ctx.levelSegs.filter((s) => Number.isFinite(s.avg));
  if (L.length < 2) return [];
  let top = 0;
  for (let i = 1; i < L.length; i++) if (L[i]!.avg > L[top]!.avg) top = i;
  const seg = L[top]!;
  // it must stand out from the session and from the segments on either side of it
  const sides = [L[top - 1], L[top + 1]].filter((s): s is Seg => s !== undefined);
  const sideAvg = sides.reduce((a, s) => a + s.avg, 0) / sides.length;
  const margin = ctx.params.minShift / 2;
  if (seg.avg - ctx.overallAvg < margin || seg.avg - sideAvg < margin) return [];
  return [
    {
      id: `peak-${seg.start * 1000}`,
      kind: 'peak',
      startT: seg.start * 1000,
      endT: seg.end * 1000,
      fromAvg: top > 0 ? orNull(L[top - 1]!.avg) : null,
      toAvg: orNull(seg.avg),
      n: Math.round(seg.n),
      nBefore: top > 0 ? Math.round(L[top - 1]!.n) : 0,
      participation: false,
      notes: { en: '', ja: '' },
    },
  ];
}

/** Every key moment, in time order, with its questions and notes. */
export function keyMoments(ctx: MomentContext): Omit<KeyMoment, 'note'>[] {
  const drops = levelDrops(ctx);
  const all = [...drops, ...participationDrops(ctx, drops), ...lows(ctx), ...peak(ctx)];
  const out = all.map((m) => {
    const questionIds = questionsNear(ctx, m.startT, m.endT);
    return { ...m, questionIds, notes: noteOf(m, questionIds.length, ctx.threshold) };
  });
  return out.sort((a, b) => a.startT - b.startT || a.kind.localeCompare(b.kind));
}

function noteOf(m: Draft, questions: number, threshold: number) {
  switch (m.kind) {
    case 'drop':
      return m.participation
        ? participationNote({ nBefore: m.nBefore, n: m.n, fromAvg: m.fromAvg, toAvg: m.toAvg })
        : dropNote({
            fromAvg: m.fromAvg,
            toAvg: m.toAvg,
            fallMs: m.endT - m.startT,
            questions,
            recoveryMs: m.recoveryMs ?? null,
          });
    case 'recovery':
      return recoveryNote({
        fromAvg: m.fromAvg,
        toAvg: m.toAvg,
        riseMs: m.endT - m.startT,
        recoveryMs: m.recoveryMs ?? 0,
        questions,
      });
    case 'low':
      return lowNote({ threshold, lengthMs: m.endT - m.startT, mean: m.toAvg, questions });
    case 'peak':
      return peakNote({ avg: m.toAvg, lengthMs: m.endT - m.startT, n: m.n });
  }
}
