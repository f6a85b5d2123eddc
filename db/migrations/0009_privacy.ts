import { sql, type Kysely } from 'kysely';

/**
 * Privacy (issue 7): when a resident was erased or anonymised, indexes for the daily retention job, and an audit log
 * that refuses every UPDATE, DELETE and TRUNCATE in the database itself, so no route, script or future bug can edit
 * who saw and changed what. The retention periods live in municipalities.settings.retention (no new table).
 */
const statements = [
  // Set when the resident's data was erased on request: outbound messages stored before this are never sent.
  sql`alter table residents add column erased_at timestamptz`,
  // Set when the retention job removed contact data and the channel pseudonym after a long time without activity.
  sql`alter table residents add column anonymised_at timestamptz`,
  sql`create index residents_retention on residents (municipality_code, last_seen_at) where anonymised_at is null`,
  sql`create index messages_retention on messages (municipality_code, created_at) where text is not null`,
  sql`create index signals_retention on signals (municipality_code, received_at) where text_raw is not null or place_answer is not null or postcode_answer is not null`,
  sql`create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
    end
  $$`,
  sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`,
  sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_truncate on audit_log`.execute(db);
  await sql`drop trigger if exists audit_log_no_change on audit_log`.execute(db);
  await sql`drop function if exists audit_log_append_only()`.execute(db);
  await sql`drop index if exists signals_retention`.execute(db);
  await sql`drop index if exists messages_retention`.execute(db);
  await sql`drop index if exists residents_retention`.execute(db);
  await sql`alter table residents drop column if exists anonymised_at`.execute(db);
  await sql`alter table residents drop column if exists erased_at`.execute(db);
}
