import { randomUUID } from 'node:crypto';
import type { JoinBody, JoinResponse, Participant } from '@rstream/protocol';
import { conflict, sessionNotFound } from '../../errors.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { EventPort } from '../../platform/events.js';
import './sessions-events.js';
import type { ParticipantRow, SessionRow, SessionsRepo } from './sessions-repo.js';
import { readSettings, toParticipant, type LiveParticipants } from './sessions-view.js';

/** A session's participants: joining, presenters, renaming, erasure, listings. */
export function createParticipants(repo: SessionsRepo, events: Pick<EventPort, 'emit' | 'emitStrict'>) {
  const participantChanged = (participant: ParticipantRow) =>
    void events.emit('participant.changed', { participant });

  return {
    async join(body: JoinBody): Promise<JoinResponse> {
      const row = await repo.findSessionByCode(body.code);
      if (!row) throw sessionNotFound();
      if (row.status === 'ended') throw conflict('SESSION_ENDED', 'This session has ended.');
      const token = randomToken('p');
      const participant = await repo.insertParticipant({
        id: randomUUID(),
        session_id: row.id,
        token_hash: sha256(token),
        display_name: body.displayName,
        anonymous: body.anonymous ?? false,
        role: 'listener',
      });
      participantChanged(participant);
      return {
        sessionId: row.id,
        participantId: participant.id,
        participantToken: token,
        role: participant.role,
      };
    },

    /** A participant added by an accepted invitation: role presenter (the speaker's view). */
    async addPresenter(sessionId: string, displayName: string): Promise<JoinResponse> {
      const token = randomToken('p');
      const participant = await repo.insertParticipant({
        id: randomUUID(),
        session_id: sessionId,
        token_hash: sha256(token),
        display_name: displayName,
        anonymous: false,
        role: 'presenter',
      });
      participantChanged(participant);
      return { sessionId, participantId: participant.id, participantToken: token, role: participant.role };
    },

    findParticipantByToken: (token: string) => repo.findParticipantByTokenHash(sha256(token)),

    /**
     * A participant erases themselves from a session (docs/security.md, "A listener erases
     * themselves"): first `participant.erasing` (emitStrict: their questions go, the hub forgets
     * them and closes their sockets with 4410), then their row — signals and votes with it. The
     * per-second aggregates stay: they are anonymous counts.
     */
    async eraseParticipant(participant: ParticipantRow): Promise<void> {
      const ev = { sessionId: participant.session_id, participantId: participant.id };
      await events.emitStrict('participant.erasing', ev);
      await repo.deleteParticipant(participant.id);
      void events.emit('participant.erased', ev);
    },

    async rename(participant: ParticipantRow, displayName: string): Promise<ParticipantRow> {
      const row = await repo.renameParticipant(participant.id, displayName);
      if (!row) throw sessionNotFound();
      participantChanged(row);
      return row;
    },

    /** `liveState`: who is connected and at what level now (the hub's view), when the session is loaded. */
    async listParticipants(session: SessionRow, liveState?: LiveParticipants): Promise<Participant[]> {
      const anonymous = readSettings(session.settings).anonymous;
      const rows = await repo.listParticipants(session.id);
      return rows.map((r) => toParticipant(r, anonymous, liveState?.get(r.id)));
    },

    listParticipantRows: (sessionId: string) => repo.listParticipants(sessionId),
  };
}
