/**
 * Imports a parsed gazetteer: municipalities, wijken and buurten upserted by code in one transaction, so a failure
 * leaves the tables as they were and a second run of the same file changes nothing.
 */
import { readFile } from 'node:fs/promises';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';
import { upsertBuurt, upsertMunicipality, upsertWijk } from '../repositories/municipalities.ts';
import { parseGazetteer, type Gazetteer, type GazetteerError } from './parse.ts';

export interface GazetteerCounts {
  municipalities: number;
  wijken: number;
  buurten: number;
}

export interface ImportOptions {
  /** Marks the municipalities as demo data (municipalities.is_demo). */
  demo?: boolean;
}

/** The file cannot be read or is not UTF-8 text. */
export class GazetteerFileError extends Error {
  override readonly name = 'GazetteerFileError';
}

/** The file has bad rows; nothing was imported. */
export class GazetteerValidationError extends Error {
  override readonly name = 'GazetteerValidationError';
  constructor(
    readonly path: string,
    readonly errors: GazetteerError[],
  ) {
    const lines = new Set(errors.map((e) => e.line)).size;
    super(`${path}: ${lines} bad ${lines === 1 ? 'line' : 'lines'}, nothing imported`);
  }
}

/**
 * Upserts everything in one transaction. Given a transaction (e.g. the demo loader's, which holds a lock), it runs
 * inside that one, because Kysely cannot nest transactions.
 */
export async function importGazetteer(
  db: Kysely<Database> | Transaction<Database>,
  gazetteer: Gazetteer,
  options: ImportOptions = {},
): Promise<GazetteerCounts> {
  const isDemo = options.demo ?? false;
  const write = async (trx: Transaction<Database>) => {
    for (const m of gazetteer.municipalities) await upsertMunicipality(trx, { code: m.code, name: m.name, is_demo: isDemo });
    for (const w of gazetteer.wijken) await upsertWijk(trx, { code: w.code, municipality_code: w.municipalityCode, name: w.name });
    for (const b of gazetteer.buurten) {
      await upsertBuurt(trx, {
        code: b.code,
        wijk_code: b.wijkCode,
        municipality_code: b.municipalityCode,
        name: b.name,
        postcodes: JSON.stringify(b.postcodes),
        aliases: JSON.stringify(b.aliases),
        inwoners: b.inwoners,
        inwoners_0_15: b.inwoners_0_15,
        inwoners_15_25: b.inwoners_15_25,
        inwoners_25_45: b.inwoners_25_45,
        inwoners_45_65: b.inwoners_45_65,
        inwoners_65_plus: b.inwoners_65_plus,
      });
    }
  };
  if (db.isTransaction) await write(db as Transaction<Database>);
  else await db.transaction().execute(write);
  return { municipalities: gazetteer.municipalities.length, wijken: gazetteer.wijken.length, buurten: gazetteer.buurten.length };
}

/** Reads and parses a gazetteer file; throws GazetteerFileError or GazetteerValidationError. */
export async function readGazetteerFile(path: string): Promise<Gazetteer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new GazetteerFileError(`cannot read gazetteer file ${path}: ${describeFsError(error)}`, { cause: error });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new GazetteerFileError(`gazetteer file ${path} is not UTF-8 text: save it as CSV UTF-8`, { cause: error });
  }
  const parsed = parseGazetteer(text);
  if (!parsed.ok) throw new GazetteerValidationError(path, parsed.errors);
  return parsed;
}

/** Reads, validates and imports a gazetteer file; a file with any bad row imports nothing. */
export async function importGazetteerFile(db: Kysely<Database>, path: string, options: ImportOptions = {}): Promise<GazetteerCounts> {
  return importGazetteer(db, await readGazetteerFile(path), options);
}

function describeFsError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
