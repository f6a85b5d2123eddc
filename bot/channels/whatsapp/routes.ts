/**
 * The WhatsApp webhook (CONTRACTS.md section 2). GET answers Meta's verification handshake. POST checks
 * X-Hub-Signature-256 on the raw body before anything is parsed (bad or missing: 401, nothing stored), then stores
 * every inbound message through the conversation service and every delivery status on our message, and only then
 * answers 200. A failure answers 500 so that Meta delivers again; redeliveries are idempotent on the wamid (kept as
 * a keyed hash only: a wamid encodes the sender's phone number).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database, Municipality } from '../../../db/database.ts';
import { updateOutboundStatus } from '../../../db/repositories/conversations.ts';
import { getMunicipality, listMunicipalities } from '../../../db/repositories/municipalities.ts';
import { handleInbound, type ConversationDeps } from '../../conversation-service.ts';
import { messageKey } from '../../identity.ts';
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
    let stored = 0;
    for (const message of delivery.messages) {
      const municipality = await municipalityFor(deps.db, message.phoneNumberId, deps.defaultMunicipality);
      if (!municipality) throw new Error('no municipality to receive WhatsApp messages: load a gazetteer first');
      const handled = await handleInbound(deps, {
        municipalityCode: municipality.code,
        channel: 'whatsapp',
        channelUserId: message.userKey,
        externalId: messageKey(deps.pseudonymKey, 'whatsapp', message.id),
        content: message.content,
        contact: message.replyTo,
      });
      if (!handled.duplicate) stored++;
    }
    deps.logger.info({ messages: delivery.messages.length, stored, statuses: delivery.statuses.length }, 'whatsapp delivery handled');
    return c.text('ok', 200);
  });

  return app;
}

/** The municipality whose settings name this business number, else the configured default, else the first. */
async function municipalityFor(db: Kysely<Database>, phoneNumberId: string | undefined, fallback: string | undefined): Promise<Municipality | undefined> {
  const all = await listMunicipalities(db);
  const byNumber = phoneNumberId === undefined ? undefined : all.find((m) => m.settings.whatsappPhoneNumberId === phoneNumberId);
  if (byNumber) return byNumber;
  if (fallback) return getMunicipality(db, fallback);
  return all[0];
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
