import {
  listenersSeeWholeGraph,
  type Cohort,
  type CohortsResponse,
  type HistoryResponse,
  type ReportVideoSection,
} from '@rstream/protocol';
import type { ParticipantRow, SessionRow } from '../sessions/sessions-repo.js';
import { readSettings } from '../sessions/sessions-view.js';
import type { HistoryQuery, UnderstandingService } from '../understanding/understanding-service.js';
import { findDips, onVideoAxis, timelineAt } from './video-timeline.js';
import type { VideosRepo } from './videos-repo.js';

export interface AnalysisDeps {
  repo: VideosRepo;
  understanding: Pick<UnderstandingService, 'allSeconds'>;
  durationOf(videoId: string): Promise<number | null>;
}

/** The session's stored seconds placed on its video's time (see onVideoAxis). */
export async function sessionOnVideo(
  deps: AnalysisDeps,
  session: Pick<SessionRow, 'id' | 'mode' | 'settings' | 'started_at'>,
) {
  const settings = readSettings(session.settings);
  const videoId = settings.video?.videoId ?? null;
  if (session.mode !== 'video' || !videoId || !session.started_at) return null;
  const [rows, events, durationMs] = await Promise.all([
    deps.understanding.allSeconds(session.id),
    deps.repo.events(session.id),
    deps.durationOf(videoId),
  ]);
  return {
    videoId,
    settings,
    durationMs,
    ...onVideoAxis(rows, new Date(session.started_at).getTime(), events, durationMs),
  };
}

/**
 * `GET /api/sessions/:id/understanding?axis=video`: t = video position (ms), one point per second
 * of video. Seconds given while paused are NOT in `points`: they are in `pausedPoints`, at the
 * paused position. Per-listener lines (speakers, small audiences) come from the signals' own
 * video stamps (`signals.video_ms`), playing ones only.
 */
export function videoAxis(deps: AnalysisDeps) {
  return async (
    session: SessionRow,
    participants: ParticipantRow[],
    query: HistoryQuery,
    viewer: 'host' | 'listener',
  ): Promise<HistoryResponse> => {
    const empty: HistoryResponse = { step: 1000, points: [], axis: 'video', pausedPoints: [] };
    const settings = readSettings(session.settings);
    if (viewer === 'listener' && !listenersSeeWholeGraph(settings)) return empty;
    const on = await sessionOnVideo(deps, session);
    if (!on) return empty;
    const inRange = (t: number) =>
      (query.from === undefined || t >= query.from) && (query.to === undefined || t <= query.to);
    const result: HistoryResponse = {
      step: 1000,
      axis: 'video',
      points: on.points.filter((p) => inRange(p.t)),
      pausedPoints: on.paused.filter((p) => inRange(p.t)),
    };
    if (viewer === 'host' && query.withParticipants && participants.length <= 50) {
      const lines = new Map<string, { t: number; level: number }[]>();
      for (const s of await deps.repo.stampedSignals(session.id)) {
        if (s.videoMs === null || !s.videoPlaying || !inRange(s.videoMs)) continue;
        const l = lines.get(s.participantId) ?? [];
        l.push({ t: s.videoMs, level: s.level });
        lines.set(s.participantId, l);
      }
      result.participants = participants
        .filter((p) => lines.has(p.id))
        .map((p) => ({
          participantId: p.id,
          displayName: settings.anonymous || p.anonymous ? null : p.display_name,
          points: lines.get(p.id)!.sort((a, b) => a.t - b.t),
        }));
    }
    return result;
  };
}

/** Every showing (a started session naming the video) as a cohort, oldest first, and the dips. */
export async function cohortsOf(deps: AnalysisDeps, videoId: string): Promise<CohortsResponse> {
  const sessions = (await deps.repo.sessionsOf(videoId)).filter((s) => s.started_at);
  const counts = await deps.repo.participantCounts(sessions.map((s) => s.id));
  const cohorts: (Cohort & { threshold: number })[] = [];
  for (const s of sessions.sort(
    (a, b) => new Date(a.started_at!).getTime() - new Date(b.started_at!).getTime(),
  )) {
    const on = await sessionOnVideo(deps, s);
    if (!on) continue;
    const points = on.points.filter((p) => p.avg !== null).map((p) => ({ t: p.t, avg: p.avg!, n: p.n }));
    const avg =
      points.length > 0
        ? Math.round((points.reduce((a, p) => a + p.avg, 0) / points.length) * 1000) / 1000
        : null;
    cohorts.push({
      sessionId: s.id,
      title: s.title,
      startedAt: new Date(s.started_at!).toISOString(),
      participants: counts.get(s.id) ?? 0,
      points,
      avg,
      threshold: on.settings.warning.threshold,
    });
  }
  const dips = findDips(cohorts);
  return { cohorts: cohorts.map(({ threshold: _t, ...c }) => c), dips };
}

/** Downsamples per-second points to `stepMs` of video (avg weighted by n, n the most in the step). */
function coarse(points: { t: number; avg: number; n: number }[], stepMs: number) {
  const m = new Map<number, { s: number; n: number; max: number }>();
  for (const p of points) {
    const k = Math.floor(p.t / stepMs) * stepMs;
    const a = m.get(k) ?? { s: 0, n: 0, max: 0 };
    a.s += p.avg * p.n;
    a.n += p.n;
    a.max = Math.max(a.max, p.n);
    m.set(k, a);
  }
  return [...m.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, a]) => ({ t, avg: Math.round((a.s / a.n) * 1000) / 1000, n: a.max }));
}

/**
 * The report's video section of a session (null when it is not a video session with a video),
 * and the video position at a session time (for `keyMoment.videoMs`).
 */
export async function reportSection(
  deps: AnalysisDeps & { titleOf(videoId: string): Promise<string | null> },
  session: Pick<SessionRow, 'id' | 'mode' | 'settings' | 'started_at'>,
): Promise<{ section: ReportVideoSection; videoMsAt(t: number): number | null } | null> {
  const videoId = readSettings(session.settings).video?.videoId;
  if (session.mode !== 'video' || !videoId || !session.started_at) return null;
  const [all, events, durationMs, title, signals] = await Promise.all([
    cohortsOf(deps, videoId),
    deps.repo.events(session.id),
    deps.durationOf(videoId),
    deps.titleOf(videoId),
    deps.repo.stampedSignals(session.id),
  ]);
  const stepMs = durationMs !== null && durationMs > 30 * 60_000 ? 30_000 : 10_000;
  const startedAt = new Date(session.started_at).getTime();
  return {
    section: {
      videoId,
      title: title ?? '',
      durationMs,
      stepMs,
      cohorts: all.cohorts.slice(-10).map((c) => ({
        ...c,
        points: coarse(c.points, stepMs),
        current: c.sessionId === session.id,
      })),
      dips: all.dips,
      pausedSignals: signals.filter((s) => s.videoPlaying === false).length,
    },
    videoMsAt: (t) => {
      const at = timelineAt(events, startedAt + t, durationMs);
      return at ? Math.round(at.positionMs) : null;
    },
  };
}
