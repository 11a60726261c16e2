import { sql, type Kysely } from 'kysely';

/** Backup runs (scheduled, manual, drills): what ran, how long, how big, and why it failed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('hourly','daily','manual','drill')`))
    // The schedule slot (e.g. hourly 2026-11-28T14): one run per slot across every instance.
    .addColumn('slot', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running','success','failed')`))
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .addColumn('size_bytes', 'bigint')
    .addColumn('file', 'text')
    .addColumn('location', 'text')
    .addColumn('sha256', 'text')
    .addColumn('encrypted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('backup_runs_started_idx').on('backup_runs').column('started_at').execute();
  await sql`CREATE UNIQUE INDEX backup_runs_slot_uq ON backup_runs (kind, slot) WHERE slot IS NOT NULL AND status <> 'failed'`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backup_runs').ifExists().execute();
}
