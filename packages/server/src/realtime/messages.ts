import type {
  ErrorMessage,
  Participant,
  ParticipantsMessage,
  PongMessage,
  ServerMessage,
  WarningMessage,
  WelcomeMessage,
} from '@rstream/protocol';
import { endsAtOf, toParticipant } from '../features/sessions/sessions-view.js';
import { buildTextFrame } from './frame.js';
import {
  FULL_PARTICIPANT_LIST_MAX,
  LISTENER_ROSTER_MAX,
  type MediaPosition,
  type RoomClient,
} from './room-types.js';
import { type Room } from './room.js';

/**
 * Every frame the server sends is built here from a protocol type (pure: no I/O), so a frame
 * cannot drift from packages/protocol/src/ws.ts.
 */

/** The JSON text of one message (typed: only protocol messages can be serialised). */
export function serialize(message: ServerMessage): string {
  return JSON.stringify(message);
}

/** One prebuilt WebSocket frame of a message, to write to many sockets. */
export function frameOf(message: ServerMessage): Buffer {
  return buildTextFrame(serialize(message));
}

export const PROTOCOL_VERSION = 1;

export function welcomeMessage(room: Room, client: RoomClient, now: number, tickMs: number): WelcomeMessage {
  return {
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    role: client.role,
    participantId: client.participantId,
    level: client.participantId ? room.levelOf(client.participantId) : null,
    serverTime: now,
    tickMs,
  };
}

/** The roster; listeners get it without levels (see `listenersSeeRoster`). */
export function participantsMessage(room: Room, forListeners: boolean): ParticipantsMessage {
  const anonymous = room.settings.anonymous;
  const participants: Participant[] = [];
  for (const [id, p] of room.participants) {
    const remote = room.remoteLevel(id);
    const live = {
      connected: p.sockets > 0 || remote !== undefined,
      level: forListeners ? null : (room.tally.get(id) ?? remote ?? p.level),
    };
    participants.push(toParticipant(p.row, anonymous, live));
  }
  return { type: 'participants', participants };
}

export function warningMessage(room: Room, active: boolean, now: number): WarningMessage {
  return { type: 'warning', active, t: room.elapsedMs(now), avg: room.merged().avg };
}

export function pongMessage(id: string | number, now: number): PongMessage {
  return { type: 'pong', id, serverTime: now };
}

export function errorMessage(code: string, message: string): ErrorMessage {
  return { type: 'error', code, message };
}

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
  degraded = false,
  /** the media timeline's position now (video mode), when the caller has it already */
  media: MediaPosition | null = room.mediaClock?.(now) ?? null,
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
  if (media) Object.assign(base, { videoMs: Math.round(media.positionMs), videoPlaying: media.playing });
  if (!speaker) return base;
  // The speaker is told when the count covers this instance's listeners only (Redis unreachable).
  if (degraded) Object.assign(base, { degraded: 'instances_unreachable' as const });
  if (allowPartial && n > FULL_PARTICIPANT_LIST_MAX) {
    const participants = [...room.changed].map(([participantId, level]) => ({ participantId, level }));
    return { ...base, participants, partial: true };
  }
  const participants = room.allLevels().map(([participantId, level]) => ({ participantId, level }));
  return { ...base, participants };
}
