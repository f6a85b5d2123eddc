/**
 * Boundaries from the CBS Wijk- en Buurtkaart as GeoJSON (pure: no I/O). A FeatureCollection whose features carry
 * a wijk code (`wijkcode`, the spelling since the 2022 edition, or `WK_CODE`, the older one) or a buurt code
 * (`buurtcode` or `BU_CODE`; a buurt feature also carries its wijk code, so the buurt code decides) and a Polygon or
 * MultiPolygon. Coordinates in WGS84 (longitude, latitude) or in RD New (EPSG:28992, what CBS and PDOK publish):
 * RD is converted to WGS84 with the RDNAPTRANS approximation formulas (about a metre off, far below what a map of
 * wijken needs). The outlines are simplified (Douglas-Peucker, 10 m) before they are stored.
 * Every problem is collected with the feature's index, so a bad file is refused whole and says where and why.
 */
import type { BoundaryLevel, MultiPolygonCoordinates } from '../tables/boundary.table.ts';

export type Crs = 'wgs84' | 'rd';

export interface ParsedBoundary {
  code: string;
  level: BoundaryLevel;
  /** The property the code came from, as the file spells it. */
  property: string;
  name: string | null;
  coordinates: MultiPolygonCoordinates;
  bbox: [number, number, number, number];
}

export interface BoundaryProblem {
  /** Index in `features` (from 0); null for a problem with the whole file. */
  feature: number | null;
  message: string;
}

export interface ParsedBoundaries {
  crs: Crs;
  /** How the CRS was decided: the file's `crs` member, or the range of its coordinates. */
  crsFrom: 'crs member' | 'coordinates';
  boundaries: ParsedBoundary[];
  /** The code properties used, e.g. ['wijkcode'] or ['WK_CODE', 'BU_CODE']. */
  properties: string[];
}

export class BoundaryFileError extends Error {
  override readonly name = 'BoundaryFileError';
  constructor(readonly problems: BoundaryProblem[]) {
    super(problems.length === 1 ? 'the file has 1 problem; nothing was imported' : `the file has ${problems.length} problems; nothing was imported`);
  }
}

const WIJK_CODE = /^WK\d{6}$/;
const BUURT_CODE = /^BU\d{8}$/;
const WIJK_PROPERTIES = ['wijkcode', 'WK_CODE'] as const;
const BUURT_PROPERTIES = ['buurtcode', 'BU_CODE'] as const;
const NAME_PROPERTIES = { wijk: ['wijknaam', 'WK_NAAM'], buurt: ['buurtnaam', 'BU_NAAM'] } as const;
/** Douglas-Peucker tolerance in metres. */
const SIMPLIFY_METRES = 10;

type Position = [number, number];

/** RD New (EPSG:28992) to WGS84 (RDNAPTRANS approximation, Schreutelkamp and Strang van Hees): about 1 m. */
export function rdToWgs84(x: number, y: number): Position {
  const dx = (x - 155000) * 1e-5;
  const dy = (y - 463000) * 1e-5;
  const k: [number, number, number][] = [
    [0, 1, 3235.65389], [2, 0, -32.58297], [0, 2, -0.2475], [2, 1, -0.84978], [0, 3, -0.0655], [2, 2, -0.01709],
    [1, 0, -0.00738], [4, 0, 0.0053], [2, 3, -0.00039], [4, 1, 0.00033], [1, 1, -0.00012],
  ];
  const l: [number, number, number][] = [
    [1, 0, 5260.52916], [1, 1, 105.94684], [1, 2, 2.45656], [3, 0, -0.81885], [1, 3, 0.05594], [3, 1, -0.05607],
    [0, 1, 0.01199], [3, 2, -0.00256], [1, 4, 0.00128], [0, 2, 0.00022], [2, 0, -0.00022], [5, 0, 0.00026],
  ];
  const sum = (terms: [number, number, number][]) => terms.reduce((acc, [p, q, c]) => acc + c * dx ** p * dy ** q, 0);
  const lat = 52.1551744 + sum(k) / 3600;
  const lon = 5.38720621 + sum(l) / 3600;
  return [lon, lat];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function crsMember(collection: Record<string, unknown>): Crs | 'unknown' | undefined {
  const crs = collection.crs;
  if (!isObject(crs)) return undefined;
  const name = isObject(crs.properties) && typeof crs.properties.name === 'string' ? crs.properties.name : '';
  if (/(?:EPSG::?|EPSG\/0\/)28992$/i.test(name)) return 'rd';
  if (/(?:CRS84|EPSG::?4326|EPSG\/0\/4326)$/i.test(name)) return 'wgs84';
  return 'unknown';
}

function positionsOf(geometry: unknown): number[][] {
  if (!isObject(geometry) || !Array.isArray(geometry.coordinates)) return [];
  const flat: number[][] = [];
  const walk = (v: unknown) => {
    // Only well-formed positions decide the CRS; a bad one is reported with its feature.
    if (Array.isArray(v) && typeof v[0] === 'number') {
      if (Number.isFinite(v[0]) && typeof v[1] === 'number' && Number.isFinite(v[1])) flat.push(v as number[]);
    }
    else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(geometry.coordinates);
  return flat;
}

const inWgs84 = (p: number[]) => Math.abs(p[0] ?? NaN) <= 180 && Math.abs(p[1] ?? NaN) <= 90;
// RD New's valid area, with a margin: the Netherlands lies within x 0..300 km, y 300..625 km.
const inRd = (p: number[]) => (p[0] ?? NaN) >= -7000 && (p[0] ?? NaN) <= 300000 && (p[1] ?? NaN) >= 289000 && (p[1] ?? NaN) <= 629000;

/** Parses and validates a whole file; throws BoundaryFileError listing every bad feature. */
export function parseBoundaries(text: string): ParsedBoundaries {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new BoundaryFileError([{ feature: null, message: `not valid JSON (${(error as Error).message})` }]);
  }
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new BoundaryFileError([{ feature: null, message: 'expected a GeoJSON FeatureCollection with a "features" array' }]);
  }
  const features: unknown[] = json.features;
  if (features.length === 0) throw new BoundaryFileError([{ feature: null, message: 'the FeatureCollection has no features' }]);

  const declared = crsMember(json);
  if (declared === 'unknown') throw new BoundaryFileError([{ feature: null, message: 'unknown "crs": use WGS84 (CRS84, EPSG:4326) or RD New (EPSG:28992)' }]);
  let crs: Crs;
  if (declared) crs = declared;
  else {
    const all = features.flatMap((f) => (isObject(f) ? positionsOf(f.geometry) : []));
    crs = all.length > 0 && all.every(inWgs84) ? 'wgs84' : 'rd';
  }
  const inRange = crs === 'wgs84' ? inWgs84 : inRd;

  const problems: BoundaryProblem[] = [];
  const boundaries: ParsedBoundary[] = [];
  const seen = new Map<string, number>();
  const properties = new Set<string>();
  features.forEach((feature, index) => {
    const problem = (message: string) => problems.push({ feature: index, message });
    if (!isObject(feature) || feature.type !== 'Feature') return problem('not a GeoJSON Feature');
    const props = isObject(feature.properties) ? feature.properties : {};
    const found = (names: readonly string[]) => names.find((n) => props[n] !== undefined && props[n] !== null && props[n] !== '');
    const buurtProperty = found(BUURT_PROPERTIES);
    const wijkProperty = found(WIJK_PROPERTIES);
    const property = buurtProperty ?? wijkProperty;
    if (property === undefined) return problem('no wijk or buurt code: expected property wijkcode or WK_CODE (a wijk), buurtcode or BU_CODE (a buurt)');
    const level: BoundaryLevel = buurtProperty ? 'buurt' : 'wijk';
    const raw = props[property];
    const code = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
    if (!(level === 'buurt' ? BUURT_CODE : WIJK_CODE).test(code)) {
      return problem(`${property} "${String(raw).slice(0, 40)}" is not a CBS ${level} code like ${level === 'buurt' ? 'BU04790101' : 'WK047901'}`);
    }
    const first = seen.get(code);
    if (first !== undefined) return problem(`${code} also in feature ${first}`);
    seen.set(code, index);
    const geometry = feature.geometry;
    if (!isObject(geometry)) return problem(`${code}: no geometry`);
    let polygons: unknown[];
    if (geometry.type === 'Polygon') polygons = [geometry.coordinates];
    else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) polygons = geometry.coordinates;
    else return problem(`${code}: geometry ${typeof geometry.type === 'string' ? geometry.type.slice(0, 30) : '(none)'} is not a Polygon or MultiPolygon`);
    const checked = checkPolygons(polygons, inRange);
    if (typeof checked === 'string') return problem(`${code}: ${checked}${crs === 'rd' && checked.includes('outside') ? ' (read as RD New, EPSG:28992)' : ''}`);
    const wgs = crs === 'rd' ? checked.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => rdToWgs84(x, y)))) : checked;
    const coordinates = simplifyPolygons(wgs);
    const nameProperty = NAME_PROPERTIES[level].find((n) => typeof props[n] === 'string');
    properties.add(property);
    boundaries.push({ code, level, property, name: nameProperty ? String(props[nameProperty]) : null, coordinates, bbox: bboxOf(coordinates) });
  });
  if (problems.length > 0) throw new BoundaryFileError(problems);
  return { crs, crsFrom: declared ? 'crs member' : 'coordinates', boundaries, properties: [...properties].sort() };
}

/** Every ring a closed list of at least four finite positions in range; returns the message of the first problem. */
function checkPolygons(polygons: unknown[], inRange: (p: number[]) => boolean): MultiPolygonCoordinates | string {
  if (polygons.length === 0) return 'no polygons';
  const out: MultiPolygonCoordinates = [];
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return 'a polygon without rings';
    const rings: Position[][] = [];
    for (const ring of polygon) {
      if (!Array.isArray(ring) || ring.length < 4) return 'a ring with fewer than 4 positions';
      const positions: Position[] = [];
      for (const p of ring) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return 'a position that is not two numbers';
        if (!inRange(p as number[])) return `position [${String(p[0])}, ${String(p[1])}] is outside the map`;
        positions.push([p[0], p[1]]);
      }
      const [a, z] = [positions[0], positions.at(-1)];
      if (!a || !z || a[0] !== z[0] || a[1] !== z[1]) return 'a ring that is not closed (its first and last positions differ)';
      rings.push(positions);
    }
    out.push(rings);
  }
  return out;
}

function bboxOf(coordinates: MultiPolygonCoordinates): [number, number, number, number] {
  const points = coordinates.flat(2);
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** Douglas-Peucker on each ring, in local metres; a ring keeps at least four positions (a triangle, closed). */
function simplifyPolygons(polygons: MultiPolygonCoordinates): MultiPolygonCoordinates {
  return polygons.map((rings) =>
    rings.map((ring) => {
      const lat0 = (ring[0]?.[1] ?? 52) * (Math.PI / 180);
      const mx = 111_320 * Math.cos(lat0);
      const my = 110_574;
      const kept = douglasPeucker(ring, (SIMPLIFY_METRES / mx) ** 2, mx / my);
      const simplified = kept.length >= 4 ? kept : ring;
      return simplified.map(([lon, lat]) => [round6(lon), round6(lat)] as Position);
    }),
  );
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Keeps the points farther than √tolerance2 (in longitude units, latitude scaled by `aspect`) from the simplified line. */
function douglasPeucker(points: Position[], tolerance2: number, aspect: number): Position[] {
  if (points.length <= 4) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    const a = points[first] as Position;
    const b = points[last] as Position;
    let worst = -1;
    let worstAt = -1;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[i] as Position, a, b, aspect);
      if (d > worst) [worst, worstAt] = [d, i];
    }
    if (worstAt >= 0 && worst > tolerance2) {
      keep[worstAt] = 1;
      stack.push([first, worstAt], [worstAt, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function segmentDistance2(p: Position, a: Position, b: Position, aspect: number): number {
  // Latitude degrees are longer than longitude degrees here: scale them to compare in one unit.
  const [px, py, ax, ay, bx, by] = [p[0], p[1] / aspect, a[0], a[1] / aspect, b[0], b[1] / aspect];
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  const [cx, cy] = [ax + t * dx, ay + t * dy];
  return (px - cx) ** 2 + (py - cy) ** 2;
}
