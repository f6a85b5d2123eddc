/**
 * The map's figures and drawing (pure): signals per 1,000 inhabitants per area, five classes for colour, and the
 * stored WGS84 outlines projected to SVG paths server-side (equirectangular with the longitude scaled by the cosine
 * of the middle latitude: true enough in shape for one municipality or region).
 */
import type { AreaFigures } from '../../db/repositories/boundaries.ts';
import type { MultiPolygonCoordinates } from '../../db/tables/boundary.table.ts';
import { isSuppressed } from '../suppression.ts';

export type AreaClass = { kind: 'class'; index: number } | { kind: 'zero' } | { kind: 'suppressed' } | { kind: 'no-population' };

export interface RatedArea extends AreaFigures {
  /** Signals per 1,000 inhabitants; undefined when suppressed or without population. */
  rate: number | undefined;
  areaClass: AreaClass;
}

export interface Classes {
  /** Upper bounds of classes 0..n-1 (the last is the highest rate). */
  bounds: number[];
}

export const CLASS_COUNT = 5;

/** Rates per area and their class; the class bounds are equal steps up to the highest shown rate. */
export function rateAreas(areas: readonly AreaFigures[]): { areas: RatedArea[]; classes: Classes } {
  const rates = areas.map((a) => (isSuppressed(a.residents) || a.population === null || a.population <= 0 ? undefined : (a.signals / a.population) * 1000));
  const max = Math.max(0, ...rates.filter((r): r is number => r !== undefined));
  const step = max > 0 ? niceStep(max / CLASS_COUNT) : 1;
  const bounds = Array.from({ length: CLASS_COUNT }, (_, i) => step * (i + 1));
  const rated = areas.map((a, i): RatedArea => {
    const rate = rates[i];
    let areaClass: AreaClass;
    if (isSuppressed(a.residents)) areaClass = { kind: 'suppressed' };
    else if (rate === undefined) areaClass = { kind: 'no-population' };
    else if (a.signals === 0) areaClass = { kind: 'zero' };
    else areaClass = { kind: 'class', index: Math.min(CLASS_COUNT - 1, bounds.findIndex((b) => rate <= b + 1e-9)) };
    return { ...a, rate, areaClass };
  });
  return { areas: rated, classes: { bounds } };
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `raw`: legend bounds people can read. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw - 1e-12);
  return step ?? 10 * power;
}

export function classKey(c: AreaClass): string {
  return c.kind === 'class' ? `c${c.index}` : c.kind;
}

export interface Projected {
  width: number;
  height: number;
  paths: Map<string, string>;
}

/** Projects outlines to SVG path data in a box `width` wide (height follows the shape, at most `maxHeight`). */
export function projectOutlines(outlines: ReadonlyMap<string, MultiPolygonCoordinates>, width = 640, maxHeight = 480): Projected {
  const points = [...outlines.values()].flat(3);
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-9, (maxLon - minLon) * k);
  const spanY = Math.max(1e-9, maxLat - minLat);
  const pad = 4;
  const scale = Math.min((width - 2 * pad) / spanX, (maxHeight - 2 * pad) / spanY);
  const height = Math.ceil(spanY * scale + 2 * pad);
  const x = (lon: number) => (pad + (lon - minLon) * k * scale).toFixed(1);
  const y = (lat: number) => (pad + (maxLat - lat) * scale).toFixed(1);
  const paths = new Map<string, string>();
  for (const [code, polygons] of outlines) {
    const d = polygons
      .flatMap((rings) => rings.map((ring) => `M${ring.map(([lon, lat]) => `${x(lon)} ${y(lat)}`).join('L')}Z`))
      .join('');
    paths.set(code, d);
  }
  return { width, height, paths };
}
