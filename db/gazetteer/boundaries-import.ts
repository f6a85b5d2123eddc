/**
 * Stores parsed boundaries (db/gazetteer/boundaries.ts) for the wijken and buurten the gazetteer knows, in one
 * transaction: all or nothing. Codes the gazetteer does not know (a national CBS file holds every municipality)
 * are skipped and reported; a file that matches no known code at all is refused.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { appendAudit } from '../repositories/audit.ts';
import { upsertBoundaries } from '../repositories/boundaries.ts';
import { BoundaryFileError, type ParsedBoundaries } from './boundaries.ts';

export interface BoundaryImportResult {
  wijken: number;
  buurten: number;
  /** Codes in the file that are not in the gazetteer, skipped. */
  unknown: string[];
  municipalities: string[];
}

export async function importBoundaries(db: Kysely<Database>, parsed: ParsedBoundaries, options: { fileName: string; actor?: string }): Promise<BoundaryImportResult> {
  return db.transaction().execute(async (trx) => {
    const codes = parsed.boundaries.map((b) => b.code);
    const wijken = codes.some((c) => c.startsWith('WK')) ? await trx.selectFrom('wijken').select(['code', 'municipality_code']).where('code', 'in', codes.filter((c) => c.startsWith('WK'))).execute() : [];
    const buurten = codes.some((c) => c.startsWith('BU')) ? await trx.selectFrom('buurten').select(['code', 'municipality_code']).where('code', 'in', codes.filter((c) => c.startsWith('BU'))).execute() : [];
    const known = new Map([...wijken, ...buurten].map((r) => [r.code, r.municipality_code]));
    const rows = parsed.boundaries.flatMap((b) => {
      const municipality = known.get(b.code);
      if (municipality === undefined) return [];
      return [{ code: b.code, level: b.level, municipality_code: municipality, geometry: JSON.stringify(b.coordinates), bbox: JSON.stringify(b.bbox), source_file: options.fileName, imported_at: new Date() }];
    });
    const unknown = codes.filter((c) => !known.has(c));
    if (rows.length === 0) {
      throw new BoundaryFileError([{ feature: null, message: `none of the ${codes.length} codes is a wijk or buurt of the gazetteer (first: ${unknown.slice(0, 3).join(', ')}); import the gazetteer first` }]);
    }
    await upsertBoundaries(trx, rows);
    const municipalities = [...new Set(rows.map((r) => r.municipality_code))].sort();
    for (const m of municipalities) {
      const own = rows.filter((r) => r.municipality_code === m);
      await appendAudit(trx, {
        actor_kind: 'system',
        actor_id: options.actor ?? 'cli',
        action: 'boundaries.import',
        municipality_code: m,
        details: { file: options.fileName, crs: parsed.crs, wijken: own.filter((r) => r.level === 'wijk').length, buurten: own.filter((r) => r.level === 'buurt').length },
      });
    }
    return {
      wijken: rows.filter((r) => r.level === 'wijk').length,
      buurten: rows.filter((r) => r.level === 'buurt').length,
      unknown,
      municipalities,
    };
  });
}
