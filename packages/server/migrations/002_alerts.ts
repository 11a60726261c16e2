import { sql, type Kysely } from 'kysely';

/**
 * Alerts: one row per occurrence (firing → resolved), silences per fingerprint, and every
 * notification attempt — the history the operations dashboard shows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('rule','adhoc')`))
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('critical','warning','info')`))
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 1 and 3`))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('labels', 'jsonb', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('runbook', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('firing','resolved')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('last_notified_at', 'timestamptz')
    .addColumn('notify_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acked_at', 'timestamptz')
    .addColumn('acked_by', 'uuid')
    .execute();
  // At most one firing occurrence per fingerprint: the de-duplication key.
  await sql`create unique index alerts_firing_fingerprint_idx on alerts (fingerprint) where status = 'firing'`.execute(
    db,
  );
  await db.schema.createIndex('alerts_started_idx').on('alerts').column('started_at').execute();

  await db.schema
    .createTable('alert_silences')
    .addColumn('fingerprint', 'text', (c) => c.primaryKey())
    .addColumn('until', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('alert_notifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('alert_id', 'uuid', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('firing','repeat','resolved')`))
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('alert_notifications_alert_idx')
    .on('alert_notifications')
    .column('alert_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert_notifications').execute();
  await db.schema.dropTable('alert_silences').execute();
  await db.schema.dropTable('alerts').execute();
}
