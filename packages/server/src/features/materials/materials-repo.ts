import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, MaterialsTable } from '../../platform/db-schema.js';

export type MaterialRow = Selectable<MaterialsTable>;

export function createMaterialsRepo(db: Kysely<Database>) {
  return {
    async insert(row: {
      id: string;
      session_id: string;
      title: string;
      file_name: string;
      media_type: string;
      size_bytes: number;
    }): Promise<MaterialRow> {
      return db
        .insertInto('materials')
        .values({ ...row, status: 'uploading' })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    find: (id: string) => db.selectFrom('materials').selectAll().where('id', '=', id).executeTakeFirst(),
    findByUpload: (uploadId: string) =>
      db.selectFrom('materials').selectAll().where('upload_id', '=', uploadId).executeTakeFirst(),
    list: (sessionId: string) =>
      db
        .selectFrom('materials')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    async count(sessionId: string): Promise<number> {
      const r = await db
        .selectFrom('materials')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Updates a row still in one of `statuses`; undefined when it was not (a race lost). */
    update: (id: string, patch: Updateable<MaterialsTable>, statuses: MaterialRow['status'][]) =>
      db
        .updateTable('materials')
        .set(patch)
        .where('id', '=', id)
        .where('status', 'in', statuses)
        .returningAll()
        .executeTakeFirst(),
    async remove(id: string): Promise<void> {
      await db.deleteFrom('materials').where('id', '=', id).execute();
    },
  };
}
export type MaterialsRepo = ReturnType<typeof createMaterialsRepo>;
