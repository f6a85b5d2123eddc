import { sql, type Kysely } from 'kysely';

/**
 * The review queue (issue 5): every time a person confirms or corrects the analysis of a signal, who did it, when,
 * and the domains and wijk before and after. The signal itself is updated too; these rows are the labelled
 * examples for retraining and the accuracy panel's source.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table signal_reviews (
    id uuid primary key,
    signal_id uuid not null references signals (id) on delete cascade,
    municipality_code text not null references municipalities (code),
    reviewer_user_id uuid references users (id) on delete set null,
    reviewed_at timestamptz not null default now(),
    old_domains jsonb not null default '[]',
    new_domains jsonb not null default '[]',
    old_wijk_code text,
    new_wijk_code text,
    changed boolean not null
  )`.execute(db);
  await sql`create index signal_reviews_municipality on signal_reviews (municipality_code, reviewed_at desc)`.execute(db);
  await sql`create index signal_reviews_signal on signal_reviews (signal_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists signal_reviews`.execute(db);
}
