import { sql, type Kysely } from 'kysely';

/**
 * The residents' bot: what an outbound message offers besides its text (quick replies, a template), so any process
 * can render or send it from the row alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add column payload jsonb not null default '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages drop column if exists payload`.execute(db);
}
