import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, RecordingsTable } from '../../platform/db-schema.js';

export type RecordingRow = Selectable<RecordingsTable>;
export type RecordingPatch = Updateable<RecordingsTable>;

export function createRecordingsRepo(db: Kysely<Database>) {
  return {
    async insert(row: {
      id: string;
      session_id: string;
      media_type: RecordingRow['media_type'];
      mime_type: string | null;
      started_at: Date;
      offset_ms: number;
      created_by_user_id: string | null;
      created_by_participant_id: string | null;
    }): Promise<RecordingRow> {
      return db.insertInto('recordings').values(row).returningAll().executeTakeFirstOrThrow();
    },
    find: (id: string) => db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst(),
    findByUpload: (uploadId: string) =>
      db.selectFrom('recordings').selectAll().where('upload_id', '=', uploadId).executeTakeFirst(),
    listOfSession: (sessionId: string) =>
      db
        .selectFrom('recordings')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('started_at')
        .orderBy('id')
        .execute(),
    listOfSessions: (sessionIds: string[]) =>
      sessionIds.length === 0
        ? Promise.resolve([] as RecordingRow[])
        : db
            .selectFrom('recordings')
            .selectAll()
            .where('session_id', 'in', sessionIds)
            .orderBy('started_at')
            .orderBy('id')
            .execute(),
    /** One not-yet-stopped recording per session at a time. */
    findActive: (sessionId: string) =>
      db
        .selectFrom('recordings')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('status', '=', 'recording')
        .where('ended_at', 'is', null)
        .executeTakeFirst(),
    /** Updates when `where` still holds (optimistic: another instance may have moved it on). */
    async update(
      id: string,
      patch: RecordingPatch,
      where: { status?: RecordingRow['status'][]; uploadIdNull?: boolean } = {},
    ): Promise<RecordingRow | undefined> {
      let q = db
        .updateTable('recordings')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id);
      if (where.status) q = q.where('status', 'in', where.status);
      if (where.uploadIdNull) q = q.where('upload_id', 'is', null);
      return q.returningAll().executeTakeFirst();
    },
    /** Unfinished recordings the finish job looks at. */
    listOpen: () =>
      db.selectFrom('recordings').selectAll().where('status', 'in', ['recording', 'processing']).execute(),
    delete: (id: string) => db.deleteFrom('recordings').where('id', '=', id).execute(),
  };
}
export type RecordingsRepo = ReturnType<typeof createRecordingsRepo>;
