import { listenersSeeWholeGraph } from '@rstream/protocol';
import { writeFrame } from './frame.js';
import {
  frameOf,
  listenersSeeRoster,
  participantsMessage,
  updateMessage,
  warningMessage,
} from './messages.js';
import type { Room } from './room.js';
import type { MediaPosition, RoomClient } from './room-types.js';

const ROSTER_INTERVAL_MS = 1000;

/**
 * While a media timeline plays (video mode), each new second of it is a change: the speakers get
 * one update per played second, so the graph on video time has a value for every second watched,
 * even when nobody pressed anything during it.
 */
function markMediaSecond(room: Room, media: MediaPosition | null): void {
  if (!media?.playing) return;
  const sec = Math.floor(media.positionMs / 1000);
  if (room.lastMediaSecond === sec) return;
  room.lastMediaSecond = sec;
  room.dirty = true;
}

export interface TickContext {
  /** other instances are unreachable (the speakers are told) */
  degraded: boolean;
  presenceGraceMs: number;
  /** whether this instance writes the merged per-second row or its partial */
  secondsRole: (room: Room, now: number) => 'merged' | 'partial';
  /** one frame to every socket of the set (counted, slow sockets skipped) */
  fanOut: (clients: Set<RoomClient>, frame: Buffer) => void;
}

/**
 * One room's share of a tick: presence, the per-second rows, the warning rule, then one update
 * frame per audience when the state changed and the roster at most once a second.
 */
export function tickRoom(room: Room, now: number, t: TickContext): void {
  room.sweepPresence(now, t.presenceGraceMs);
  if (room.remote.size > 0) room.expireRemotes(now);
  if (room.isLive) {
    room.secondsRole = t.secondsRole(room, now);
    room.recordSeconds(now);
    const flipped = room.evaluateWarning(now);
    if (flipped !== null) {
      const frame = frameOf(warningMessage(room, flipped, now));
      for (const c of room.speakers) writeFrame(c.ws, frame);
    }
  }
  // the media position is read once per tick: the second's mark and both audiences' updates
  const media = room.mediaClock?.(now) ?? null;
  markMediaSecond(room, media);
  if (t.degraded !== room.degradedShown) {
    room.degradedShown = t.degraded;
    room.dirty = true;
  }
  if (room.dirty) {
    room.seq++;
    t.fanOut(room.speakers, frameOf(updateMessage(room, now, true, true, t.degraded, media)));
    if (listenersSeeWholeGraph(room.settings) && room.listeners.size > 0) {
      t.fanOut(room.listeners, frameOf(updateMessage(room, now, false, false, false, media)));
    }
    room.dirty = false;
    room.changed.clear();
  }
  if (room.rosterDirty && now - room.lastRosterAt >= ROSTER_INTERVAL_MS) {
    room.rosterDirty = false;
    room.lastRosterAt = now;
    if (room.speakers.size > 0) t.fanOut(room.speakers, frameOf(participantsMessage(room, false)));
    if (room.listeners.size > 0 && listenersSeeRoster(room))
      t.fanOut(room.listeners, frameOf(participantsMessage(room, true)));
  }
}
