/**
 * Feedback to residents about an agenda item: who may hear back (the residents of its clusters' signals), the
 * delivery rows that make each resident get it once, the stored messages the send job picks up, and the delivery
 * figures shown on the item. Plain functions taking `db` or a transaction; the fan-out job owns the order.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Channel, Database, MessagePayload, MessageStatus } from '../database.ts';
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
    .select(['id', 'channel', 'wants_feedback', 'may_invite', 'consent_at', 'contact', 'language', 'last_seen_at', 'wijk_code', 'age_band', 'role'])
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
      mayInvite: r.may_invite,
      consentAt: r.consent_at,
      hasContact: r.contact !== null && r.contact !== '',
      conversationState: conversation?.state ?? null,
      conversationId: conversation?.id ?? null,
      language: conversation?.language ?? r.language,
      lastSeenAt: r.last_seen_at,
      wijkCode: r.wijk_code,
      ageBand: r.age_band,
      role: r.role,
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
 * A batch of messages to residents with one delivery row each: an agenda item's feedback or a flash poll. The
 * delivery table's key (batch, resident) is what makes "nobody gets it twice" hold.
 */
export interface DeliveryBatch {
  kind: 'feedback' | 'poll';
  id: string;
  municipality_code: string;
}

const batchTables = {
  feedback: { table: 'feedback_deliveries', key: 'agenda_item_id' },
  poll: { table: 'poll_deliveries', key: 'poll_id' },
} as const;

/**
 * Stores a delivery row and its message for each resident not told yet, in one statement: a resident already told
 * (a retry, a second click, a resumed fan-out) keeps their first row and gets no second message. Returns the WhatsApp
 * messages stored now, for the caller to queue after commit. The web chat shows its message on the next visit, so it
 * is stored as sent. The page travels as a few arrays (unnest), not thousands of parameters: on PGlite that is what
 * keeps 10,000 residents within the 2 seconds. `payload` goes on the WhatsApp messages (the template purpose
 * used outside the 24-hour window, the reply buttons used inside it) and the web chat's (its quick replies).
 */
export async function storeBatchMessages(db: Db, batch: DeliveryBatch, sends: readonly FeedbackSend[], payload: MessagePayload): Promise<string[]> {
  if (sends.length === 0) return [];
  const { table, key } = batchTables[batch.kind];
  const whatsappPayload = JSON.stringify(payload);
  const webPayload = JSON.stringify(payload.choices ? { choices: payload.choices } : {});
  const result = await sql<{ id: string; channel: Channel }>`
    with planned as (
      select * from unnest(
        ${sends.map((s) => s.residentId)}::uuid[],
        ${sends.map((s) => s.conversationId)}::uuid[],
        ${sends.map((s) => s.channel)}::text[],
        ${sends.map((s) => s.text)}::text[]
      ) as p (resident_id, conversation_id, channel, text)
    ), claimed as (
      insert into ${sql.table(table)} (${sql.ref(key)}, resident_id, message_id, channel)
      select ${batch.id}::uuid, p.resident_id, gen_random_uuid(), p.channel from planned p
      on conflict (${sql.ref(key)}, resident_id) do nothing
      returning resident_id, message_id, channel
    )
    insert into messages (id, conversation_id, resident_id, municipality_code, channel, direction, external_id, kind, text, status, payload)
    select c.message_id, p.conversation_id, c.resident_id, ${batch.municipality_code}, c.channel, 'out', null, ${batch.kind}, p.text,
      case when c.channel = 'web' then 'sent' else 'queued' end,
      case when c.channel = 'whatsapp' then ${whatsappPayload}::jsonb else ${webPayload}::jsonb end
    from claimed c join planned p on p.resident_id = c.resident_id
    returning id, channel`.execute(db);
  return result.rows.filter((r) => r.channel === 'whatsapp').map((r) => r.id);
}

/** An agenda item's feedback messages (storeBatchMessages); outside the 24-hour window the template `template`. */
export async function storeFeedbackMessages(db: Db, item: { id: string; municipality_code: string }, sends: readonly FeedbackSend[], template: string): Promise<string[]> {
  return storeBatchMessages(db, { kind: 'feedback', id: item.id, municipality_code: item.municipality_code }, sends, { template });
}

/** The batch's WhatsApp messages still waiting to be sent: queued again when a fan-out resumes. */
export async function queuedBatchMessageIds(db: Db, batch: Pick<DeliveryBatch, 'kind' | 'id'>): Promise<string[]> {
  const { table, key } = batchTables[batch.kind];
  const rows = await sql<{ id: string }>`
    select m.id from ${sql.table(table)} d join messages m on m.id = d.message_id
    where d.${sql.ref(key)} = ${batch.id}::uuid and m.status = 'queued'`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** The item's WhatsApp feedback messages still waiting to be sent: queued again when a fan-out resumes. */
export async function queuedFeedbackMessageIds(db: Db, itemId: string): Promise<string[]> {
  return queuedBatchMessageIds(db, { kind: 'feedback', id: itemId });
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
  return batchDeliveryCounts(db, { kind: 'feedback', id: itemId });
}

/** A batch's delivery figures (feedback of an item, a poll), as feedbackDeliveryCounts. */
export async function batchDeliveryCounts(db: Db, batch: Pick<DeliveryBatch, 'kind' | 'id'>): Promise<DeliveryCounts> {
  const { table, key } = batchTables[batch.kind];
  const { rows } = await sql<{ channel: Channel; status: MessageStatus | null; n: string | number }>`
    select d.channel, m.status, count(*) as n from ${sql.table(table)} d left join messages m on m.id = d.message_id
    where d.${sql.ref(key)} = ${batch.id}::uuid group by d.channel, m.status`.execute(db);
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

/** The web chat showed the resident their conversation: feedback and polls in it have been read. */
export async function markWebFeedbackRead(db: Db, conversationId: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'read' })
    .where('conversation_id', '=', conversationId)
    .where('channel', '=', 'web')
    .where('direction', '=', 'out')
    .where('kind', 'in', ['feedback', 'poll'])
    .where('status', '=', 'sent')
    .execute();
}
