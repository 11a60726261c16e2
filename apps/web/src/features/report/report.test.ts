import { describe, expect, it } from 'vitest';
import { clockOf, playbackHref } from './report-api';
import { graphData } from './ReportGraph';
import { REPORT_DICTS } from './strings';

describe('report page helpers', () => {
  it('links a moment to the playback at mm:ss', () => {
    expect(clockOf(545_000)).toBe('9:05');
    expect(clockOf(3_723_000)).toBe('1:02:03');
    expect(playbackHref('abc', 545_400)).toBe('/archive/abc?t=9:05');
  });

  it('puts each point beside its segment level', () => {
    const points = [0, 1000, 2000, 3000].map((t) => ({
      t,
      avg: 4,
      n: 3,
      counts: [0, 0, 0, 3, 0] as number[],
    }));
    const data = graphData(points as never, [
      { startT: 0, endT: 2000, avg: 4, n: 3 },
      { startT: 2000, endT: 4000, avg: 2, n: 3 },
    ]);
    expect(data[0]).toEqual([0, 1, 2, 3]);
    expect(data[2]).toEqual([4, 4, 2, 2]);
  });

  it('has every string in Japanese', () => {
    for (const key of Object.keys(REPORT_DICTS.en))
      expect(REPORT_DICTS.ja[key as keyof typeof REPORT_DICTS.ja]).toBeTruthy();
  });
});
