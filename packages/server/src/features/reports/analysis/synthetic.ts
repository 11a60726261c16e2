import type { SecondPoint } from './series.js';

/** Synthetic sessions with known change points: the unit tests' and the benchmark's input. */

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A standard normal draw (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * `listeners` people, each with a sticky level that they revise every `revisitSec` seconds
 * on average, towards mean(t) + their own bias + noise: how a real audience's signals look
 * (levels rounded to 1–5, mostly unchanged from one second to the next).
 */
export function stickyAudience(opts: {
  durationSec: number;
  listeners: number | ((t: number) => number);
  mean: (t: number) => number;
  seed: number;
  revisitSec?: number;
  spread?: number;
}): SecondPoint[] {
  const random = rng(opts.seed);
  const revisit = opts.revisitSec ?? 20;
  const spread = opts.spread ?? 0.6;
  const maxListeners = typeof opts.listeners === 'number' ? opts.listeners : opts.listeners(0);
  const people = Array.from({ length: Math.max(maxListeners, 1) }, () => ({
    bias: gaussian(random) * 0.4,
    level: 0,
    next: Math.floor(random() * 10),
  }));
  const counts = [0, 0, 0, 0, 0, 0];
  const out: SecondPoint[] = [];
  for (let t = 0; t < opts.durationSec; t++) {
    const present = typeof opts.listeners === 'number' ? opts.listeners : Math.round(opts.listeners(t));
    for (let i = 0; i < people.length; i++) {
      const p = people[i]!;
      if (i >= present) {
        if (p.level) counts[p.level]!--;
        p.level = 0;
        continue;
      }
      if (p.level && t < p.next) continue;
      const level = Math.min(5, Math.max(1, Math.round(opts.mean(t) + p.bias + gaussian(random) * spread)));
      if (p.level) counts[p.level]!--;
      p.level = level;
      counts[level]!++;
      p.next = t + 1 + Math.floor(random() * 2 * revisit);
    }
    let n = 0;
    let sum = 0;
    for (let l = 1; l <= 5; l++) {
      n += counts[l]!;
      sum += l * counts[l]!;
    }
    out.push({ t, avg: n ? sum / n : null, n });
  }
  return out;
}

/** avg = mean(t) + white noise of σ/√n: the textbook case. */
export function whiteNoiseSeries(opts: {
  durationSec: number;
  n: number | ((t: number) => number);
  mean: (t: number) => number;
  sigma: number;
  seed: number;
}): SecondPoint[] {
  const random = rng(opts.seed);
  const out: SecondPoint[] = [];
  for (let t = 0; t < opts.durationSec; t++) {
    const n = typeof opts.n === 'number' ? opts.n : Math.round(opts.n(t));
    const avg = Math.min(5, Math.max(1, opts.mean(t) + (gaussian(random) * opts.sigma) / Math.sqrt(n)));
    out.push({ t, avg, n });
  }
  return out;
}

/** A mean that steps from `from` to `to` at each listed time (seconds), piecewise constant. */
export function steps(levels: [number, number][]): (t: number) => number {
  return (t) => {
    let v = levels[0]![1];
    for (const [at, level] of levels) if (t >= at) v = level;
    return v;
  };
}
