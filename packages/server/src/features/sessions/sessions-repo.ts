import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ParticipantsTable, SessionsTable } from '../../platform/db-schema.js';
import { toNumber } from '../../platform/db-schema.js';

export type SessionRow = Selectable<SessionsTable> & { host_name: string; participant_count: number };
export type ParticipantRow = Selectable<ParticipantsTable>;

export function createSessionsRepo(db: Kysely<Database>) {
  const selectSession = () =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.host_id')
      .selectAll('sessions')
      .select('users.username as host_name')
      .select((eb) =>
        eb
          .selectFrom('participants')
          .whereRef('participants.session_id', '=', 'sessions.id')
          .select(eb.fn.countAll().as('c'))
          .as('participant_count'),
      );
  const normalise = <T extends { participant_count: unknown } | undefined>(row: T) =>
    row ? { ...row, participant_count: toNumber(row.participant_count as number) } : row;

  return {
    async insertSession(row: {
      id: string;
      code: string;
      host_id: string;
      title: string;
      mode: SessionRow['mode'];
      settings: unknown;
    }): Promise<boolean> {
      const r = await db
        .insertInto('sessions')
        .values({ ...row, settings: JSON.stringify(row.settings) })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
    async findSession(id: string): Promise<SessionRow | undefined> {
      return normalise(await selectSession().where('sessions.id', '=', id).executeTakeFirst()) as
        SessionRow | undefined;
    },
    async findSessionByCode(code: string): Promise<SessionRow | undefined> {
      return normalise(await selectSession().where('sessions.code', '=', code).executeTakeFirst()) as
        SessionRow | undefined;
    },
    async listSessionsOfHost(hostId: string): Promise<SessionRow[]> {
      const rows = await selectSession()
        .where('sessions.host_id', '=', hostId)
        .orderBy('sessions.created_at', 'desc')
        .limit(500)
        .execute();
      return rows.map((r) => normalise(r) as SessionRow);
    },
    async updateSession(
      id: string,
      patch: Partial<{
        title: string;
        settings: unknown;
        status: SessionRow['status'];
        started_at: Date;
        ended_at: Date;
      }>,
      expectedStatus?: SessionRow['status'],
    ): Promise<boolean> {
      let q = db
        .updateTable('sessions')
        .set({
          ...patch,
          settings: patch.settings === undefined ? undefined : JSON.stringify(patch.settings),
        })
        .where('id', '=', id);
      if (expectedStatus) q = q.where('status', '=', expectedStatus);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async deleteSession(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },

    /** Numbers participants in join order without races: the session row is the counter. */
    async insertParticipant(row: {
      id: string;
      session_id: string;
      token_hash: string;
      display_name: string;
      anonymous: boolean;
      role: ParticipantRow['role'];
    }): Promise<ParticipantRow> {
      return db.transaction().execute(async (trx) => {
        const seq = await trx
          .updateTable('sessions')
          .set({ participant_seq: sql`participant_seq + 1` })
          .where('id', '=', row.session_id)
          .returning('participant_seq')
          .executeTakeFirstOrThrow();
        return trx
          .insertInto('participants')
          .values({ ...row, ordinal: toNumber(seq.participant_seq) })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    },
    findParticipantByTokenHash: (tokenHash: string) =>
      db.selectFrom('participants').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    findParticipant: (id: string) =>
      db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst(),
    listParticipants: (sessionId: string) =>
      db
        .selectFrom('participants')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('ordinal')
        .execute(),
    /**
     * A participant erased: the row goes, and with it (foreign keys) their signals and votes;
     * their invitation and discussion turns keep no link to them (set null).
     */
    async deleteParticipant(id: string): Promise<boolean> {
      const r = await db.deleteFrom('participants').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows ?? 0) > 0;
    },

    renameParticipant: (id: string, displayName: string) =>
      db
        .updateTable('participants')
        .set({ display_name: displayName })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst(),
  };
}
export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
