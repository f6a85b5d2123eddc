/**
 * Stores a validated import batch: every new row in one transaction (all or nothing), idempotent on the importer's
 * id per municipality (signals.external_id), then queues each stored signal for the pipeline exactly as a channel
 * does (bot/intake.ts queueSignal: a queue failure leaves the signal `new` for the workers' sweep).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { existingExternalIds, insertSignal } from '../../db/repositories/signals.ts';
import { queueSignal } from '../../bot/intake.ts';
import type { Logger } from '../../app/logger.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { ImportRow } from './signal-import.ts';

export interface StoredImport {
  stored: { id: string; externalId: string; reference: string; municipalityCode: string }[];
  /** Rows whose id the municipality already had: not stored again. */
  skipped: { line: number; id: string }[];
}

export interface ImportActor {
  kind: 'user' | 'system';
  id: string;
  /** What the file was called, for the audit log. */
  fileName?: string | undefined;
}

/** Which rows are already stored, by municipality. */
export async function findAlreadyImported(db: Kysely<Database>, rows: readonly ImportRow[]): Promise<Set<ImportRow>> {
  const already = new Set<ImportRow>();
  for (const [code, group] of groupByMunicipality(rows)) {
    const existing = await existingExternalIds(db, code, group.map((r) => r.id));
    for (const row of group) if (existing.has(row.id)) already.add(row);
  }
  return already;
}

/**
 * Rows must have their municipality settled (assignMunicipalities). A concurrent import of the same ids makes the
 * unique (municipality_code, external_id) constraint fail and this whole batch roll back: run it again to skip them.
 */
export async function storeImport(db: Kysely<Database>, rows: readonly ImportRow[], actor: ImportActor): Promise<StoredImport> {
  return db.transaction().execute(async (trx) => {
    const result: StoredImport = { stored: [], skipped: [] };
    for (const [code, group] of groupByMunicipality(rows)) {
      const existing = await existingExternalIds(trx, code, group.map((r) => r.id));
      for (const row of group) {
        if (existing.has(row.id)) {
          result.skipped.push({ line: row.line, id: row.id });
          continue;
        }
        const signal = await insertSignal(trx, {
          municipalityCode: code,
          source: row.source,
          text: row.text,
          externalId: row.id,
          placeAnswer: row.place,
          postcodeAnswer: row.postcode,
          languageHint: row.language,
        });
        result.stored.push({ id: signal.id, externalId: row.id, reference: signal.reference, municipalityCode: code });
      }
      await appendAudit(trx, {
        actor_kind: actor.kind,
        actor_id: actor.id,
        action: 'signals.import',
        municipality_code: code,
        subject_type: 'signal',
        subject_id: null,
        details: {
          file: actor.fileName ?? null,
          stored: result.stored.filter((s) => s.municipalityCode === code).map((s) => s.id),
          skipped: group.filter((r) => existing.has(r.id)).length,
        },
      });
    }
    return result;
  });
}

/** Queues stored signals for the pipeline, after the transaction that stored them has committed. */
export async function queueStored(deps: { queue: JobQueue; logger: Logger }, stored: StoredImport['stored']): Promise<void> {
  for (const s of stored) await queueSignal(deps, s.id);
}

function groupByMunicipality(rows: readonly ImportRow[]): Map<string, ImportRow[]> {
  const groups = new Map<string, ImportRow[]>();
  for (const row of rows) {
    if (row.municipality === null) throw new Error(`line ${row.line}: municipality not settled before storing`);
    const group = groupByKey(groups, row.municipality);
    group.push(row);
  }
  return groups;
}

function groupByKey(groups: Map<string, ImportRow[]>, key: string): ImportRow[] {
  let group = groups.get(key);
  if (!group) {
    group = [];
    groups.set(key, group);
  }
  return group;
}
