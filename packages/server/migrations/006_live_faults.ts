import { sql, type Kysely } from 'kysely';

/**
 * The live path under faults (issue 11):
 * - `spill_replays`: spill files already replayed, written in the same transaction as their rows,
 *   so a file replayed twice (a crash before it was deleted, two workers) is stored once.
 * - `understanding_second_partials`: each instance's own counts for a second, written when the
 *   per-second lease cannot be decided (Redis down) or is another's; the second's row is their
 *   sum, flagged `partial`, until the lease holder writes the merged row (which wins).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('spill_replays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('replayed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('understanding_second_partials')
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('t_sec', 'integer', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('c1', 'integer', (c) => c.notNull())
    .addColumn('c2', 'integer', (c) => c.notNull())
    .addColumn('c3', 'integer', (c) => c.notNull())
    .addColumn('c4', 'integer', (c) => c.notNull())
    .addColumn('c5', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('understanding_second_partials_pk', ['session_id', 't_sec', 'instance_id'])
    .execute();
  await db.schema
    .alterTable('understanding_seconds')
    .addColumn('partial', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('understanding_seconds').dropColumn('partial').execute();
  await db.schema.dropTable('understanding_second_partials').ifExists().execute();
  await db.schema.dropTable('spill_replays').ifExists().execute();
}
