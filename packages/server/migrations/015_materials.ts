import { sql, type Kysely } from 'kysely';

// Discussion materials that are files (issue 16): uploaded by tus (`Upload-Metadata: materialId`),
// stored under materials/<sessionId>/, shown to everyone in the session. Links stay in settings.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('materials')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // the files go first (session.deleting); the rows go with the session
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`char_length(title) between 1 and 120`))
    .addColumn('file_name', 'text', (c) => c.notNull().check(sql`char_length(file_name) between 1 and 200`))
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('uploading', 'ready')`))
    .addColumn('upload_id', 'text')
    .addColumn('storage_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('materials_session_idx').on('materials').column('session_id').execute();
  await db.schema.createIndex('materials_upload_uq').on('materials').column('upload_id').unique().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('materials').ifExists().execute();
}
