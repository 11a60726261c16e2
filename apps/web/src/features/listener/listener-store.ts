import { SnapshotStore } from '../../realtime/snapshot-store';
import type {
  HistoryResponse,
  Participant,
  PublicSession,
  ServerMessage,
  SessionStatus,
} from '@rstream/protocol';
import { Timeline } from '../../graph/timeline';

export const ME_KEY = 'me';

export interface ListenerSnapshot {
  status: SessionStatus;
  startedAt: string | null;
  endsAt: string | null;
  participants: readonly Participant[];
  /** The audience average (only when the session shares the whole graph). */
  avg: number | null;
  n: number;
  myParticipantId: string | null;
  clockOffsetMs: number;
  graphVersion: number;
}

/** The listener screen's live state, fed by WebSocket messages, plus the graph timeline. */
export class ListenerStore extends SnapshotStore<ListenerSnapshot> {
  readonly timeline = new Timeline();
  private myLevel: number | null = null;

  constructor(
    session: Pick<PublicSession, 'status' | 'startedAt' | 'endsAt'>,
    myParticipantId: string | null,
  ) {
    super({
      status: session.status,
      startedAt: session.startedAt,
      endsAt: session.endsAt,
      participants: [],
      avg: null,
      n: 0,
      myParticipantId,
      clockOffsetMs: 0,
      graphVersion: 0,
    });
  }

  /** ms since start on the server's clock; null before the start. */
  nowT(nowMs = Date.now()): number | null {
    if (!this.snap.startedAt) return null;
    return Math.max(0, nowMs + this.snap.clockOffsetMs - Date.parse(this.snap.startedAt));
  }

  /** ms until the planned end (negative when over time); null without a planned end. */
  timeLeftMs(nowMs = Date.now()): number | null {
    if (!this.snap.endsAt) return null;
    return Date.parse(this.snap.endsAt) - (nowMs + this.snap.clockOffsetMs);
  }

  loadHistory(history: HistoryResponse): void {
    this.timeline.loadHistory({ ...history, participants: undefined });
    const last = history.points[history.points.length - 1];
    this.set({ graphVersion: this.timeline.version, ...(last ? { avg: last.avg, n: last.n } : {}) });
  }

  /** My own line is drawn locally from my level changes. */
  recordMyLevel(level: number | null, nowMs = Date.now()): void {
    this.myLevel = level;
    const t = this.nowT(nowMs);
    if (t === null || this.snap.status !== 'live') return;
    const at = Math.max(t, this.timeline.lastT() ?? 0);
    this.timeline.addPoint(at, this.snap.avg, this.snap.n, null, this.levelsMap());
    this.set({ graphVersion: this.timeline.version });
  }

  private levelsMap(): Map<string, number> {
    return this.myLevel === null ? new Map() : new Map([[ME_KEY, this.myLevel]]);
  }

  handle(msg: ServerMessage): void {
    switch (msg.type) {
      case 'welcome':
        this.set({
          clockOffsetMs: msg.serverTime - Date.now(),
          myParticipantId: msg.participantId ?? this.snap.myParticipantId,
        });
        return;
      case 'session:status':
        this.set({
          status: msg.status,
          startedAt: msg.startedAt !== undefined ? msg.startedAt : this.snap.startedAt,
          endsAt: msg.endsAt !== undefined ? msg.endsAt : this.snap.endsAt,
        });
        return;
      case 'participants':
        this.set({ participants: msg.participants });
        return;
      case 'understanding:update':
        this.timeline.addPoint(msg.t, msg.avg, msg.n, msg.counts, this.levelsMap());
        this.set({ avg: msg.avg, n: msg.n, graphVersion: this.timeline.version });
        return;
      default:
        return;
    }
  }
}
