import { randomUUID } from 'node:crypto';
import {
  DEFAULT_REACTION_LAG_SEC,
  type LiveTurn,
  type ServerMessage,
  type SpeakerTotal,
  type Turn,
  type TurnsResponse,
} from '@rstream/protocol';
import { AppError, forbidden } from '../../errors.js';
import type { ParticipantRow, SessionRow } from '../sessions/sessions-repo.js';
import { isUuid, readSettings } from '../sessions/sessions-view.js';
import { type SessionsService } from '../sessions/sessions-service.js';
import type { UnderstandingService } from '../understanding/understanding-service.js';
import { speakerTotals, turnFigures } from './turn-figures.js';
import type { StoredTurn, TurnsRepo } from './turns-repo.js';

export interface TurnsServiceDeps {
  repo: TurnsRepo;
  sessions: Pick<SessionsService, 'listParticipantRows' | 'findSession'>;
  understanding: Pick<UnderstandingService, 'secondsBetween' | 'signalsUntil'>;
  /** relays to every socket of the session, on every instance */
  broadcast(sessionId: string, message: ServerMessage): void;
}

/** Who is asking to mark a turn: the gateway's authenticated client. */
export interface TurnCaller {
  role: 'host' | 'presenter' | 'listener';
  participantId: string | null;
}

const startedMs = (s: SessionRow) => (s.started_at ? new Date(s.started_at).getTime() : null);
/** ms since the session started, now (or at its end). */
function elapsedT(s: SessionRow, now = Date.now()): number {
  const start = startedMs(s);
  if (start === null) return 0;
  const end = s.ended_at ? new Date(s.ended_at).getTime() : now;
  return Math.max(0, end - start);
}

export const reactionLagMsOf = (s: SessionRow) =>
  (readSettings(s.settings).discussion?.reactionLagSec ?? DEFAULT_REACTION_LAG_SEC) * 1000;

const liveTurn = (t: StoredTurn): LiveTurn => ({
  id: t.id,
  speaker: t.speaker,
  participantId: t.participantId,
  startT: t.startT,
});

/** The label a participant speaks under: their name, or "#7" when names are hidden. */
function labelOf(p: ParticipantRow, anonymousSession: boolean): string {
  return anonymousSession || p.anonymous ? `#${p.ordinal}` : p.display_name;
}

export function createTurnsService(deps: TurnsServiceDeps) {
  const { repo } = deps;

  /** Discussion sessions only, live only, and the facilitator's job unless there is none. */
  function checkMayMark(session: SessionRow, caller: TurnCaller): void {
    const discussion = readSettings(session.settings).discussion;
    const facilitated = discussion?.facilitator !== 'none';
    if (facilitated && caller.role === 'listener')
      throw forbidden('The facilitator marks who is speaking in this session.');
    if (session.mode !== 'discussion' || !discussion)
      throw new AppError(409, 'NOT_DISCUSSION', 'Turns are marked in discussion sessions only.');
    if (session.status !== 'live')
      throw new AppError(
        409,
        'SESSION_NOT_LIVE',
        session.status === 'ended' ? 'The session has ended.' : 'The session has not started yet.',
      );
  }

  async function resolveSpeaker(session: SessionRow, given: string) {
    const anonymous = readSettings(session.settings).anonymous;
    const rows = await deps.sessions.listParticipantRows(session.id);
    const byId = isUuid(given) ? rows.find((p) => p.id === given) : undefined;
    const lower = given.toLowerCase();
    const byName =
      byId ?? rows.find((p) => !anonymous && !p.anonymous && p.display_name.trim().toLowerCase() === lower);
    if (byName) return { speaker: labelOf(byName, anonymous), participantId: byName.id };
    if (isUuid(given)) throw new AppError(404, 'NOT_FOUND', 'No such participant in this session.');
    return { speaker: given, participantId: null };
  }

  /** A session that ended with a turn still open: it ends with the session. */
  async function closeStale(session: SessionRow): Promise<void> {
    if (session.status === 'ended') await repo.endOpen(session.id, elapsedT(session));
  }

  return {
    /** `turn:start`: closes the current turn (if any) and opens one for `speaker`. */
    async start(session: SessionRow, caller: TurnCaller, given: string): Promise<LiveTurn> {
      checkMayMark(session, caller);
      const who = await resolveSpeaker(session, given);
      const open = await repo.open(session.id);
      // A second tap on the one speaking (or two phones at once) changes nothing.
      if (open && (open.participantId ?? open.speaker) === (who.participantId ?? who.speaker))
        return liveTurn(open);
      const { opened } = await repo.start(session.id, {
        id: randomUUID(),
        ...who,
        startT: elapsedT(session),
      });
      const turn = liveTurn(opened);
      deps.broadcast(session.id, { type: 'turn:update', turn });
      return turn;
    },

    /** `turn:end`: closes the current turn; nothing happens when none is open. */
    async end(session: SessionRow, caller: TurnCaller): Promise<StoredTurn | undefined> {
      checkMayMark(session, caller);
      const closed = await repo.endOpen(session.id, elapsedT(session));
      if (closed) deps.broadcast(session.id, { type: 'turn:update', turn: null });
      return closed;
    },

    /** The session ended: its open turn closes at the end, and everyone is told. */
    async sessionEnded(sessionId: string): Promise<void> {
      const session = await deps.sessions.findSession(sessionId);
      if (!session) return;
      const closed = await repo.endOpen(session.id, elapsedT(session));
      if (closed) deps.broadcast(session.id, { type: 'turn:update', turn: null });
    },

    /** The open turn, if any (a session that ended has none). */
    async current(session: SessionRow): Promise<LiveTurn | null> {
      await closeStale(session);
      const open = await repo.open(session.id);
      return open ? liveTurn(open) : null;
    },

    /** Every turn with its figures, and the per-speaker totals (the report calls this). */
    async list(session: SessionRow): Promise<TurnsResponse> {
      await closeStale(session);
      const stored = await repo.list(session.id);
      const lagMs = reactionLagMsOf(session);
      const nowT = elapsedT(session);
      if (stored.length === 0) return { turns: [], speakers: [], reactionLagMs: lagMs };
      const lastEnd = Math.max(...stored.map((t) => t.endT ?? nowT)) + lagMs;
      const seconds = await deps.understanding.secondsBetween(session.id, 0, Math.ceil(lastEnd / 1000));
      const speakers = new Set(stored.map((t) => t.participantId).filter((id) => id !== null));
      const signals =
        speakers.size === 0
          ? []
          : (await deps.understanding.signalsUntil(session.id, lastEnd)).filter((s) =>
              speakers.has(s.participantId),
            );
      const withFigures = turnFigures(stored, seconds, signals, lagMs, nowT);
      const turns: Turn[] = withFigures.map(({ seconds: _weight, ...t }) => t);
      return { turns, speakers: speakerTotals(withFigures, nowT), reactionLagMs: lagMs };
    },

    /** Per-speaker totals alone: what the report's "speakers" section shows. */
    async totals(session: SessionRow): Promise<{ speakers: SpeakerTotal[]; reactionLagMs: number }> {
      const { speakers, reactionLagMs } = await this.list(session);
      return { speakers, reactionLagMs };
    },
  };
}
export type TurnsService = ReturnType<typeof createTurnsService>;
