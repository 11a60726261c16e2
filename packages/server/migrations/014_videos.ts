import { sql, type Kysely } from 'kysely';

// Video-watching mode (issue 15): the video library, each session's playback state (owned by the
// database: every change is a compare-and-set on `seq`), the log of changes (what maps a second
// of the session onto the video), and the video position stamped on every signal.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('videos')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`char_length(title) between 1 and 200`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('url','upload')`))
    .addColumn('url', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('uploading','processing','ready','failed')`),
    )
    .addColumn('media_type', 'text')
    .addColumn('duration_ms', 'bigint')
    .addColumn('size_bytes', 'bigint')
    .addColumn('declared_bytes', 'bigint')
    .addColumn('upload_id', 'text', (c) => c.unique())
    .addColumn('storage_key', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('videos_owner_idx').on('videos').columns(['owner_id', 'created_at']).execute();

  await db.schema
    .createTable('video_states')
    .addColumn('session_id', 'uuid', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid')
    .addColumn('playing', 'boolean', (c) => c.notNull())
    .addColumn('position_ms', 'bigint', (c) => c.notNull())
    .addColumn('rate', 'real', (c) => c.notNull())
    // epoch ms the position was taken at
    .addColumn('server_time', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('video_events')
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('playing', 'boolean', (c) => c.notNull())
    .addColumn('position_ms', 'bigint', (c) => c.notNull())
    .addColumn('rate', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('video_events_pk', ['session_id', 'seq'])
    .execute();

  // The video position when the signal was given (null: not a video session / no state yet).
  await db.schema.alterTable('signals').addColumn('video_ms', 'bigint').execute();
  await db.schema.alterTable('signals').addColumn('video_playing', 'boolean').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('signals').dropColumn('video_playing').execute();
  await db.schema.alterTable('signals').dropColumn('video_ms').execute();
  await db.schema.dropTable('video_events').ifExists().execute();
  await db.schema.dropTable('video_states').ifExists().execute();
  await db.schema.dropTable('videos').ifExists().execute();
}
