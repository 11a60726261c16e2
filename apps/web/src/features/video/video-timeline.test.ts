import { describe, expect, it } from 'vitest';
import { VideoTimeline } from './video-timeline';

describe('VideoTimeline', () => {
  it('puts updates on the video second they were given at, paused ones flagged and apart', () => {
    const tl = new VideoTimeline();
    expect(tl.add({ avg: 3, n: 1 })).toBe(false); // not a video session's update
    tl.add(
      { videoMs: 1_200, videoPlaying: true, avg: 4, n: 2 },
      new Map([
        ['a', 4],
        ['b', 4],
      ]),
    );
    tl.add(
      { videoMs: 2_900, videoPlaying: true, avg: 3, n: 2 },
      new Map([
        ['a', 4],
        ['b', 2],
      ]),
    );
    tl.add(
      { videoMs: 2_950, videoPlaying: false, avg: 2, n: 2 },
      new Map([
        ['a', 2],
        ['b', 2],
      ]),
    );
    tl.add(
      { videoMs: 5_000, videoPlaying: false, avg: 1.5, n: 2 },
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    const [xs, avg, paused, a, b, cohort] = tl.toAligned(
      6,
      ['a', 'b'],
      [
        {
          sessionId: 's0',
          title: 'Earlier',
          startedAt: null,
          participants: 9,
          points: [{ t: 2_000, avg: 2.5, n: 9 }],
        },
      ],
    );
    expect(xs).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(avg).toEqual([null, 4, 3, null, null, null, null]);
    // a paused signal on a watched second does not hide what was watched; alone it is a marker
    expect(paused).toEqual([null, null, null, null, null, 1.5, null]);
    expect(a).toEqual([null, 4, 4, null, null, null, null]);
    expect(b).toEqual([null, 4, 2, null, null, null, null]);
    expect(cohort).toEqual([null, null, 2.5, null, null, null, null]);
    expect(tl.lastSecond()).toBe(5);
  });

  it('loads the stored points without overwriting what came live', () => {
    const tl = new VideoTimeline();
    tl.add({ videoMs: 3_000, videoPlaying: true, avg: 5, n: 1 });
    tl.load([
      { t: 3_000, avg: 1, n: 1 },
      { t: 4_000, avg: 2, n: 1, paused: true },
    ]);
    expect(tl.points.get(3)).toEqual({ avg: 5, n: 1, paused: false });
    expect(tl.points.get(4)).toEqual({ avg: 2, n: 1, paused: true });
  });
});
