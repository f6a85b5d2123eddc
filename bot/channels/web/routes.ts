/**
 * The web chat channel: GET /chat shows the resident's own conversation with the quick replies on offer; POST /chat
 * takes a typed message or a quick reply through the conversation service, which stores it before answering. The
 * resident is recognised by a random cookie made here, never by anything the browser claims about itself.
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database, Municipality } from '../../../db/database.ts';
import { listConversationMessages } from '../../../db/repositories/messages.ts';
import { getMunicipality, listMunicipalities } from '../../../db/repositories/municipalities.ts';
import { findOpenConversation, findResident } from '../../../db/repositories/residents.ts';
import { pseudonymise } from '../../identity.ts';
import { handleInbound, type ConversationDeps, type InboundContent } from '../../conversation-service.ts';
import { chatPage, maxMessageLength, privacyPage, type ChatChoice, type ChatLine } from './chat-page.ts';

export interface WebChatDeps extends ConversationDeps {
  defaultMunicipality: string | undefined;
  secureCookies: boolean;
}

const cookieName = 'wijkstem_chat';
const cookieMaxAgeSeconds = 90 * 24 * 3600;

export function webChatRoutes(deps: WebChatDeps): Hono {
  const app = new Hono();

  app.get('/privacy', (c) => c.html(privacyPage()));

  app.get('/chat', async (c) => {
    const municipality = await resolveMunicipality(deps.db, c.req.query('gemeente'), deps.defaultMunicipality);
    if (!municipality) return c.text('Deze gemeente is niet bekend.', 404);
    const token = getCookie(c, cookieName);
    const view = token ? await ownConversation(deps, municipality.code, token) : { lines: [], choices: [] };
    return c.html(chatPage({ municipalityName: municipality.name, action: chatAction(municipality), ...view }));
  });

  app.post('/chat', async (c) => {
    const municipality = await resolveMunicipality(deps.db, c.req.query('gemeente'), deps.defaultMunicipality);
    if (!municipality) return c.text('Deze gemeente is niet bekend.', 404);
    const form = await c.req.parseBody();
    const choiceId = typeof form.choice === 'string' ? form.choice.trim().slice(0, 100) : '';
    const text = typeof form.text === 'string' ? form.text.trim() : '';
    let token = getCookie(c, cookieName);
    if (choiceId === '') {
      const problem =
        text.length === 0
          ? 'Je bericht is leeg. Schrijf iets en verstuur het opnieuw.'
          : text.length > maxMessageLength
            ? `Je bericht is te lang: maximaal ${maxMessageLength} tekens. Verstuur het in delen.`
            : undefined;
      if (problem) {
        const view = token ? await ownConversation(deps, municipality.code, token) : { lines: [], choices: [] };
        const page = chatPage({ municipalityName: municipality.name, action: chatAction(municipality), ...view, error: problem, draft: text.slice(0, maxMessageLength) });
        return c.html(page, text.length === 0 ? 400 : 413);
      }
    }
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      setCookie(c, cookieName, token, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, path: '/chat', maxAge: cookieMaxAgeSeconds });
    }
    let content: InboundContent = { kind: 'text', text };
    if (choiceId !== '') {
      // The title is what the resident saw on the button we offered; an id we never offered is passed on as it is
      // and the conversation core, which checks every id, treats it as not understood.
      const offered = (await ownConversation(deps, municipality.code, token)).choices.find((ch) => ch.id === choiceId);
      content = { kind: 'choice', id: choiceId, title: offered?.title ?? choiceId };
    }
    await handleInbound(deps, { municipalityCode: municipality.code, channel: 'web', channelUserId: token, externalId: null, content });
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

/** The resident's own conversation, and the quick replies of the last message when it is ours. */
async function ownConversation(deps: WebChatDeps, municipalityCode: string, token: string): Promise<{ lines: ChatLine[]; choices: ChatChoice[]; language?: string | null }> {
  const resident = await findResident(deps.db, { municipalityCode, channel: 'web', channelKeyHash: pseudonymise(deps.pseudonymKey, 'web', token) });
  if (!resident) return { lines: [], choices: [] };
  const conversation = await findOpenConversation(deps.db, resident.id);
  if (!conversation) return { lines: [], choices: [] };
  const messages = await listConversationMessages(deps.db, conversation.id);
  const last = messages.at(-1);
  const choices = last?.direction === 'out' ? (last.payload.choices ?? []) : [];
  return { lines: messages.filter((m) => m.text !== null).map((m) => ({ direction: m.direction, text: m.text ?? '' })), choices, language: conversation.language };
}
