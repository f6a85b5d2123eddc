/**
 * What the residents' bot stores beyond a message: conversation state, the resident's answers and consent, replies,
 * delivery statuses, and erasure. Plain functions taking `db` or a transaction first; the caller owns the transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AgeBand, Channel, Conversation, Database, Message, MessagePayload, MessageStatus, ResidentRole } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Re-reads an open conversation and locks it until the transaction ends, so two messages at once take turns. */
export async function lockConversation(db: Db, id: string): Promise<Conversation> {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function saveConversationState(db: Db, id: string, state: string, context: object, language: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ state, context: JSON.stringify(context), language, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function recordConsent(db: Db, residentId: string): Promise<void> {
  await db.updateTable('residents').set({ consent_at: new Date() }).where('id', '=', residentId).where('consent_at', 'is', null).execute();
}

export interface ResidentProfileUpdate {
  wijkCode?: string;
  ageBand?: AgeBand;
  role?: ResidentRole;
  wantsFeedback?: boolean;
  mayInvite?: boolean;
  language?: string;
}

export async function updateResidentProfile(db: Db, residentId: string, p: ResidentProfileUpdate): Promise<void> {
  const set = {
    ...(p.wijkCode !== undefined ? { wijk_code: p.wijkCode } : {}),
    ...(p.ageBand !== undefined ? { age_band: p.ageBand } : {}),
    ...(p.role !== undefined ? { role: p.role } : {}),
    ...(p.wantsFeedback !== undefined ? { wants_feedback: p.wantsFeedback } : {}),
    ...(p.mayInvite !== undefined ? { may_invite: p.mayInvite } : {}),
    ...(p.language !== undefined ? { language: p.language } : {}),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable('residents').set(set).where('id', '=', residentId).execute();
}

/** Where replies go on the channel (a WhatsApp number or user id). Only what sending needs; never logged. */
export async function setResidentContact(db: Db, residentId: string, contact: string | null): Promise<void> {
  await db.updateTable('residents').set({ contact }).where('id', '=', residentId).where('contact', 'is distinct from', contact).execute();
}

/** The place a resident typed, kept as typed on the signals of the conversation that have none yet. */
export async function setPlaceAnswer(db: Db, conversationId: string, placeAnswer: string): Promise<void> {
  await db.updateTable('signals').set({ place_answer: placeAnswer }).where('conversation_id', '=', conversationId).where('place_answer', 'is', null).execute();
}

export async function flagSignalUrgent(db: Db, signalId: string): Promise<void> {
  await db.updateTable('signals').set({ urgent: true }).where('id', '=', signalId).execute();
}

/** The texts of a resident's own messages, in the order given. */
export async function messageTexts(db: Db, residentId: string, ids: readonly string[]): Promise<{ id: string; text: string | null }[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('messages').select(['id', 'text']).where('resident_id', '=', residentId).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function storeReply(
  db: Db,
  m: { conversationId: string; residentId: string; municipalityCode: string; channel: Channel; kind: string; text: string; payload: MessagePayload; status: 'queued' | 'sent' },
): Promise<Message> {
  return db
    .insertInto('messages')
    .values({
      id: randomUUID(),
      conversation_id: m.conversationId,
      resident_id: m.residentId,
      municipality_code: m.municipalityCode,
      channel: m.channel,
      direction: 'out',
      kind: m.kind,
      text: m.text,
      status: m.status,
      payload: JSON.stringify(m.payload),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Everything the send job needs about one outbound message. */
export interface OutboundForSending {
  message: Message;
  contact: string | null;
  municipalitySettings: Record<string, unknown>;
  /** The conversation's language, for the list button and the template translation. */
  language: string | null;
  /** When the resident last wrote to us: the 24-hour customer-service window runs from here. */
  lastInboundAt: Date | null;
}

export async function getOutboundForSending(db: Db, messageId: string): Promise<OutboundForSending | undefined> {
  const message = await db.selectFrom('messages').selectAll().where('id', '=', messageId).where('direction', '=', 'out').executeTakeFirst();
  if (!message) return undefined;
  // last_seen_at moves with every inbound message and survives an erasure, so its confirmation can still be sent.
  const resident = message.resident_id ? await db.selectFrom('residents').select(['contact', 'last_seen_at']).where('id', '=', message.resident_id).executeTakeFirst() : undefined;
  const conversation = message.conversation_id
    ? await db.selectFrom('conversations').select('language').where('id', '=', message.conversation_id).executeTakeFirst()
    : undefined;
  const municipality = await db.selectFrom('municipalities').select('settings').where('code', '=', message.municipality_code).executeTakeFirst();
  return {
    message,
    contact: resident?.contact ?? null,
    municipalitySettings: municipality?.settings ?? {},
    language: conversation?.language ?? null,
    lastInboundAt: resident?.last_seen_at ?? null,
  };
}

export async function markMessageSent(db: Db, id: string, externalId: string): Promise<void> {
  await db.updateTable('messages').set({ status: 'sent', external_id: externalId, error: null }).where('id', '=', id).where('status', '=', 'queued').execute();
}

export async function markMessageFailed(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable('messages').set({ status: 'failed', error }).where('id', '=', id).where('status', 'in', ['queued', 'sent']).execute();
}

const statusRank: Record<MessageStatus, number> = { received: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * A delivery status reported by the channel for one of our messages, by its channel id. Statuses may arrive out of
 * order; a message never moves back (read stays read when a late 'delivered' comes in).
 */
export async function updateOutboundStatus(db: Db, channel: Channel, externalId: string, status: 'sent' | 'delivered' | 'read' | 'failed', error: string | null): Promise<boolean> {
  const lower = (Object.keys(statusRank) as MessageStatus[]).filter((s) => statusRank[s] < statusRank[status] && s !== 'received');
  const result = await db
    .updateTable('messages')
    .set({ status, ...(status === 'failed' ? { error } : {}) })
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .where('direction', '=', 'out')
    .where('status', 'in', lower)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Outbound messages still waiting to be sent, oldest first: a sweep queues them when the queue was down. */
export async function queuedOutboundIds(db: Db, olderThan: Date, limit = 1000): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('direction', '=', 'out')
    .where('status', '=', 'queued')
    .where('created_at', '<', olderThan)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
