/**
 * The 'poll.fanout' job: a flash poll was sent, so every resident of its audience who can be reached gets it once, on
 * their channel, through the same fan-out as feedback (pipeline/workers/feedback.ts fanOut): delivery rows and
 * messages per page in one statement, WhatsApp sends queued in the rate-limited send lane, a rerun resumes without
 * sending anyone anything twice. Inside the 24-hour window WhatsApp gets reply buttons; outside it the approved `poll`
 * template; residents for whom there is none in their language are counted (`skipped['no-template']`), shown on the
 * poll page. The payload and the logs carry ids and counts only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { markPollQueued, pollAudienceIds } from '../../db/repositories/polls.ts';
import type { Logger } from '../../app/logger.ts';
import { templateFor } from '../../bot/channels/whatsapp/outbound.ts';
import { planPoll, pollChoiceId, pollMessage, pollTemplatePurpose } from '../loop/poll.ts';
import { PermanentJobError, type JobHandler, type JobQueue } from '../queue/queue.ts';
import { fanOut } from './feedback.ts';

export interface PollDeps {
  db: Kysely<Database>;
  logger: Logger;
  queue?: JobQueue | undefined;
  pageSize?: number;
  now?: () => Date;
}

/** The languages the municipality's `poll` template is approved in (a fallback to another language does not count). */
export function pollTemplateLanguages(settings: Record<string, unknown>): string[] {
  return ['nl', 'en'].filter((language) => templateFor(settings, pollTemplatePurpose, language)?.language === language);
}

export function createPollFanoutHandler(deps: PollDeps): JobHandler<'poll.fanout'> {
  const pageSize = deps.pageSize ?? 1000;
  const now = deps.now ?? (() => new Date());
  return async ({ pollId }, job) => {
    const { db, logger } = deps;
    const poll = await db.selectFrom('polls').selectAll().where('id', '=', pollId).executeTakeFirst();
    if (!poll || poll.sent_at === null || poll.closed_at !== null) {
      logger.info({ pollId, jobId: job.id }, 'poll not sent, closed or gone; fan-out skipped');
      return;
    }
    const queue = deps.queue;
    if (!queue) throw new PermanentJobError('no queue to send the poll with');
    const municipality = await getMunicipality(db, poll.municipality_code);
    const municipalityName = municipality?.name ?? poll.municipality_code;
    const reach = { now: now(), templateLanguages: pollTemplateLanguages(municipality?.settings ?? {}) };
    const texts = { nl: pollMessage(poll, 'nl', municipalityName), en: pollMessage(poll, 'en', municipalityName) };
    const choices = poll.options.map((o) => ({ id: pollChoiceId(poll.id, o.id), title: o.title }));
    const outcome = await fanOut({
      db,
      queue,
      pageSize,
      batch: { kind: 'poll', id: poll.id, municipality_code: poll.municipality_code },
      audience: await pollAudienceIds(db, poll.municipality_code, poll.audience.clusterId),
      plan: (candidate) => planPoll(candidate, poll.audience, reach),
      text: (language) => texts[language],
      payload: { template: pollTemplatePurpose, ...(choices.length > 0 ? { choices } : {}) },
    });
    await markPollQueued(db, poll.id, outcome.skipped);
    logger.info({ pollId, jobId: job.id, attempt: job.attempt, ...outcome }, 'poll fanned out');
  };
}
