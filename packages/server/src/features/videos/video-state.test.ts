import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Bus } from '../../platform/bus.js';
import type { Hub } from '../../realtime/hub.js';
import type { Room } from '../../realtime/room.js';
import { createVideoStates } from './video-state.js';
import type { VideoState } from './video-timeline.js';
import type { VideosRepo } from './videos-repo.js';

const state = (seq: number, positionMs: number): VideoState => ({
  videoId: 'v1',
  playing: true,
  positionMs,
  rate: 1,
  serverTime: 1_000,
  seq,
});

/** One video room, a stored state the test moves behind this instance's back (a lost bus message). */
function setup() {
  let stored = state(1, 10_000);
  const reads: string[] = [];
  const delivered: unknown[] = [];
  const repo = {
    getState: async () => (reads.push('state'), stored),
    stateSeq: async () => (reads.push('seq'), stored.seq),
    casState: async () => true,
  } as unknown as VideosRepo;
  const room = {
    id: 's1',
    row: { mode: 'video' },
    settings: { video: { videoId: 'v1' } },
    speakers: new Set([{}]),
    listeners: new Set(),
  } as unknown as Room;
  const hub = {
    rooms: new Map([['s1', room]]),
    deliver: (_r: Room, frame: unknown) => delivered.push(frame),
  } as unknown as Hub;
  const bus = { publish: async () => {} } as unknown as Bus;
  const states = createVideoStates({
    repo,
    hub,
    bus,
    instanceId: 'b',
    log: pino({ level: 'silent' }),
    durationOf: async () => 600_000,
  });
  return {
    states,
    room,
    reads,
    delivered,
    moveStored: (s: VideoState) => void (stored = s),
  };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('video states: event-driven, catching up only when the bus may have lost messages', () => {
  it('no database reads while the bus works; a lost message is caught up while degraded and once on recovery', async () => {
    const t = setup();
    await t.states.current(t.room);
    expect(t.states.cache.get('s1')!.state.seq).toBe(1);
    t.reads.length = 0;

    // the bus works: a minute of seconds reads nothing
    for (let s = 0; s < 60; s++) t.states.maybeCatchUp(10_000 + s * 1000, false);
    await settle();
    expect(t.reads).toEqual([]);

    // another instance changed the state and its bus message was lost; Redis is unreachable
    t.moveStored(state(2, 200_000));
    t.states.maybeCatchUp(100_000, true);
    await settle();
    await settle();
    expect(t.states.cache.get('s1')!.state.seq).toBe(2);
    expect(t.delivered.length).toBe(1);
    // still degraded: at most every 2 s
    t.reads.length = 0;
    t.states.maybeCatchUp(101_000, true);
    await settle();
    expect(t.reads).toEqual([]);

    // lost again, and the others are reachable once more: one catch-up then, none after
    t.moveStored(state(3, 205_000));
    t.states.maybeCatchUp(101_500, false);
    await settle();
    await settle();
    expect(t.states.cache.get('s1')!.state.seq).toBe(3);
    t.reads.length = 0;
    t.states.maybeCatchUp(110_000, false);
    await settle();
    expect(t.reads).toEqual([]);
  });

  it('a bus message from another instance is adopted when newer, never going back', () => {
    const t = setup();
    const msg = (seq: number, i = 'a') =>
      JSON.stringify({ id: 's1', s: state(seq, seq * 1000), d: 600_000, i });
    t.states.onBus(msg(4));
    t.states.onBus(msg(3));
    t.states.onBus(msg(9, 'b')); // its own
    expect(t.states.cache.get('s1')!.state.seq).toBe(4);
    expect(t.delivered.length).toBe(1);
    t.states.onBus('not json');
    expect(t.states.cache.get('s1')!.state.seq).toBe(4);
  });
});
