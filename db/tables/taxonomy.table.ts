import type { Generated, Insertable, Selectable } from 'kysely';
import type { NullableTimestamp } from './common.ts';

/** How a municipality's taxonomy differs from the default one (db/migrations/0013_taxonomy.ts). */
export interface MunicipalityDomainTable {
  municipality_code: string;
  key: string;
  /** Null: the default label. */
  label_nl: string | null;
  label_en: string | null;
  /** A domain the municipality added, not one of the default keys. */
  added: Generated<boolean>;
  retired_at: NullableTimestamp;
  updated_at: Generated<Date>;
}
export type MunicipalityDomain = Selectable<MunicipalityDomainTable>;
export type NewMunicipalityDomain = Insertable<MunicipalityDomainTable>;
