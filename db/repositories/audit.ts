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
