import { SnapshotStore } from '../../realtime/snapshot-store';
import type {
  Counts,
  HistoryResponse,
  Participant,
  ServerMessage,
  Session,
  SessionStatus,
} from '@rstream/protocol';
import type { WarningSpan } from '../../graph/chartOptions';
import { Timeline } from '../../graph/timeline';
import {
  applyLevelUpdate,
  applyParticipantList,
  averageOf,
  type LevelMap,
} from '../../realtime/participant-levels';

/** Warning spans this close together are drawn as one. */
const MERGE_GAP_MS = 5000;

export interface SpeakerSnapshot {
  status: SessionStatus;
  startedAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  participants: readonly Participant[];
  levels: LevelMap;
  /** From the latest understanding:update (null before the first one). */
  avg: number | null;
  n: number;
  counts: Counts | null;
  gotUpdate: boolean;
  warningActive: boolean;
  warningAvg: number | null;
  /** serverTime − Date.now() at welcome, to place "now" on the session's clock. */
  clockOffsetMs: number;
  /** Bumped when the graph data changed. */
  graphVersion: number;
  /** The latest update said the other instances are unreachable: the figures are partial. */
  degraded: boolean;
}

/** An ended session's figures, from its whole graph (not from who is still connected). */
export interface FinalFigures {
  durationMs: number;
  /** the last average anyone gave */
  finalAvg: number | null;
  /** time-weighted over the stretches with at least one listener counted (as the report's) */
  meanAvg: number | null;
}

/**
 * Everything live on the speaker screen, fed by WebSocket messages: a plain class with an
 * immutable snapshot (for useSyncExternalStore) and the mutable graph timeline beside it.
 */
export class SpeakerStore extends SnapshotStore<SpeakerSnapshot> {
  readonly timeline = new Timeline();
  readonly warningSpans: WarningSpan[] = [];

  constructor(session: Pick<Session, 'status' | 'startedAt' | 'endsAt' | 'endedAt'>) {
    super({
      status: session.status,
      startedAt: session.startedAt,
      endsAt: session.endsAt,
      endedAt: session.endedAt,
      participants: [],
      levels: new Map(),
      avg: null,
      n: 0,
      counts: null,
      gotUpdate: false,
      warningActive: false,
      warningAvg: null,
      clockOffsetMs: 0,
      graphVersion: 0,
      degraded: false,
    });
  }

  /** Duration, final and mean average of the whole session (meant for an ended one). */
  finalFigures(): FinalFigures {
    const { t, avg, n } = this.timeline;
    const durationMs = this.nowT() ?? 0;
    let finalAvg: number | null = null;
    let weighted = 0;
    let weight = 0;
    for (let i = 0; i < t.length; i++) {
      const at = t[i] as number;
      // An update sent after the end (the room's last state) is not part of the session.
      if (durationMs > 0 && at >= durationMs && i > 0) break;
      const a = avg[i];
      if (a === null || a === undefined || !((n[i] ?? 0) > 0)) continue;
      finalAvg = a;
      const next = Math.min(t[i + 1] ?? Infinity, Math.max(durationMs, at + 1000));
      const dt = Math.max(0, next - at);
      weighted += a * dt;
      weight += dt;
    }
    return { durationMs, finalAvg, meanAvg: weight > 0 ? weighted / weight : finalAvg };
  }

  /** The current average: the last update's, or (before any) the mean of the known levels. */
  currentAverage(): number | null {
    return this.snap.gotUpdate ? this.snap.avg : averageOf(this.snap.levels);
  }

  /** ms since start on the server's clock (for the graph's "now" and the elapsed time). */
  nowT(nowMs = Date.now()): number | null {
    const { startedAt, endedAt, clockOffsetMs } = this.snap;
    if (!startedAt) return null;
    const start = Date.parse(startedAt);
    const end = endedAt ? Date.parse(endedAt) : nowMs + clockOffsetMs;
    return Math.max(0, end - start);
  }

  loadHistory(
    history: HistoryResponse,
    warning?: { enabled: boolean; threshold: number; durationSec: number },
  ): void {
    this.timeline.loadHistory(history);
    this.warningSpans.length = 0;
    if (warning?.enabled)
      this.warningSpans.push(...spansFromHistory(history, warning.threshold, warning.durationSec));
    const last = history.points[history.points.length - 1];
    this.set({
      graphVersion: this.timeline.version,
      ...(last && !this.snap.gotUpdate ? { avg: last.avg, n: last.n, counts: last.counts } : {}),
    });
  }

  handle(msg: ServerMessage): void {
    switch (msg.type) {
      case 'welcome':
        this.set({ clockOffsetMs: msg.serverTime - Date.now() });
        return;
      case 'session:status':
        this.set({
          status: msg.status,
          startedAt: msg.startedAt !== undefined ? msg.startedAt : this.snap.startedAt,
          endsAt: msg.endsAt !== undefined ? msg.endsAt : this.snap.endsAt,
          endedAt: msg.endedAt !== undefined ? msg.endedAt : this.snap.endedAt,
          ...(msg.status === 'ended' ? { warningActive: false, degraded: false } : {}),
        });
        if (msg.status === 'ended') this.closeWarning(this.nowT() ?? 0);
        return;
      case 'participants': {
        const levels = applyParticipantList(this.snap.levels, msg.participants);
        this.set({ participants: msg.participants, levels });
        return;
      }
      case 'understanding:update': {
        const levels = applyLevelUpdate(this.snap.levels, msg);
        this.timeline.addPoint(msg.t, msg.avg, msg.n, msg.counts, msg.participants ? levels : null);
        this.set({
          levels,
          avg: msg.avg,
          n: msg.n,
          counts: msg.counts,
          gotUpdate: true,
          degraded: msg.degraded !== undefined,
          graphVersion: this.timeline.version,
        });
        return;
      }
      case 'warning':
        if (msg.active) {
          const last = this.warningSpans[this.warningSpans.length - 1];
          // A span rebuilt from history that ended just before this one is the same warning.
          if (last && last.to !== null && msg.t - last.to <= MERGE_GAP_MS) last.to = null;
          else if (!last || last.to !== null) this.warningSpans.push({ from: msg.t, to: null });
        } else this.closeWarning(msg.t);
        this.set({
          warningActive: msg.active,
          warningAvg: msg.avg,
          graphVersion: this.snap.graphVersion + 1,
        });
        return;
      default:
        return;
    }
  }

  private closeWarning(t: number): void {
    const open = this.warningSpans[this.warningSpans.length - 1];
    if (open && open.to === null) open.to = Math.max(open.from, t);
  }
}

/** Rebuilds past warning spans from the history (the server only announces live ones). */
export function spansFromHistory(
  history: HistoryResponse,
  threshold: number,
  durationSec: number,
): WarningSpan[] {
  const spans: WarningSpan[] = [];
  let runStart: number | null = null;
  const flush = (end: number) => {
    if (runStart !== null && end - runStart >= durationSec * 1000)
      spans.push({ from: runStart + durationSec * 1000, to: end });
    runStart = null;
  };
  for (const p of history.points) {
    const low = p.avg !== null && p.n > 0 && p.avg < threshold;
    if (low && runStart === null) runStart = p.t;
    if (!low) flush(p.t);
  }
  const last = history.points[history.points.length - 1];
  if (last) flush(last.t + history.step);
  return spans;
}
