import { sql, type Kysely } from 'kysely';

/**
 * Flash polls (issue 6): a poll of one question (two or three answer options, or one open answer) sent to opted-in
 * residents, one delivery row per resident (the primary key (poll, resident) makes sending twice impossible, as for
 * feedback), and one answer per resident per poll (a later answer replaces the earlier one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table polls (
    id uuid primary key,
    municipality_code text not null references municipalities (code),
    question text not null,
    kind text not null check (kind in ('choice', 'open')),
    options jsonb not null default '[]',
    audience jsonb not null default '{}',
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    -- Set once by the send click (compare-and-set): a double click sends once.
    sent_at timestamptz,
    -- Set when the fan-out has stored and queued every message.
    queued_at timestamptz,
    -- Residents left out by the fan-out, by reason (no approved template outside the 24-hour window, stopped, ...).
    skipped jsonb not null default '{}',
    closed_at timestamptz
  )`.execute(db);
  await sql`create index polls_municipality on polls (municipality_code, created_at desc)`.execute(db);
  // message_id without a foreign key, as feedback_deliveries: an erasure removes the message, the row stays.
  await sql`create table poll_deliveries (
    poll_id uuid not null references polls (id) on delete cascade,
    resident_id uuid not null references residents (id) on delete cascade,
    message_id uuid,
    channel text not null check (channel in ('whatsapp', 'web')),
    created_at timestamptz not null default now(),
    -- When the resident answered, or was told the poll is closed: their next message is no longer taken as an answer.
    settled_at timestamptz,
    primary key (poll_id, resident_id)
  )`.execute(db);
  await sql`create index poll_deliveries_resident on poll_deliveries (resident_id, created_at desc) where settled_at is null`.execute(db);
  await sql`create table poll_answers (
    poll_id uuid not null references polls (id) on delete cascade,
    resident_id uuid not null references residents (id) on delete cascade,
    option_id text,
    -- An open answer is a signal of its own (source: the channel), so it goes through the pipeline.
    signal_id uuid references signals (id) on delete set null,
    answered_at timestamptz not null default now(),
    primary key (poll_id, resident_id)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists poll_answers`.execute(db);
  await sql`drop table if exists poll_deliveries`.execute(db);
  await sql`drop table if exists polls`.execute(db);
}
