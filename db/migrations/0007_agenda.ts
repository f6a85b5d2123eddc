import { sql, type Kysely } from 'kysely';

/**
 * Closing the loop (issue 6): agenda items made from clusters, their status history and notes, and one delivery row
 * per resident told about an item's outcome. The delivery's primary key (item, resident) is what makes "nobody hears
 * the same feedback twice" hold across double clicks, job retries and a fan-out resumed after a crash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table agenda_items (
    id uuid primary key,
    municipality_code text not null references municipalities (code),
    title text not null,
    description text not null default '',
    status text not null default 'new'
      check (status in ('new', 'on_agenda', 'in_discussion', 'advice_given', 'decided', 'reported_back')),
    advice text,
    decision text,
    feedback_nl text,
    feedback_en text,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    reported_back_at timestamptz,
    -- Set when the feedback fan-out has stored and queued every message; a reported-back item without it is resumed.
    feedback_queued_at timestamptz
  )`.execute(db);
  await sql`create index agenda_items_municipality on agenda_items (municipality_code, updated_at desc)`.execute(db);
  // No foreign key to clusters: a re-clustering may merge a cluster away, and the item must keep what it was about
  // (the label is copied for that reason).
  await sql`create table agenda_item_clusters (
    agenda_item_id uuid not null references agenda_items (id) on delete cascade,
    cluster_id text not null,
    label text not null,
    domain_key text not null,
    primary key (agenda_item_id, cluster_id)
  )`.execute(db);
  await sql`create index agenda_item_clusters_cluster on agenda_item_clusters (cluster_id)`.execute(db);
  await sql`create table agenda_events (
    id uuid primary key,
    agenda_item_id uuid not null references agenda_items (id) on delete cascade,
    kind text not null check (kind in ('created', 'status', 'note')),
    from_status text,
    to_status text,
    note text,
    actor_user_id uuid references users (id) on delete set null,
    at timestamptz not null default now()
  )`.execute(db);
  await sql`create index agenda_events_item on agenda_events (agenda_item_id, at)`.execute(db);
  // message_id has no foreign key on purpose: the message is stored in the same transaction, and when an erasure
  // removes it the delivery stays (counted as withdrawn) so the resident is still never sent it again.
  await sql`create table feedback_deliveries (
    agenda_item_id uuid not null references agenda_items (id) on delete cascade,
    resident_id uuid not null references residents (id) on delete cascade,
    message_id uuid,
    channel text not null check (channel in ('whatsapp', 'web')),
    created_at timestamptz not null default now(),
    primary key (agenda_item_id, resident_id)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists feedback_deliveries`.execute(db);
  await sql`drop table if exists agenda_events`.execute(db);
  await sql`drop table if exists agenda_item_clusters`.execute(db);
  await sql`drop table if exists agenda_items`.execute(db);
}
