import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, InvitationsTable } from '../../platform/db-schema.js';

export type InvitationRow = Selectable<InvitationsTable>;

export function createInvitationsRepo(db: Kysely<Database>) {
  return {
    insert: (row: {
      id: string;
      session_id: string;
      token_hash: string;
      role: InvitationRow['role'];
      email: string | null;
      created_by: string;
      expires_at: Date;
    }) => db.insertInto('invitations').values(row).returningAll().executeTakeFirstOrThrow(),
    findByTokenHash: (hash: string) =>
      db.selectFrom('invitations').selectAll().where('token_hash', '=', hash).executeTakeFirst(),
    listOfSession: (sessionId: string) =>
      db
        .selectFrom('invitations')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute(),
    /** Single use: only one caller ever gets the row back. */
    claim: (id: string) =>
      db
        .updateTable('invitations')
        .set({ accepted_at: sql`now()` })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', sql<Date>`now()`)
        .returningAll()
        .executeTakeFirst(),
    /** Undo a claim whose participant could not be created (nothing else saw it). */
    unclaim: (id: string) =>
      db
        .updateTable('invitations')
        .set({ accepted_at: null })
        .where('id', '=', id)
        .where('participant_id', 'is', null)
        .execute(),
    setParticipant: (id: string, participantId: string) =>
      db.updateTable('invitations').set({ participant_id: participantId }).where('id', '=', id).execute(),
    revoke: (sessionId: string, id: string) =>
      db
        .updateTable('invitations')
        .set({ revoked_at: sql`now()` })
        .where('id', '=', id)
        .where('session_id', '=', sessionId)
        .where('revoked_at', 'is', null)
        .where('accepted_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),
    findInSession: (sessionId: string, id: string) =>
      db
        .selectFrom('invitations')
        .selectAll()
        .where('id', '=', id)
        .where('session_id', '=', sessionId)
        .executeTakeFirst(),
  };
}
export type InvitationsRepo = ReturnType<typeof createInvitationsRepo>;
