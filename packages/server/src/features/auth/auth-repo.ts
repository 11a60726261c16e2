import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UsersTable } from '../../platform/db-schema.js';
import { toNumber } from '../../platform/db-schema.js';

export type UserRow = Selectable<UsersTable>;

export function createAuthRepo(db: Kysely<Database>) {
  return {
    findUserByEmail: (email: string) =>
      db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    findUserById: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    async insertUser(row: {
      id: string;
      email: string;
      username: string;
      password_hash: string;
      role?: 'admin' | 'speaker';
    }) {
      return db
        .insertInto('users')
        .values({ ...row, role: row.role ?? 'speaker' })
        .onConflict((oc) => oc.column('email').doNothing())
        .returningAll()
        .executeTakeFirst();
    },
    insertRefreshToken: (row: {
      id: string;
      user_id: string;
      family_id: string;
      token_hash: string;
      expires_at: Date;
    }) => db.insertInto('refresh_tokens').values(row).execute(),
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
    /** Revokes every refresh token of the user, except the family given (the caller's own sign-in). */
    async revokeUserTokens(userId: string, exceptFamilyId?: string): Promise<number> {
      let q = db
        .updateTable('refresh_tokens')
        .set({ revoked_at: new Date() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (exceptFamilyId) q = q.where('family_id', '!=', exceptFamilyId);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    setPassword: (userId: string, passwordHash: string, notBefore: Date) =>
      db
        .updateTable('users')
        .set({ password_hash: passwordHash, tokens_not_before: notBefore, updated_at: new Date() })
        .where('id', '=', userId)
        .execute(),
    async updateUser(
      userId: string,
      patch: { role?: UserRow['role']; disabled_at?: Date | null },
    ): Promise<UserRow | undefined> {
      return db
        .updateTable('users')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirst();
    },
    deleteUser: (userId: string) => db.deleteFrom('users').where('id', '=', userId).execute(),
    async countActiveAdmins(): Promise<number> {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return toNumber(r?.n as number);
    },
    async listUsers(limit = 1000): Promise<(UserRow & { session_count: number })[]> {
      const rows = await db
        .selectFrom('users')
        .selectAll('users')
        .select(sql<number>`(select count(*) from sessions s where s.host_id = users.id)`.as('session_count'))
        .orderBy('created_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, session_count: toNumber(r.session_count) }));
    },
  };
}
export type AuthRepo = ReturnType<typeof createAuthRepo>;
