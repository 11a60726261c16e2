import type { ParticipantRow, SessionRow } from './sessions-repo.js';

// The sessions feature's domain events (platform/events.ts): reports, recordings and the archive
// react to `session.ended`; the hub follows `session.changed`, `session.deleted` and
// `participant.changed`.
declare module '../../platform/events.js' {
  interface DomainEvents {
    /** status scheduled → live */
    'session.started': { sessionId: string; hostId: string; startedAt: string };
    /** status → ended (by the host or an invited presenter) */
    'session.ended': { sessionId: string; hostId: string; endedAt: string };
    /** any saved change of a session (title, settings, status) */
    'session.changed': { session: SessionRow };
    'session.deleted': { sessionId: string; hostId: string };
    /** joined, renamed, added as presenter */
    'participant.changed': { participant: ParticipantRow };
  }
}
