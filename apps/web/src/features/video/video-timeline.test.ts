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

describe('VideoTimeline: dense on the played seconds', () => {
  const lv = (entries: [string, number][]) => new Map(entries);

  it('levels given while paused are carried into every played second after', () => {
    const tl = new VideoTimeline();
    // the presses arrive while the server still sees the video paused at 0
    tl.add({ videoMs: 0, videoPlaying: false, avg: 4, n: 1 }, lv([['a', 4]]));
    tl.add(
      { videoMs: 0, videoPlaying: false, avg: 3, n: 2 },
      lv([
        ['a', 4],
        ['b', 2],
      ]),
    );
    expect(tl.lines.size).toBe(0);
    expect(tl.latestLevel('a')).toBeNull();
    // then one update per played second, nobody pressing anything (no participants list given)
    tl.add({ videoMs: 40, videoPlaying: true, avg: 3, n: 2 });
    tl.add({ videoMs: 1_010, videoPlaying: true, avg: 3, n: 2 });
    // a late tick skipped second 2
    tl.add({ videoMs: 3_020, videoPlaying: true, avg: 3, n: 2 });
    const [, avg, paused, a, b] = tl.toAligned(4, ['a', 'b'], []);
    expect(avg).toEqual([3, 3, 3, 3, null]);
    expect(paused).toEqual([null, null, null, null, null]);
    expect(a).toEqual([4, 4, 4, 4, null]);
    expect(b).toEqual([2, 2, 2, 2, null]);
    expect(tl.latestLevel('a')).toBe(4);
    expect(tl.latestLevel('b')).toBe(2);
  });

  it('a change mid-way counts from its second on; the previous second keeps the old level', () => {
    const tl = new VideoTimeline();
    tl.add({ videoMs: 10_000, videoPlaying: true, avg: 5, n: 1 }, lv([['a', 5]]));
    tl.add({ videoMs: 13_100, videoPlaying: true, avg: 1, n: 1 }, lv([['a', 1]]));
    const [, avg, , a] = tl.toAligned(14, ['a'], []);
    expect(avg!.slice(10)).toEqual([5, 5, 5, 1, null]);
    expect(a!.slice(10)).toEqual([5, 5, 5, 1, null]);
  });

  it('a seek is not filled; the latest level is the one at the latest second, not the latest added', () => {
    const tl = new VideoTimeline();
    tl.add({ videoMs: 20_000, videoPlaying: true, avg: 2, n: 1 }, lv([['a', 2]]));
    // seek back to 5 s, another level there
    tl.add({ videoMs: 5_000, videoPlaying: true, avg: 4, n: 1 }, lv([['a', 4]]));
    // a seek forward further than a late tick: nothing in between
    tl.add({ videoMs: 9_000, videoPlaying: true, avg: 4, n: 1 });
    const [, avg] = tl.toAligned(21, ['a'], []);
    expect(avg!.filter((v) => v !== null)).toEqual([4, 4, 2]);
    expect(tl.latestLevel('a')).toBe(2);
    // a pause ends the run: playing again further on fills nothing
    tl.add({ videoMs: 9_500, videoPlaying: false, avg: 4, n: 1 });
    tl.add({ videoMs: 11_000, videoPlaying: true, avg: 4, n: 1 });
    expect(tl.points.has(10)).toBe(false);
  });
});
