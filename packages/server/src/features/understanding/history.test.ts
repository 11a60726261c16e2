import { describe, expect, it } from 'vitest';
import { chooseStep, downsample, listenerLines } from './history.js';

const row = (t_sec: number, avg: number | null, n: number, c: number[] = [0, 0, 0, 0, 0]) => ({
  t_sec,
  avg,
  n,
  c1: c[0]!,
  c2: c[1]!,
  c3: c[2]!,
  c4: c[3]!,
  c5: c[4]!,
});

describe('downsample', () => {
  it('keeps per-second rows at step 1000', () => {
    const pts = downsample([row(0, 3, 2), row(1, 4, 2)], 1000);
    expect(pts.map((p) => [p.t, p.avg, p.n])).toEqual([
      [0, 3, 2],
      [1000, 4, 2],
    ]);
  });
  it('weights the average by listeners and ends with the last counts', () => {
    const pts = downsample([row(0, 2, 1, [0, 1, 0, 0, 0]), row(1, 5, 3, [0, 0, 0, 0, 3])], 2000);
    expect(pts).toHaveLength(1);
    expect(pts[0]!.avg).toBe(4.25);
    expect(pts[0]!.n).toBe(2);
    expect(pts[0]!.counts).toEqual([0, 0, 0, 0, 3]);
  });
  it('treats empty seconds as null averages', () => {
    expect(downsample([row(0, null, 0)], 1000)[0]!.avg).toBeNull();
  });
});

describe('chooseStep', () => {
  it('never returns more than 2000 points', () => {
    expect(chooseStep(0, 3_600_000)).toBe(2000);
    expect(chooseStep(0, 60_000, 5000)).toBe(5000);
    expect(chooseStep(0, 60_000)).toBe(1000);
  });
});

describe('listenerLines', () => {
  it('keeps the last level per bucket and carries the level at the window start', () => {
    const lines = listenerLines(
      [
        { participantId: 'a', t: 100, level: 2 },
        { participantId: 'a', t: 5200, level: 4 },
        { participantId: 'a', t: 5900, level: 5 },
      ],
      5000,
      1000,
    );
    expect(lines.get('a')).toEqual([{ t: 5000, level: 5 }]);
  });
});
