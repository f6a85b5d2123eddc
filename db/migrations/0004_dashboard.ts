import { sql, type Kysely } from 'kysely';

/**
 * Street notes from the dashboard: the conversation (where, when, who roughly) and its signals. The signals
 * themselves are ordinary rows in `signals` (source 'street'); the link table keeps `signals` unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table street_notes (
    id uuid primary key,
    municipality_code text not null references municipalities (code),
    author_user_id uuid not null references users (id),
    wijk_code text references wijken (code),
    place text,
    noted_on date not null,
    age_band text check (age_band in ('0_15', '15_25', '25_45', '45_65', '65_plus')),
    resident_role text check (resident_role in ('client', 'carer', 'resident')),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index street_notes_municipality on street_notes (municipality_code, created_at desc)`.execute(db);
  await sql`create table street_note_signals (
    street_note_id uuid not null references street_notes (id) on delete cascade,
    signal_id uuid primary key references signals (id) on delete cascade,
    position smallint not null
  )`.execute(db);
  await sql`create index street_note_signals_note on street_note_signals (street_note_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists street_note_signals`.execute(db);
  await sql`drop table if exists street_notes`.execute(db);
}
