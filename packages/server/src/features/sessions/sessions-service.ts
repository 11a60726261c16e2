import { randomUUID } from 'node:crypto';
import {
  AVAILABLE_MODES,
  DEFAULT_SESSION_SETTINGS,
  type CreateSessionBody,
  type PublicSession,
  type Session,
  type SessionSettings,
  type UpdateSessionBody,
} from '@rstream/protocol';
import { AppError, badRequest, conflict, forbidden, sessionNotFound } from '../../errors.js';
import type { EventPort } from '../../platform/events.js';
import './sessions-events.js';
import { generateJoinCode } from './join-code.js';
import { createParticipants } from './participants-service.js';
import type { ParticipantRow, SessionRow, SessionsRepo } from './sessions-repo.js';
import {
  isUuid,
  iso,
  mergeSettings,
  readSettings,
  toPublicSession,
  toSession,
  withModeSettings,
  type LiveParticipants,
} from './sessions-view.js';

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
  liveParticipants(sessionId: string): LiveParticipants;
}

/**
 * A feature's check of a session's settings before they are stored (create, update, going live):
 * throws an AppError to refuse. The video mode checks its `settings.video` this way.
 */
export type SettingsCheck = (ctx: {
  hostId: string;
  sessionId: string | null;
  mode: CreateSessionBody['mode'];
  settings: SessionSettings;
  previous: SessionSettings | null;
  goingLive: boolean;
}) => Promise<void>;

export function createSessionsService(repo: SessionsRepo, events: Pick<EventPort, 'emit' | 'emitStrict'>) {
  const settingsChecks: SettingsCheck[] = [];
  const runChecks = async (ctx: Parameters<SettingsCheck>[0]) => {
    for (const check of settingsChecks) await check(ctx);
  };
  const participants = createParticipants(repo, events);

  async function loadOwned(userId: string, sessionId: string): Promise<SessionRow> {
    const row = isUuid(sessionId) ? await repo.findSession(sessionId) : undefined;
    if (!row) throw sessionNotFound();
    if (row.host_id !== userId) throw forbidden('Only the session’s host can do this.');
    return row;
  }

  return {
    loadOwned,
    addSettingsCheck: (check: SettingsCheck) => void settingsChecks.push(check),

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
      await runChecks({
        hostId,
        sessionId: null,
        mode: body.mode,
        settings,
        previous: null,
        goingLive: false,
      });
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
      if (patch.settings !== undefined || patch.status === 'live') {
        const previous = readSettings(row.settings);
        await runChecks({
          hostId: row.host_id,
          sessionId: row.id,
          mode: row.mode,
          settings: (patch.settings as SessionSettings | undefined) ?? withModeSettings(row.mode, previous),
          previous,
          goingLive: patch.status === 'live',
        });
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

    ...participants,

    /** Deletes every session of a host (account deletion); returns how many. */
    async removeAllOfHost(hostId: string): Promise<number> {
      const rows = await repo.listSessionsOfHost(hostId);
      for (const row of rows) await this.remove(hostId, row.id);
      return rows.length;
    },
  };
}
export type SessionsService = ReturnType<typeof createSessionsService>;
