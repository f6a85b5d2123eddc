import { sql, type Kysely } from 'kysely';

/**
 * Temporary tables (issue 6): an invitation to a meeting on a cluster's topic is a poll with fixed accept/decline
 * options (pipeline/loop/tables.ts), so delivery and answers are the poll's. Only the meeting details are new: null
 * for a flash poll. The cluster the audience comes from is part of the poll's audience (jsonb, `clusterId`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table polls add column meeting jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table polls drop column if exists meeting`.execute(db);
}
