/**
 * Intake: what every channel does with a resident's message. The message and its signal are stored in one
 * transaction before the channel is answered (DESIGN.md: nothing lost); the pipeline job is queued after commit.
 * If the queue is down the signal stays `new` and the workers' sweep queues it later: delayed, not lost.
 */
import type { Kysely } from 'kysely';
import type { Channel, Database } from '../db/database.ts';
import { storeInboundMessage } from '../db/repositories/messages.ts';
import { findOrCreateResident, openConversation } from '../db/repositories/residents.ts';
import { insertSignal } from '../db/repositories/signals.ts';
import type { Logger } from '../app/logger.ts';
import type { JobQueue } from '../pipeline/queue/queue.ts';
import { pseudonymise } from './identity.ts';

export interface IntakeDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  logger: Logger;
  pseudonymKey: string;
}

export interface InboundText {
  municipalityCode: string;
  channel: Channel;
  /** The channel's own id of the resident (web chat token, WhatsApp user id); only its keyed hash is stored. */
  channelUserId: string;
  /** The channel's id of the message, for idempotent redelivery; null when the channel has none. */
  externalId: string | null;
  text: string;
}

export interface IntakeResult {
  signalId: string;
  reference: string;
  residentId: string;
  conversationId: string;
  /** True when this message had been stored before (a redelivery): nothing new was stored or queued. */
  duplicate: boolean;
}

export const initialConversationState = 'listening';

export async function receiveText(deps: IntakeDeps, inbound: InboundText): Promise<IntakeResult> {
  const stored = await deps.db.transaction().execute(async (trx) => {
    const resident = await findOrCreateResident(trx, {
      municipalityCode: inbound.municipalityCode,
      channel: inbound.channel,
      channelKeyHash: pseudonymise(deps.pseudonymKey, inbound.channel, inbound.channelUserId),
    });
    const conversation = await openConversation(trx, resident, initialConversationState);
    const { message, duplicate } = await storeInboundMessage(trx, {
      conversationId: conversation.id,
      residentId: resident.id,
      municipalityCode: inbound.municipalityCode,
      channel: inbound.channel,
      externalId: inbound.externalId,
      kind: 'text',
      text: inbound.text,
    });
    if (duplicate) {
      const existing = await trx
        .selectFrom('signals')
        .select(['id', 'reference'])
        .where('message_id', '=', message.id)
        .executeTakeFirstOrThrow();
      return { signalId: existing.id, reference: existing.reference, residentId: resident.id, conversationId: conversation.id, duplicate };
    }
    const signal = await insertSignal(trx, {
      municipalityCode: inbound.municipalityCode,
      source: inbound.channel,
      text: inbound.text,
      residentId: resident.id,
      conversationId: conversation.id,
      messageId: message.id,
    });
    return { signalId: signal.id, reference: signal.reference, residentId: resident.id, conversationId: conversation.id, duplicate };
  });
  if (!stored.duplicate) await queueSignal(deps, stored.signalId);
  return stored;
}

/** Queues a stored signal; a queue failure is logged, not thrown: the signal is safe and the sweep retries. */
export async function queueSignal(deps: Pick<IntakeDeps, 'queue' | 'logger'>, signalId: string): Promise<void> {
  try {
    await deps.queue.enqueue('signal.received', { signalId });
  } catch (error) {
    deps.logger.warn({ signalId, err: error }, 'could not queue signal; the sweep will queue it later');
  }
}
