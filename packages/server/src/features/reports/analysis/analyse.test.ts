import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisInput } from './analyse.js';
import { noiseSigma, optimalPartitioning, pelt } from './pelt.js';
import type { SecondPoint } from './series.js';
import { stickyAudience, steps, whiteNoiseSeries } from './synthetic.js';

const input = (seconds: SecondPoint[], extra: Partial<AnalysisInput> = {}): AnalysisInput => ({
  durationMs: seconds.length * 1000,
  seconds,
  questions: [],
  threshold: 2.5,
  warningDurationSec: 10,
  participants: 30,
  signalled: 30,
  signals: 100,
  ...extra,
});
const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

describe('pelt', () => {
  it('finds a single step exactly where it is, on clean and on noisy data', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i < 120 ? 4 : 2));
    const weights = values.map(() => 10);
    expect(pelt({ values, weights, penalty: 10, minSegment: 5 })).toEqual([120]);
    const noisy = whiteNoiseSeries({
      durationSec: 600,
      n: 30,
      mean: steps([
        [0, 4],
        [300, 3],
      ]),
      sigma: 1,
      seed: 1,
    });
    const v = noisy.map((p) => p.avg!);
    const w = noisy.map((p) => p.n);
    const sigma = noiseSigma(v, w, 5, 0.01);
    const cps = pelt({
      values: v,
      weights: w,
      penalty: 4 * Math.log(600),
      minSegment: 20,
      costScale: sigma * sigma * 30,
    });
    expect(cps.length).toBe(1);
    expect(near(cps[0]!, 300, 5)).toBe(true);
  });

  it('gives the same change points as the unpruned optimal partitioning', () => {
    const s = whiteNoiseSeries({
      durationSec: 400,
      n: (t) => 20 + (t % 7),
      mean: steps([
        [0, 3.5],
        [100, 2],
        [180, 4],
        [300, 3],
      ]),
      sigma: 1,
      seed: 7,
    });
    const args = {
      values: s.map((p) => p.avg!),
      weights: s.map((p) => p.n),
      penalty: 12,
      minSegment: 15,
      costScale: 1 / 25,
    };
    const pruned = pelt(args);
    expect(pruned).toEqual(optimalPartitioning(args));
    expect(pruned.length).toBeGreaterThanOrEqual(3);
  });

  it('honours the minimum segment length', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i >= 50 && i < 55 ? 1 : 4));
    const cps = pelt({ values, weights: values.map(() => 1), penalty: 1, minSegment: 10 });
    const bounds = [0, ...cps, 100];
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]! - bounds[i - 1]!).toBeGreaterThanOrEqual(10);
  });
});

describe('analyse', () => {
  it('a single step down: one drop at the step, no recovery', () => {
    const seconds = stickyAudience({
      durationSec: 900,
      listeners: 30,
      mean: steps([
        [0, 4],
        [400, 2.2],
      ]),
      seed: 2,
    });
    const r = analyse(input(seconds));
    const drops = r.keyMoments.filter((m) => m.kind === 'drop');
    expect(drops).toHaveLength(1);
    expect(near(drops[0]!.startT, 400_000, 30_000)).toBe(true);
    expect(drops[0]!.participation).toBe(false);
    expect(drops[0]!.fromAvg! - drops[0]!.toAvg!).toBeGreaterThan(1);
    expect(drops[0]!.recoveryMs).toBeNull();
    expect(r.keyMoments.some((m) => m.kind === 'recovery')).toBe(false);
    expect(drops[0]!.notes.en).toMatch(/fell from 4\.\d to 2\.\d/);
    expect(drops[0]!.notes.ja).toMatch(/下がりました/);
  });

  it('a dip and a recovery: both found, with the time it took and the questions around them', () => {
    const seconds = stickyAudience({
      durationSec: 1200,
      listeners: 40,
      mean: steps([
        [0, 4],
        [480, 2],
        [660, 4],
      ]),
      seed: 3,
    });
    const questions = [
      { id: 'q-before', t: 475_000, status: 'open' },
      { id: 'q-during', t: 520_000, status: 'answered' },
      { id: 'q-far', t: 100_000, status: 'open' },
    ];
    const r = analyse(input(seconds, { questions }));
    const drop = r.keyMoments.find((m) => m.kind === 'drop')!;
    const rec = r.keyMoments.find((m) => m.kind === 'recovery')!;
    expect(near(drop.startT, 480_000, 15_000)).toBe(true);
    expect(near(rec.startT, 660_000, 15_000)).toBe(true);
    expect(near(drop.recoveryMs!, 180_000 + (rec.endT - rec.startT), 30_000)).toBe(true);
    expect(drop.questionIds).toEqual(['q-before', 'q-during']);
    expect(drop.notes.en).toMatch(/questions were asked; it recovered after \d+ min/);
    // the low stretch is the dip
    const low = r.keyMoments.find((m) => m.kind === 'low')!;
    expect(near(low.startT, 480_000, 20_000)).toBe(true);
    expect(near(low.endT, 660_000, 20_000)).toBe(true);
    expect(r.summary.questions).toEqual({ asked: 3, answered: 1 });
    expect(near(r.summary.timeBelowThresholdMs, 180_000, 25_000)).toBe(true);
  });

  it('noise only: no key moments', () => {
    for (const seed of [11, 12, 13]) {
      const sticky = stickyAudience({ durationSec: 1200, listeners: 25, mean: () => 3.8, seed });
      expect(analyse(input(sticky)).keyMoments).toEqual([]);
      const white = whiteNoiseSeries({ durationSec: 1200, n: 25, mean: () => 3.8, sigma: 1, seed });
      expect(analyse(input(white)).keyMoments).toEqual([]);
    }
  });

  it('a dip in n alone is flagged as participation, not as lost understanding', () => {
    const seconds = whiteNoiseSeries({
      durationSec: 900,
      n: (t) => (t >= 300 && t < 500 ? 12 : 40),
      mean: () => 4,
      sigma: 0.8,
      seed: 5,
    });
    const r = analyse(input(seconds));
    const drops = r.keyMoments.filter((m) => m.kind === 'drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]!.participation).toBe(true);
    expect(near(drops[0]!.startT, 300_000, 15_000)).toBe(true);
    expect(drops[0]!.nBefore).toBeGreaterThan(30);
    expect(drops[0]!.n).toBeLessThan(20);
    expect(drops[0]!.notes.en).toMatch(/Fewer listeners signalled/);
    expect(drops[0]!.notes.ja).toMatch(/聴き手が減りました/);
  });

  it('3 hours at 1 Hz with 1,000 listeners: analysed in well under a second', () => {
    const seconds = whiteNoiseSeries({
      durationSec: 3 * 3600,
      n: 1000,
      mean: steps([
        [0, 4],
        [3000, 2.5],
        [3600, 4],
        [7000, 3],
        [9000, 4.2],
      ]),
      sigma: 1,
      seed: 9,
    });
    const started = performance.now();
    const r = analyse(input(seconds));
    const took = performance.now() - started;
    expect(took).toBeLessThan(1000);
    const drops = r.keyMoments.filter((m) => m.kind === 'drop').map((m) => m.startT / 1000);
    expect(drops.some((t) => near(t, 3000, 15))).toBe(true);
    expect(drops.some((t) => near(t, 7000, 15))).toBe(true);
  });

  it('missing seconds carry the last state; nobody counted gives an empty summary', () => {
    const r = analyse(input([], { durationMs: 60_000 }));
    expect(r.summary.avg).toBeNull();
    expect(r.keyMoments).toEqual([]);
    expect(r.segments).toHaveLength(1);
    const sparse = analyse(
      input(
        [
          { t: 0, avg: 4, n: 10 },
          { t: 30, avg: 2, n: 10 },
        ],
        { durationMs: 60_000 },
      ),
    );
    expect(sparse.summary.timeBelowThresholdMs).toBe(30_000);
  });
});
