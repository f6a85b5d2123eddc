/**
 * Flash polls (issue 6): the poll rows, their audience, the answers residents give, and the figures on the poll page.
 * Delivery rows and messages go through the batch functions of db/repositories/feedback.ts (kind 'poll'), so a poll
 * is sent once per resident exactly as feedback is. Plain functions taking `db` or a transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AgeBand, Database, Meeting, Poll, PollAudience, PollKind, PollOption, PollQuestion, ResidentRole } from '../database.ts';
import { planPoll, pollQuestions, type PollSkipReason } from '../../pipeline/loop/poll.ts';
import { feedbackCandidates } from './feedback.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A poll; `questions` (one to three) when it asks more than its first question (question, kind, options). */
export async function createPoll(
  db: Db,
  poll: { municipalityCode: string; question: string; kind: PollKind; options: PollOption[]; questions?: PollQuestion[]; audience: PollAudience; userId: string; meeting?: Meeting },
): Promise<Poll> {
  return db
    .insertInto('polls')
    .values({
      id: randomUUID(),
      municipality_code: poll.municipalityCode,
      question: poll.question,
      kind: poll.kind,
      options: JSON.stringify(poll.options),
      questions: JSON.stringify(poll.questions ?? [{ question: poll.question, kind: poll.kind, options: poll.options }]),
      audience: JSON.stringify(poll.audience),
      created_by: poll.userId,
      ...(poll.meeting ? { meeting: JSON.stringify(poll.meeting) } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listPolls(db: Db, municipalityCode: string): Promise<Poll[]> {
  return db.selectFrom('polls').selectAll().where('municipality_code', '=', municipalityCode).orderBy('created_at', 'desc').limit(200).execute();
}

/** The poll when it belongs to the municipality; undefined otherwise (the page answers 404). */
export async function findPoll(db: Db, id: string, municipalityCode: string): Promise<Poll | undefined> {
  return db.selectFrom('polls').selectAll().where('id', '=', id).where('municipality_code', '=', municipalityCode).executeTakeFirst();
}

/**
 * Residents who may be invited (the bot's ask-invite question), in id order: the candidates of every poll of the
 * municipality; the poll's filters and the delivery rules are applied to them in pipeline/loop/poll.ts.
 */
export async function pollAudienceIds(db: Db, municipalityCode: string, clusterId?: string): Promise<string[]> {
  let query = db.selectFrom('residents').select('id');
  // An invitation to a temporary table goes to the residents of one cluster: those with a signal in it.
  if (clusterId !== undefined) {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('signals').select('signals.id').whereRef('signals.resident_id', '=', 'residents.id').where('signals.cluster_id', '=', clusterId).where('signals.municipality_code', '=', municipalityCode)),
    );
  }
  const rows = await query
    .where('municipality_code', '=', municipalityCode)
    .where('may_invite', '=', true)
    .where('consent_at', 'is not', null)
    .where('erased_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export type AudienceCounts = { reachable: number } & Record<PollSkipReason, number>;

/** How many residents a poll would reach now, and why the others would not: the preview before sending. */
export async function previewPollAudience(db: Db, municipalityCode: string, audience: PollAudience, reach: { now: Date; templateLanguages: readonly string[] }): Promise<AudienceCounts> {
  const counts: AudienceCounts = { reachable: 0, 'not-asked': 0, stopped: 0, erased: 0, unreachable: 0, filtered: 0, 'no-template': 0 };
  const ids = await pollAudienceIds(db, municipalityCode, audience.clusterId);
  for (let start = 0; start < ids.length; start += 1000) {
    for (const candidate of await feedbackCandidates(db, ids.slice(start, start + 1000))) {
      const plan = planPoll(candidate, audience, reach);
      if (plan.send) counts.reachable += 1;
      else counts[plan.reason] += 1;
    }
  }
  return counts;
}

/** The send click, as a compare-and-set: true for the first click only, so a double click sends once. */
export async function claimPollSend(db: Db, pollId: string): Promise<boolean> {
  const row = await db.updateTable('polls').set({ sent_at: new Date() }).where('id', '=', pollId).where('sent_at', 'is', null).where('closed_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function markPollQueued(db: Db, pollId: string, skipped: Record<string, number>): Promise<void> {
  await db.updateTable('polls').set({ queued_at: new Date(), skipped: JSON.stringify(skipped) }).where('id', '=', pollId).execute();
}

export async function closePoll(db: Db, pollId: string): Promise<boolean> {
  const row = await db.updateTable('polls').set({ closed_at: new Date() }).where('id', '=', pollId).where('closed_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

/** What the conversation core needs to know about the poll a resident may be answering. */
export interface AwaitingPoll {
  id: string;
  /** The question this message may answer, and the one after it (sent as the reply), if any. */
  questionIndex: number;
  kind: PollKind;
  options: PollOption[];
  next?: PollQuestion | undefined;
  open: boolean;
}

/**
 * The poll a message of this resident may answer: the one a reply button names (it was sent to them), else the most
 * recent poll sent to them that they have not answered yet (nor been told is closed). The question is the one the
 * button names, else the first the resident has not answered.
 */
export async function awaitingPoll(db: Db, residentId: string, choice: { pollId: string; questionIndex: number } | undefined): Promise<AwaitingPoll | undefined> {
  let query = db
    .selectFrom('poll_deliveries')
    .innerJoin('polls', 'polls.id', 'poll_deliveries.poll_id')
    .select(['polls.id', 'polls.question', 'polls.kind', 'polls.options', 'polls.questions', 'polls.closed_at'])
    .select((eb) => eb.selectFrom('poll_answers').select((a) => a.fn.countAll<string | number>().as('n')).whereRef('poll_answers.poll_id', '=', 'polls.id').where('poll_answers.resident_id', '=', residentId).as('answered'))
    .where('poll_deliveries.resident_id', '=', residentId);
  query = choice !== undefined ? query.where('polls.id', '=', choice.pollId) : query.where('poll_deliveries.settled_at', 'is', null);
  const row = await query.orderBy('poll_deliveries.created_at', 'desc').limit(1).executeTakeFirst();
  if (!row) return undefined;
  const questions = pollQuestions(row);
  const questionIndex = choice?.questionIndex ?? Math.min(Number(row.answered ?? 0), questions.length - 1);
  const current = questions[questionIndex];
  if (!current) return undefined;
  return { id: row.id, questionIndex, kind: current.kind, options: current.options, next: questions[questionIndex + 1], open: row.closed_at === null };
}

/**
 * One answer per resident per poll question: a later answer replaces the earlier one. The delivery is settled with
 * the last question's answer (`settle`), so until then the resident's next message answers the next question.
 */
export async function recordPollAnswer(db: Db, answer: { pollId: string; residentId: string; questionIndex?: number; optionId: string | null; signalId: string | null; settle?: boolean }): Promise<void> {
  await db
    .insertInto('poll_answers')
    .values({ poll_id: answer.pollId, resident_id: answer.residentId, question_index: answer.questionIndex ?? 0, option_id: answer.optionId, signal_id: answer.signalId })
    .onConflict((oc) => oc.columns(['poll_id', 'resident_id', 'question_index']).doUpdateSet({ option_id: answer.optionId, signal_id: answer.signalId, answered_at: new Date() }))
    .execute();
  if (answer.settle ?? true) await settlePollDelivery(db, answer.pollId, answer.residentId);
}

/** The resident answered or was told the poll is closed: their next message is theirs again. */
export async function settlePollDelivery(db: Db, pollId: string, residentId: string): Promise<void> {
  await db.updateTable('poll_deliveries').set({ settled_at: new Date() }).where('poll_id', '=', pollId).where('resident_id', '=', residentId).where('settled_at', 'is', null).execute();
}

export interface QuestionResults {
  answered: number;
  perOption: { optionId: string; answers: number }[];
  openAnswers: number;
}

export interface PollResults extends QuestionResults {
  /** Residents the poll went to (delivery rows). */
  sent: number;
  /** The first question's figures are the ones above; every question's (the first included) here, in order. */
  perQuestion: QuestionResults[];
  byAgeBand: { ageBand: AgeBand | null; answers: number }[];
  byRole: { role: ResidentRole | null; answers: number }[];
}

/** The poll's figures; the page suppresses small ones (dashboards/suppression.ts). Age band and role: first question. */
export async function pollResults(db: Db, poll: Poll): Promise<PollResults> {
  const sentRow = await db.selectFrom('poll_deliveries').select((eb) => eb.fn.countAll<string | number>().as('n')).where('poll_id', '=', poll.id).executeTakeFirstOrThrow();
  const answers = await db
    .selectFrom('poll_answers')
    .innerJoin('residents', 'residents.id', 'poll_answers.resident_id')
    .select(['poll_answers.question_index', 'poll_answers.option_id', 'poll_answers.signal_id', 'residents.age_band', 'residents.role'])
    .where('poll_answers.poll_id', '=', poll.id)
    .execute();
  const count = <K>(keys: K[]) => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.entries()];
  };
  const perQuestion = pollQuestions(poll).map((q, i) => {
    const mine = answers.filter((a) => a.question_index === i);
    return {
      answered: mine.length,
      perOption: q.options.map((o) => ({ optionId: o.id, answers: mine.filter((a) => a.option_id === o.id).length })),
      openAnswers: mine.filter((a) => a.option_id === null).length,
    };
  });
  const first = answers.filter((a) => a.question_index === 0);
  return {
    sent: Number(sentRow.n),
    ...(perQuestion[0] ?? { answered: 0, perOption: [], openAnswers: 0 }),
    perQuestion,
    byAgeBand: count(first.map((a) => a.age_band)).map(([ageBand, n]) => ({ ageBand, answers: n })),
    byRole: count(first.map((a) => a.role)).map(([role, n]) => ({ role, answers: n })),
  };
}

/** Polls sent but whose fan-out never finished (a crash, a lost in-process queue): the sweep resumes them. */
export async function unfinishedPolls(db: Db, limit = 100): Promise<string[]> {
  const rows = await db.selectFrom('polls').select('id').where('sent_at', 'is not', null).where('queued_at', 'is', null).where('closed_at', 'is', null).orderBy('sent_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** The signals that are a poll's open answers (their text is read through the normal, audited signal views). */
export async function pollSignalIds(db: Db, pollId: string): Promise<string[]> {
  const rows = await db.selectFrom('poll_answers').select('signal_id').where('poll_id', '=', pollId).where('signal_id', 'is not', null).$narrowType<{ signal_id: string }>().execute();
  return rows.map((r) => r.signal_id);
}
