import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { Json } from './common.ts';

export type BoundaryLevel = 'wijk' | 'buurt';
export const boundaryLevels = ['wijk', 'buurt'] as const satisfies readonly BoundaryLevel[];

/** GeoJSON MultiPolygon coordinates in WGS84: polygons of rings of [longitude, latitude]. */
export type MultiPolygonCoordinates = [number, number][][][];

/** The simplified outline of one wijk or buurt (the map's choropleth). */
export interface BoundaryTable {
  /** The wijk (WK + 6 digits) or buurt (BU + 8 digits) code of the gazetteer. */
  code: string;
  level: BoundaryLevel;
  municipality_code: string;
  geometry: Json<MultiPolygonCoordinates>;
  /** [minLon, minLat, maxLon, maxLat]. */
  bbox: Json<[number, number, number, number]>;
  source_file: string | null;
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export type Boundary = Selectable<BoundaryTable>;
export type NewBoundary = Insertable<BoundaryTable>;
