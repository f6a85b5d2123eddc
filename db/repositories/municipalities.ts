import type { Kysely, Transaction } from 'kysely';
import type { Database, Municipality, NewBuurt, NewMunicipality, NewWijk, Buurt, Wijk } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Inserts or updates a municipality by code (the gazetteer import is idempotent). */
export async function upsertMunicipality(db: Db, m: NewMunicipality): Promise<void> {
  await db
    .insertInto('municipalities')
    .values(m)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        is_demo: eb.ref('excluded.is_demo'),
        ...(m.region !== undefined ? { region: eb.ref('excluded.region') } : {}),
      })),
    )
    .execute();
}

export async function getMunicipality(db: Db, code: string): Promise<Municipality | undefined> {
  return db.selectFrom('municipalities').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listMunicipalities(db: Db): Promise<Municipality[]> {
  return db.selectFrom('municipalities').selectAll().orderBy('name').execute();
}

/** The municipalities of a region, or just the one when it has none. */
export async function municipalitiesInRegionOf(db: Db, code: string): Promise<string[]> {
  const rows = await db
    .selectFrom('municipalities as m')
    .innerJoin('municipalities as own', (join) => join.on('own.code', '=', code))
    .select('m.code')
    .where((eb) => eb.or([eb('m.code', '=', code), eb.and([eb('own.region', 'is not', null), eb('m.region', '=', eb.ref('own.region'))])]))
    .orderBy('m.code')
    .execute();
  return rows.map((r) => r.code);
}

export async function upsertWijk(db: Db, w: NewWijk): Promise<void> {
  await db
    .insertInto('wijken')
    .values(w)
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), municipality_code: eb.ref('excluded.municipality_code') })))
    .execute();
}

export async function upsertBuurt(db: Db, b: NewBuurt): Promise<void> {
  await db
    .insertInto('buurten')
    .values(b)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        wijk_code: eb.ref('excluded.wijk_code'),
        municipality_code: eb.ref('excluded.municipality_code'),
        name: eb.ref('excluded.name'),
        postcodes: eb.ref('excluded.postcodes'),
        aliases: eb.ref('excluded.aliases'),
        inwoners: eb.ref('excluded.inwoners'),
        inwoners_0_15: eb.ref('excluded.inwoners_0_15'),
        inwoners_15_25: eb.ref('excluded.inwoners_15_25'),
        inwoners_25_45: eb.ref('excluded.inwoners_25_45'),
        inwoners_45_65: eb.ref('excluded.inwoners_45_65'),
        inwoners_65_plus: eb.ref('excluded.inwoners_65_plus'),
      })),
    )
    .execute();
}

export async function listWijken(db: Db, municipalityCode: string): Promise<Wijk[]> {
  return db.selectFrom('wijken').selectAll().where('municipality_code', '=', municipalityCode).orderBy('name').execute();
}

export async function listBuurten(db: Db, municipalityCode: string): Promise<Buurt[]> {
  return db.selectFrom('buurten').selectAll().where('municipality_code', '=', municipalityCode).orderBy('name').execute();
}
