import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, JsonWithDefault } from './common.ts';

/** A gemeente, keyed by its CBS code (GM + 4 digits). */
export interface MunicipalityTable {
  code: string;
  name: string;
  /** Region for shared purchasing and region dashboards (e.g. 'IJmond'); null when none. */
  region: string | null;
  /** Loaded from the demo file, not from an official gazetteer. */
  is_demo: Generated<boolean>;
  /** Per-municipality settings (bot texts, theme, retention); see later issues. */
  settings: JsonWithDefault<Record<string, unknown>>;
  created_at: CreatedAt;
}
export type Municipality = Selectable<MunicipalityTable>;
export type NewMunicipality = Insertable<MunicipalityTable>;
export type MunicipalityUpdate = Updateable<MunicipalityTable>;
