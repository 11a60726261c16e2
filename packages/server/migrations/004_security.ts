import { sql, type Kysely } from 'kysely';

/**
 * Security: the append-only security trail (audit_events), presenter/facilitator invitations,
 * and users.tokens_not_before (access tokens issued before it are refused: password change,
 * disable, role change).
 *
 * audit_events has no foreign keys on purpose: the trail outlives the users and sessions it
 * mentions. A trigger refuses UPDATE, DELETE and TRUNCATE; the only way rows leave is
 * audit_events_prune(days), which raises a transaction-local flag the trigger honours.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success','failure','denied')`))
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_participant_id', 'uuid')
    .addColumn('actor_label', 'text')
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('session_id', 'uuid')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_type_idx').on('audit_events').columns(['type', 'id']).execute();
  await db.schema
    .createIndex('audit_events_actor_idx')
    .on('audit_events')
    .columns(['actor_user_id', 'id'])
    .execute();

  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('rstream.audit_prune', true), '') = 'on' and tg_op = 'DELETE' then
        return old;
      end if;
      raise exception 'audit_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_events_no_update_delete before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);
  await sql`
    create or replace function audit_events_prune(retention_days integer) returns bigint language plpgsql as $$
    declare removed bigint;
    begin
      if retention_days is null or retention_days < 1 then
        raise exception 'retention_days must be at least 1';
      end if;
      perform set_config('rstream.audit_prune', 'on', true);
      delete from audit_events where at < now() - make_interval(days => retention_days);
      get diagnostics removed = row_count;
      perform set_config('rstream.audit_prune', 'off', true);
      return removed;
    end $$`.execute(db);

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('presenter','facilitator')`))
    .addColumn('email', 'text')
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('participant_id', 'uuid', (c) => c.references('participants.id').onDelete('set null'))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('invitations_session_idx')
    .on('invitations')
    .columns(['session_id', 'created_at'])
    .execute();

  await db.schema.alterTable('users').addColumn('tokens_not_before', 'timestamptz').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('tokens_not_before').execute();
  await db.schema.dropTable('invitations').ifExists().execute();
  await db.schema.dropTable('audit_events').ifExists().execute();
  await sql`drop function if exists audit_events_prune(integer)`.execute(db);
  await sql`drop function if exists audit_events_append_only()`.execute(db);
}
