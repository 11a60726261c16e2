import { describe, expect, it } from 'vitest';
import type { Participant } from '@rstream/protocol';
import { SpeakerStore, spansFromHistory } from './speaker-store';

const participant = (participantId: string, level: number | null, connected = true): Participant => ({
  participantId,
  displayName: participantId.toUpperCase(),
  ordinal: 1,
  role: 'listener',
  connected,
  level,
});

const update = (
  t: number,
  avg: number | null,
  participants?: { participantId: string; level: number | null }[],
  partial?: boolean,
) => ({
  type: 'understanding:update' as const,
  t,
  ts: 0,
  seq: t,
  avg,
  n: participants?.length ?? 0,
  counts: [0, 0, 0, 0, 0] as [number, number, number, number, number],
  participants,
  partial,
});

describe('SpeakerStore', () => {
  it('seeds levels from the participants message and follows updates', () => {
    const store = new SpeakerStore({
      status: 'live',
      startedAt: new Date(0).toISOString(),
      endsAt: null,
      endedAt: null,
    });
    store.handle({ type: 'participants', participants: [participant('a', 4), participant('b', null)] });
    expect(store.currentAverage()).toBe(4);
    store.handle(
      update(1000, 3, [
        { participantId: 'a', level: 2 },
        { participantId: 'b', level: 4 },
      ]),
    );
    expect(Object.fromEntries(store.getSnapshot().levels)).toEqual({ a: 2, b: 4 });
    expect(store.currentAverage()).toBe(3);
    store.handle(update(1250, 4, [{ participantId: 'a', level: null }], true));
    expect(Object.fromEntries(store.getSnapshot().levels)).toEqual({ b: 4 });
    expect(store.timeline.series('line:a')).toEqual([2, null]);
  });

  it('opens and closes warning spans and follows the status', () => {
    const store = new SpeakerStore({ status: 'scheduled', startedAt: null, endsAt: null, endedAt: null });
    store.handle({
      type: 'session:status',
      status: 'live',
      startedAt: new Date(0).toISOString(),
      endsAt: null,
      endedAt: null,
    });
    store.handle({ type: 'warning', active: true, t: 10_000, avg: 2 });
    expect(store.getSnapshot()).toMatchObject({ status: 'live', warningActive: true, warningAvg: 2 });
    store.handle({ type: 'warning', active: false, t: 15_000, avg: 3 });
    expect(store.warningSpans).toEqual([{ from: 10_000, to: 15_000 }]);
    // a new warning right after the last one continues it
    store.handle({ type: 'warning', active: true, t: 17_000, avg: 2 });
    expect(store.warningSpans).toEqual([{ from: 10_000, to: null }]);
  });

  it('measures time on the server clock and stops at the end', () => {
    const store = new SpeakerStore({
      status: 'ended',
      startedAt: new Date(1_000).toISOString(),
      endsAt: null,
      endedAt: new Date(61_000).toISOString(),
    });
    expect(store.nowT(999_999)).toBe(60_000);
  });
});

describe('spansFromHistory', () => {
  const pt = (t: number, avg: number | null) => ({
    t,
    avg,
    n: avg === null ? 0 : 3,
    counts: [0, 0, 0, 0, 0] as [number, number, number, number, number],
  });
  it('marks where the average stayed below the threshold long enough', () => {
    const history = {
      step: 1000,
      points: [pt(0, 4), pt(1000, 2), pt(2000, 2), pt(3000, 2), pt(4000, 4), pt(5000, 2), pt(6000, 4)],
    };
    expect(spansFromHistory(history, 2.5, 2)).toEqual([{ from: 3000, to: 4000 }]);
  });
  it('keeps a span open to the end of the history and ignores empty buckets', () => {
    const history = { step: 1000, points: [pt(0, null), pt(1000, 2), pt(2000, 2)] };
    expect(spansFromHistory(history, 2.5, 1)).toEqual([{ from: 2000, to: 3000 }]);
  });

  it("an ended session's final figures: duration, last average, time-weighted mean up to the end only", () => {
    const start = Date.parse('2026-01-01T10:00:00Z');
    const store = new SpeakerStore({
      status: 'ended',
      startedAt: new Date(start).toISOString(),
      endsAt: null,
      endedAt: new Date(start + 4000).toISOString(),
    });
    const counts = [0, 0, 0, 0, 0] as [number, number, number, number, number];
    store.loadHistory({
      step: 1000,
      points: [
        { t: 0, avg: null, n: 0, counts },
        { t: 1000, avg: 2, n: 1, counts },
        { t: 2000, avg: 4, n: 2, counts },
        { t: 3000, avg: 4, n: 2, counts },
      ],
    });
    // the room's state sent on connecting, long after the end: not part of the session
    store.handle(update(600_000, 1, [{ participantId: 'a', level: 1 }]));
    const f = store.finalFigures();
    expect(f.durationMs).toBe(4000);
    expect(f.finalAvg).toBe(4);
    expect(f.meanAvg).toBeCloseTo((2 + 4 + 4) / 3, 6);
  });
});
