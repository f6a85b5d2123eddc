/**
 * The web chat channel: GET /chat shows the resident's own conversation, POST /chat stores their message (and its
 * signal) before answering. The resident is recognised by a random cookie made here, never by anything the browser
 * claims about itself.
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database, Municipality } from '../../../db/database.ts';
import { listConversationMessages, storeOutboundMessage } from '../../../db/repositories/messages.ts';
import { getMunicipality, listMunicipalities } from '../../../db/repositories/municipalities.ts';
import { findOpenConversation, findResident } from '../../../db/repositories/residents.ts';
import { pseudonymise } from '../../identity.ts';
import { receiveText, type IntakeDeps } from '../../intake.ts';
import { chatPage, maxMessageLength, type ChatLine } from './chat-page.ts';

export interface WebChatDeps extends IntakeDeps {
  defaultMunicipality: string | undefined;
  secureCookies: boolean;
}

const cookieName = 'wijkstem_chat';
const cookieMaxAgeSeconds = 90 * 24 * 3600;

export function webChatRoutes(deps: WebChatDeps): Hono {
  const app = new Hono();

  app.get('/chat', async (c) => {
    const municipality = await resolveMunicipality(deps.db, c.req.query('gemeente'), deps.defaultMunicipality);
    if (!municipality) return c.text('Deze gemeente is niet bekend.', 404);
    const token = getCookie(c, cookieName);
    const lines = token ? await ownConversation(deps, municipality.code, token) : [];
    return c.html(chatPage({ municipalityName: municipality.name, action: chatAction(municipality), lines }));
  });

  app.post('/chat', async (c) => {
    const municipality = await resolveMunicipality(deps.db, c.req.query('gemeente'), deps.defaultMunicipality);
    if (!municipality) return c.text('Deze gemeente is niet bekend.', 404);
    const form = await c.req.parseBody();
    const text = typeof form.text === 'string' ? form.text.trim() : '';
    const problem =
      text.length === 0
        ? 'Je bericht is leeg. Schrijf iets en verstuur het opnieuw.'
        : text.length > maxMessageLength
          ? `Je bericht is te lang: maximaal ${maxMessageLength} tekens. Verstuur het in delen.`
          : undefined;
    let token = getCookie(c, cookieName);
    if (problem) {
      const lines = token ? await ownConversation(deps, municipality.code, token) : [];
      const page = chatPage({ municipalityName: municipality.name, action: chatAction(municipality), lines, error: problem, draft: text.slice(0, maxMessageLength) });
      return c.html(page, text.length === 0 ? 400 : 413);
    }
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      setCookie(c, cookieName, token, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, path: '/chat', maxAge: cookieMaxAgeSeconds });
    }
    const stored = await receiveText(deps, { municipalityCode: municipality.code, channel: 'web', channelUserId: token, externalId: null, text });
    await storeOutboundMessage(deps.db, {
      conversationId: stored.conversationId,
      residentId: stored.residentId,
      municipalityCode: municipality.code,
      channel: 'web',
      text: `Dank je wel. We hebben je bericht goed ontvangen. Je code is ${stored.reference}.`,
    });
    return c.redirect(chatAction(municipality), 303);
  });

  return app;
}

function chatAction(m: Municipality): string {
  return `/chat?gemeente=${encodeURIComponent(m.code)}`;
}

/** The named municipality, else the configured default, else the only (or first) one there is. */
async function resolveMunicipality(db: Kysely<Database>, requested: string | undefined, fallback: string | undefined): Promise<Municipality | undefined> {
  if (requested !== undefined) return /^GM\d{4}$/.test(requested) ? getMunicipality(db, requested) : undefined;
  if (fallback) return getMunicipality(db, fallback);
  const all = await listMunicipalities(db);
  return all[0];
}

async function ownConversation(deps: WebChatDeps, municipalityCode: string, token: string): Promise<ChatLine[]> {
  const resident = await findResident(deps.db, { municipalityCode, channel: 'web', channelKeyHash: pseudonymise(deps.pseudonymKey, 'web', token) });
  if (!resident) return [];
  const conversation = await findOpenConversation(deps.db, resident.id);
  if (!conversation) return [];
  const messages = await listConversationMessages(deps.db, conversation.id);
  return messages.filter((m) => m.text !== null).map((m) => ({ direction: m.direction, text: m.text ?? '' }));
}
