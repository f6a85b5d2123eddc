/**
 * Right of access (AVG article 15): everything held about one resident, as one JSON document. An administrator
 * finds the resident by the reference code of one of their signals, after checking who is asking outside Wijkstem
 * (dashboards/pages/access.ts); every lookup and download is audited there.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Resident } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The resident behind a signal reference, within one municipality only. */
export async function findResidentByReference(db: Db, municipalityCode: string, reference: string): Promise<Resident | undefined> {
  return db
    .selectFrom('signals as s')
    .innerJoin('residents as r', 'r.id', 's.resident_id')
    .selectAll('r')
    .where('s.reference', '=', reference.trim().toUpperCase())
    .where('s.municipality_code', '=', municipalityCode)
    .where('r.municipality_code', '=', municipalityCode)
    .executeTakeFirst();
}

export interface ResidentDataExport {
  format: 'wijkstem.resident-data/1';
  generated_at: string;
  resident: Omit<Resident, 'channel_key_hash'> & { pseudonymous: true };
  conversations: { id: string; channel: string; state: string; language: string | null; started_at: Date; updated_at: Date; closed_at: Date | null }[];
  messages: { id: string; conversation_id: string | null; direction: string; channel: string; kind: string; text: string | null; status: string; created_at: Date; text_deleted_at: Date | null }[];
  signals: {
    id: string;
    reference: string;
    source: string;
    received_at: Date;
    status: string;
    text_raw: string | null;
    text_redacted: string | null;
    place_answer: string | null;
    postcode_answer: string | null;
    language: string | null;
    domains: unknown;
    review: boolean;
    wijk_code: string | null;
    buurt_code: string | null;
    sentiment: number | null;
    urgent: boolean;
    cluster_id: string | null;
    text_deleted_at: Date | null;
  }[];
  /** People's corrections of the analysis of their signals (not who made them). */
  reviews: { signal_id: string; reviewed_at: Date; old_domains: unknown; new_domains: unknown; old_wijk_code: string | null; new_wijk_code: string | null }[];
  /** What was done with their data, from the audit log: when, what, and by which kind of actor (not the staff member). */
  history: { at: Date; action: string; actor_kind: string }[];
  /** Outcomes of agenda items they were told about (they asked to hear back). */
  feedback: { agenda_item_id: string; channel: string; created_at: Date }[];
}

export async function residentDataExport(db: Db, residentId: string, now = new Date()): Promise<ResidentDataExport | undefined> {
  const resident = await db.selectFrom('residents').selectAll().where('id', '=', residentId).executeTakeFirst();
  if (!resident) return undefined;
  // The channel pseudonym is a keyed hash that says nothing to the resident: left out, like the key.
  const own: Omit<Resident, 'channel_key_hash'> & { channel_key_hash?: string } = { ...resident };
  delete own.channel_key_hash;
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'channel', 'state', 'language', 'started_at', 'updated_at', 'closed_at'])
    .where('resident_id', '=', residentId)
    .orderBy('started_at')
    .execute();
  const messages = await db
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'direction', 'channel', 'kind', 'text', 'status', 'created_at', 'text_deleted_at'])
    .where('resident_id', '=', residentId)
    .orderBy('created_at')
    .orderBy('direction', 'desc')
    .execute();
  const signals = await db
    .selectFrom('signals')
    .select([
      'id',
      'reference',
      'source',
      'received_at',
      'status',
      'text_raw',
      'text_redacted',
      'place_answer',
      'postcode_answer',
      'language',
      'domains',
      'review',
      'wijk_code',
      'buurt_code',
      'sentiment',
      'urgent',
      'cluster_id',
      'text_deleted_at',
    ])
    .where('resident_id', '=', residentId)
    .orderBy('received_at')
    .execute();
  const signalIds = signals.map((s) => s.id);
  const reviews =
    signalIds.length === 0
      ? []
      : await db
          .selectFrom('signal_reviews')
          .select(['signal_id', 'reviewed_at', 'old_domains', 'new_domains', 'old_wijk_code', 'new_wijk_code'])
          .where('signal_id', 'in', signalIds)
          .orderBy('reviewed_at')
          .execute();
  const history = await db
    .selectFrom('audit_log')
    .select(['at', 'action', 'actor_kind'])
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'resident'), eb('subject_id', '=', residentId)]),
        eb.and([eb('actor_kind', '=', 'resident'), eb('actor_id', '=', residentId)]),
        ...(signalIds.length > 0
          ? [eb.and([eb('subject_type', '=', 'signal'), eb('subject_id', 'in', signalIds)]), sql<boolean>`details -> 'signal_ids' ?| ${signalIds}::text[]`]
          : []),
      ]),
    )
    .orderBy('id')
    .execute();
  const feedback = await db
    .selectFrom('feedback_deliveries')
    .select(['agenda_item_id', 'channel', 'created_at'])
    .where('resident_id', '=', residentId)
    .orderBy('created_at')
    .execute();
  return {
    format: 'wijkstem.resident-data/1',
    generated_at: now.toISOString(),
    resident: { ...own, pseudonymous: true },
    conversations,
    messages,
    signals,
    reviews,
    history,
    feedback,
  };
}
