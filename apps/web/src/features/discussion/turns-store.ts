import { useEffect, useState, useSyncExternalStore } from 'react';
import type { LiveTurn, ServerMessage, SessionMode, SpeakerTotal, Turn } from '@rstream/protocol';
import type { RealtimeClient } from '../../realtime/client';
import type { LevelMap } from '../../realtime/participant-levels';
import { bandOf, turnBandsPlugin, type TurnBand } from './turn-bands';
import { turnsApi } from './turns-api';

export interface TurnsSnapshot {
  current: LiveTurn | null;
  /** from GET /turns: closed turns with their figures (the open one too, figures so far) */
  turns: readonly Turn[];
  speakers: readonly SpeakerTotal[];
  reactionLagMs: number;
  /** speaker view only: the listeners' average during the current turn so far (speaker excluded) */
  running: { avg: number | null; n: number } | null;
}

/**
 * The discussion's turns for one screen: the current turn from `turn:update`, the list with
 * figures from `GET /turns` (fetched again after each change, after a reconnect and every few
 * seconds), and, for the facilitator, a running figure from the per-participant levels.
 */
export class TurnsStore {
  private snap: TurnsSnapshot = {
    current: null,
    turns: [],
    speakers: [],
    reactionLagMs: 3000,
    running: null,
  };
  private listeners = new Set<() => void>();
  private lastSampleT = -1;
  private acc = { sum: 0, count: 0, n: 0 };
  private fetchTimer: ReturnType<typeof setTimeout> | null = null;
  readonly plugin = turnBandsPlugin(() => this.bands());

  constructor(
    readonly sessionId: string,
    readonly bearer?: string,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = () => this.snap;

  private set(patch: Partial<TurnsSnapshot>) {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }

  /** Fetch the list soon (several changes in a row make one request). */
  refresh(delayMs = 150): void {
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
    this.fetchTimer = setTimeout(() => {
      this.fetchTimer = null;
      turnsApi.list(this.sessionId, this.bearer).then(
        (r) => {
          const open = r.turns.find((t) => t.endT === null) ?? null;
          if (open?.id !== this.snap.current?.id) this.acc = { sum: 0, count: 0, n: 0 };
          this.set({
            turns: r.turns,
            speakers: r.speakers,
            reactionLagMs: r.reactionLagMs,
            current: open
              ? { id: open.id, speaker: open.speaker, participantId: open.participantId, startT: open.startT }
              : null,
          });
        },
        () => {},
      );
    }, delayMs);
  }

  handle(msg: ServerMessage): void {
    switch (msg.type) {
      case 'welcome':
        return this.refresh(0);
      case 'turn:update':
        this.acc = { sum: 0, count: 0, n: 0 };
        this.set({ current: msg.turn, running: null });
        return this.refresh();
      case 'session:status':
        if (msg.status === 'ended') {
          this.set({ current: null });
          this.refresh();
        }
        return;
    }
  }

  /**
   * The facilitator's running figure: called once a second with the current levels (the speaker
   * view has each participant's), it averages the listeners other than the speaker from the
   * reaction lag after the start on — per second, as the server's figures are.
   */
  sample(levels: LevelMap, nowT: number): void {
    const cur = this.snap.current;
    if (!cur || nowT < cur.startT + this.snap.reactionLagMs || nowT <= this.lastSampleT) return;
    this.lastSampleT = nowT;
    let sum = 0;
    let n = 0;
    for (const [id, level] of levels) {
      if (id === cur.participantId) continue;
      sum += level;
      n++;
    }
    if (n > 0) {
      this.acc.sum += sum / n;
      this.acc.count++;
    }
    this.acc.n = Math.max(this.acc.n, n);
    this.set({ running: { avg: this.acc.count ? this.acc.sum / this.acc.count : null, n: this.acc.n } });
  }

  /** Bands for the graph: every listed turn, the current one running to "now". */
  bands(): TurnBand[] {
    const { turns, current } = this.snap;
    const out: TurnBand[] = turns.filter((t) => t.endT !== null || t.id !== current?.id).map(bandOf);
    if (current && !out.some((b) => b.from === current.startT && b.to === null)) out.push(bandOf(current));
    return out;
  }

  close(): void {
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
  }
}

const LIST_REFRESH_MS = 4000;

/** The discussion's turns for this screen; null outside discussion sessions. */
export function useTurns(
  sessionId: string,
  mode: SessionMode,
  client: RealtimeClient | null,
  bearer?: string,
): TurnsStore | null {
  const [store] = useState(() => (mode === 'discussion' ? new TurnsStore(sessionId, bearer) : null));
  useEffect(() => {
    if (!store || !client) return;
    const off = client.onMessage((m) => store.handle(m));
    store.refresh(0);
    // The figures grow while a turn runs (and for the reaction lag after it): refresh now and then.
    const timer = setInterval(() => store.refresh(0), LIST_REFRESH_MS);
    return () => {
      off();
      clearInterval(timer);
      store.close();
    };
  }, [store, client]);
  return store;
}

const EMPTY: TurnsSnapshot = { current: null, turns: [], speakers: [], reactionLagMs: 3000, running: null };
const noop = () => () => {};
export function useTurnsSnapshot(store: TurnsStore | null): TurnsSnapshot {
  return useSyncExternalStore(store ? store.subscribe : noop, store ? store.getSnapshot : () => EMPTY);
}
