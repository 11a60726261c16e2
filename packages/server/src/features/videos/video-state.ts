import type { ServerMessage, VideoStateMessage } from '@rstream/protocol';
import type { Logger } from 'pino';
import { fromOtherInstances, type Bus } from '../../platform/bus.js';
import type { Hub } from '../../realtime/hub.js';
import { frameOf } from '../../realtime/messages.js';
import type { Room } from '../../realtime/room.js';
import {
  endsAt,
  initialState,
  pausedAtEnd,
  positionAt,
  reachedEnd,
  type VideoState,
} from './video-timeline.js';
import type { VideosRepo } from './videos-repo.js';

export const CH_STATE = 'rstream:video:state';
/** A cached state older than this is read again from the database when someone joins. */
const STATE_FRESH_MS = 2000;
/** While the bus may be losing messages (other instances unreachable) the stored seq is read this often. */
const CATCH_UP_MS = 2000;

export interface Cached {
  state: VideoState;
  durationMs: number | null;
  checkedAt: number;
}

export interface VideoStateDeps {
  repo: VideosRepo;
  hub: Hub;
  bus: Bus;
  instanceId: string;
  log: Logger;
  /** the video's duration (ms), or null while unknown */
  durationOf(videoId: string): Promise<number | null>;
}

export const videoIdOf = (room: Room) => room.settings.video?.videoId ?? null;
export const isVideo = (room: Room) => room.row.mode === 'video';

/** A state naming another video than the session's (the host changed it) starts over. */
export const forVideo = (s: VideoState, videoId: string | null, now: number): VideoState =>
  s.videoId === videoId ? s : { ...initialState(videoId, now), seq: s.seq };

/**
 * This instance's copy of every loaded video session's playback state. The DATABASE owns it
 * (compare-and-set on `video_states.seq`); each change is adopted here, sent to this instance's
 * sockets and published on the bus, and the other instances adopt what the bus brings (newest seq
 * wins). Event-driven: the database is read when someone joins and the cached copy is not fresh,
 * and — since the bus may have dropped messages — while the other instances are unreachable and
 * once when they are reachable again. The end of the video pauses it automatically.
 */
export function createVideoStates(deps: VideoStateDeps) {
  const { repo, hub, bus, log } = deps;
  const cache = new Map<string, Cached>();
  const loading = new Map<string, Promise<Cached>>();
  const endTimers = new Map<string, NodeJS.Timeout>();
  let lastCatchUp = 0;
  let wasDegraded = false;

  async function read(room: Room, now = Date.now()): Promise<Cached> {
    const videoId = videoIdOf(room);
    const stored = await repo.getState(room.id);
    const durationMs = videoId ? await deps.durationOf(videoId) : null;
    const state = forVideo(stored ?? initialState(videoId, now), videoId, now);
    const prev = cache.get(room.id);
    // never go back: a bus message may have brought a newer seq while we read
    const best = prev && prev.state.seq > state.seq ? prev : { state, durationMs, checkedAt: now };
    best.checkedAt = now;
    best.durationMs = durationMs;
    cache.set(room.id, best);
    return best;
  }

  async function current(room: Room, maxAgeMs = STATE_FRESH_MS): Promise<Cached> {
    const c = cache.get(room.id);
    if (c && Date.now() - c.checkedAt <= maxAgeMs && c.state.videoId === videoIdOf(room)) return c;
    let p = loading.get(room.id);
    if (!p) {
      p = read(room).finally(() => loading.delete(room.id));
      loading.set(room.id, p);
    }
    return p;
  }

  function stateMessage(c: Cached, now = Date.now()): VideoStateMessage {
    const s = c.state;
    const ended = c.durationMs !== null && c.durationMs > 0 && !s.playing && s.positionMs >= c.durationMs;
    return {
      type: 'video:state',
      playing: s.playing && !reachedEnd(s, now, c.durationMs),
      positionMs: s.playing ? s.positionMs : positionAt(s, now, c.durationMs),
      rate: s.rate,
      serverTime: s.serverTime,
      seq: s.seq,
      videoId: s.videoId,
      durationMs: c.durationMs,
      ...(ended ? { ended: true } : {}),
    };
  }

  function deliver(sessionId: string, message: ServerMessage) {
    const room = hub.rooms.get(sessionId);
    if (room) hub.deliver(room, frameOf(message), 'all');
  }

  /** This instance learnt a state (its own change, the bus, a read): keep it if newer, tell sockets. */
  function adopt(sessionId: string, state: VideoState, durationMs: number | null, now = Date.now()) {
    const prev = cache.get(sessionId);
    if (prev && prev.state.seq >= state.seq) return false;
    const c = { state, durationMs, checkedAt: now };
    cache.set(sessionId, c);
    scheduleEnd(sessionId, c);
    deliver(sessionId, stateMessage(c, now));
    return true;
  }

  /** Pausing at the end is automatic: whichever instance's timer fires first wins the CAS. */
  function scheduleEnd(sessionId: string, c: Cached) {
    const old = endTimers.get(sessionId);
    if (old) clearTimeout(old);
    endTimers.delete(sessionId);
    const at = endsAt(c.state, c.durationMs);
    if (at === null) return;
    const seq = c.state.seq;
    const t = setTimeout(
      () => {
        endTimers.delete(sessionId);
        void autoPause(sessionId, seq).catch((err) => log.warn({ err, sessionId }, 'video end pause failed'));
      },
      Math.max(0, at - Date.now()) + 20,
    );
    t.unref();
    endTimers.set(sessionId, t);
  }

  async function autoPause(sessionId: string, seq: number) {
    const c = cache.get(sessionId);
    if (!c || c.state.seq !== seq || c.durationMs === null) return;
    const now = Date.now();
    if (!reachedEnd(c.state, now, c.durationMs)) return scheduleEnd(sessionId, c);
    const next = pausedAtEnd(c.state, now, c.durationMs);
    if (await repo.casState(sessionId, next, seq)) {
      adopt(sessionId, next, c.durationMs, now);
      publish(sessionId, next, c.durationMs);
    } else {
      const room = hub.rooms.get(sessionId);
      if (room) await catchUp(room);
    }
  }

  function publish(sessionId: string, state: VideoState, durationMs: number | null) {
    bus
      .publish(CH_STATE, JSON.stringify({ id: sessionId, s: state, d: durationMs, i: deps.instanceId }))
      .catch((err) => log.warn({ err }, 'video state not published (the others catch up from the database)'));
  }

  /** Reads the stored seq (cheap) and adopts the stored state when it is newer than ours. */
  async function catchUp(room: Room) {
    const seq = await repo.stateSeq(room.id);
    const c = cache.get(room.id);
    if (c && seq <= c.state.seq) {
      c.checkedAt = Date.now();
      return;
    }
    const stored = await repo.getState(room.id);
    if (!stored) return;
    const videoId = videoIdOf(room);
    const durationMs = videoId ? await deps.durationOf(videoId) : null;
    adopt(room.id, stored, durationMs);
  }

  /**
   * Called every second: while the other instances are unreachable (bus messages may be lost)
   * each loaded video session's stored seq is read every CATCH_UP_MS, and once more when they
   * are reachable again. Otherwise nothing: the bus brings every change.
   */
  function maybeCatchUp(now: number, degraded: boolean) {
    const recovered = wasDegraded && !degraded;
    wasDegraded = degraded;
    if (!recovered && !(degraded && now - lastCatchUp >= CATCH_UP_MS)) return;
    lastCatchUp = now;
    for (const room of hub.rooms.values()) {
      if (!isVideo(room) || (room.speakers.size === 0 && room.listeners.size === 0)) continue;
      void catchUp(room).catch(() => {});
    }
  }

  /** A state from another instance, through the bus. */
  const onBus = fromOtherInstances<{ id: string; s: VideoState; d: number | null; i: string }>(
    deps.instanceId,
    (err) => log.warn({ err }, 'bad video state message'),
    (m) => adopt(m.id, m.s, m.d),
  );

  return {
    cache,
    current,
    stateMessage,
    deliver,
    adopt,
    publish,
    scheduleEnd,
    maybeCatchUp,
    onBus,
    /** The session's video changed: drop the copy when it names another video. */
    dropIfOtherVideo(room: Room): boolean {
      const c = cache.get(room.id);
      if (c && c.state.videoId === videoIdOf(room)) return false;
      cache.delete(room.id);
      return true;
    },
    stop() {
      for (const t of endTimers.values()) clearTimeout(t);
      endTimers.clear();
    },
    forget(sessionId: string) {
      cache.delete(sessionId);
      const t = endTimers.get(sessionId);
      if (t) clearTimeout(t);
      endTimers.delete(sessionId);
    },
  };
}
export type VideoStates = ReturnType<typeof createVideoStates>;
