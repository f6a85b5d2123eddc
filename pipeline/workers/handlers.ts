/**
 * The thin workers: each job handler loads what its payload points at, runs the pure steps, and stores the result.
 * Handlers are idempotent (at-least-once delivery): a signal already past a step is left alone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { assignSignalToCluster, mergeSimilarClusters } from '../../db/repositories/clusters.ts';
import { getSignal, markSignalFailed, storeAnalysis } from '../../db/repositories/signals.ts';
import type { Logger } from '../../app/logger.ts';
import { analyseSignal, MAX_TEXT_LENGTH, SignalInputError } from '../analysis/analyse.ts';
import { AnalyserCache } from '../analysis/context.ts';
import { PermanentJobError, type JobHandlers, type FailedJob } from '../queue/queue.ts';
import { createSendHandler, markSendFailed, type SendDeps } from './send.ts';

export interface WorkerDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** WhatsApp sending (pipeline/workers/send.ts). */
  whatsapp?: SendDeps['whatsapp'];
  pseudonymKey?: SendDeps['pseudonymKey'];
  fetch?: SendDeps['fetch'];
}

export function createJobHandlers({ db, logger, ...sending }: WorkerDeps): JobHandlers {
  // Analysis (issue 4): classifier and gazetteer loaded once per worker and municipality, not per job.
  const analysers = new AnalyserCache(db);
  return {
    'message.send': createSendHandler({ db, logger, ...sending }),
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
      const domainKey = analysis.domains[0]?.key ?? null;
      const place = analysis.neighborhood ? (analysis.neighborhood.buurt_code ?? analysis.neighborhood.wijk_code) : null;
      const { stored, clusterId } = await db.transaction().execute(async (trx) => {
        const stored = await storeAnalysis(trx, signalId, {
          language: analysis.language,
          textRedacted: analysis.text_redacted,
          domains: analysis.domains,
          review: analysis.review,
          wijkCode: analysis.neighborhood?.wijk_code ?? null,
          buurtCode: analysis.neighborhood?.buurt_code ?? null,
          sentiment: analysis.sentiment,
          // The bot may already have flagged a crisis at intake: analysis never lowers that flag.
          urgent: analysis.urgent || signal.urgent,
        });
        // Signals without a life domain are not clustered (as in the batch).
        const clusterId =
          stored && domainKey
            ? await assignSignalToCluster(trx, {
                signalId,
                municipalityCode: signal.municipality_code,
                domainKey,
                textRedacted: analysis.text_redacted,
                place,
              })
            : null;
        return { stored, clusterId };
      });
      logger.info({ signalId, jobId: job.id, attempt: job.attempt, stored, clusterId, urgent: analysis.urgent }, 'signal analysed');
    },
    'clusters.recluster': async ({ municipalityCode }, job) => {
      const merges = await mergeSimilarClusters(db, municipalityCode);
      logger.info({ municipalityCode, jobId: job.id, merged: merges.reduce((n, m) => n + m.from.length, 0) }, 'clusters re-clustered');
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
    if (job.name === 'message.send') {
      await markSendFailed(db, job.payload.messageId, job.error);
      return;
    }
    const { signalId } = job.payload;
    await markSignalFailed(db, signalId, job.error);
  };
}
