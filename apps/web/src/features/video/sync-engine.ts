/**
 * Drift correction for one `<video>` following the group's `video:state` — pure logic, no DOM.
 *
 * Where the group is: `positionMs + (serverNow − serverTime) · rate` while playing, `positionMs`
 * while paused (serverNow from the NTP-style clock, clock.ts). Like Jellyfin's SyncPlay, small
 * drift is corrected by playing a little faster or slower, large drift by a seek:
 *
 *   |drift| ≤ IN_SYNC_MS (50 ms)          nothing (the group's rate); a running nudge goes on
 *                                         until |drift| < NUDGE_DONE_MS (20 ms)
 *   50 ms < |drift| ≤ SEEK_OVER_MS        playbackRate = rate · (1 + drift / CATCH_UP_MS),
 *     (400 ms, Jellyfin's MinDelaySkipToSync) the change capped at ±MAX_NUDGE (10 %): 200 ms behind
 *                                         plays at 1.10× and closes in ~2 s, inaudibly
 *   |drift| > 400 ms                      seek to the target plus the time a seek takes here
 *                                         (learnt from earlier seeks, starting at 150 ms)
 *
 * After a seek nothing is measured until the element fired `seeked` (its currentTime is
 * meaningless meanwhile) — with a 10 s safety net for a seek that never reports. A second seek
 * within SEEK_COOLDOWN_MS of the last one is not made: the nudge (capped) works on instead, so a
 * slow network cannot drive the element into a seek loop. While the element buffers nothing is
 * decided either: a stalled viewer reports `buffering` and never moves the group.
 * While paused, the element is paused and put on the exact frame (|drift| > PAUSED_EXACT_MS).
 */
export const SYNC = {
  IN_SYNC_MS: 50,
  NUDGE_DONE_MS: 20,
  SEEK_OVER_MS: 400,
  CATCH_UP_MS: 2000,
  MAX_NUDGE: 0.1,
  MIN_NUDGE: 0.02,
  SEEK_COOLDOWN_MS: 1500,
  SEEK_TIMEOUT_MS: 10_000,
  PAUSED_EXACT_MS: 40,
  SEEK_LEAD_START_MS: 150,
  SEEK_LEAD_MAX_MS: 1500,
} as const;

export interface GroupState {
  playing: boolean;
  positionMs: number;
  rate: number;
  /** the server's Date.now() when this state took effect */
  serverTime: number;
  seq: number;
}

export interface ElementView {
  currentMs: number;
  paused: boolean;
  /** waiting for data while it should play (readyState < HAVE_FUTURE_DATA, or `waiting`) */
  buffering: boolean;
  durationMs: number | null;
}

export type SyncAction = 'none' | 'nudge' | 'seek' | 'wait';

export interface SyncDecision {
  action: SyncAction;
  /** the playbackRate to set */
  rate: number;
  /** whether the element should be playing */
  play: boolean;
  seekToMs?: number;
  /** target − current (positive: this viewer is behind); null when not measured */
  driftMs: number | null;
  why?: 'seeking' | 'buffering' | 'no-state';
}

/** Where the group is at `serverNow` (ms of video), clamped to [0, duration]. */
export function targetPositionMs(state: GroupState, serverNow: number, durationMs: number | null = null) {
  const t = state.playing
    ? state.positionMs + Math.max(0, serverNow - state.serverTime) * state.rate
    : state.positionMs;
  const clamped = Math.max(0, t);
  return durationMs !== null && durationMs > 0 ? Math.min(clamped, durationMs) : clamped;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export class SyncEngine {
  private seekIssuedAt: number | null = null;
  private seekWhilePlaying = false;
  private lastSeekDoneAt = -Infinity;
  private nudging = false;
  /** How long a seek takes here (ms): an exponential average of the measured ones. */
  seekLeadMs: number = SYNC.SEEK_LEAD_START_MS;

  /** Whether a seek is outstanding (no measurement until `seeked`). */
  get awaitingSeeked(): boolean {
    return this.seekIssuedAt !== null;
  }

  decide(state: GroupState | null, serverNow: number, el: ElementView, nowMs: number): SyncDecision {
    if (!state) return { action: 'wait', rate: 1, play: false, driftMs: null, why: 'no-state' };
    const rate = state.rate;
    if (this.seekIssuedAt !== null) {
      if (nowMs - this.seekIssuedAt < SYNC.SEEK_TIMEOUT_MS)
        return { action: 'wait', rate, play: state.playing, driftMs: null, why: 'seeking' };
      this.seekIssuedAt = null; // never reported: measure again rather than hang
    }
    if (state.playing && el.buffering && !el.paused)
      return { action: 'wait', rate, play: true, driftMs: null, why: 'buffering' };

    const target = targetPositionMs(state, serverNow, el.durationMs);
    const drift = target - el.currentMs;
    const abs = Math.abs(drift);

    if (!state.playing) {
      this.nudging = false;
      if (abs > SYNC.PAUSED_EXACT_MS) return this.seek(target, rate, false, drift, nowMs);
      return { action: 'none', rate, play: false, driftMs: drift };
    }
    const atEnd = el.durationMs !== null && target >= el.durationMs && el.currentMs >= el.durationMs - 100;
    if (atEnd) return { action: 'none', rate, play: false, driftMs: drift };

    const coolingDown = nowMs - this.lastSeekDoneAt < SYNC.SEEK_COOLDOWN_MS;
    if (abs > SYNC.SEEK_OVER_MS && !coolingDown) {
      this.nudging = false;
      return this.seek(target + this.seekLeadMs * rate, rate, true, drift, nowMs);
    }
    if (abs > SYNC.IN_SYNC_MS || (this.nudging && abs > SYNC.NUDGE_DONE_MS)) {
      this.nudging = true;
      const change = clamp(drift / SYNC.CATCH_UP_MS, -SYNC.MAX_NUDGE, SYNC.MAX_NUDGE);
      const sized = Math.sign(change) * Math.max(SYNC.MIN_NUDGE, Math.abs(change));
      return {
        action: 'nudge',
        rate: rate * (1 + clamp(sized, -SYNC.MAX_NUDGE, SYNC.MAX_NUDGE)),
        play: true,
        driftMs: drift,
      };
    }
    this.nudging = false;
    return { action: 'none', rate, play: true, driftMs: drift };
  }

  private seek(toMs: number, rate: number, playing: boolean, drift: number, nowMs: number): SyncDecision {
    this.seekIssuedAt = nowMs;
    this.seekWhilePlaying = playing;
    return { action: 'seek', rate, play: playing, seekToMs: Math.max(0, toMs), driftMs: drift };
  }

  /** The element fired `seeked`: measuring may resume; a seek made while playing teaches the lead. */
  seeked(nowMs: number): void {
    if (this.seekIssuedAt === null) return;
    const took = nowMs - this.seekIssuedAt;
    if (this.seekWhilePlaying && took >= 0)
      this.seekLeadMs = clamp(0.5 * this.seekLeadMs + 0.5 * took, 0, SYNC.SEEK_LEAD_MAX_MS);
    this.seekIssuedAt = null;
    this.lastSeekDoneAt = nowMs;
  }

  /** A new source or a reset of the element: forget outstanding seeks and nudges. */
  reset(): void {
    this.seekIssuedAt = null;
    this.nudging = false;
    this.lastSeekDoneAt = -Infinity;
  }
}

/** The facilitator's label for a viewer, from what the viewer reported and its drift. */
export type ViewerSyncLabel =
  'in_sync' | 'behind' | 'ahead' | 'buffering' | 'needs_tap' | 'loading' | 'paused';
/** Beyond this a viewer counts as behind (or ahead): well past what a nudge corrects unseen. */
export const VIEWER_OFF_MS = 500;

/** `driftMs` as the server reports it: the viewer's position minus the group's (negative: behind). */
export function viewerSyncLabel(v: {
  state: 'needs_tap' | 'loading' | 'ready' | 'playing' | 'buffering' | 'paused';
  driftMs: number | null;
}): ViewerSyncLabel {
  if (v.state === 'needs_tap' || v.state === 'loading' || v.state === 'buffering') return v.state;
  const d = v.driftMs ?? 0;
  if (d < -VIEWER_OFF_MS) return 'behind';
  if (d > VIEWER_OFF_MS) return 'ahead';
  return v.state === 'paused' ? 'paused' : 'in_sync';
}
