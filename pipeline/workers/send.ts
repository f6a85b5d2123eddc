/**
 * The 'message.send' job: sends one stored outbound message on WhatsApp. Idempotent: a message no longer queued
 * (sent, failed, erased) is left alone. 429, 5xx and network errors throw, so the queue retries with backoff; any
 * other refusal is a PermanentJobError, and the message is marked failed where people see it. The job carries the
 * message id only: the number is read from the resident row here and never logged.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { getOutboundForSending, markMessageFailed, markMessageSent, setResidentContact } from '../../db/repositories/conversations.ts';
import { discardMessageOfErasedResident, wasErasedAfter } from '../../db/repositories/erasure.ts';
import type { Logger } from '../../app/logger.ts';
import { textsFor } from '../../bot/conversation/texts.ts';
import { messageKey } from '../../bot/identity.ts';
import { sendGraphMessage, type Fetch, type GraphConfig } from '../../bot/channels/whatsapp/graph-client.ts';
import { buildMessage, buildTemplateMessage, templateFor, withinServiceWindow, type GraphMessage } from '../../bot/channels/whatsapp/outbound.ts';
import { PermanentJobError, type JobHandler } from '../queue/queue.ts';

export interface SendDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** WhatsApp Cloud API settings; unset parts make every WhatsApp send fail visibly, not silently. */
  whatsapp?: { graphUrl: string; phoneNumberId: string | undefined; accessToken: string | undefined } | undefined;
  /** Keys the hash under which the returned wamid is stored (it encodes the phone number). */
  pseudonymKey?: string | undefined;
  fetch?: Fetch;
  now?: () => Date;
}

export function createSendHandler(deps: SendDeps): JobHandler<'message.send'> {
  const now = deps.now ?? (() => new Date());
  return async ({ messageId }, job) => {
    const outbound = await getOutboundForSending(deps.db, messageId);
    if (!outbound) {
      deps.logger.info({ messageId, jobId: job.id }, 'message no longer exists; send skipped');
      return;
    }
    const { message } = outbound;
    if (message.status !== 'queued' || message.channel !== 'whatsapp') return;
    // Erased on request after this reply was stored (issue 7): it must not reach them; the erasure's confirmation must.
    if (message.kind !== 'erasure' && message.resident_id !== null && (await wasErasedAfter(deps.db, message.resident_id, message.created_at))) {
      await discardMessageOfErasedResident(deps.db, message.id);
      deps.logger.info({ messageId, jobId: job.id }, 'resident erased; send skipped');
      return;
    }
    const config = graphConfig(deps.whatsapp);
    if (!config) throw new PermanentJobError('WhatsApp is not configured: set WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID');
    if (outbound.contact === null) throw new PermanentJobError('no contact to reply to');
    if (!deps.pseudonymKey) throw new PermanentJobError('no pseudonym key to store the WhatsApp message id with');
    const pseudonymKey = deps.pseudonymKey;

    let payload: GraphMessage;
    if (withinServiceWindow(outbound.lastInboundAt, now())) {
      const listButton = textsFor(outbound.municipalitySettings)[outbound.language === 'en' ? 'en' : 'nl'].choose;
      payload = buildMessage(outbound.contact, message.text ?? '', message.payload.choices ?? [], listButton);
    } else {
      // Outside the 24-hour window WhatsApp accepts approved templates only.
      const template = templateFor(outbound.municipalitySettings, message.payload.template, outbound.language);
      if (!template) throw new PermanentJobError('outside the 24-hour window and no approved template for this message');
      payload = buildTemplateMessage(outbound.contact, template, message.text ?? undefined);
    }

    const outcome = await sendGraphMessage(config, payload, deps.fetch);
    switch (outcome.kind) {
      case 'retry':
        throw new Error(outcome.reason);
      case 'permanent':
        throw new PermanentJobError(outcome.reason);
      case 'sent': {
        // Meta has it now. Recording that must survive a dropped database connection: if this job failed here, the
        // queue would retry it and the resident would get the message twice (test/faults-load.test.ts cuts them).
        const residentId = message.resident_id;
        await persistently(() => markMessageSent(deps.db, message.id, messageKey(pseudonymKey, 'whatsapp', outcome.wamid)));
        // An erasure is confirmed now: the number was kept only to send this.
        if (message.kind === 'erasure' && residentId) await persistently(() => setResidentContact(deps.db, residentId, null));
        deps.logger.info({ messageId, jobId: job.id, attempt: job.attempt }, 'message sent');
      }
    }
  };
}

/** Retries a write a few times (7 s in all) before giving up: the pool replaces a connection that was cut. */
async function persistently<T>(write: () => Promise<T>, attempts = 8, delayMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
    }
  }
}

/** A job that failed for good leaves its mark on the message. */
export async function markSendFailed(db: Kysely<Database>, messageId: string, error: string): Promise<void> {
  await markMessageFailed(db, messageId, error);
}

function graphConfig(w: SendDeps['whatsapp']): GraphConfig | undefined {
  if (!w?.accessToken || !w.phoneNumberId) return undefined;
  return { graphUrl: w.graphUrl, phoneNumberId: w.phoneNumberId, accessToken: w.accessToken };
}
