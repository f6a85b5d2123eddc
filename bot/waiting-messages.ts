/**
 * WhatsApp messages stored by the webhook and waiting for their conversation turn (conversation_id null until the
 * turn takes them): how a message is stored so the turn sees it as the channel gave it, and the look-ups of the
 * turn and the sweep.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { InboundContent } from './conversation-service.ts';
import type { UnsupportedKind } from './conversation/core.ts';

/** Longest text kept from one message (WhatsApp's own limit for a text); the rest is cut off and the reply says so. */
export const maxStoredText = 4096;

/** The kind a message is stored under: text, choice, or the channel's own name of what we cannot read. */
export function storedKind(content: InboundContent): string {
  return content.kind === 'unsupported' ? content.channelKind : content.kind;
}

/** Media, locations and contact cards are not kept: only what the resident typed or chose. */
export function storedText(content: InboundContent): string | null {
  return content.kind === 'text' ? content.text.slice(0, maxStoredText) : content.kind === 'choice' ? content.title : null;
}

/** What the turn needs besides kind and text to see the message as the channel gave it (never text or a number). */
interface TurnPayload {
  choice?: string;
  unsupported?: UnsupportedKind;
  truncated?: true;
}

export function turnPayload(content: InboundContent, limit: number): TurnPayload {
  if (content.kind === 'choice') return { choice: content.id };
  if (content.kind === 'unsupported') return { unsupported: content.what };
  return content.text.length > limit ? { truncated: true } : {};
}

/** A resident's stored messages whose turn has not run yet, oldest first, as the channel gave them. */
export async function pendingMessages(trx: Transaction<Database>, residentId: string): Promise<{ id: string; receivedAt: Date; content: InboundContent; truncated: boolean }[]> {
  const rows = await trx
    .selectFrom('messages')
    .select(['id', 'kind', 'text', 'payload', 'created_at'])
    .where('resident_id', '=', residentId)
    .where('direction', '=', 'in')
    .where('conversation_id', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const payload = row.payload as TurnPayload;
    const content: InboundContent =
      payload.unsupported !== undefined
        ? { kind: 'unsupported', what: payload.unsupported, channelKind: row.kind }
        : row.kind === 'choice'
          ? { kind: 'choice', id: payload.choice ?? row.text ?? '', title: row.text ?? '' }
          : { kind: 'text', text: row.text ?? '' };
    return { id: row.id, receivedAt: row.created_at, content, truncated: payload.truncated === true };
  });
}

/** Stored WhatsApp messages whose turn never ran (the queue was down, a worker died): for the sweep. */
export async function pendingTurnIds(db: Kysely<Database>, olderThan: Date, limit = 1000): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('channel', '=', 'whatsapp')
    .where('direction', '=', 'in')
    .where('conversation_id', 'is', null)
    .where('resident_id', 'is not', null)
    .where('created_at', '<', olderThan)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

