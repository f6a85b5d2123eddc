/**
 * The 'feedback.fanout' job: an agenda item was reported back, so every resident of its clusters who asked to hear
 * back gets one message in their language on their channel. Runs page by page: each page's delivery rows and
 * messages commit together, then its WhatsApp sends are queued ('message.send', rate-limited in the send lane).
 *
 * Idempotent and resumable: a resident with a delivery row is never given a second message, and a rerun (a retry, a
 * second click, the sweep resuming a fan-out cut off by a crash) first finishes what an earlier run stored but did not
 * queue. The payload and the logs carry ids and counts only.
 */
import type { Kysely } from 'kysely';
import type { Channel, Database, MessagePayload } from '../../db/database.ts';
import { feedbackAudienceIds, feedbackCandidates, markFeedbackQueued, queuedBatchMessageIds, storeBatchMessages, type DeliveryBatch } from '../../db/repositories/feedback.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import type { Logger } from '../../app/logger.ts';
import { feedbackMessage, feedbackTemplatePurpose, planFeedback, type FeedbackCandidate } from '../loop/audience.ts';
import { PermanentJobError, type JobHandler, type JobQueue } from '../queue/queue.ts';

export interface FeedbackDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** Where the sends go; a worker without one fails the job visibly. */
  queue?: JobQueue | undefined;
  /** Residents read and stored per transaction. */
  pageSize?: number;
}

/** Sends queued in one go (BullMQ: one round trip each). */
const enqueueChunk = 1000;

export function createFeedbackFanoutHandler(deps: FeedbackDeps): JobHandler<'feedback.fanout'> {
  const pageSize = deps.pageSize ?? 1000;
  return async ({ agendaItemId }, job) => {
    const { db, logger } = deps;
    const item = await db.selectFrom('agenda_items').selectAll().where('id', '=', agendaItemId).executeTakeFirst();
    if (!item || item.status !== 'reported_back' || item.feedback_nl === null) {
      logger.info({ agendaItemId, jobId: job.id }, 'agenda item not reported back (or gone); feedback skipped');
      return;
    }
    const queue = deps.queue;
    if (!queue) throw new PermanentJobError('no queue to send feedback with');
    const municipality = await getMunicipality(db, item.municipality_code);
    const municipalityName = municipality?.name ?? item.municipality_code;
    const content = { title: item.title, feedbackNl: item.feedback_nl, feedbackEn: item.feedback_en };
    const texts = { nl: feedbackMessage(content, 'nl', municipalityName), en: feedbackMessage(content, 'en', municipalityName) };

    const batch = { kind: 'feedback' as const, id: item.id, municipality_code: item.municipality_code };
    const outcome = await fanOut({ db, queue, pageSize, batch, audience: await feedbackAudienceIds(db, item), plan: planFeedback, text: (language) => texts[language], payload: { template: feedbackTemplatePurpose } });
    await markFeedbackQueued(db, item.id);
    logger.info({ agendaItemId, jobId: job.id, attempt: job.attempt, ...outcome }, 'feedback fanned out');
  };
}

/** What one fan-out did, for the log and the batch's own record: counts only. */
export interface FanoutOutcome {
  planned: number;
  queued: number;
  resumed: number;
  skipped: Record<string, number>;
}

/**
 * The fan-out every batch to residents shares (feedback, flash polls): the audience in pages; per page the rules say
 * who gets it, and the delivery rows and messages commit in one statement (storeBatchMessages), then that page's
 * WhatsApp sends are queued. Finally whatever an earlier run stored but did not queue is queued (the job ids dedupe).
 */
export async function fanOut(options: {
  db: Kysely<Database>;
  queue: JobQueue;
  pageSize: number;
  batch: DeliveryBatch;
  audience: readonly string[];
  plan: (candidate: FeedbackCandidate) => { send: true; residentId: string; channel: Channel; conversationId: string | null; language: 'nl' | 'en' } | { send: false; reason: string };
  text: (language: 'nl' | 'en') => string;
  payload: MessagePayload;
}): Promise<FanoutOutcome> {
  const { db, queue, pageSize, batch, audience } = options;
  const queued = new Set<string>();
  const skipped: Record<string, number> = {};
  let planned = 0;
  for (let start = 0; start < audience.length; start += pageSize) {
    const page = await feedbackCandidates(db, audience.slice(start, start + pageSize));
    const sends = page.map(options.plan).flatMap((plan) => {
      if (!plan.send) {
        skipped[plan.reason] = (skipped[plan.reason] ?? 0) + 1;
        return [];
      }
      return [{ residentId: plan.residentId, channel: plan.channel, conversationId: plan.conversationId, text: options.text(plan.language) }];
    });
    const ids = await storeBatchMessages(db, batch, sends, options.payload);
    planned += sends.length;
    await enqueueSends(queue, ids);
    for (const id of ids) queued.add(id);
  }
  // Stored by an earlier run that stopped before queueing them: queue them now (the job ids dedupe the rest).
  const resumed = (await queuedBatchMessageIds(db, batch)).filter((id) => !queued.has(id));
  await enqueueSends(queue, resumed);
  return { planned, queued: queued.size, resumed: resumed.length, skipped };
}

async function enqueueSends(queue: JobQueue, messageIds: readonly string[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += enqueueChunk) {
    await queue.enqueueMany(messageIds.slice(i, i + enqueueChunk).map((messageId) => ({ name: 'message.send' as const, payload: { messageId } })));
  }
}
