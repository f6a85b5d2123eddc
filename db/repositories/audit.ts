import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry, Database, NewAuditEntry } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Appends to the audit log. There is deliberately no function to change or remove an entry. */
export async function appendAudit(
  db: Db,
  entry: Omit<NewAuditEntry, 'details' | 'id' | 'at'> & { details?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ ...entry, details: JSON.stringify(entry.details ?? {}) })
    .execute();
}

export async function listAudit(db: Db, filter: { municipalityCode: string; limit?: number }): Promise<AuditEntry[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('municipality_code', '=', filter.municipalityCode)
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
}

/** Every view of signal text is audited (DESIGN.md): who saw which signals, and through which view. */
export async function auditSignalView(
  db: Db,
  viewer: { id: string; municipality_code: string },
  signalIds: readonly string[],
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(db, {
    actor_kind: 'user',
    actor_id: viewer.id,
    action: 'signals.view',
    municipality_code: viewer.municipality_code,
    subject_type: 'signal',
    subject_id: null,
    details: { ...details, count: signalIds.length, signal_ids: signalIds },
  });
}
