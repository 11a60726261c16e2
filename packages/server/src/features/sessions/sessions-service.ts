import { randomUUID } from 'node:crypto';
import {
  AVAILABLE_MODES,
  DEFAULT_SESSION_SETTINGS,
  discussionSettingsSchema,
  sessionSettingsSchema,
  type CreateSessionBody,
  type JoinBody,
  type JoinResponse,
  type Participant,
  type PublicSession,
  type Session,
  type SessionSettings,
  type SessionSettingsPatch,
  type UpdateSessionBody,
} from '@rstream/protocol';
import { AppError, badRequest, conflict, forbidden, sessionNotFound } from '../../errors.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { EventPort } from '../../platform/events.js';
import './sessions-events.js';
import { generateJoinCode } from './join-code.js';
import type { ParticipantRow, SessionRow, SessionsRepo } from './sessions-repo.js';

/**
 * What the live layer (realtime hub) offers about sessions. The sessions service does not call it:
 * it emits domain events (features/domain-events.ts) the hub subscribes to, and the routes pass
 * the live state (`liveParticipants`) in where a listing needs it.
 */
export interface LiveSessionsPort {
  sessionChanged(session: SessionRow): void;
  sessionDeleted(sessionId: string): void;
  participantChanged(participant: ParticipantRow): void;
  /** connected + current level per participant, for sessions that are loaded. */
  liveParticipants(sessionId: string): Map<string, { connected: boolean; level: number | null }> | undefined;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string) => UUID_RE.test(v);

export function readSettings(raw: unknown): SessionSettings {
  const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const parsed = sessionSettingsSchema.safeParse({ ...DEFAULT_SESSION_SETTINGS, ...(value as object) });
  return parsed.success ? parsed.data : DEFAULT_SESSION_SETTINGS;
}

export function mergeSettings(
  base: SessionSettings,
  patch: SessionSettingsPatch | undefined,
): SessionSettings {
  if (!patch) return base;
  return { ...base, ...patch, warning: { ...base.warning, ...patch.warning } };
}

/** Discussion settings belong to discussion sessions only, which always have them. */
function withModeSettings(mode: CreateSessionBody['mode'], settings: SessionSettings): SessionSettings {
  if (mode !== 'discussion') {
    const { discussion: _ignored, ...rest } = settings;
    return rest;
  }
  return {
    ...settings,
    discussion: settings.discussion ?? discussionSettingsSchema.parse({ facilitator: 'me' }),
  };
}

export function endsAtOf(row: Pick<SessionRow, 'started_at'>, settings: SessionSettings): string | null {
  if (!row.started_at || settings.plannedDurationMin === null) return null;
  return new Date(new Date(row.started_at).getTime() + settings.plannedDurationMin * 60_000).toISOString();
}

export function toSession(row: SessionRow, baseUrl: string): Session {
  const settings = readSettings(row.settings);
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    mode: row.mode,
    status: row.status,
    settings,
    joinUrl: `${baseUrl}/j/${row.code}`,
    hostUrl: `${baseUrl}/host/${row.id}`,
    hostName: row.host_name,
    createdAt: iso(row.created_at) as string,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    endsAt: endsAtOf(row, settings),
    participantCount: row.participant_count,
  };
}

export function toPublicSession(row: SessionRow): PublicSession {
  const s = toSession(row, '');
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    mode: s.mode,
    status: s.status,
    hostName: s.hostName,
    startedAt: s.startedAt,
    endsAt: s.endsAt,
    settings: s.settings,
  };
}

/** How a participant appears to others: no name when they or the session are anonymous. */
export function toParticipant(
  row: ParticipantRow,
  anonymousSession: boolean,
  live?: { connected: boolean; level: number | null },
): Participant {
  return {
    participantId: row.id,
    displayName: anonymousSession || row.anonymous ? null : row.display_name,
    ordinal: row.ordinal,
    role: row.role,
    connected: live?.connected ?? false,
    level: live?.level ?? row.level ?? null,
  };
}

export type LiveParticipants = ReturnType<LiveSessionsPort['liveParticipants']>;

export function createSessionsService(repo: SessionsRepo, events: Pick<EventPort, 'emit' | 'emitStrict'>) {
  const participantChanged = (participant: ParticipantRow) =>
    void events.emit('participant.changed', { participant });

  async function loadOwned(userId: string, sessionId: string): Promise<SessionRow> {
    const row = isUuid(sessionId) ? await repo.findSession(sessionId) : undefined;
    if (!row) throw sessionNotFound();
    if (row.host_id !== userId) throw forbidden('Only the session’s host can do this.');
    return row;
  }

  return {
    loadOwned,

    async findSession(sessionId: string): Promise<SessionRow | undefined> {
      return isUuid(sessionId) ? repo.findSession(sessionId) : undefined;
    },

    async create(hostId: string, body: CreateSessionBody, baseUrl: string): Promise<Session> {
      if (!AVAILABLE_MODES.includes(body.mode)) {
        throw badRequest(`The ${body.mode} mode is not available yet.`, [
          { path: 'mode', message: 'not available yet' },
        ]);
      }
      const settings = withModeSettings(body.mode, mergeSettings(DEFAULT_SESSION_SETTINGS, body.settings));
      const id = randomUUID();
      for (let attempt = 0; attempt < 20; attempt++) {
        const inserted = await repo.insertSession({
          id,
          code: generateJoinCode(),
          host_id: hostId,
          title: body.title,
          mode: body.mode,
          settings,
        });
        if (inserted) return toSession((await repo.findSession(id))!, baseUrl);
      }
      throw new AppError(503, 'INTERNAL', 'Could not allocate a session code; try again.');
    },

    async list(hostId: string, baseUrl: string): Promise<Session[]> {
      return (await repo.listSessionsOfHost(hostId)).map((r) => toSession(r, baseUrl));
    },

    async update(
      userId: string,
      sessionId: string,
      body: UpdateSessionBody,
      baseUrl: string,
    ): Promise<Session> {
      const row = await loadOwned(userId, sessionId);
      const patch: Parameters<SessionsRepo['updateSession']>[1] = {};
      if (body.title !== undefined) patch.title = body.title;
      if (body.settings !== undefined)
        patch.settings = withModeSettings(row.mode, mergeSettings(readSettings(row.settings), body.settings));
      let expected: SessionRow['status'] | undefined;
      if (body.status !== undefined && body.status !== row.status) {
        const allowed =
          (row.status === 'scheduled' && body.status === 'live') ||
          (row.status !== 'ended' && body.status === 'ended');
        if (!allowed)
          throw conflict('INVALID_STATUS_CHANGE', `A ${row.status} session cannot become ${body.status}.`);
        patch.status = body.status;
        expected = row.status;
        if (body.status === 'live') patch.started_at = new Date();
        if (body.status === 'ended') {
          patch.ended_at = new Date();
          if (!row.started_at) patch.started_at = patch.ended_at;
        }
      }
      if (Object.keys(patch).length > 0) {
        const ok = await repo.updateSession(row.id, patch, expected);
        if (!ok) throw conflict('INVALID_STATUS_CHANGE', 'The session changed meanwhile; reload it.');
      }
      const updated = (await repo.findSession(row.id))!;
      void events.emit('session.changed', { session: updated });
      if (patch.status === 'live')
        void events.emit('session.started', {
          sessionId: updated.id,
          hostId: updated.host_id,
          startedAt: iso(updated.started_at)!,
        });
      if (patch.status === 'ended')
        void events.emit('session.ended', {
          sessionId: updated.id,
          hostId: updated.host_id,
          endedAt: iso(updated.ended_at)!,
        });
      return toSession(updated, baseUrl);
    },

    async remove(userId: string, sessionId: string): Promise<void> {
      const row = await loadOwned(userId, sessionId);
      await this.removeById(row.id);
    },

    /**
     * Deletes a session and everything it owns (the host, archive retention). Files first:
     * `session.deleting` handlers delete theirs, and one that fails stops the deletion.
     */
    async removeById(sessionId: string): Promise<void> {
      const row = await repo.findSession(sessionId);
      if (!row) return;
      try {
        await events.emitStrict('session.deleting', { sessionId, hostId: row.host_id });
      } catch (e) {
        // fail closed: a file could not be deleted, so no row is (a retry completes: idempotent)
        // the cause stays in the server's log (paths, endpoints), not in the answer
        throw Object.assign(
          new AppError(
            503,
            'STORAGE_UNAVAILABLE',
            'The session was not deleted: its stored files could not be removed. Try again later.',
          ),
          { cause: e },
        );
      }
      await repo.deleteSession(sessionId);
      void events.emit('session.deleted', { sessionId, hostId: row.host_id });
    },

    listRowsOfHost: (hostId: string) => repo.listSessionsOfHost(hostId),

    async getPublicByCode(code: string): Promise<PublicSession> {
      const row = await repo.findSessionByCode(code);
      if (!row) throw sessionNotFound();
      return toPublicSession(row);
    },

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

    /** Deletes every session of a host (account deletion); returns how many. */
    async removeAllOfHost(hostId: string): Promise<number> {
      const rows = await repo.listSessionsOfHost(hostId);
      for (const row of rows) await this.remove(hostId, row.id);
      return rows.length;
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
export type SessionsService = ReturnType<typeof createSessionsService>;
