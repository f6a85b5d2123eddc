/**
 * `wijkstem boundaries import FILE.geojson`: the CBS Wijk- en Buurtkaart outlines for the map. The file is read and
 * checked before the database is opened (a bad file never touches it); then stored in one transaction. Returns the
 * exit code: 0 success, 1 failure, 2 usage error. app/cli.ts hands it the way to open the database.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { BoundaryFileError, parseBoundaries, type BoundaryProblem } from './boundaries.ts';
import { importBoundaries } from './boundaries-import.ts';

export const boundariesImportArgs = 'FILE.geojson';

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const name = 'wijkstem boundaries import';

function report(io: Io, problems: readonly BoundaryProblem[], message: string): number {
  for (const p of problems) io.stderr.write(p.feature === null ? `${p.message}\n` : `feature ${p.feature}: ${p.message}\n`);
  io.stderr.write(`${name}: ${message}\n`);
  return 1;
}

export async function boundariesImport(io: Io, positionals: readonly string[], withDatabase: <T>(fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>): Promise<number> {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    io.stderr.write(`${name}: ${file === undefined ? 'missing FILE.geojson' : `one file at a time; unexpected ${extra.join(' ')}`}\nusage: ${name} ${boundariesImportArgs}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.stderr.write(`${name}: cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseBoundaries(text);
  } catch (error) {
    if (error instanceof BoundaryFileError) return report(io, error.problems, error.message);
    throw error;
  }
  let result;
  try {
    result = await withDatabase((db) => importBoundaries(db, parsed, { fileName: basename(file) }));
  } catch (error) {
    if (error instanceof BoundaryFileError) return report(io, error.problems, 'nothing was imported');
    throw error;
  }
  const crs = parsed.crs === 'rd' ? 'RD New (EPSG:28992), converted to WGS84' : 'WGS84';
  io.stdout.write(`read ${parsed.boundaries.length} features in ${crs} (from the ${parsed.crsFrom}); codes from ${parsed.properties.join(', ')}\n`);
  io.stdout.write(`imported ${result.wijken} wijk and ${result.buurten} buurt boundaries for ${result.municipalities.join(', ')}\n`);
  if (result.unknown.length > 0) {
    const shown = result.unknown.slice(0, 20).join(', ');
    io.stdout.write(`skipped ${result.unknown.length} codes not in the gazetteer: ${shown}${result.unknown.length > 20 ? ', …' : ''}\n`);
  }
  return 0;
}
