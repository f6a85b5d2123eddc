import type { Insertable, Selectable } from 'kysely';
import type { JsonWithDefault } from './common.ts';

/** Population by the gazetteer's age bands; null where the source leaves it empty. */
export interface PopulationColumns {
  inwoners: number | null;
  inwoners_0_15: number | null;
  inwoners_15_25: number | null;
  inwoners_25_45: number | null;
  inwoners_45_65: number | null;
  inwoners_65_plus: number | null;
}

/** A wijk (WK + 6 digits); its population is the sum of its buurten. */
export interface WijkTable {
  code: string;
  municipality_code: string;
  name: string;
}

/** A buurt (BU + 8 digits), one gazetteer CSV row (CONTRACTS.md section 3). */
export interface BuurtTable extends PopulationColumns {
  code: string;
  wijk_code: string;
  municipality_code: string;
  name: string;
  /** PC4 and PC6 values, normalised without spaces, upper case. */
  postcodes: JsonWithDefault<string[]>;
  /** Street names, local names and landmarks residents use. */
  aliases: JsonWithDefault<string[]>;
}

export type Wijk = Selectable<WijkTable>;
export type NewWijk = Insertable<WijkTable>;
export type Buurt = Selectable<BuurtTable>;
export type NewBuurt = Insertable<BuurtTable>;
