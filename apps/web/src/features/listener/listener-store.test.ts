import { describe, expect, it } from 'vitest';
import { ListenerStore, ME_KEY } from './listener-store';

const start = Date.parse('2030-01-01T10:00:00Z');

describe('ListenerStore', () => {
  it('draws my own line locally and keeps it in step with audience updates', () => {
    const store = new ListenerStore(
      { status: 'live', startedAt: new Date(start).toISOString(), endsAt: null },
      'me',
    );
    store.recordMyLevel(4, start + 1000);
    store.handle({
      type: 'understanding:update',
      t: 2000,
      ts: 0,
      seq: 1,
      avg: 3.5,
      n: 2,
      counts: [0, 0, 1, 1, 0],
    });
    // a local clock slightly behind the server's never goes back in time
    store.recordMyLevel(2, start + 1500);
    expect(store.timeline.t).toEqual([1000, 2000]);
    expect(store.timeline.series(`line:${ME_KEY}`)).toEqual([4, 2]);
    expect(store.timeline.avg).toEqual([null, 3.5]);
    expect(store.getSnapshot().avg).toBe(3.5);
  });

  it('does not draw before the start and computes the time left', () => {
    const store = new ListenerStore({ status: 'scheduled', startedAt: null, endsAt: null }, null);
    store.recordMyLevel(3, start);
    expect(store.timeline.length).toBe(0);
    store.handle({
      type: 'session:status',
      status: 'live',
      startedAt: new Date(start).toISOString(),
      endsAt: new Date(start + 60_000).toISOString(),
    });
    expect(store.timeLeftMs(start + 15_000)).toBe(45_000);
    expect(store.nowT(start + 15_000)).toBe(15_000);
  });
});
