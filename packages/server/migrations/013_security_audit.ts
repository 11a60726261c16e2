import { sql, type Kysely } from 'kysely';

/**
 * The security audit (ops/audit): every report with its findings (history for the trend), and
 * risk acceptances (a finding id an admin accepted, with a reason and an expiry; an expired or
 * revoked acceptance no longer hides the finding). The acceptance is also a security-trail event.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('security_audit_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('cli','schedule','admin','test')`))
    .addColumn('instance', 'text', (c) => c.notNull())
    // The monthly slot (e.g. 2026-12): one scheduled run per month across every instance.
    .addColumn('slot', 'text')
    .addColumn('exit_code', 'integer', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('warning', 'integer', (c) => c.notNull())
    .addColumn('info', 'integer', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('security_audit_reports_started_idx')
    .on('security_audit_reports')
    .column('started_at')
    .execute();
  await sql`CREATE UNIQUE INDEX security_audit_reports_slot_uq ON security_audit_reports (slot) WHERE slot IS NOT NULL`.execute(
    db,
  );
  await db.schema
    .createTable('security_audit_acceptances')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('finding_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_by_label', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('security_audit_acceptances_finding_idx')
    .on('security_audit_acceptances')
    .columns(['finding_id', 'expires_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_audit_acceptances').ifExists().execute();
  await db.schema.dropTable('security_audit_reports').ifExists().execute();
}
