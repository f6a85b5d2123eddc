/**
 * Boundaries for the map: parsing CBS Wijk- en Buurtkaart GeoJSON (both property spellings, WGS84 and RD New,
 * simplification, every bad feature named), and `npx wijkstem boundaries import` in-process on each database kind:
 * stored, idempotent, all or nothing, unknown codes reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../app/cli.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { BoundaryFileError, parseBoundaries, rdToWgs84 } from '../db/gazetteer/boundaries.ts';
import { createCliDatabase, createDataDir, databaseKinds, type CliDatabase } from './support/databases.ts';

const fixturePath = new URL('./fixtures/zaanstad-wijken.geojson', import.meta.url).pathname;
const fixture = readFileSync(fixturePath, 'utf8');

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

const square = (x0: number, y0: number, size: number): number[][][] => [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]];
const feature = (properties: Record<string, unknown>, coordinates: unknown = square(4.8, 52.45, 0.01), type = 'Polygon'): Feature => ({ type: 'Feature', properties, geometry: { type, coordinates } });
const collection = (features: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', ...extra, features });

function problemsOf(text: string): { feature: number | null; message: string }[] {
  try {
    parseBoundaries(text);
  } catch (error) {
    if (error instanceof BoundaryFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parsing CBS boundaries', () => {
  it('reads the demo fixture: 15 wijken in WGS84 from the wijkcode property, simplified to their corners', () => {
    const parsed = parseBoundaries(fixture);
    expect(parsed.crs).toBe('wgs84');
    expect(parsed.crsFrom).toBe('coordinates');
    expect(parsed.properties).toEqual(['wijkcode']);
    expect(parsed.boundaries).toHaveLength(15);
    const centrum = parsed.boundaries.find((b) => b.code === 'WK047901');
    expect(centrum).toMatchObject({ level: 'wijk', name: 'Zaandam-Centrum' });
    // 25 positions on straight edges: only the four corners (and the closing one) stay.
    const raw = (JSON.parse(fixture) as { features: Feature[] }).features[0]?.geometry.coordinates as number[][][];
    expect(raw[0]).toHaveLength(25);
    expect(parsed.boundaries[0]?.coordinates[0]?.[0]).toHaveLength(5);
    expect(centrum?.bbox[0]).toBeCloseTo(4.76, 6);
  });

  it('accepts the older spelling WK_CODE and BU_CODE; a buurt feature (with its wijk code too) is a buurt', () => {
    const parsed = parseBoundaries(
      collection([
        feature({ WK_CODE: 'WK047901', WK_NAAM: 'Zaandam-Centrum' }),
        feature({ BU_CODE: 'BU04790101', WK_CODE: 'WK047901' }, [square(4.8, 52.45, 0.01)], 'MultiPolygon'),
        feature({ buurtcode: 'bu04790102', wijkcode: 'WK047901' }),
      ]),
    );
    expect(parsed.boundaries.map((b) => [b.code, b.level, b.property])).toEqual([
      ['WK047901', 'wijk', 'WK_CODE'],
      ['BU04790101', 'buurt', 'BU_CODE'],
      ['BU04790102', 'buurt', 'buurtcode'],
    ]);
    expect(parsed.properties).toEqual(['BU_CODE', 'WK_CODE', 'buurtcode']);
  });

  it('converts RD New (EPSG:28992) to WGS84, from the crs member or from the range of the coordinates', () => {
    const [lon, lat] = rdToWgs84(155000, 463000);
    expect(lon).toBeCloseTo(5.38720621, 7);
    expect(lat).toBeCloseTo(52.1551744, 7);
    // A square of 1 km near Zaandam in RD.
    const rd = square(116000, 494000, 1000);
    for (const extra of [{ crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } } }, {}]) {
      const parsed = parseBoundaries(collection([feature({ wijkcode: 'WK047901' }, rd)], extra));
      expect(parsed.crs).toBe('rd');
      expect(parsed.crsFrom).toBe('crs' in extra ? 'crs member' : 'coordinates');
      const [minLon, minLat, maxLon, maxLat] = parsed.boundaries[0]?.bbox ?? [];
      expect(minLon).toBeGreaterThan(4.7);
      expect(maxLon).toBeLessThan(4.9);
      expect(minLat).toBeGreaterThan(52.4);
      expect(maxLat).toBeLessThan(52.5);
      // 1 km north is about 0.009 degrees.
      expect((maxLat ?? 0) - (minLat ?? 0)).toBeCloseTo(0.009, 3);
    }
    expect(problemsOf(collection([feature({ wijkcode: 'WK047901' })], { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }))[0]?.message).toContain('unknown "crs"');
  });

  it('names every bad feature by its index and says why', () => {
    const problems = problemsOf(
      collection([
        feature({ wijkcode: 'WK047901' }),
        feature({ naam: 'geen code' }),
        feature({ wijkcode: 'WK12' }),
        feature({ wijkcode: 'WK047902' }, [[[4.8, 52.45], [4.81, 52.45], [4.81, 52.46], [4.8, 52.46]]]),
        feature({ wijkcode: 'WK047903' }, [[4.8, 52.45]], 'Point'),
        feature({ wijkcode: 'WK047901' }),
        'niet eens een feature',
        feature({ wijkcode: 'WK047904' }, [[[4.8, 52.45], [4.81, 52.45], [4.81, 52.46]]]),
        feature({ wijkcode: 'WK047905' }, [[[4.8, 52.45], [4.81, 52.45], [4.81, 'x'], [4.8, 52.45]]]),
      ]),
    );
    expect(problems.map((p) => p.feature)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(problems[0]?.message).toContain('expected property wijkcode or WK_CODE');
    expect(problems[1]?.message).toBe('wijkcode "WK12" is not a CBS wijk code like WK047901');
    expect(problems[2]?.message).toContain('not closed');
    expect(problems[3]?.message).toBe('WK047903: geometry Point is not a Polygon or MultiPolygon');
    expect(problems[4]?.message).toBe('WK047901 also in feature 0');
    expect(problems[5]?.message).toBe('not a GeoJSON Feature');
    expect(problems[6]?.message).toContain('fewer than 4 positions');
    expect(problems[7]?.message).toContain('not two numbers');
    expect(problemsOf('{"type": "Feature"}')[0]).toEqual({ feature: null, message: 'expected a GeoJSON FeatureCollection with a "features" array' });
    expect(problemsOf('{nope')[0]?.message).toContain('not valid JSON');
  });
});

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdin: Readable.from([]), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe.each(databaseKinds)('wijkstem boundaries import on %s', (kind) => {
  let database: CliDatabase;
  const files = createDataDir();
  const boundaryRows = () => database.inspect((db) => db.selectFrom('boundaries').selectAll().orderBy('code').execute());

  beforeAll(async () => {
    database = await createCliDatabase(kind);
  });

  afterAll(async () => {
    await database.drop();
    files.drop();
  });

  it('refuses a file whose codes the gazetteer does not know yet, storing nothing', async () => {
    const result = await cli(['boundaries', 'import', fixturePath], database.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('none of the 15 codes is a wijk or buurt of the gazetteer');
    expect(await boundaryRows()).toEqual([]);
  });

  it('imports the fixture after the gazetteer, says what it read, and again changes nothing', async () => {
    expect((await cli(['gazetteer', 'import', demoGazetteerPath], database.env)).code).toBe(0);
    const first = await cli(['boundaries', 'import', fixturePath], database.env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('read 15 features in WGS84 (from the coordinates); codes from wijkcode');
    expect(first.stdout).toContain('imported 15 wijk and 0 buurt boundaries for GM0479');
    const rows = await boundaryRows();
    expect(rows).toHaveLength(15);
    expect(rows[0]).toMatchObject({ code: 'WK047901', level: 'wijk', municipality_code: 'GM0479', source_file: 'zaanstad-wijken.geojson' });
    expect(rows[0]?.geometry[0]?.[0]).toHaveLength(5);
    const again = await cli(['boundaries', 'import', fixturePath], database.env);
    expect(again.code).toBe(0);
    const after = await boundaryRows();
    expect(after.map((r) => [r.code, r.geometry, r.bbox])).toEqual(rows.map((r) => [r.code, r.geometry, r.bbox]));
    const audits = await database.inspect((db) => db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'boundaries.import').execute());
    expect(audits).toHaveLength(2);
    expect(audits[0]?.details).toMatchObject({ file: 'zaanstad-wijken.geojson', crs: 'wgs84', wijken: 15, buurten: 0 });
  });

  it('a file with one bad feature imports nothing and names it; unknown codes are skipped and reported', async () => {
    const parsed = JSON.parse(fixture) as { type: string; features: Feature[] };
    const moved = parsed.features.map((f) => ({ ...f, geometry: { type: 'Polygon', coordinates: square(4.6, 52.3, 0.02) } }));
    const bad = structuredClone(moved);
    (bad[3] as Feature).properties = { wijknaam: 'zonder code' };
    const badFile = join(files.dir, 'bad.geojson');
    writeFileSync(badFile, JSON.stringify({ type: 'FeatureCollection', features: bad }));
    const before = await boundaryRows();
    const refused = await cli(['boundaries', 'import', badFile], database.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('feature 3: no wijk or buurt code');
    expect(refused.stderr).toContain('nothing was imported');
    expect(await boundaryRows()).toEqual(before);

    const withUnknown = join(files.dir, 'national.geojson');
    writeFileSync(withUnknown, JSON.stringify({ type: 'FeatureCollection', features: [...moved, feature({ WK_CODE: 'WK099901' })] }));
    const result = await cli(['boundaries', 'import', withUnknown], database.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('codes from WK_CODE, wijkcode');
    expect(result.stdout).toContain('skipped 1 codes not in the gazetteer: WK099901');
    const rows = await boundaryRows();
    expect(rows).toHaveLength(15);
    expect(rows[0]?.bbox).toEqual([4.6, 52.3, 4.62, 52.32]);

    expect((await cli(['boundaries', 'import'], database.env)).code).toBe(2);
    const missing = await cli(['boundaries', 'import', join(files.dir, 'nope.geojson')], database.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });
});
