import { sql, type Kysely } from 'kysely';

/**
 * Flash polls of one to three questions (issue 6). `questions` holds every question in order; the columns question,
 * kind and options stay as the first question (the fan-out sends it, invitations are single-question polls), and
 * existing polls get their one question copied in. Answers are kept per (poll, resident, question).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table polls add column questions jsonb not null default '[]'`.execute(db);
  await sql`update polls set questions = jsonb_build_array(jsonb_build_object('question', question, 'kind', kind, 'options', options))`.execute(db);
  await sql`alter table poll_answers add column question_index integer not null default 0 check (question_index between 0 and 2)`.execute(db);
  await sql`alter table poll_answers drop constraint poll_answers_pkey`.execute(db);
  await sql`alter table poll_answers add primary key (poll_id, resident_id, question_index)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from poll_answers where question_index > 0`.execute(db);
  await sql`alter table poll_answers drop constraint poll_answers_pkey`.execute(db);
  await sql`alter table poll_answers add primary key (poll_id, resident_id)`.execute(db);
  await sql`alter table poll_answers drop column question_index`.execute(db);
  await sql`alter table polls drop column questions`.execute(db);
}
