import type { WebSocket } from 'ws';
import type { ParticipantRow } from '../features/sessions/sessions-repo.js';

export type ClientRole = 'host' | 'presenter' | 'listener';

export interface RoomClient {
  ws: WebSocket;
  role: ClientRole;
  participantId: string | null;
}

export interface LiveParticipant {
  row: ParticipantRow;
  /** last level the participant chose (kept while they are away, restored when they return) */
  level: number | null;
  sockets: number;
  disconnectedAt: number | null;
}

/** Above this many counted listeners the speaker gets per-tick deltas instead of every level. */
export const FULL_PARTICIPANT_LIST_MAX = 200;
/** Listeners receive the roster only for audiences up to this size (it would be N² bytes otherwise). */
export const LISTENER_ROSTER_MAX = 200;

/** Where a room's media timeline is (video mode), from the video state's clock. */
export interface MediaPosition {
  positionMs: number;
  playing: boolean;
}
