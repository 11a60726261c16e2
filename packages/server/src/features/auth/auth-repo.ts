import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../../platform/db-schema.js';

export type UserRow = Selectable<UsersTable>;

export function createAuthRepo(db: Kysely<Database>) {
  return {
    findUserByEmail: (email: string) =>
      db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    findUserById: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    async insertUser(row: { id: string; email: string; username: string; password_hash: string; role?: 'admin' | 'speaker' }) {
      return db
        .insertInto('users')
        .values({ ...row, role: row.role ?? 'speaker' })
        .onConflict((oc) => oc.column('email').doNothing())
        .returningAll()
        .executeTakeFirst();
    },
    insertRefreshToken: (row: { id: string; user_id: string; family_id: string; token_hash: string; expires_at: Date }) =>
      db.insertInto('refresh_tokens').values(row).execute(),
    findRefreshToken: (tokenHash: string) =>
      db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    /** Marks the token used; false when someone else used it first (a race counts as reuse). */
    async markRotated(id: string, replacedBy: string): Promise<boolean> {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: new Date(), replaced_by: replacedBy })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    revokeFamily: (familyId: string) =>
      db
        .updateTable('refresh_tokens')
        .set({ revoked_at: new Date() })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute(),
  };
}
export type AuthRepo = ReturnType<typeof createAuthRepo>;
