import { sql, type Kysely } from 'kysely';

/**
 * Boundaries of wijken and buurten (issue 5, the map): simplified polygons from the CBS Wijk- en Buurtkaart,
 * imported with `npx wijkstem boundaries import FILE.geojson`, stored in WGS84 (RD input is converted on import).
 * One row per wijk or buurt code of the gazetteer; a new import of the same code replaces its geometry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table boundaries (
    code text primary key,
    level text not null check (level in ('wijk', 'buurt')),
    municipality_code text not null references municipalities (code),
    geometry jsonb not null,
    bbox jsonb not null,
    source_file text,
    imported_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index boundaries_municipality on boundaries (municipality_code, level)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists boundaries`.execute(db);
}
