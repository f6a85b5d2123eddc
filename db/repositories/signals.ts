import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Signal, SignalSource, SignalStatus } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewSignalInput {
  municipalityCode: string;
  source: SignalSource;
  text: string;
  externalId?: string | null;
  residentId?: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  placeAnswer?: string | null;
  postcodeAnswer?: string | null;
  languageHint?: string | null;
}

// No 0/O, 1/I/L: a reference is read aloud and typed on a phone.
const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short code a resident can quote back ("WS-7K3P9Q"). */
export function newReference(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += referenceAlphabet.charAt(randomInt(referenceAlphabet.length));
  return `WS-${code}`;
}

/** Stores a signal in status `new`. The caller queues it for the pipeline after the transaction commits. */
export async function insertSignal(db: Db, input: NewSignalInput): Promise<Signal> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await db
      .insertInto('signals')
      .values({
        id: randomUUID(),
        municipality_code: input.municipalityCode,
        external_id: input.externalId ?? null,
        reference: newReference(),
        source: input.source,
        resident_id: input.residentId ?? null,
        conversation_id: input.conversationId ?? null,
        message_id: input.messageId ?? null,
        text_raw: input.text,
        place_answer: input.placeAnswer ?? null,
        postcode_answer: input.postcodeAnswer ?? null,
        language_hint: input.languageHint ?? null,
        domains: '[]',
      })
      // A reference collision (one in hundreds of millions) just draws another; other conflicts still raise.
      .onConflict((oc) => oc.column('reference').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
  }
  throw new Error('could not draw a unique signal reference');
}

export async function getSignal(db: Db, id: string): Promise<Signal | undefined> {
  return db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Takes a signal into the pipeline. Idempotent: a signal already past `new` is left as it is. */
export async function markSignalReceived(db: Db, id: string, textRedacted: string): Promise<boolean> {
  const result = await db
    .updateTable('signals')
    .set({ status: 'received', text_redacted: textRedacted, processed_at: new Date(), error: null })
    .where('id', '=', id)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A permanent failure, kept visible on the signal (never dropped). */
export async function markSignalFailed(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable('signals').set({ status: 'failed', error, processed_at: new Date() }).where('id', '=', id).execute();
}

/** Ids of signals in a status, oldest first: the start-up sweep requeues those still `new`. */
export async function signalIdsWithStatus(db: Db, status: SignalStatus, limit = 10_000): Promise<string[]> {
  const rows = await db.selectFrom('signals').select('id').where('status', '=', status).orderBy('received_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** What a dashboard may see of a signal: never the raw text. */
export type SignalListItem = Pick<
  Signal,
  'id' | 'reference' | 'municipality_code' | 'source' | 'status' | 'text_redacted' | 'received_at' | 'urgent' | 'review'
>;

export async function listSignals(
  db: Db,
  filter: { municipalityCodes: readonly string[]; limit?: number },
): Promise<SignalListItem[]> {
  if (filter.municipalityCodes.length === 0) return [];
  return db
    .selectFrom('signals')
    .select(['id', 'reference', 'municipality_code', 'source', 'status', 'text_redacted', 'received_at', 'urgent', 'review'])
    .where('municipality_code', 'in', filter.municipalityCodes)
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(filter.limit ?? 100)
    .execute();
}
