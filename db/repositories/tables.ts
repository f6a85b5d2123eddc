/**
 * Temporary tables (issue 6): who accepted an invitation and consented to pass on their number. Everything else of an
 * invitation is a poll's (db/repositories/polls.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';
import { invitationAnswers } from '../../pipeline/loop/tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface InvitationContacts {
  /** WhatsApp numbers of residents who answered "Ja, deel mijn nummer" and are not erased. */
  whatsapp: string[];
  /** Residents who consented but answered in the web chat: they have no number and can be reached only in the chat. */
  webChat: number;
}

export async function invitationContacts(db: Db, pollId: string): Promise<InvitationContacts> {
  const rows = await db
    .selectFrom('poll_answers')
    .innerJoin('residents', 'residents.id', 'poll_answers.resident_id')
    .select(['residents.channel', 'residents.contact'])
    .where('poll_answers.poll_id', '=', pollId)
    .where('poll_answers.option_id', '=', invitationAnswers.shareContact)
    .where('residents.erased_at', 'is', null)
    .orderBy('poll_answers.answered_at')
    .execute();
  return {
    whatsapp: rows.filter((r) => r.channel === 'whatsapp' && r.contact !== null && r.contact !== '').map((r) => r.contact as string),
    webChat: rows.filter((r) => r.channel === 'web').length,
  };
}
