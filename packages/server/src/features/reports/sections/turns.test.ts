import { describe, expect, it } from 'vitest';
import { turnOf } from './turns.js';

const turn = (id: string, startT: number, endT: number | null) => ({
  id,
  speaker: id,
  participantId: null,
  startT,
  endT,
  avg: null,
  n: 0,
  delta: null,
});

describe('key moments attributed to turns', () => {
  const turns = [turn('alice', 0, 10_000), turn('bob', 10_000, 20_000)];
  it('reads the moment the reaction lag after the words', () => {
    // 11–12 s: Bob speaks, but the listeners are still reacting to Alice (lag 3 s)
    expect(turnOf(turns, 11_000, 12_000, 3000)?.id).toBe('alice');
    expect(turnOf(turns, 11_000, 12_000, 0)?.id).toBe('bob');
  });
  it('picks the turn that covers most of the moment; none outside every window', () => {
    expect(turnOf(turns, 12_000, 16_000, 3000)?.id).toBe('bob');
    expect(turnOf(turns, 1000, 2000, 3000)).toBeUndefined();
    expect(turnOf(turns, 24_000, 30_000, 3000)).toBeUndefined();
    // an instant moment: the window that holds it; an open turn runs on
    expect(turnOf([turn('open', 5000, null)], 60_000, 60_000, 3000)?.id).toBe('open');
  });
});
