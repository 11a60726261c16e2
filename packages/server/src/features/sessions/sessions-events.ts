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
    /**
     * before a session's rows are deleted (emitStrict): features delete the files they own; a
     * handler that fails stops the deletion, so no file is left without its row
     */
    'session.deleting': { sessionId: string; hostId: string };
    'session.deleted': { sessionId: string; hostId: string };
    /** joined, renamed, added as presenter */
    'participant.changed': { participant: ParticipantRow };
    /**
     * before a participant's row is deleted (they erased themselves; emitStrict): features remove
     * what is theirs (questions) and the hub forgets them and closes their sockets
     */
    'participant.erasing': { sessionId: string; participantId: string };
    'participant.erased': { sessionId: string; participantId: string };
  }
}
