import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AgeBand, Database, ResidentRole } from '../database.ts';
import { insertSignal } from './signals.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewStreetNoteInput {
  municipalityCode: string;
  authorUserId: string;
  wijkCode: string | null;
  place: string | null;
  /** YYYY-MM-DD */
  notedOn: string;
  ageBand: AgeBand | null;
  residentRole: ResidentRole | null;
  /** What the pipeline reads as the place, e.g. "Rosmolenbuurt, Zaandam-West". */
  placeAnswer: string | null;
  signals: readonly string[];
}

export interface StoredStreetNote {
  id: string;
  signals: { id: string; reference: string }[];
}

/**
 * Stores a note and one signal (source 'street', status `new`) per text. Run it in the caller's transaction; the
 * caller queues the signals after commit.
 */
export async function insertStreetNote(trx: Transaction<Database>, input: NewStreetNoteInput): Promise<StoredStreetNote> {
  const id = randomUUID();
  await trx
    .insertInto('street_notes')
    .values({
      id,
      municipality_code: input.municipalityCode,
      author_user_id: input.authorUserId,
      wijk_code: input.wijkCode,
      place: input.place,
      noted_on: input.notedOn,
      age_band: input.ageBand,
      resident_role: input.residentRole,
    })
    .execute();
  const signals: StoredStreetNote['signals'] = [];
  for (const [position, text] of input.signals.entries()) {
    const signal = await insertSignal(trx, { municipalityCode: input.municipalityCode, source: 'street', text, placeAnswer: input.placeAnswer });
    await trx.insertInto('street_note_signals').values({ street_note_id: id, signal_id: signal.id, position }).execute();
    signals.push({ id: signal.id, reference: signal.reference });
  }
  return { id, signals };
}

/** A note of this municipality with its signals' references, or undefined (also for another municipality's note). */
export async function findStreetNote(
  db: Db,
  id: string,
  municipalityCode: string,
): Promise<{ id: string; notedOn: string; signals: { id: string; reference: string }[] } | undefined> {
  const note = await db
    .selectFrom('street_notes')
    .select(['id', sql<string>`noted_on::text`.as('noted_on')])
    .where('id', '=', id)
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  if (!note) return undefined;
  const signals = await db
    .selectFrom('street_note_signals as n')
    .innerJoin('signals as s', 's.id', 'n.signal_id')
    .select(['s.id', 's.reference'])
    .where('n.street_note_id', '=', id)
    .orderBy('n.position')
    .execute();
  return { id: note.id, notedOn: note.noted_on, signals };
}
