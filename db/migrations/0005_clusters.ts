import { sql, type Kysely } from 'kysely';

/**
 * Live clusters (issue 4): signals about the same concrete issue within one municipality and primary life domain,
 * kept up to date by the worker as each signal is analysed. `signals.cluster_id` (there since 0001) points here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table clusters (
    id text primary key,
    municipality_code text not null references municipalities (code),
    domain_key text not null,
    label text not null,
    key_terms jsonb not null default '[]',
    centroid jsonb not null default '{"terms": {}, "words": {}}',
    signal_count integer not null default 0,
    resident_count integer not null default 0,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    trend text not null default 'new' check (trend in ('new', 'growing', 'stable', 'fading')),
    alert boolean not null default false,
    updated_at timestamptz not null default now()
  )`.execute(db);
  // The worker's candidate set: the recently active clusters of one municipality and domain.
  await sql`create index clusters_candidates on clusters (municipality_code, domain_key, last_seen_at desc)`.execute(db);
  await sql`create index signals_cluster on signals (cluster_id) where cluster_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists signals_cluster`.execute(db);
  await sql`drop table if exists clusters`.execute(db);
}
