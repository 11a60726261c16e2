import type { ServerMessage } from '@rstream/protocol';
import { endsAtOf } from '../features/sessions/sessions-service.js';
import { FULL_PARTICIPANT_LIST_MAX, LISTENER_ROSTER_MAX, type Room } from './room.js';

/** The messages the hub sends, built from a room's state (pure: no I/O). */

/** Listeners see who else is there unless the session is anonymous or too large for it. */
export function listenersSeeRoster(room: Room): boolean {
  return !room.settings.anonymous && room.participants.size <= LISTENER_ROSTER_MAX;
}

export function statusMessage(room: Room): ServerMessage {
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    type: 'session:status',
    status: room.status,
    startedAt: iso(room.row.started_at),
    endsAt: endsAtOf(room.row, room.settings),
    endedAt: iso(room.row.ended_at),
  };
}

/**
 * The understanding update. Listeners get the aggregate; speakers also get each listener's level —
 * all of them, or (large audiences, `allowPartial`) only those that changed since the last tick.
 */
export function updateMessage(
  room: Room,
  now: number,
  speaker: boolean,
  allowPartial: boolean,
): ServerMessage {
  const { avg, n, counts } = room.merged();
  const base = {
    type: 'understanding:update' as const,
    t: room.elapsedMs(now),
    ts: now,
    seq: room.seq,
    avg,
    n,
    counts,
  };
  if (!speaker) return base;
  if (allowPartial && n > FULL_PARTICIPANT_LIST_MAX) {
    const participants = [...room.changed].map(([participantId, level]) => ({ participantId, level }));
    return { ...base, participants, partial: true };
  }
  const participants = room.allLevels().map(([participantId, level]) => ({ participantId, level }));
  return { ...base, participants };
}
