import { describe, expect, it } from 'vitest';
import { initialMeter, meterReducer, type MeterAction, type MeterState } from './meter-reducer';

const run = (state: MeterState, ...actions: MeterAction[]) => actions.reduce(meterReducer, state);

describe('sticky meter', () => {
  const start = initialMeter('sticky');

  it('starts unset and keeps what the user picks', () => {
    expect(start.level).toBeNull();
    const s = run(start, { type: 'set', level: 4 }, { type: 'release' });
    expect(s.level).toBe(4);
    expect(s.userSeq).toBe(1);
  });

  it('arrows move one step per press from neutral, clamped to 1..5', () => {
    expect(run(start, { type: 'press', dir: -1 }).level).toBe(2);
    expect(run(start, { type: 'set', level: 5 }, { type: 'press', dir: 1 }).level).toBe(5);
    const s = run(start, { type: 'set', level: 2 }, { type: 'press', dir: -1 }, { type: 'press', dir: -1 });
    expect(s.level).toBe(1);
    expect(s.userSeq).toBe(2); // the second press changed nothing
  });

  it('ignores repeat ticks and releases', () => {
    const s = run(
      start,
      { type: 'press', dir: 1 },
      { type: 'repeat' },
      { type: 'repeat' },
      { type: 'release', source: 'arrow' },
    );
    expect(s.level).toBe(4);
  });

  it('restores the server level without counting it as a user change', () => {
    const s = run(start, { type: 'restore', level: 2 });
    expect(s).toMatchObject({ level: 2, userSeq: 0 });
    expect(run(start, { type: 'restore', level: null }).level).toBeNull();
  });
});

describe('momentary meter', () => {
  const start = initialMeter('momentary');

  it('rests at neutral 3', () => {
    expect(start.level).toBe(3);
  });

  it('holding an arrow moves one step, then keeps going on each repeat tick', () => {
    let s = run(start, { type: 'press', dir: -1 });
    expect(s.level).toBe(2);
    s = run(s, { type: 'repeat' });
    expect(s.level).toBe(1);
    s = run(s, { type: 'repeat' });
    expect(s.level).toBe(1);
    s = run(s, { type: 'release', source: 'arrow', dir: -1 });
    expect(s).toMatchObject({ level: 3, held: null });
  });

  it('releasing the other arrow does not end the hold', () => {
    const s = run(start, { type: 'press', dir: 1 }, { type: 'release', source: 'arrow', dir: -1 });
    expect(s.level).toBe(4);
    expect(s.held).toEqual({ kind: 'arrow', dir: 1 });
  });

  it('a held button or number key sets the level until released', () => {
    let s = run(start, { type: 'hold', level: 5, source: 'button' });
    expect(s.level).toBe(5);
    s = run(s, { type: 'release', source: 'key5' });
    expect(s.level).toBe(5);
    s = run(s, { type: 'release', source: 'button' });
    expect(s.level).toBe(3);
    expect(s.userSeq).toBe(2);
  });

  it('a blanket release (window blur) always returns to neutral', () => {
    expect(run(start, { type: 'press', dir: 1 }, { type: 'release' }).level).toBe(3);
  });

  it('after a reconnect, an idle momentary meter is neutral and corrects the server', () => {
    const s = run(start, { type: 'restore', level: 1 });
    expect(s.level).toBe(3);
    expect(s.userSeq).toBe(1);
    expect(run(start, { type: 'restore', level: 3 }).userSeq).toBe(0);
    const held = run(start, { type: 'press', dir: 1 }, { type: 'restore', level: 1 });
    expect(held.level).toBe(4);
  });

  it('switching style resets to neutral for momentary', () => {
    const sticky = run(initialMeter('sticky'), { type: 'set', level: 5 });
    const s = run(sticky, { type: 'setStyle', style: 'momentary' });
    expect(s).toMatchObject({ style: 'momentary', level: 3, held: null });
    expect(run(s, { type: 'press', dir: 1 }, { type: 'setStyle', style: 'sticky' })).toMatchObject({
      level: 4,
      held: null,
    });
  });
});
