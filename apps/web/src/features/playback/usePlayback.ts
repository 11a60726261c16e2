import { useEffect, useState } from 'react';
import type { HistoryResponse, Question, Recording, Session } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { sessionsApi } from '../../api/endpoints';
import { Timeline } from '../../graph/timeline';
import { isTypingTarget } from '../../ui/hooks';
import { questionsApi } from '../questions/useQuestions';
import { recordingsApi } from '../recording/recordings-api';
import { loadReportMarkers, type KeyMoment, type ReportMarkers } from './playback-api';
import type { Player } from './player';

export interface PlaybackData {
  session: Session;
  timeline: Timeline;
  questions: Question[];
  recordings: Recording[];
  /** Where the timeline ends: the session's length, or the last signal / media if later. */
  endT: number;
}

export type PlaybackLoad =
  | { kind: 'loading' }
  | { kind: 'ok'; data: PlaybackData }
  | { kind: 'error'; notFound: boolean; message: string };

function lastT(history: HistoryResponse | null): number {
  const p = history?.points;
  return p && p.length ? (p[p.length - 1]?.t ?? 0) : 0;
}

export function usePlaybackData(sessionId: string): PlaybackLoad {
  const [load, setLoad] = useState<PlaybackLoad>({ kind: 'loading' });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const session = await sessionsApi.get(sessionId);
      const [history, questions, recordings] = await Promise.all([
        sessionsApi.history(sessionId, { participants: false }).catch(() => null),
        questionsApi(sessionId)
          .list()
          .then(
            (r) => r.questions,
            () => [] as Question[],
          ),
        recordingsApi.list(sessionId).then(
          (r) => r.recordings,
          () => [] as Recording[],
        ),
      ]);
      const timeline = new Timeline();
      if (history) timeline.loadHistory(history);
      const started = session.startedAt ? new Date(session.startedAt).getTime() : null;
      const ended = session.endedAt ? new Date(session.endedAt).getTime() : null;
      const sessionLength = started !== null && ended !== null ? ended - started : 0;
      const mediaEnd = Math.max(0, ...recordings.map((r) => r.offsetMs + (r.durationMs ?? 0)));
      const endT = Math.max(sessionLength, lastT(history), mediaEnd, 1000);
      if (!cancelled) setLoad({ kind: 'ok', data: { session, timeline, questions, recordings, endT } });
    })().catch((err: unknown) => {
      if (cancelled) return;
      const notFound = err instanceof ApiError && (err.status === 404 || err.status === 403);
      setLoad({ kind: 'error', notFound, message: err instanceof Error ? err.message : String(err) });
    });
    return () => {
      cancelled = true;
    };
  }, [sessionId]);
  return load;
}

export function useReportMarkers(sessionId: string): ReportMarkers {
  const [markers, setMarkers] = useState<ReportMarkers>({ status: 'none', keyMoments: [] });
  useEffect(() => {
    let cancelled = false;
    loadReportMarkers(sessionId).then(
      (m) => !cancelled && setMarkers(m),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId]);
  return markers;
}

/** The player's session time for React, at most every `intervalMs` (the cursor moves per frame on its own). */
export function usePlayerTime(player: Player, intervalMs = 200): { t: number; playing: boolean } {
  const [state, setState] = useState(() => ({ t: player.currentT(), playing: player.playing() }));
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = () => setState({ t: player.currentT(), playing: player.playing() });
    const offFrame = player.onFrame(() => {
      const now = performance.now();
      if (now - last >= intervalMs) {
        last = now;
        read();
      } else if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          last = performance.now();
          read();
        }, intervalMs);
      }
    });
    const offState = player.onState(read);
    return () => {
      offFrame();
      offState();
      if (timer) clearTimeout(timer);
    };
  }, [player, intervalMs]);
  return state;
}

/** The key moment before/after t (J/K); a moment just passed counts as "before" after 1 s. */
export function neighbourMoment(moments: readonly KeyMoment[], t: number, dir: -1 | 1): KeyMoment | null {
  if (dir === 1) return moments.find((m) => m.startT > t + 500) ?? null;
  for (let i = moments.length - 1; i >= 0; i--) {
    const m = moments[i] as KeyMoment;
    if (m.startT < t - 1000) return m;
  }
  return null;
}

/** Space play/pause, J/K key moments — not while typing, nor where the element handles it. */
export function usePlaybackKeys(handlers: { toggle: () => void; prev: () => void; next: () => void }): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const el = e.target instanceof HTMLElement ? e.target : null;
      if (e.key === ' ') {
        // A focused button or the video's own controls already act on Space.
        if (el && (el.tagName === 'BUTTON' || el.tagName === 'VIDEO' || el.tagName === 'A')) return;
        e.preventDefault();
        handlers.toggle();
      } else if (e.key === 'j' || e.key === 'J') {
        e.preventDefault();
        handlers.prev();
      } else if (e.key === 'k' || e.key === 'K') {
        e.preventDefault();
        handlers.next();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers]);
}
