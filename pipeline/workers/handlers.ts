/**
 * The thin workers: each job handler loads what its payload points at, runs the pure steps, and stores the result.
 * Handlers are idempotent (at-least-once delivery): a signal already past a step is left alone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { getSignal, markSignalFailed, markSignalReceived } from '../../db/repositories/signals.ts';
import type { Logger } from '../../app/logger.ts';
import type { JobHandlers, FailedJob } from '../queue/queue.ts';
import { redactPersonalData } from '../steps/redact.ts';

export interface WorkerDeps {
  db: Kysely<Database>;
  logger: Logger;
}

export function createJobHandlers({ db, logger }: WorkerDeps): JobHandlers {
  return {
    'signal.received': async ({ signalId }, job) => {
      const signal = await getSignal(db, signalId);
      if (!signal) {
        // Erased on the resident's request after it was queued: nothing left to do, and nothing to keep.
        logger.info({ signalId, jobId: job.id }, 'signal no longer exists; job skipped');
        return;
      }
      if (signal.status !== 'new') return;
      const redacted = redactPersonalData(signal.text_raw ?? '');
      const taken = await markSignalReceived(db, signalId, redacted);
      logger.info({ signalId, jobId: job.id, attempt: job.attempt, taken }, 'signal received by pipeline');
    },
  };
}

/** A job that failed for good leaves its mark on the signal, where people see it. */
export function createOnFailed({ db, logger }: WorkerDeps): (job: FailedJob) => Promise<void> {
  return async (job) => {
    logger.error({ jobId: job.id, job: job.name, attempts: job.attempts, error: job.error }, 'job failed permanently');
    // FailedJob is a union by job name: a second job kind makes this a type error until it is handled here.
    const { signalId } = job.payload;
    await markSignalFailed(db, signalId, job.error);
  };
}
