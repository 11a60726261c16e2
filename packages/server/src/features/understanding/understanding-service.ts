import { listenersSeeWholeGraph, type HistoryResponse, type SessionSettings } from '@rstream/protocol';
import type { ParticipantRow, SessionRow } from '../sessions/sessions-repo.js';
import { readSettings } from '../sessions/sessions-view.js';
import { chooseStep, downsample, listenerLines } from './history.js';
import type { LiveBatch, UnderstandingRepo } from './understanding-repo.js';

/** Per-listener lines are drawn for small audiences only (a distribution band above that). */
export const PER_LISTENER_LINES_MAX = 50;

export interface HistoryQuery {
  from?: number;
  to?: number;
  step?: number;
  withParticipants: boolean;
}

/** Another time axis for the history (`?axis=video`), provided by the feature that owns it. */
export type HistoryAxis = (
  session: SessionRow,
  participants: ParticipantRow[],
  query: HistoryQuery,
  viewer: 'host' | 'listener',
) => Promise<HistoryResponse>;

export function createUnderstandingService(repo: UnderstandingRepo) {
  const axes = new Map<string, HistoryAxis>();
  return {
    addAxis(name: string, axis: HistoryAxis) {
      axes.set(name, axis);
    },
    axis: (name: string) => axes.get(name),
    /** One transaction; false when the batch was a spill file stored already. */
    persist(batch: LiveBatch): Promise<boolean> {
      return repo.writeBatch(batch);
    },

    lastRecordedSecond: (sessionId: string) => repo.lastSecond(sessionId),
    /** Stored per-second aggregates and signals, for figures computed elsewhere (turns). */
    secondsBetween: (sessionId: string, fromSec: number, toSec: number) =>
      repo.seconds(sessionId, fromSec, toSec),
    signalsUntil: (sessionId: string, toMs: number) => repo.signals(sessionId, toMs),

    /** Every stored second of a session, ascending (reports and their CSV). */
    allSeconds: (sessionId: string) => repo.seconds(sessionId, 0, 2 ** 31 - 1),
    signalStats: (sessionId: string) => repo.signalStats(sessionId),

    averages: (sessionIds: string[]) => repo.averages(sessionIds),

    /** The session's history. `viewer` decides what may be seen: hosts get per-listener lines. */
    async history(
      session: SessionRow,
      participants: ParticipantRow[],
      query: HistoryQuery,
      viewer: 'host' | 'listener',
    ): Promise<HistoryResponse> {
      const settings: SessionSettings = readSettings(session.settings);
      const startedAt = session.started_at ? new Date(session.started_at).getTime() : null;
      const endedAt = session.ended_at ? new Date(session.ended_at).getTime() : null;
      const elapsed = startedAt === null ? 0 : (endedAt ?? Date.now()) - startedAt;
      const from = query.from ?? 0;
      const to = query.to ?? Math.max(elapsed, 0);
      const step = chooseStep(from, to, query.step);
      if (viewer === 'listener' && !listenersSeeWholeGraph(settings)) return { step, points: [] };
      const rows = await repo.seconds(session.id, Math.floor(from / 1000), Math.floor(to / 1000));
      const result: HistoryResponse = { step, points: downsample(rows, step) };
      if (viewer === 'host' && query.withParticipants && participants.length <= PER_LISTENER_LINES_MAX) {
        const lines = listenerLines(await repo.signals(session.id, to), from, step);
        result.participants = participants
          .filter((p) => lines.has(p.id))
          .map((p) => ({
            participantId: p.id,
            displayName: settings.anonymous || p.anonymous ? null : p.display_name,
            points: lines.get(p.id)!,
          }));
      }
      return result;
    },
  };
}
export type UnderstandingService = ReturnType<typeof createUnderstandingService>;
