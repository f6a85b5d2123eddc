/** Stored outlines of wijken and buurten (the map). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Boundary, BoundaryLevel, Database, NewBoundary } from '../database.ts';
import { filtered, person, type DashboardFilter } from './dashboard-stats.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Inserts or replaces outlines by code: importing the same file again changes nothing. */
export async function upsertBoundaries(db: Db, rows: readonly NewBoundary[]): Promise<void> {
  // In chunks: a municipality has a few hundred buurten, a national file thousands.
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('boundaries')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          level: eb.ref('excluded.level'),
          municipality_code: eb.ref('excluded.municipality_code'),
          geometry: eb.ref('excluded.geometry'),
          bbox: eb.ref('excluded.bbox'),
          source_file: eb.ref('excluded.source_file'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute();
  }
}

export async function listBoundaries(db: Db, municipalityCodes: readonly string[], level: BoundaryLevel): Promise<Boundary[]> {
  if (municipalityCodes.length === 0) return [];
  return db.selectFrom('boundaries').selectAll().where('municipality_code', 'in', [...municipalityCodes]).where('level', '=', level).orderBy('code').execute();
}

/** Which levels have outlines for these municipalities. */
export async function boundaryLevelsOf(db: Db, municipalityCodes: readonly string[]): Promise<BoundaryLevel[]> {
  if (municipalityCodes.length === 0) return [];
  const rows = await db.selectFrom('boundaries').select('level').distinct().where('municipality_code', 'in', [...municipalityCodes]).execute();
  return rows.map((r) => r.level).sort((a, b) => (a === b ? 0 : a === 'wijk' ? -1 : 1));
}

export interface AreaFigures {
  code: string;
  name: string;
  municipality_code: string;
  signals: number;
  residents: number;
  /** Inhabitants from the gazetteer (a wijk: the sum of its buurten); null where unknown. */
  population: number | null;
}

/**
 * Signals and distinct residents per wijk or buurt under the filter (where the signal is placed: its wijk or
 * buurt), with the gazetteer's population: every area of the municipalities, also those without signals.
 */
export async function areaFigures(db: Db, municipalityCodes: readonly string[], filter: DashboardFilter, level: BoundaryLevel): Promise<AreaFigures[]> {
  if (municipalityCodes.length === 0) return [];
  const codes = [...municipalityCodes];
  const column = level === 'wijk' ? 's.wijk_code' : 's.buurt_code';
  const counted = await filtered(db, codes, filter)
    .where(column, 'is not', null)
    .select([`${column} as code`, sql<string>`count(*)`.as('signals'), sql<string>`count(distinct ${person})`.as('residents')])
    .groupBy(column)
    .execute();
  const counts = new Map(counted.map((r) => [r.code ?? '', r]));
  const areas =
    level === 'wijk'
      ? await db
          .selectFrom('wijken as w')
          .leftJoin('buurten as b', 'b.wijk_code', 'w.code')
          .select(['w.code', 'w.name', 'w.municipality_code', sql<string | null>`sum(b.inwoners)`.as('population')])
          .where('w.municipality_code', 'in', codes)
          .groupBy(['w.code', 'w.name', 'w.municipality_code'])
          .orderBy('w.name')
          .execute()
      : await db.selectFrom('buurten').select(['code', 'name', 'municipality_code', sql<string | null>`inwoners::text`.as('population')]).where('municipality_code', 'in', codes).orderBy('name').execute();
  return areas.map((a) => {
    const c = counts.get(a.code);
    return {
      code: a.code,
      name: a.name,
      municipality_code: a.municipality_code,
      signals: Number(c?.signals ?? 0),
      residents: Number(c?.residents ?? 0),
      population: a.population === null ? null : Number(a.population),
    };
  });
}
