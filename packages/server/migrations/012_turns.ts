import { sql, type Kysely } from 'kysely';

// Discussion mode: who spoke when (issue 16). Figures are computed from the stored seconds and
// signals when read, so nothing here needs updating while a turn runs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('turns')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('speaker', 'text', (c) => c.notNull().check(sql`char_length(speaker) between 1 and 64`))
    // Kept when the participant record goes away: the turn belongs to the session.
    .addColumn('participant_id', 'uuid', (c) => c.references('participants.id').onDelete('set null'))
    // ms since the session started
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('turns_session_idx').on('turns').columns(['session_id', 'start_ms']).execute();
  // One turn at a time, enforced by the database (instances race on turn:start).
  await db.schema
    .createIndex('turns_one_open_uq')
    .on('turns')
    .column('session_id')
    .unique()
    .where(sql.ref('end_ms'), 'is', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('turns').ifExists().execute();
}
