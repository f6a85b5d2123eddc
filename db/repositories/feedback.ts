/**
 * Feedback to residents about an agenda item: who may hear back (the residents of its clusters' signals), the
 * delivery rows that make each resident get it once, the stored messages the send job picks up, and the delivery
 * figures shown on the item. Plain functions taking `db` or a transaction; the fan-out job owns the order.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Channel, Database, MessageStatus } from '../database.ts';
import type { FeedbackCandidate } from '../../pipeline/loop/audience.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The residents behind the signals of the item's clusters, in id order. Erased residents have no signals left, so
 * they are not even in it. Ids only: 10,000 of them are a few hundred kilobytes.
 */
export async function feedbackAudienceIds(db: Db, item: { id: string; municipality_code: string }): Promise<string[]> {
  const rows = await db
    .selectFrom('signals')
    .innerJoin('agenda_item_clusters', 'agenda_item_clusters.cluster_id', 'signals.cluster_id')
    .select('signals.resident_id')
    .distinct()
    .where('agenda_item_clusters.agenda_item_id', '=', item.id)
    .where('signals.municipality_code', '=', item.municipality_code)
    .where('signals.resident_id', 'is not', null)
    .$narrowType<{ resident_id: string }>()
    .orderBy('signals.resident_id')
    .execute();
  return rows.map((r) => r.resident_id);
}

/** What the audience rules (pipeline/loop/audience.ts) need about these residents. */
export async function feedbackCandidates(db: Db, residentIds: readonly string[]): Promise<FeedbackCandidate[]> {
  if (residentIds.length === 0) return [];
  // One array parameter instead of one per id.
  const ids = sql<string[]>`${residentIds}::uuid[]`;
  const residents = await db
    .selectFrom('residents')
    .select(['id', 'channel', 'wants_feedback', 'consent_at', 'contact', 'language'])
    .where((eb) => eb('id', '=', eb.fn.any(ids)))
    .orderBy('id')
    .execute();
  if (residents.length === 0) return [];
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'resident_id', 'state', 'language'])
    .where((eb) => eb('resident_id', '=', eb.fn.any(ids)))
    .where('closed_at', 'is', null)
    .execute();
  const open = new Map(conversations.map((c) => [c.resident_id, c]));
  return residents.map((r) => {
    const conversation = open.get(r.id);
    return {
      residentId: r.id,
      channel: r.channel,
      wantsFeedback: r.wants_feedback,
      consentAt: r.consent_at,
      hasContact: r.contact !== null && r.contact !== '',
      conversationState: conversation?.state ?? null,
      conversationId: conversation?.id ?? null,
      language: conversation?.language ?? r.language,
    };
  });
}

export interface FeedbackSend {
  residentId: string;
  channel: Channel;
  conversationId: string | null;
  text: string;
}

/**
 * Stores a delivery row and its message for each resident not told yet, in one statement: a resident already told
 * (a retry, a second click, a resumed fan-out) keeps their first row and gets no second message. Returns the WhatsApp
 * messages stored now, for the caller to queue after commit. The web chat shows its message on the next visit, so it
 * is stored as sent. The page travels as a few arrays (unnest), not thousands of parameters: on PGlite that is what
 * keeps 10,000 residents within the 2 seconds.
 */
export async function storeFeedbackMessages(db: Db, item: { id: string; municipality_code: string }, sends: readonly FeedbackSend[], template: string): Promise<string[]> {
  if (sends.length === 0) return [];
  const payload = JSON.stringify({ template });
  const result = await sql<{ id: string; channel: Channel }>`
    with planned as (
      select * from unnest(
        ${sends.map((s) => s.residentId)}::uuid[],
        ${sends.map((s) => s.conversationId)}::uuid[],
        ${sends.map((s) => s.channel)}::text[],
        ${sends.map((s) => s.text)}::text[]
      ) as p (resident_id, conversation_id, channel, text)
    ), claimed as (
      insert into feedback_deliveries (agenda_item_id, resident_id, message_id, channel)
      select ${item.id}::uuid, p.resident_id, gen_random_uuid(), p.channel from planned p
      on conflict (agenda_item_id, resident_id) do nothing
      returning resident_id, message_id, channel
    )
    insert into messages (id, conversation_id, resident_id, municipality_code, channel, direction, external_id, kind, text, status, payload)
    select c.message_id, p.conversation_id, c.resident_id, ${item.municipality_code}, c.channel, 'out', null, 'feedback', p.text,
      case when c.channel = 'web' then 'sent' else 'queued' end,
      case when c.channel = 'whatsapp' then ${payload}::jsonb else '{}'::jsonb end
    from claimed c join planned p on p.resident_id = c.resident_id
    returning id, channel`.execute(db);
  return result.rows.filter((r) => r.channel === 'whatsapp').map((r) => r.id);
}

/** The item's WhatsApp feedback messages still waiting to be sent: queued again when a fan-out resumes. */
export async function queuedFeedbackMessageIds(db: Db, itemId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('feedback_deliveries')
    .innerJoin('messages', 'messages.id', 'feedback_deliveries.message_id')
    .select('messages.id')
    .where('feedback_deliveries.agenda_item_id', '=', itemId)
    .where('messages.status', '=', 'queued')
    .execute();
  return rows.map((r) => r.id);
}

export async function markFeedbackQueued(db: Db, itemId: string): Promise<void> {
  await db.updateTable('agenda_items').set({ feedback_queued_at: new Date() }).where('id', '=', itemId).where('feedback_queued_at', 'is', null).execute();
}

/** Reported-back items whose fan-out never finished (a crash, a lost in-process queue): the sweep resumes them. */
export async function unfinishedFeedbackItems(db: Db, limit = 100): Promise<string[]> {
  const rows = await db.selectFrom('agenda_items').select('id').where('status', '=', 'reported_back').where('feedback_queued_at', 'is', null).orderBy('reported_back_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

export type DeliveryState = Exclude<MessageStatus, 'received'> | 'withdrawn';

export interface DeliveryCounts {
  total: number;
  byStatus: Record<DeliveryState, number>;
  byChannel: Record<Channel, number>;
}

/**
 * Delivery figures of an item from the messages' own statuses (the webhook stores WhatsApp's sent, delivered, read
 * and failed; the web chat marks read when shown). A message erased on the resident's request counts as withdrawn.
 */
export async function feedbackDeliveryCounts(db: Db, itemId: string): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('feedback_deliveries')
    .leftJoin('messages', 'messages.id', 'feedback_deliveries.message_id')
    .select((eb) => ['feedback_deliveries.channel', 'messages.status', eb.fn.countAll<string | number>().as('n')])
    .where('feedback_deliveries.agenda_item_id', '=', itemId)
    .groupBy(['feedback_deliveries.channel', 'messages.status'])
    .execute();
  const counts: DeliveryCounts = { total: 0, byStatus: { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0, withdrawn: 0 }, byChannel: { whatsapp: 0, web: 0 } };
  for (const row of rows) {
    const n = Number(row.n);
    const state: DeliveryState = row.status === null || row.status === 'received' ? 'withdrawn' : row.status;
    counts.total += n;
    counts.byStatus[state] += n;
    counts.byChannel[row.channel] += n;
  }
  return counts;
}

/** The web chat showed the resident their conversation: feedback in it has been read. */
export async function markWebFeedbackRead(db: Db, conversationId: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'read' })
    .where('conversation_id', '=', conversationId)
    .where('channel', '=', 'web')
    .where('direction', '=', 'out')
    .where('kind', '=', 'feedback')
    .where('status', '=', 'sent')
    .execute();
}
