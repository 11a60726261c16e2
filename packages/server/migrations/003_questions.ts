import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('questions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    // Kept when a participant record goes away: the question belongs to the session.
    .addColumn('participant_id', 'uuid', (c) => c.references('participants.id').onDelete('set null'))
    .addColumn('content', 'text', (c) => c.notNull().check(sql`char_length(content) between 1 and 500`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open','answered','hidden')`),
    )
    .addColumn('approved', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('pinned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('votes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'timestamptz')
    // ms since the session started; null when asked before the start
    .addColumn('t_ms', 'bigint')
    .addColumn('asker_level', 'smallint', (c) => c.check(sql`asker_level between 1 and 5`))
    .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('questions_session_idx')
    .on('questions')
    .columns(['session_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('questions_participant_idx')
    .on('questions')
    .columns(['participant_id', 'created_at'])
    .execute();
  // At most one pinned question per session, enforced by the database.
  await db.schema
    .createIndex('questions_one_pinned_uq')
    .on('questions')
    .column('session_id')
    .unique()
    .where(sql.ref('pinned'), '=', true)
    .execute();

  await db.schema
    .createTable('question_votes')
    .addColumn('question_id', 'uuid', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('participant_id', 'uuid', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('question_votes_pk', ['question_id', 'participant_id'])
    .execute();
  await db.schema
    .createIndex('question_votes_participant_idx')
    .on('question_votes')
    .column('participant_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('question_votes').ifExists().execute();
  await db.schema.dropTable('questions').ifExists().execute();
}
