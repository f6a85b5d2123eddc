import { sql, type Kysely } from 'kysely';

/**
 * A municipality's own taxonomy (issue 5, CONTRACTS.md section 6): what differs from the default life domains. One
 * row per key the municipality touched: a default key with a new label or retired, or a domain it added. No row:
 * the default, as it was. Retiring sets retired_at; the key stays on old signals and can be brought back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table municipality_domains (
    municipality_code text not null references municipalities (code),
    key text not null check (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    -- null: the default label (pipeline/taxonomy.ts, dashboards/i18n.ts).
    label_nl text check (length(label_nl) between 1 and 80),
    label_en text check (length(label_en) between 1 and 80),
    -- true for a domain the municipality added (not one of the default keys).
    added boolean not null default false,
    retired_at timestamptz,
    updated_at timestamptz not null default now(),
    primary key (municipality_code, key),
    check (not added or label_nl is not null)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists municipality_domains`.execute(db);
}
