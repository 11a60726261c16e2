import { describe, expect, it } from 'vitest';
import type { Participant } from '@rstream/protocol';
import { applyLevelUpdate, applyParticipantList, averageOf } from './participant-levels';

const m = (o: Record<string, number>) => new Map(Object.entries(o));

describe('applyLevelUpdate', () => {
  it('replaces the whole map when the update is not partial', () => {
    const next = applyLevelUpdate(m({ a: 1, b: 2 }), {
      participants: [
        { participantId: 'b', level: 5 },
        { participantId: 'c', level: 3 },
        { participantId: 'd', level: null },
      ],
    });
    expect(Object.fromEntries(next)).toEqual({ b: 5, c: 3 });
  });

  it('applies a partial update as a delta; null removes', () => {
    const next = applyLevelUpdate(m({ a: 1, b: 2 }), {
      partial: true,
      participants: [
        { participantId: 'a', level: null },
        { participantId: 'c', level: 4 },
      ],
    });
    expect(Object.fromEntries(next)).toEqual({ b: 2, c: 4 });
  });

  it('keeps the same object when nothing changes (full or partial) or no list is given', () => {
    const map = m({ a: 1 });
    expect(applyLevelUpdate(map, { participants: [{ participantId: 'a', level: 1 }] })).toBe(map);
    expect(
      applyLevelUpdate(map, { partial: true, participants: [{ participantId: 'z', level: null }] }),
    ).toBe(map);
    expect(applyLevelUpdate(map, {})).toBe(map);
  });

  it('does not mutate its input', () => {
    const map = m({ a: 1 });
    applyLevelUpdate(map, { partial: true, participants: [{ participantId: 'a', level: 2 }] });
    expect(map.get('a')).toBe(1);
  });

  it('an empty full list clears everyone', () => {
    expect(applyLevelUpdate(m({ a: 1 }), { participants: [] }).size).toBe(0);
  });
});

describe('applyParticipantList', () => {
  it('uses the listed levels as a baseline without touching others', () => {
    const p = (participantId: string, level: number | null): Participant => ({
      participantId,
      level,
      displayName: null,
      ordinal: 1,
      role: 'listener',
      connected: true,
    });
    const next = applyParticipantList(m({ a: 1, x: 5 }), [p('a', 3), p('b', null), p('c', 2)]);
    expect(Object.fromEntries(next)).toEqual({ a: 3, x: 5, c: 2 });
  });
});

describe('averageOf', () => {
  it('averages or returns null', () => {
    expect(averageOf(m({ a: 1, b: 4 }))).toBe(2.5);
    expect(averageOf(new Map())).toBeNull();
  });
});
