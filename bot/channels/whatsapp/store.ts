/**
 * The webhook's only write: the inbound messages of one delivery, with their residents, in one statement, so Meta
 * gets its 200 after one database round trip (CONTRACTS.md section 2: stored before acknowledged). The conversation
 * turn runs later in a `conversation.turn` job; a message whose turn has not run yet has no conversation
 * (conversation_id null), which is how the turn and the sweep find it.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { InboundContent } from '../../conversation-service.ts';
import { maxStoredText, storedKind, storedText, turnPayload } from '../../waiting-messages.ts';

export interface DeliveredMessage {
  municipalityCode: string;
  /** Keyed hash of the resident's channel id (bot/identity.ts pseudonymise). */
  residentKey: string;
  /**
   * Keyed hash of the phone number when residentKey is of a business-scoped user id: a resident known by this
   * number so far keeps their identity (re-keyed), instead of becoming a second resident.
   */
  formerKey?: string | undefined;
  /** Where replies go (number or user id). */
  contact: string;
  /** Keyed hash of the wamid. */
  externalId: string;
  content: InboundContent;
}

export interface StoredMessage {
  id: string;
  externalId: string;
}

/**
 * Stores the messages (redeliveries: skipped, on the external id) and returns the ones stored now, in delivery order.
 * Residents are created or touched in the same statement; the contact is set to the latest one given.
 */
export async function storeDelivery(db: Kysely<Database>, messages: readonly DeliveredMessage[]): Promise<StoredMessage[]> {
  if (messages.length === 0) return [];
  await adoptFormerIdentities(db, messages);
  const now = Date.now();
  const rows = messages.map(
    (m, i) =>
      sql`(${i}::int, ${m.municipalityCode}::text, ${m.residentKey}::text, ${m.contact}::text, ${randomUUID()}::uuid, ${randomUUID()}::uuid, ${m.externalId}::text, ${storedKind(m.content)}::text, ${storedText(m.content)}::text, ${JSON.stringify(turnPayload(m.content, maxStoredText))}::jsonb, ${new Date(now + i).toISOString()}::timestamptz)`,
  );
  const result = await sql<{ id: string; external_id: string }>`
    with input (ord, municipality_code, resident_key, contact, resident_id, message_id, external_id, kind, text, payload, created_at) as (
      values ${sql.join(rows)}
    ),
    resident as (
      insert into residents (id, municipality_code, channel, channel_key_hash, contact, last_seen_at)
      select distinct on (municipality_code, resident_key) resident_id, municipality_code, 'whatsapp', resident_key, contact, created_at
      from input
      order by municipality_code, resident_key, ord desc
      on conflict (municipality_code, channel, channel_key_hash)
        do update set last_seen_at = excluded.last_seen_at, contact = excluded.contact
      returning id, municipality_code, channel_key_hash
    )
    insert into messages (id, conversation_id, resident_id, municipality_code, channel, direction, external_id, kind, text, status, payload, created_at)
    select i.message_id, null, r.id, i.municipality_code, 'whatsapp', 'in', i.external_id, i.kind, i.text, 'received', i.payload, i.created_at
    from input i
    join resident r on r.municipality_code = i.municipality_code and r.channel_key_hash = i.resident_key
    order by i.ord
    on conflict (channel, external_id) do nothing
    returning id, external_id`.execute(db);
  const byExternal = new Map(result.rows.map((r) => [r.external_id, r.id]));
  return messages.flatMap((m) => {
    const id = byExternal.get(m.externalId);
    if (id === undefined) return [];
    byExternal.delete(m.externalId); // the same wamid twice in one delivery is one message
    return [{ id, externalId: m.externalId }];
  });
}

/**
 * Keys already known to be the resident's own (stored under their user id): no re-keying needed. Bounded, so a
 * long-running web process keeps a few megabytes at most; a miss costs one update that changes nothing.
 */
const adopted = new Set<string>();
const adoptedLimit = 50_000;

/**
 * A resident first known by their phone number, now writing with a business-scoped user id (Meta sends both in
 * `contacts[]`): their row is re-keyed to the user id, so they keep one identity, their consent and their
 * conversation. Skipped when a resident with the user id exists already (then that one is used).
 */
async function adoptFormerIdentities(db: Kysely<Database>, messages: readonly DeliveredMessage[]): Promise<void> {
  for (const m of messages) {
    if (m.formerKey === undefined || adopted.has(m.residentKey)) continue;
    await db
      .updateTable('residents')
      .set({ channel_key_hash: m.residentKey })
      .where('municipality_code', '=', m.municipalityCode)
      .where('channel', '=', 'whatsapp')
      .where('channel_key_hash', '=', m.formerKey)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('residents as known')
              .select('known.id')
              .where('known.municipality_code', '=', m.municipalityCode)
              .where('known.channel', '=', 'whatsapp')
              .where('known.channel_key_hash', '=', m.residentKey),
          ),
        ),
      )
      .execute();
    if (adopted.size >= adoptedLimit) adopted.clear();
    adopted.add(m.residentKey);
  }
}
