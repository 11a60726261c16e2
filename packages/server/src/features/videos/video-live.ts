import type { ServerMessage, VideoViewerMessage } from '@rstream/protocol';
import type { Room } from '../../realtime/room.js';
import type { RoomClient } from '../../realtime/room-types.js';
import { createVideoControl, notVideo } from './video-control.js';
import { CH_STATE, createVideoStates, isVideo, type VideoStateDeps } from './video-state.js';
import { positionAt, reachedEnd } from './video-timeline.js';
import { CH_VIEWERS, createVideoViewers } from './video-viewers.js';

export { notVideo } from './video-control.js';

const EVERY_MS = 1000;

export type VideoLiveDeps = VideoStateDeps;

/**
 * The live side of video sessions: the playback state (video-state.ts: owned by the database,
 * spread through the bus), the facilitator's controls (video-control.ts) and the viewers' own
 * player states (video-viewers.ts), wired to the hub's rooms.
 */
export function createVideoLive(deps: VideoLiveDeps) {
  const { hub, bus, log } = deps;
  const states = createVideoStates(deps);
  const control = createVideoControl(deps, states);
  const viewers = createVideoViewers({ ...deps, stateOf: (id) => states.cache.get(id) });
  const unsubscribe: (() => Promise<void>)[] = [];
  let timer: NodeJS.Timeout | null = null;

  function everySecond() {
    const now = Date.now();
    viewers.everySecond(now);
    states.maybeCatchUp(now, hub.cluster.degraded(now));
  }

  return {
    isVideo,
    control,
    viewer(room: Room, client: RoomClient, msg: VideoViewerMessage) {
      if (!isVideo(room)) throw notVideo();
      viewers.report(room, client, msg);
    },
    /** The room's media clock: where the video stands now (stamps signals and updates). */
    clockOf(room: Room) {
      return (now: number) => {
        if (!isVideo(room)) return null;
        const c = states.cache.get(room.id);
        if (!c) return null;
        const positionMs = positionAt(c.state, now, c.durationMs);
        return { positionMs, playing: c.state.playing && !reachedEnd(c.state, now, c.durationMs) };
      };
    },
    /** Right after `welcome`: the state, read again when the cached one is not fresh. */
    async sendState(room: Room, send: (m: ServerMessage) => void) {
      if (!isVideo(room)) return;
      const c = await states.current(room);
      states.scheduleEnd(room.id, c);
      send(states.stateMessage(c));
    },
    /** Loads the state of a room so that signals are stamped from the start. */
    warm(room: Room) {
      if (isVideo(room))
        void states.current(room).catch((err) => log.warn({ err }, 'video state not loaded'));
    },
    /** The session's video changed (settings): everyone gets the state of the new one. */
    async sessionChanged(sessionId: string) {
      const room = hub.rooms.get(sessionId);
      if (!room || !isVideo(room)) return;
      if (!states.dropIfOtherVideo(room)) return;
      const fresh = await states.current(room, 0);
      states.deliver(sessionId, states.stateMessage(fresh));
    },
    async start() {
      unsubscribe.push(await bus.subscribe(CH_STATE, states.onBus));
      unsubscribe.push(await bus.subscribe(CH_VIEWERS, viewers.onBus));
      timer = setInterval(() => {
        try {
          everySecond();
        } catch (err) {
          log.warn({ err }, 'video viewers tick failed');
        }
      }, EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      states.stop();
      for (const u of unsubscribe.splice(0)) await u().catch(() => {});
    },
    forget(sessionId: string) {
      states.forget(sessionId);
      viewers.forget(sessionId);
    },
  };
}
export type VideoLive = ReturnType<typeof createVideoLive>;
