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

export interface SignalAnalysis {
  language: string;
  textRedacted: string;
  domains: readonly { key: string; confidence: number }[];
  review: boolean;
  wijkCode: string | null;
  buurtCode: string | null;
  sentiment: number;
  urgent: boolean;
}

/**
 * Stores the pipeline's analysis and marks the signal `analysed`. Idempotent like markSignalReceived: only a signal
 * still `new` is updated, so a redelivered job changes nothing.
 */
export async function storeAnalysis(db: Db, id: string, analysis: SignalAnalysis): Promise<boolean> {
  const result = await db
    .updateTable('signals')
    .set({
      status: 'analysed',
      language: analysis.language,
      text_redacted: analysis.textRedacted,
      domains: JSON.stringify(analysis.domains),
      review: analysis.review,
      wijk_code: analysis.wijkCode,
      buurt_code: analysis.buurtCode,
      sentiment: analysis.sentiment,
      urgent: analysis.urgent,
      processed_at: new Date(),
      error: null,
    })
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

/** Of these importer ids, the ones a municipality already has (signals.external_id): a re-import skips them. */
export async function existingExternalIds(db: Db, municipalityCode: string, externalIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Chunked so a large import stays within the driver's parameter limit.
  for (let i = 0; i < externalIds.length; i += 1000) {
    const chunk = externalIds.slice(i, i + 1000);
    const rows = await db
      .selectFrom('signals')
      .select('external_id')
      .where('municipality_code', '=', municipalityCode)
      .where('external_id', 'in', chunk)
      .execute();
    for (const r of rows) if (r.external_id !== null) found.add(r.external_id);
  }
  return found;
}

/** The signal list with optional filters on channel and status; never the raw text. */
export async function listSignalsWhere(
  db: Db,
  filter: { municipalityCodes: readonly string[]; source?: SignalSource | undefined; status?: SignalStatus | undefined; limit?: number },
): Promise<SignalListItem[]> {
  if (filter.municipalityCodes.length === 0) return [];
  let query = db
    .selectFrom('signals')
    .select(['id', 'reference', 'municipality_code', 'source', 'status', 'text_redacted', 'received_at', 'urgent', 'review'])
    .where('municipality_code', 'in', filter.municipalityCodes);
  if (filter.source !== undefined) query = query.where('source', '=', filter.source);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.orderBy('received_at', 'desc').orderBy('id').limit(filter.limit ?? 100).execute();
}

/** One exported signal (CONTRACTS.md section 5 fields plus source, received_at, status); never raw text or contact data. */
export interface ExportedSignalRow {
  id: string;
  external_id: string | null;
  municipality_code: string;
  source: SignalSource;
  status: SignalStatus;
  received_at: Date;
  language: string | null;
  text_redacted: string | null;
  domains: Signal['domains'];
  review: boolean;
  urgent: boolean;
  sentiment: number | null;
  cluster_id: string | null;
  wijk_code: string | null;
  wijk_name: string | null;
  buurt_code: string | null;
  buurt_name: string | null;
}

/** A page of signals for export, oldest first, after the (received_at, id) cursor. */
export async function exportSignalsPage(
  db: Db,
  filter: { municipalityCode?: string | undefined; since?: Date | undefined; after?: { receivedAt: Date; id: string } | undefined; limit: number },
): Promise<ExportedSignalRow[]> {
  let query = db
    .selectFrom('signals as s')
    .leftJoin('wijken as w', 'w.code', 's.wijk_code')
    .leftJoin('buurten as b', 'b.code', 's.buurt_code')
    .select([
      's.id',
      's.external_id',
      's.municipality_code',
      's.source',
      's.status',
      's.received_at',
      's.language',
      's.text_redacted',
      's.domains',
      's.review',
      's.urgent',
      's.sentiment',
      's.cluster_id',
      's.wijk_code',
      'w.name as wijk_name',
      's.buurt_code',
      'b.name as buurt_name',
    ]);
  if (filter.municipalityCode !== undefined) query = query.where('s.municipality_code', '=', filter.municipalityCode);
  if (filter.since !== undefined) query = query.where('s.received_at', '>=', filter.since);
  const after = filter.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('s.received_at', '>', after.receivedAt), eb.and([eb('s.received_at', '=', after.receivedAt), eb('s.id', '>', after.id)])]),
    );
  }
  return query.orderBy('s.received_at').orderBy('s.id').limit(filter.limit).execute();
}
