import { describe, expect, it } from 'vitest';
import {
  speakerTotals,
  turnFigures,
  windowFigures,
  type SecondRow,
  type SignalPoint,
} from './turn-figures.js';

/** Rows for seconds [from, to) with the given listeners' levels (one count per level). */
function rows(from: number, to: number, levels: (s: number) => number[]): SecondRow[] {
  const out: SecondRow[] = [];
  for (let s = from; s < to; s++) {
    const c = [0, 0, 0, 0, 0];
    for (const l of levels(s)) c[l - 1]!++;
    out.push({ t_sec: s, n: levels(s).length, c1: c[0]!, c2: c[1]!, c3: c[2]!, c4: c[3]!, c5: c[4]! });
  }
  return out;
}

describe('turn figures', () => {
  // Alice (the speaker) holds 5; Bob and Carol sit at 2 until 20 s, then react with 4.
  const seconds = rows(0, 40, (s) => [5, s < 20 ? 2 : 4, s < 20 ? 2 : 4]);
  const alice: SignalPoint[] = [{ participantId: 'alice', t: 500, level: 5 }];
  const turn = { id: 't1', speaker: 'Alice', participantId: 'alice', startT: 10_000, endT: 20_000 };

  it('leaves the speaker’s own signals out of their turn', () => {
    const [f] = turnFigures([turn], seconds, alice, 0, 40_000);
    expect(f!.avg).toBe(2);
    expect(f!.n).toBe(2);
    // a named speaker who is not a participant excludes nobody
    const [named] = turnFigures([{ ...turn, participantId: null }], seconds, alice, 0, 40_000);
    expect(named!.avg).toBe(3);
    expect(named!.n).toBe(3);
  });

  it('reads the turn the reaction lag later', () => {
    // [13 s, 23 s): seconds 13–19 at 2, 20–22 at 4 → (7·2 + 3·4) / 10
    const [f] = turnFigures([turn], seconds, alice, 3000, 40_000);
    expect(f!.avg).toBe(2.6);
    expect(f!.seconds).toBe(10);
  });

  it('compares against the 10 s before the turn', () => {
    const later = { ...turn, id: 't2', startT: 25_000, endT: 30_000 };
    const [f] = turnFigures([later], seconds, alice, 0, 40_000);
    // during: 4; before (15–24 s): five at 2, five at 4 → 3
    expect(f!.avg).toBe(4);
    expect(f!.delta).toBe(1);
  });

  it('subtracts the speaker at the level they had in each second', () => {
    const changing: SignalPoint[] = [
      { participantId: 'alice', t: 0, level: 1 },
      { participantId: 'alice', t: 5_500, level: 3 },
    ];
    const s = rows(0, 10, (sec) => [sec < 5 ? 1 : 3, 5]);
    const f = windowFigures(s, 0, 10_000, changing);
    expect(f.avg).toBe(5);
    expect(f.n).toBe(1);
  });

  it('an open turn runs until now; no listeners gives no average', () => {
    const open = { ...turn, endT: null };
    const [f] = turnFigures(
      [open],
      rows(0, 12, () => []),
      [],
      0,
      12_000,
    );
    expect(f!.avg).toBeNull();
    expect(f!.n).toBe(0);
    expect(f!.delta).toBeNull();
  });

  it('totals each speaker: time, time-weighted average, best and worst turn', () => {
    const turns = turnFigures(
      [
        { id: 'a1', speaker: 'Alice', participantId: 'alice', startT: 10_000, endT: 20_000 },
        { id: 'b1', speaker: 'Bob', participantId: 'bob', startT: 20_000, endT: 25_000 },
        { id: 'a2', speaker: 'Alice', participantId: 'alice', startT: 30_000, endT: 35_000 },
      ],
      seconds,
      alice,
      0,
      40_000,
    );
    const totals = speakerTotals(turns, 40_000);
    const a = totals.find((t) => t.speaker === 'Alice')!;
    expect(a.turns).toBe(2);
    expect(a.speakingMs).toBe(15_000);
    // a1: 10 s at 2; a2: 5 s at 4 → (20 + 20) / 15
    expect(a.avg).toBe(2.667);
    expect(a.best).toEqual({ turnId: 'a2', avg: 4 });
    expect(a.worst).toEqual({ turnId: 'a1', avg: 2 });
    expect(totals[0]!.speaker).toBe('Alice');
  });
});
