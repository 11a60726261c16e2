import { describe, expect, it } from 'vitest';
import { LINE_TRACK_LIMIT, MAX_POINTS, Timeline } from './timeline';

const lv = (o: Record<string, number>) => new Map(Object.entries(o));

describe('Timeline', () => {
  it('adds points with bands and per-listener lines that start late', () => {
    const tl = new Timeline();
    tl.addPoint(0, 3, 1, [0, 0, 1, 0, 0], lv({ a: 3 }));
    tl.addPoint(250, 4, 2, [0, 0, 1, 0, 1], lv({ a: 3, b: 5 }));
    tl.addPoint(500, 5, 1, [0, 0, 0, 0, 1], lv({ b: 5 }));
    expect(tl.series('line:a')).toEqual([3, 3, null]);
    expect(tl.series('line:b')).toEqual([null, 5, 5]);
    expect(tl.p25).toEqual([3, 3, 5]);
    expect(tl.max).toEqual([3, 5, 5]);
  });

  it('replaces a point at the same t and drops older ones', () => {
    const tl = new Timeline();
    tl.addPoint(1000, 2, 1, null);
    tl.addPoint(1000, 4, 1, null);
    expect(tl.addPoint(500, 1, 1, null)).toBe(false);
    expect(tl.avg).toEqual([4]);
  });

  it('stops tracking lines for large audiences', () => {
    const tl = new Timeline();
    const many = new Map(Array.from({ length: LINE_TRACK_LIMIT + 1 }, (_, i) => [`p${i}`, 3]));
    tl.addPoint(0, 3, many.size, [0, 0, many.size, 0, 0], many);
    expect(tl.trackLines).toBe(false);
    expect(tl.lines.size).toBe(0);
  });

  it('loads history, lining per-listener points up with the buckets', () => {
    const tl = new Timeline();
    tl.loadHistory({
      step: 1000,
      points: [
        { t: 0, avg: 2, n: 1, counts: [0, 1, 0, 0, 0] },
        { t: 1000, avg: 3, n: 2, counts: [0, 1, 0, 1, 0] },
        { t: 2000, avg: null, n: 0, counts: [0, 0, 0, 0, 0] },
        { t: 3000, avg: 3, n: 1, counts: [0, 0, 1, 0, 0] },
      ],
      participants: [
        {
          participantId: 'a',
          displayName: 'A',
          points: [
            { t: 0, level: 2 },
            { t: 1500, level: 4 },
          ],
        },
        { participantId: 'b', displayName: 'B', points: [{ t: 2000, level: 5 }] },
      ],
    });
    expect(tl.t).toEqual([0, 1000, 2000, 3000]);
    // sparse points: a level holds until the next one (and to the end)
    expect(tl.series('line:a')).toEqual([2, 4, 4, 4]);
    expect(tl.series('line:b')).toEqual([null, null, 5, 5]);
    expect(tl.p25[2]).toBeNull();
  });

  it('builds uPlot data in seconds and extends to now', () => {
    const tl = new Timeline();
    tl.addPoint(0, 3, 1, null);
    tl.addPoint(2000, 4, 1, null);
    expect(tl.toAligned(['avg'], 5000)).toEqual([
      [0, 2, 5],
      [3, 4, 4],
    ]);
    expect(tl.toAligned(['avg'], 1000)).toEqual([
      [0, 2],
      [3, 4],
    ]);
  });

  it('merges old points into coarser buckets when it grows too long', () => {
    const tl = new Timeline();
    for (let i = 0; i <= MAX_POINTS; i++)
      tl.addPoint(i * 250, (i % 5) + 1, 1, null, new Map([['a', (i % 5) + 1]]));
    expect(tl.length).toBeLessThanOrEqual(MAX_POINTS / 2);
    // the last point of each second survives, lines stay aligned
    expect(tl.t.slice(0, 3)).toEqual([750, 1750, 2750]);
    expect(tl.series('line:a')).toHaveLength(tl.length);
    expect(tl.lastT()).toBe(MAX_POINTS * 250);
  });
});
