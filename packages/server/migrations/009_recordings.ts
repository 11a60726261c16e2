import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recordings')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('recording')
        .check(sql`status in ('recording','processing','ready','failed')`),
    )
    .addColumn('media_type', 'text', (c) => c.notNull().check(sql`media_type in ('video/mp4','video/webm')`))
    .addColumn('mime_type', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    // set when the presenter stopped (or the grace job gave up waiting)
    .addColumn('ended_at', 'timestamptz')
    .addColumn('offset_ms', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint')
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('declared_bytes', 'bigint')
    .addColumn('interrupted', 'boolean', (c) => c.notNull().defaultTo(false))
    // [{atMs, resumedAtMs}] in session time
    .addColumn('pauses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('upload_id', 'text', (c) => c.unique())
    .addColumn('upload_complete', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_byte_at', 'timestamptz')
    .addColumn('processing_started_at', 'timestamptz')
    .addColumn('storage_key', 'text')
    .addColumn('thumbs_key', 'text')
    .addColumn('thumb_interval_ms', 'integer')
    .addColumn('thumb_count', 'integer')
    .addColumn('failure_reason', 'text')
    .addColumn('created_by_user_id', 'uuid')
    .addColumn('created_by_participant_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('recordings_session_idx')
    .on('recordings')
    .columns(['session_id', 'started_at'])
    .execute();
  // the grace job scans unfinished recordings only
  await db.schema
    .createIndex('recordings_open_idx')
    .on('recordings')
    .column('status')
    .where(sql.ref('status'), 'in', sql`('recording','processing')`)
    .execute();

  // The host's "keep past retention" flag (one row per kept session).
  await db.schema
    .createTable('archive_keeps')
    .addColumn('session_id', 'uuid', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('kept_by', 'uuid')
    .addColumn('kept_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('archive_keeps').execute();
  await db.schema.dropTable('recordings').execute();
}
