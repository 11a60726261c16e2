import type { Recording } from '@rstream/protocol';
import { describe, expect, it } from 'vitest';
import {
  formatTimeParam,
  mediaParts,
  mediaToSession,
  parseTimeParam,
  partAt,
  sessionToMedia,
} from './media-map';
import { chaptersVtt } from './playback-api';
import { activeQuestionIndex } from './PlaybackQuestions';
import { neighbourMoment } from './usePlayback';

function rec(over: Partial<Recording>): Recording {
  return {
    id: 'r',
    sessionId: 's',
    status: 'ready',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: null,
    offsetMs: 0,
    durationMs: 60_000,
    sizeBytes: 1,
    mediaType: 'video/mp4',
    interrupted: false,
    mediaUrl: '/m',
    pauses: [],
    ...over,
  };
}

describe('session time ↔ media time', () => {
  // Recorded from session 10 s, paused 20–30 s, media 40 s long → ends at session 60 s.
  const [part] = mediaParts([
    rec({ offsetMs: 10_000, durationMs: 40_000, pauses: [{ atMs: 20_000, resumedAtMs: 30_000 }] }),
  ]);

  it('skips the pause in both directions', () => {
    expect(part?.endT).toBe(60_000);
    expect(mediaToSession(part!, 5_000)).toBe(15_000);
    expect(mediaToSession(part!, 15_000)).toBe(35_000);
    expect(sessionToMedia(part!, 35_000)).toBe(15_000);
    expect(sessionToMedia(part!, 25_000)).toBe(10_000); // inside the pause: where it paused
    expect(sessionToMedia(part!, 5_000)).toBe(0);
  });

  it('lays several parts on one timeline and finds the part (or the gap) of a time', () => {
    const parts = mediaParts([
      rec({ id: 'b', offsetMs: 100_000, durationMs: 20_000 }),
      rec({ id: 'a', offsetMs: 0, durationMs: 30_000 }),
      rec({ id: 'c', status: 'processing', mediaUrl: null }),
    ]);
    expect(parts.map((p) => p.recordingId)).toEqual(['a', 'b']);
    expect(partAt(parts, 10_000)).toEqual({ index: 0, gap: false });
    expect(partAt(parts, 50_000)).toEqual({ index: 1, gap: true });
    expect(partAt(parts, 110_000)).toEqual({ index: 1, gap: false });
    expect(partAt(parts, 130_000)).toBeNull();
  });

  it('reads and writes ?t= links', () => {
    expect(parseTimeParam('12:34')).toBe(754_000);
    expect(parseTimeParam('1:02:03')).toBe(3_723_000);
    expect(parseTimeParam('90')).toBe(90_000);
    expect(parseTimeParam('abc')).toBeNull();
    expect(formatTimeParam(754_999)).toBe('12:34');
    expect(formatTimeParam(3_723_000)).toBe('1:02:03');
  });
});

describe('key moments and questions around the cursor', () => {
  const moments = [
    { id: 'm1', kind: 'drop' as const, startT: 10_000, endT: 20_000, note: 'a --> b' },
    { id: 'm2', kind: 'recovery' as const, startT: 60_000, endT: 70_000 },
  ];
  it('J/K find the previous and next moment', () => {
    expect(neighbourMoment(moments, 30_000, -1)?.id).toBe('m1');
    expect(neighbourMoment(moments, 30_000, 1)?.id).toBe('m2');
    expect(neighbourMoment(moments, 60_200, 1)).toBeNull();
    expect(neighbourMoment(moments, 10_500, -1)).toBeNull();
  });
  it('writes WebVTT chapters in media time, without breaking cue syntax', () => {
    const vtt = chaptersVtt(
      moments,
      (t) => t - 5000,
      () => true,
      (m) => m.note ?? m.kind,
    );
    expect(vtt).toContain('00:00:05.000 --> 00:00:15.000\na → b');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
  });
  it('the active question is the last one asked at or before the cursor', () => {
    const qs = [{ t: 1000 }, { t: 5000 }, { t: 9000 }];
    expect(activeQuestionIndex(qs, 500)).toBe(-1);
    expect(activeQuestionIndex(qs, 5000)).toBe(1);
    expect(activeQuestionIndex(qs, 99_000)).toBe(2);
  });
});
