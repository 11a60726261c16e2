import { describe, expect, it } from 'vitest';
import { durationText } from '../analysis/notes.js';
import { clock } from './export-strings.js';
import { momentsCsv, secondsCsv } from './report-csv.js';

describe('report exports', () => {
  it('writes the stored seconds as t_ms, avg, n, c1..c5, empty avg when nobody was counted', () => {
    const csv = secondsCsv([
      { t_sec: 0, avg: null, n: 0, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0 },
      { t_sec: 1, avg: 3.66666, n: 3, c1: 0, c2: 0, c3: 1, c4: 2, c5: 0 },
    ]);
    expect(csv).toBe('t_ms,avg,n,c1,c2,c3,c4,c5\n0,,0,0,0,0,0,0\n1000,3.667,3,0,0,1,2,0\n');
  });

  it('quotes notes with commas in the key-moment CSV', () => {
    const csv = momentsCsv([
      {
        id: 'drop-1000',
        kind: 'drop',
        startT: 1000,
        endT: 5000,
        fromAvg: 4,
        toAvg: 2,
        n: 10,
        nBefore: 10,
        participation: false,
        recoveryMs: null,
        questionIds: ['a', 'b'],
        note: 'fell, then rose',
        notes: { en: 'fell, then rose', ja: '下がった' },
      },
    ]);
    expect(csv.split('\n')[1]).toBe('drop-1000,drop,1000,5000,4,2,10,10,false,,a b,"fell, then rose"');
  });

  it('formats times and durations in both languages', () => {
    expect(clock(65_000)).toBe('1:05');
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(durationText(130_000)).toEqual({ en: '2 min 10 s', ja: '2分10秒' });
    expect(durationText(0)).toEqual({ en: '0 s', ja: '0秒' });
    expect(durationText(3_600_000)).toEqual({ en: '1 h', ja: '1時間' });
  });
});
