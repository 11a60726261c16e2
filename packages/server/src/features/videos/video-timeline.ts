import type { VideoControlMessage, VideoDip, VideoPoint } from '@rstream/protocol';
import type { StoredSecond } from '../../platform/db-schema.js';

/**
 * The playback state of one session (pure functions; the live module owns and persists it).
 * While playing, the position at `now` is `positionMs + (now − serverTime) × rate`, clamped to the
 * video's duration when it is known.
 */
export interface VideoState {
  videoId: string | null;
  playing: boolean;
  positionMs: number;
  rate: number;
  /** epoch ms the position was taken at */
  serverTime: number;
  seq: number;
}

export const initialState = (videoId: string | null, now: number): VideoState => ({
  videoId,
  playing: false,
  positionMs: 0,
  rate: 1,
  serverTime: now,
  seq: 0,
});

export function positionAt(s: VideoState, now: number, durationMs: number | null): number {
  const raw = s.playing ? s.positionMs + Math.max(0, now - s.serverTime) * s.rate : s.positionMs;
  return durationMs !== null && durationMs > 0 ? Math.min(raw, durationMs) : raw;
}

/** True when a playing state has reached the end of the video (it must pause there). */
export function reachedEnd(s: VideoState, now: number, durationMs: number | null): boolean {
  return s.playing && durationMs !== null && durationMs > 0 && positionAt(s, now, null) >= durationMs;
}

/** When a playing state reaches the end (epoch ms), or null. */
export function endsAt(s: VideoState, durationMs: number | null): number | null {
  if (!s.playing || durationMs === null || durationMs <= 0) return null;
  return s.serverTime + Math.max(0, durationMs - s.positionMs) / s.rate;
}

/** The next state after a facilitator's control (seq + 1). Play at/after the end stays paused at the end. */
export function applyControl(
  cur: VideoState,
  msg: Pick<VideoControlMessage, 'action' | 'positionMs' | 'rate'>,
  now: number,
  durationMs: number | null,
): VideoState {
  const clamp = (p: number) =>
    Math.max(0, durationMs !== null && durationMs > 0 ? Math.min(p, durationMs) : p);
  const next: VideoState = { ...cur, serverTime: now, seq: cur.seq + 1 };
  switch (msg.action) {
    case 'play':
      next.positionMs = clamp(msg.positionMs);
      next.playing = !(durationMs !== null && durationMs > 0 && next.positionMs >= durationMs);
      if (msg.rate !== undefined) next.rate = msg.rate;
      break;
    case 'pause':
      next.positionMs = clamp(msg.positionMs);
      next.playing = false;
      break;
    case 'seek':
      next.positionMs = clamp(msg.positionMs);
      if (next.playing && durationMs !== null && durationMs > 0 && next.positionMs >= durationMs)
        next.playing = false;
      break;
    case 'rate':
      next.positionMs = clamp(msg.positionMs);
      next.rate = msg.rate ?? cur.rate;
      break;
  }
  return next;
}

/** The automatic pause at the end of the video. */
export const pausedAtEnd = (cur: VideoState, now: number, durationMs: number): VideoState => ({
  ...cur,
  playing: false,
  positionMs: durationMs,
  serverTime: now,
  seq: cur.seq + 1,
});

/** One stored change of a session's state (video_events). */
export interface TimelineEvent {
  at: number;
  playing: boolean;
  positionMs: number;
  rate: number;
}

/** Where the video of a session stood at epoch ms `t` (events ascending by `at`); null before the first. */
export function timelineAt(
  events: TimelineEvent[],
  t: number,
  durationMs: number | null,
): { positionMs: number; playing: boolean } | null {
  let lo = 0;
  let hi = events.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.at <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const e = events[found]!;
  const state: VideoState = { ...e, videoId: null, serverTime: e.at, seq: 0 };
  const positionMs = positionAt(state, t, durationMs);
  const playing = e.playing && !(durationMs !== null && durationMs > 0 && positionMs >= durationMs);
  return { positionMs, playing };
}

export interface VideoSecondPoint {
  t: number;
  avg: number | null;
  n: number;
  counts: [number, number, number, number, number];
}

/**
 * The session's stored seconds on the video's time axis: each second of the session (its middle)
 * is placed at the video position it showed, one point per second of video. Several seconds of
 * the session on one second of video (a seek back, a slow rate) are averaged (avg weighted by n,
 * n and counts the mean). Seconds while paused go to `paused`, at the paused position.
 */
export function onVideoAxis(
  rows: StoredSecond[],
  startedAtMs: number,
  events: TimelineEvent[],
  durationMs: number | null,
): { points: VideoSecondPoint[]; paused: VideoSecondPoint[] } {
  type Acc = { sumAvg: number; sumN: number; k: number; counts: number[] };
  const playing = new Map<number, Acc>();
  const paused = new Map<number, Acc>();
  for (const r of rows) {
    if (r.avg === null || r.n <= 0) continue;
    const at = timelineAt(events, startedAtMs + r.t_sec * 1000 + 500, durationMs);
    if (!at) continue;
    const sec = Math.floor(at.positionMs / 1000);
    const into = at.playing ? playing : paused;
    const acc = into.get(sec) ?? { sumAvg: 0, sumN: 0, k: 0, counts: [0, 0, 0, 0, 0] };
    acc.sumAvg += r.avg * r.n;
    acc.sumN += r.n;
    acc.k++;
    [r.c1, r.c2, r.c3, r.c4, r.c5].forEach((c, i) => (acc.counts[i]! += c));
    into.set(sec, acc);
  }
  const out = (m: Map<number, Acc>) =>
    [...m.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([sec, a]) => ({
        t: sec * 1000,
        avg: Math.round((a.sumAvg / a.sumN) * 1000) / 1000,
        n: Math.round(a.sumN / a.k),
        counts: a.counts.map((c) => Math.round(c / a.k)) as VideoSecondPoint['counts'],
      }));
  return { points: out(playing), paused: out(paused) };
}

/** Below its own mean by this much (levels) counts as a dip of a cohort. */
export const DIP_BELOW_MEAN = 0.25;

/**
 * The minutes of the video where EVERY cohort with signals in that minute is low: its minute
 * average is below its own mean − DIP_BELOW_MEAN, or below the warning threshold. Consecutive
 * minutes merge into one dip.
 */
export function findDips(cohorts: { points: VideoPoint[]; threshold: number }[]): VideoDip[] {
  const minuteAvgs = cohorts.map((c) => {
    const m = new Map<number, { s: number; n: number }>();
    let total = 0;
    let weight = 0;
    for (const p of c.points) {
      const k = Math.floor(p.t / 60_000);
      const a = m.get(k) ?? { s: 0, n: 0 };
      a.s += p.avg * p.n;
      a.n += p.n;
      m.set(k, a);
      total += p.avg;
      weight++;
    }
    const mean = weight > 0 ? total / weight : null;
    return { mean, minutes: m, threshold: c.threshold };
  });
  const minutes = new Set<number>();
  for (const c of minuteAvgs) for (const k of c.minutes.keys()) minutes.add(k);
  const low: { minute: number; avg: number; cohorts: number }[] = [];
  for (const k of [...minutes].sort((a, b) => a - b)) {
    const here = minuteAvgs.filter((c) => (c.minutes.get(k)?.n ?? 0) > 0 && c.mean !== null);
    if (here.length === 0) continue;
    const avgs = here.map((c) => c.minutes.get(k)!.s / c.minutes.get(k)!.n);
    const allLow = here.every((c, i) => avgs[i]! < c.mean! - DIP_BELOW_MEAN || avgs[i]! < c.threshold);
    if (allLow)
      low.push({ minute: k, avg: avgs.reduce((a, b) => a + b, 0) / avgs.length, cohorts: here.length });
  }
  const dips: VideoDip[] = [];
  for (const l of low) {
    const last = dips.at(-1);
    if (last && last.endMs === l.minute * 60_000) {
      const minutesIn = (last.endMs - last.startMs) / 60_000;
      last.avg = (last.avg * minutesIn + l.avg) / (minutesIn + 1);
      last.endMs += 60_000;
      last.cohorts = Math.min(last.cohorts, l.cohorts);
    } else
      dips.push({
        startMs: l.minute * 60_000,
        endMs: (l.minute + 1) * 60_000,
        avg: l.avg,
        cohorts: l.cohorts,
      });
  }
  return dips.map((d) => ({ ...d, avg: Math.round(d.avg * 1000) / 1000 }));
}
