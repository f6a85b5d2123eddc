/**
 * Intake: what every channel does with a resident's story once the conversation decides to keep it. The signal is
 * stored in the same transaction as the message it came from, before the channel is answered (DESIGN.md: nothing
 * lost); the pipeline job is queued after commit. If the queue is down the signal stays `new` and the workers'
 * sweep queues it later: delayed, not lost.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Channel, Database, Signal } from '../db/database.ts';
import { flagSignalUrgent, messageTexts } from '../db/repositories/conversations.ts';
import { insertSignal } from '../db/repositories/signals.ts';
import type { Logger } from '../app/logger.ts';
import type { JobQueue, JobRequest } from '../pipeline/queue/queue.ts';

export interface IntakeDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  logger: Logger;
  pseudonymKey: string;
}

/**
 * Stores the resident's messages as one signal (their texts joined in order). Returns undefined when none of the
 * messages has text left (erased in the meantime): there is nothing to keep.
 */
export async function storeSignalFromMessages(
  trx: Transaction<Database>,
  s: { municipalityCode: string; channel: Channel; residentId: string; conversationId: string; messageIds: readonly string[]; urgent: boolean; languageHint: string | null },
): Promise<Signal | undefined> {
  const messages = (await messageTexts(trx, s.residentId, s.messageIds)).filter((m) => m.text !== null && m.text.trim() !== '');
  const lastMessage = messages.at(-1);
  if (!lastMessage) return undefined;
  const signal = await insertSignal(trx, {
    municipalityCode: s.municipalityCode,
    source: s.channel,
    text: messages.map((m) => m.text).join('\n'),
    residentId: s.residentId,
    conversationId: s.conversationId,
    messageId: lastMessage.id,
    languageHint: s.languageHint,
  });
  if (s.urgent) {
    await flagSignalUrgent(trx, signal.id);
    return { ...signal, urgent: true };
  }
  return signal;
}

/** Queues a stored signal; a queue failure is logged, not thrown: the signal is safe and the sweep retries. */
export async function queueSignal(deps: Pick<IntakeDeps, 'queue' | 'logger'>, signalId: string): Promise<void> {
  try {
    await deps.queue.enqueue('signal.received', { signalId });
  } catch (error) {
    deps.logger.warn({ signalId, err: error }, 'could not queue signal; the sweep will queue it later');
  }
}

/** Queues an outbound message for sending; like queueSignal, a failure is logged and the sweep retries. */
export async function queueSend(deps: Pick<IntakeDeps, 'queue' | 'logger'>, messageId: string): Promise<void> {
  try {
    await deps.queue.enqueue('message.send', { messageId });
  } catch (error) {
    deps.logger.warn({ messageId, err: error }, 'could not queue message for sending; the sweep will queue it later');
  }
}

/** Queues several jobs in one round trip; like queueSignal, a failure is logged (ids only) and the sweep retries. */
export async function queueJobs(deps: Pick<IntakeDeps, 'queue' | 'logger'>, jobs: readonly JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  try {
    await deps.queue.enqueueMany(jobs);
  } catch (error) {
    deps.logger.warn({ jobs: jobs.map((j) => j.name), err: error }, 'could not queue jobs; the sweep will queue them later');
  }
}
