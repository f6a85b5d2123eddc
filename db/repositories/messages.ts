import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Channel, Database, Message } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface InboundMessage {
  conversationId: string;
  residentId: string;
  municipalityCode: string;
  channel: Channel;
  externalId: string | null;
  kind: string;
  text: string | null;
}

/**
 * Stores an inbound message. A redelivery of a message already stored (same channel and external id) returns
 * `{ duplicate: true }` with the stored row and changes nothing.
 */
export async function storeInboundMessage(db: Db, m: InboundMessage): Promise<{ message: Message; duplicate: boolean }> {
  const inserted = await db
    .insertInto('messages')
    .values({
      id: randomUUID(),
      conversation_id: m.conversationId,
      resident_id: m.residentId,
      municipality_code: m.municipalityCode,
      channel: m.channel,
      direction: 'in',
      external_id: m.externalId,
      kind: m.kind,
      text: m.text,
      status: 'received',
    })
    .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { message: inserted, duplicate: false };
  const existing = await db
    .selectFrom('messages')
    .selectAll()
    .where('channel', '=', m.channel)
    .where('external_id', '=', m.externalId)
    .executeTakeFirstOrThrow();
  return { message: existing, duplicate: true };
}

/** The messages of a conversation in the order they were sent, for the resident's own view of it. */
export async function listConversationMessages(db: Db, conversationId: string, limit = 200): Promise<Message[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at', 'desc')
    .orderBy('direction', 'desc') // a reply stored in the same instant as its message comes after it
    .limit(limit)
    .execute();
  return rows.reverse();
}
