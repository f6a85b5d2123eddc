import { sql, type Kysely } from 'kysely';

/**
 * The residents' bot, second part. Bot texts and the WhatsApp template registry stay in municipalities.settings
 * (botTexts, whatsappTemplates), edited on /dashboard/beheer/bot: no table needed. This adds what the split webhook
 * and the conversation turn look up on every message:
 * - a resident's messages by time: the turn's waiting messages, the flood check (messages in the last 10 seconds),
 *   erasure; without it each of those read the whole messages table;
 * - WhatsApp messages stored whose conversation turn has not run yet (conversation_id null), by age, for the sweep.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists messages_resident on messages (resident_id, created_at)`.execute(db);
  await sql`create index if not exists messages_pending_turn on messages (created_at) where direction = 'in' and conversation_id is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists messages_pending_turn`.execute(db);
  await sql`drop index if exists messages_resident`.execute(db);
}
