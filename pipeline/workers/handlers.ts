/**
 * The thin workers: each job handler loads what its payload points at, runs the pure steps, and stores the result.
 * Handlers are idempotent (at-least-once delivery): a signal already past a step is left alone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { mergeSimilarClusters, splitMixedClusters, storeAnalysisAndCluster } from '../../db/repositories/clusters.ts';
import { getSignal, markSignalFailed } from '../../db/repositories/signals.ts';
import type { Logger } from '../../app/logger.ts';
import { analyseSignal, MAX_TEXT_LENGTH, SignalInputError } from '../analysis/analyse.ts';
import { AnalyserCache } from '../analysis/context.ts';
import { PermanentJobError, type JobHandlers, type FailedJob } from '../queue/queue.ts';
import { createSendHandler, markSendFailed, type SendDeps } from './send.ts';
import { createFeedbackFanoutHandler } from './feedback.ts';
import { createPollFanoutHandler } from './poll.ts';
import { createRetentionHandler, type RetentionDeps } from './retention.ts';
import { runTurn } from '../../bot/conversation-service.ts';
import type { JobQueue } from '../queue/queue.ts';

export interface WorkerDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** WhatsApp sending (pipeline/workers/send.ts). */
  whatsapp?: SendDeps['whatsapp'];
  pseudonymKey?: SendDeps['pseudonymKey'];
  fetch?: SendDeps['fetch'];
  /** WhatsApp conversation turns queue their replies and signals here (needed by `conversation.turn`). */
  queue?: JobQueue;
  /** Base of absolute links in the bot's replies (the privacy statement). */
  publicUrl?: string | undefined;
  /** Default retention periods and test options (pipeline/workers/retention.ts). */
  retention?: RetentionDeps['retention'];
  retentionOptions?: RetentionDeps['retentionOptions'];
  /** Analysers per municipality (issue 4); pass one warmed with `warm()` so the first signal does not wait. */
  analysers?: AnalyserCache;
}

export function createJobHandlers({ db, logger, queue, publicUrl, analysers = new AnalyserCache(db), ...sending }: WorkerDeps): JobHandlers {
  // Analysis (issue 4): classifier and gazetteer loaded once per worker and municipality, not per job.
  return {
    'message.send': createSendHandler({ db, logger, ...sending }),
    'feedback.fanout': createFeedbackFanoutHandler({ db, logger, queue }),
    'poll.fanout': createPollFanoutHandler({ db, logger, queue }),
    'privacy.retention': createRetentionHandler({ db, logger, queue, retention: sending.retention, retentionOptions: sending.retentionOptions }),
    'conversation.turn': async ({ messageId }) => {
      if (!queue || sending.pseudonymKey === undefined) throw new PermanentJobError('conversation.turn needs the queue and the pseudonym key in the worker deps');
      await runTurn({ db, logger, queue, pseudonymKey: sending.pseudonymKey, publicUrl }, messageId);
    },
    'signal.received': async ({ signalId }, job) => {
      const signal = await getSignal(db, signalId);
      if (!signal) {
        // Erased on the resident's request after it was queued: nothing left to do, and nothing to keep.
        logger.info({ signalId, jobId: job.id }, 'signal no longer exists; job skipped');
        return;
      }
      if (signal.status !== 'new') return;
      // ---- analysis (issue 4): the same steps as `wijkstem analyse`, then the live cluster ----
      const analyser = await analysers.get(signal.municipality_code);
      let analysis;
      try {
        analysis = analyseSignal(analyser, {
          id: signal.id,
          // A channel already limits length; an import might not. Analyse the start rather than lose the signal.
          text: (signal.text_raw ?? '').slice(0, MAX_TEXT_LENGTH),
          municipality: signal.municipality_code,
          place: signal.place_answer,
          postcode: signal.postcode_answer,
          language: signal.language_hint,
        });
      } catch (error) {
        // Bad input does not get better by retrying: fail at once, visibly.
        if (error instanceof SignalInputError) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
      // The analysis and the cluster assignment commit together: a retried job finds the signal analysed and clustered,
      // or neither, so a signal is never left out of its cluster nor counted twice.
      const { stored, clusterId } = await storeAnalysisAndCluster(db, {
        signalId,
        municipalityCode: signal.municipality_code,
        receivedAt: new Date(signal.received_at),
        analysis: {
          language: analysis.language,
          textRedacted: analysis.text_redacted,
          domains: analysis.domains,
          review: analysis.review,
          wijkCode: analysis.neighborhood?.wijk_code ?? null,
          buurtCode: analysis.neighborhood?.buurt_code ?? null,
          sentiment: analysis.sentiment,
          // The bot may already have flagged a crisis at intake: analysis never lowers that flag.
          urgent: analysis.urgent || signal.urgent,
        },
        // Signals without a life domain are not clustered (as in the batch).
        domainKey: analysis.domains[0]?.key ?? null,
        place: analysis.neighborhood ? (analysis.neighborhood.buurt_code ?? analysis.neighborhood.wijk_code) : null,
      });
      logger.info({ signalId, jobId: job.id, attempt: job.attempt, stored, clusterId, urgent: analysis.urgent }, 'signal analysed');
    },
    'clusters.recluster': async ({ municipalityCode }, job) => {
      const merges = await mergeSimilarClusters(db, municipalityCode);
      // After merging, so a cluster merged from two halves of one issue is whole before it is judged for a split.
      const splits = await splitMixedClusters(db, municipalityCode);
      logger.info({ municipalityCode, jobId: job.id, merged: merges.reduce((n, m) => n + m.from.length, 0), split: splits.length }, 'clusters re-clustered');
    },
  };
}

/** A job that failed for good leaves its mark on the signal, where people see it. */
export function createOnFailed({ db, logger }: WorkerDeps): (job: FailedJob) => Promise<void> {
  return async (job) => {
    logger.error({ jobId: job.id, job: job.name, attempts: job.attempts, error: job.error }, 'job failed permanently');
    // FailedJob is a union by job name: a new job kind is a type error until it is handled here.
    // Re-clustering changes nothing a person must see when it fails: logged above, the next window runs it again.
    if (job.name === 'clusters.recluster') return;
    // A fan-out that failed for good stays unfinished (feedback_queued_at unset) and the sweep resumes it.
    if (job.name === 'feedback.fanout' || job.name === 'poll.fanout') return;
    // Retention changes nothing a person must see either: logged above, tomorrow's run goes on where it stopped.
    if (job.name === 'privacy.retention') return;
    // The message stays stored without a turn; the sweep gives it another one.
    if (job.name === 'conversation.turn') return;
    if (job.name === 'message.send') {
      await markSendFailed(db, job.payload.messageId, job.error);
      return;
    }
    const { signalId } = job.payload;
    await markSignalFailed(db, signalId, job.error);
  };
}
