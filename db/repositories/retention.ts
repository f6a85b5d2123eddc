/**
 * The retention run of one municipality (DESIGN.md, privacy; rules in pipeline/privacy/retention.ts), in batches of
 * plain statements so a big backlog never holds one long transaction, and idempotent: what is gone stays gone, a
 * second run the same day finds nothing more to do.
 *
 * - Raw text: messages.text, and on signals text_raw with the place and postcode answers as typed, go once older than
 *   the period. A signal keeps its raw text until the pipeline is done with it (status `analysed` or `failed`): a
 *   `new` or `received` signal still needs it to be analysed. A reply still waiting to be sent (`queued`) and a
 *   WhatsApp message still waiting for its conversation turn (no conversation yet) keep their text.
 *   The redacted text and the analysis stay.
 * - Contact data: a resident not seen for the contact period loses their number (contact) and channel pseudonym
 *   (a returning resident starts afresh); open conversations are closed and their context emptied. The coarse
 *   profile (age band, role, wijk) stays with their signals for "who is heard".
 * - Erased on request: the pseudonymous row kept to send the confirmation is removed a day later, with it.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { retentionCutoffs, type RetentionPolicy } from '../../pipeline/privacy/retention.ts';

export interface RetentionCounts {
  messageTexts: number;
  signalTexts: number;
  residentsAnonymised: number;
  erasedResidentsRemoved: number;
  /** A batch limit was reached: more is left for the next run. */
  more: boolean;
}

export interface RetentionOptions {
  now?: Date;
  /** Rows per statement. */
  batchSize?: number;
  /** Statements per kind of data in one run; the next run goes on where this one stopped. */
  maxBatches?: number;
}

export async function applyRetention(db: Kysely<Database>, municipalityCode: string, policy: RetentionPolicy, options: RetentionOptions = {}): Promise<RetentionCounts> {
  const now = options.now ?? new Date();
  // 1,000 rows a statement, 100 statements: about a second on PostgreSQL (85,000 rows/s measured under load).
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 100;
  const cut = retentionCutoffs(policy, now);
  let more = false;

  /** Runs one batch statement until it changes fewer rows than a batch, or the batch limit is reached. */
  const inBatches = async (batch: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await batch();
      total += n;
      if (n < batchSize) return total;
    }
    more = true;
    return total;
  };

  const messageTexts = await inBatches(async () => {
    const result = await db
      .updateTable('messages')
      .set({ text: null, text_deleted_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('messages')
          .select('id')
          .where('municipality_code', '=', municipalityCode)
          .where('created_at', '<', cut.textBefore)
          .where('text', 'is not', null)
          .where('status', '!=', 'queued')
          // A WhatsApp message still waiting for its conversation turn (conversation.turn) has no conversation yet.
          .where('conversation_id', 'is not', null)
          .limit(batchSize),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });

  const signalTexts = await inBatches(async () => {
    const result = await db
      .updateTable('signals')
      .set({ text_raw: null, place_answer: null, postcode_answer: null, text_deleted_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('signals')
          .select('id')
          .where('municipality_code', '=', municipalityCode)
          .where('received_at', '<', cut.textBefore)
          .where('status', 'in', ['analysed', 'failed'])
          .where((w) => w.or([w('text_raw', 'is not', null), w('place_answer', 'is not', null), w('postcode_answer', 'is not', null)]))
          .limit(batchSize),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });

  const residentsAnonymised = await inBatches(async () => {
    return db.transaction().execute(async (trx) => {
      const ids = (
        await trx
          .selectFrom('residents')
          .select('id')
          .where('municipality_code', '=', municipalityCode)
          .where('last_seen_at', '<', cut.contactBefore)
          .where('anonymised_at', 'is', null)
          // Erased and not back since: that row is removed below instead. Back since: anonymised like anyone.
          .where((w) => w.or([w('erased_at', 'is', null), w('last_seen_at', '>', w.ref('erased_at'))]))
          .limit(batchSize)
          .forUpdate()
          .skipLocked()
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return 0;
      await trx
        .updateTable('residents')
        // The pseudonym is replaced by one that no channel id hashes to: nothing links a new message to this row.
        .set({ contact: null, channel_key_hash: sql<string>`'anonymised:' || id::text`, anonymised_at: now })
        .where('id', 'in', ids)
        .execute();
      await trx.updateTable('conversations').set({ closed_at: now }).where('resident_id', 'in', ids).where('closed_at', 'is', null).execute();
      await trx.updateTable('conversations').set({ context: '{}' }).where('resident_id', 'in', ids).execute();
      return ids.length;
    });
  });

  const erasedResidentsRemoved = await inBatches(async () => {
    const result = await db
      .deleteFrom('residents')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('residents')
          .select('id')
          .where('municipality_code', '=', municipalityCode)
          .where('erased_at', '<', cut.erasedBefore)
          // Not back since the erasure: a resident who wrote again has a new story that is theirs to keep.
          .whereRef('last_seen_at', '<=', 'erased_at')
          .limit(batchSize),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });

  return { messageTexts, signalTexts, residentsAnonymised, erasedResidentsRemoved, more };
}
