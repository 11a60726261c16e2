import type { VideoControlMessage } from '@rstream/protocol';
import { AppError, forbidden } from '../../errors.js';
import type { Room } from '../../realtime/room.js';
import type { RoomClient } from '../../realtime/room-types.js';
import { forVideo, isVideo, videoIdOf, type VideoStateDeps, type VideoStates } from './video-state.js';
import { applyControl, initialState } from './video-timeline.js';

export const notVideo = () => new AppError(409, 'NOT_VIDEO', 'This is not a video session.');

/** May this client drive the playback? The host always; a presenter when facilitator is someone_else. */
export function mayControl(room: Room, client: RoomClient): boolean {
  if (client.role === 'host') return true;
  return client.role === 'presenter' && room.settings.video?.facilitator === 'someone_else';
}

/**
 * `video:control` (play / pause / seek / rate): checked, then a compare-and-set on the stored
 * state (retried when another instance changed it meanwhile), adopted and published. One control
 * at a time per session on this instance, in the order they arrived.
 */
export function createVideoControl(deps: Pick<VideoStateDeps, 'repo' | 'durationOf'>, states: VideoStates) {
  const { repo } = deps;
  const queues = new Map<string, Promise<void>>();

  async function applyOne(room: Room, client: RoomClient, msg: VideoControlMessage): Promise<void> {
    if (!isVideo(room)) throw notVideo();
    if (!mayControl(room, client)) throw forbidden('Only the facilitator (or the host) controls the video.');
    if (room.status === 'ended') throw new AppError(409, 'SESSION_ENDED', 'The session has ended.');
    const videoId = videoIdOf(room);
    if (!videoId) throw new AppError(409, 'NO_VIDEO', 'No video has been chosen for this session yet.');
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = Date.now();
      const stored = await repo.getState(room.id);
      const durationMs = await deps.durationOf(videoId);
      const base = forVideo(stored ?? initialState(videoId, now), videoId, now);
      const next = applyControl(base, msg, now, durationMs);
      if (await repo.casState(room.id, next, stored?.seq ?? 0)) {
        states.adopt(room.id, next, durationMs, now);
        states.publish(room.id, next, durationMs);
        return;
      }
    }
    throw new AppError(409, 'VIDEO_BUSY', 'The video changed meanwhile; try again.');
  }

  return function control(room: Room, client: RoomClient, msg: VideoControlMessage): Promise<void> {
    const prev = queues.get(room.id) ?? Promise.resolve();
    const run = prev.catch(() => {}).then(() => applyOne(room, client, msg));
    const tail = run.catch(() => {});
    queues.set(room.id, tail);
    void tail.then(() => {
      if (queues.get(room.id) === tail) queues.delete(room.id);
    });
    return run;
  };
}
