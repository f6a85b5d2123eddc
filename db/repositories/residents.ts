import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Channel, Conversation, Database, Resident } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Finds the resident behind a pseudonymous channel key, creating them on first contact. */
export async function findOrCreateResident(
  db: Db,
  key: { municipalityCode: string; channel: Channel; channelKeyHash: string },
): Promise<Resident> {
  const now = new Date();
  // Insert-or-touch in one statement, so two processes seeing a first message at once agree on one resident.
  return db
    .insertInto('residents')
    .values({
      id: randomUUID(),
      municipality_code: key.municipalityCode,
      channel: key.channel,
      channel_key_hash: key.channelKeyHash,
      last_seen_at: now,
    })
    .onConflict((oc) => oc.columns(['municipality_code', 'channel', 'channel_key_hash']).doUpdateSet({ last_seen_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The resident's open conversation on this channel, or a new one in `initialState`. A resident has at most one open
 * conversation (a partial unique index), so two first messages at once agree on one.
 */
export async function openConversation(db: Db, resident: Resident, initialState: string): Promise<Conversation> {
  const open = await findOpenConversation(db, resident.id);
  if (open) return open;
  const created = await db
    .insertInto('conversations')
    .values({
      id: randomUUID(),
      resident_id: resident.id,
      municipality_code: resident.municipality_code,
      channel: resident.channel,
      state: initialState,
      context: '{}',
      language: resident.language,
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.column('resident_id').where('closed_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (created) return created;
  // Another caller opened one between our look and our insert: use theirs.
  const theirs = await findOpenConversation(db, resident.id);
  if (!theirs) throw new Error(`conversation for resident ${resident.id} was opened and closed concurrently; try again`);
  return theirs;
}

/** The resident behind a channel key, without creating one (for reading their own conversation). */
export async function findResident(
  db: Db,
  key: { municipalityCode: string; channel: Channel; channelKeyHash: string },
): Promise<Resident | undefined> {
  return db
    .selectFrom('residents')
    .selectAll()
    .where('municipality_code', '=', key.municipalityCode)
    .where('channel', '=', key.channel)
    .where('channel_key_hash', '=', key.channelKeyHash)
    .executeTakeFirst();
}

export async function findOpenConversation(db: Db, residentId: string): Promise<Conversation | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('resident_id', '=', residentId)
    .where('closed_at', 'is', null)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}
