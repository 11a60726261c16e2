import { describe, expect, it } from 'vitest';
import type { ReportResponse } from '@rstream/protocol';
import type { StoredResult } from '../reports/reports-service.js';
import { videoSection, videoSectionHtml } from '../reports/sections/video.js';
import {
  applyControl,
  endsAt,
  findDips,
  initialState,
  onVideoAxis,
  positionAt,
  timelineAt,
} from './video-timeline.js';

const row = (t_sec: number, avg: number, n = 1) => ({ t_sec, avg, n, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0 });

describe('the video state', () => {
  it('plays, seeks and pauses; seq grows; play at the end stays paused; the end time is known', () => {
    const s0 = initialState('v', 1000);
    const s1 = applyControl(s0, { action: 'play', positionMs: 5000 }, 1000, 60_000);
    expect(s1).toMatchObject({ playing: true, positionMs: 5000, seq: 1 });
    expect(positionAt(s1, 3000, 60_000)).toBe(7000);
    const s2 = applyControl(s1, { action: 'rate', positionMs: 7000, rate: 2 }, 3000, 60_000);
    expect(positionAt(s2, 4000, 60_000)).toBe(9000);
    expect(endsAt(s2, 60_000)).toBe(3000 + 53_000 / 2);
    expect(positionAt(s2, 10 ** 9, 60_000)).toBe(60_000);
    const s3 = applyControl(s2, { action: 'seek', positionMs: 99_000 }, 5000, 60_000);
    expect(s3).toMatchObject({ playing: false, positionMs: 60_000, seq: 3 });
    const s4 = applyControl(s3, { action: 'play', positionMs: 60_000 }, 6000, 60_000);
    expect(s4.playing).toBe(false);
  });

  it('maps session seconds onto the video; paused seconds apart; a seek back averages', () => {
    const start = 1_000_000;
    const events = [
      { at: start, playing: true, positionMs: 0, rate: 1 },
      { at: start + 3000, playing: false, positionMs: 3000, rate: 1 },
      { at: start + 5000, playing: true, positionMs: 1000, rate: 1 },
    ];
    expect(timelineAt(events, start - 1, null)).toBeNull();
    expect(timelineAt(events, start + 5500, null)).toEqual({ positionMs: 1500, playing: true });
    const { points, paused } = onVideoAxis(
      [row(0, 1), row(1, 2), row(2, 3), row(3, 5), row(4, 5), row(5, 4, 3)],
      start,
      events,
      null,
    );
    expect(paused.map((p) => p.t)).toEqual([3000]);
    // second 5 of the session shows second 1 of the video again: (2·1 + 4·3) / 4
    expect(points.find((p) => p.t === 1000)).toMatchObject({ avg: 3.5, n: 2 });
  });

  it('names the minutes where every cohort is low', () => {
    const cohort = (lowMinute: number, base: number) => ({
      threshold: 2,
      points: Array.from({ length: 5 * 60 }, (_, i) => ({
        t: i * 1000 * 1,
        avg: Math.floor(i / 60) === lowMinute ? base - 1 : base,
        n: 3,
      })),
    });
    expect(findDips([cohort(2, 4), cohort(2, 3)])).toEqual([
      { startMs: 120_000, endMs: 180_000, avg: 2.5, cohorts: 2 },
    ]);
    expect(findDips([cohort(2, 4), cohort(3, 4)])).toEqual([]);
  });
});

describe('the report video section', () => {
  it('fills keyMoment.videoMs and renders the cohorts in English and Japanese', async () => {
    const section = {
      videoId: 'v',
      title: 'Physics <1>',
      durationMs: 600_000,
      stepMs: 10_000,
      cohorts: [
        {
          sessionId: 'a',
          title: 'Monday',
          startedAt: '2026-12-01T10:00:00.000Z',
          participants: 3,
          points: [],
          avg: 3.2,
          current: false,
        },
        {
          sessionId: 'b',
          title: 'Tuesday',
          startedAt: '2026-12-02T10:00:00.000Z',
          participants: 4,
          points: [],
          avg: 2.9,
          current: true,
        },
      ],
      dips: [{ startMs: 120_000, endMs: 180_000, avg: 2.1, cohorts: 2 }],
      pausedSignals: 2,
    };
    const made = videoSection(() => async () => ({ section, videoMsAt: (t) => t + 60_000 }));
    const result = { keyMoments: [{ startT: 5000 }] } as unknown as StoredResult;
    await made.enrich({ mode: 'video' } as never, result);
    const out = {
      status: 'ready',
      keyMoments: result.keyMoments,
      ...made.respond(result),
    } as never as ReportResponse;
    // other modes get no section
    const other = { keyMoments: [{ startT: 5000 }] } as unknown as StoredResult;
    await made.enrich({ mode: 'presentation' } as never, other);
    expect(made.respond(other)).toEqual({});
    expect(out.keyMoments[0]!.videoMs).toBe(65_000);
    const en = videoSectionHtml(out, 'en', (s) => s.replace(/</g, '&lt;'));
    expect(en).toContain('Tuesday (this one)');
    expect(en).toContain('2:00–3:00');
    expect(en).toContain('Physics &lt;1>');
    expect(videoSectionHtml(out, 'ja', (s) => s)).toContain('（今回）');
  });
});
