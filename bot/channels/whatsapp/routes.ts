/**
 * The WhatsApp webhook (CONTRACTS.md section 2). GET answers Meta's verification handshake. POST checks
 * X-Hub-Signature-256 on the raw body before anything is parsed (bad or missing: 401, nothing stored), then stores
 * the delivery's inbound messages (one statement, bot/channels/whatsapp/store.ts) and every delivery status on our
 * message, and only then answers 200; each stored message's conversation turn (the reply) runs in a
 * `conversation.turn` job. A failure answers 500 so that Meta delivers again; redeliveries are idempotent on the
 * wamid (kept as a keyed hash only: a wamid encodes the sender's phone number).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { updateOutboundStatus } from '../../../db/repositories/conversations.ts';
import type { ConversationDeps } from '../../conversation-service.ts';
import { municipalityForNumber } from '../../gazetteer-cache.ts';
import { messageKey, pseudonymise } from '../../identity.ts';
import { queueJobs } from '../../intake.ts';
import { storeDelivery, type DeliveredMessage } from './store.ts';
import { parseDelivery } from './parse.ts';
import { verifySignature } from './signature.ts';

export interface WhatsAppWebhookDeps extends ConversationDeps {
  defaultMunicipality: string | undefined;
  verifyToken: string | undefined;
  appSecret: string | undefined;
}

export function whatsappRoutes(deps: WhatsAppWebhookDeps): Hono {
  const app = new Hono();

  app.get('/webhooks/whatsapp', (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token');
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode === 'subscribe' && deps.verifyToken && token !== undefined && sameSecret(token, deps.verifyToken)) {
      return c.text(challenge, 200);
    }
    return c.text('Forbidden', 403);
  });

  app.post('/webhooks/whatsapp', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!deps.appSecret || !verifySignature(deps.appSecret, raw, c.req.header('x-hub-signature-256'))) {
      return c.text('Unauthorized', 401);
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return c.text('Bad Request', 400);
    }
    const delivery = parseDelivery(body);
    if (!delivery) return c.text('ok', 200); // signed, but nothing of ours: acknowledge so Meta does not resend it

    for (const status of delivery.statuses) {
      await updateOutboundStatus(deps.db, 'whatsapp', messageKey(deps.pseudonymKey, 'whatsapp', status.id), status.status, status.error);
    }
    const municipalities = await Promise.all(delivery.messages.map((m) => municipalityForNumber(deps.db, m.phoneNumberId, deps.defaultMunicipality)));
    const messages = delivery.messages.map((message, i): DeliveredMessage => {
      const municipalityCode = municipalities[i];
      if (municipalityCode === undefined) throw new Error('no municipality to receive WhatsApp messages: load a gazetteer first');
      return {
        municipalityCode,
        residentKey: pseudonymise(deps.pseudonymKey, 'whatsapp', message.userKey),
        formerKey: message.formerUserKey === undefined ? undefined : pseudonymise(deps.pseudonymKey, 'whatsapp', message.formerUserKey),
        contact: message.replyTo,
        externalId: messageKey(deps.pseudonymKey, 'whatsapp', message.id),
        content: message.content,
      };
    });
    // Stored (one statement) before the 200; the conversation turn and its reply run in a worker job.
    const stored = await storeDelivery(deps.db, messages);
    await queueJobs(deps, stored.map((m) => ({ name: 'conversation.turn', payload: { messageId: m.id } })));
    deps.logger.debug({ messages: delivery.messages.length, stored: stored.length, statuses: delivery.statuses.length }, 'whatsapp delivery stored');
    return c.text('ok', 200);
  });

  return app;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
