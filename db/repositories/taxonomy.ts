/** A municipality's changes to the life-domain taxonomy (table municipality_domains, pipeline/taxonomy.ts). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';
import { isDefaultDomainKey, municipalTaxonomy, type MunicipalDomain } from '../../pipeline/taxonomy.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class DomainExistsError extends Error {
  override readonly name = 'DomainExistsError';
}

/** The municipality's taxonomy: the default domains with its changes, then the ones it added. */
export async function taxonomyOf(db: Db, municipalityCode: string): Promise<MunicipalDomain[]> {
  const rows = await db.selectFrom('municipality_domains').selectAll().where('municipality_code', '=', municipalityCode).execute();
  return municipalTaxonomy(rows.map((r) => ({ key: r.key, labelNl: r.label_nl, labelEn: r.label_en, added: r.added, retired: r.retired_at !== null })));
}

/** New labels for a domain of the municipality (null: back to the default label of a default key). */
export async function renameDomain(db: Db, municipalityCode: string, key: string, labels: { nl: string | null; en: string | null }): Promise<void> {
  await db
    .insertInto('municipality_domains')
    .values({ municipality_code: municipalityCode, key, label_nl: labels.nl, label_en: labels.en, added: !isDefaultDomainKey(key) })
    .onConflict((oc) => oc.columns(['municipality_code', 'key']).doUpdateSet({ label_nl: labels.nl, label_en: labels.en, updated_at: new Date() }))
    .execute();
}

/** Adds a domain of the municipality's own; a key that exists (default or added) is refused. */
export async function addDomain(db: Db, municipalityCode: string, key: string, labels: { nl: string; en: string | null }): Promise<void> {
  if (isDefaultDomainKey(key)) throw new DomainExistsError(key);
  const row = await db
    .insertInto('municipality_domains')
    .values({ municipality_code: municipalityCode, key, label_nl: labels.nl, label_en: labels.en, added: true })
    .onConflict((oc) => oc.columns(['municipality_code', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!row) throw new DomainExistsError(key);
}

/** Retires a domain (or brings it back): it stays on old signals. */
export async function setDomainRetired(db: Db, municipalityCode: string, key: string, retired: boolean): Promise<void> {
  const at = retired ? new Date() : null;
  await db
    .insertInto('municipality_domains')
    .values({ municipality_code: municipalityCode, key, retired_at: at, added: !isDefaultDomainKey(key) })
    .onConflict((oc) => oc.columns(['municipality_code', 'key']).doUpdateSet({ retired_at: at, updated_at: new Date() }))
    .execute();
}
