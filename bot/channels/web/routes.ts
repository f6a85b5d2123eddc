/**
 * The web chat channel: GET /chat shows the resident's own conversation with the quick replies on offer; POST /chat
 * takes a typed message or a quick reply through the conversation service, which stores it before answering. The
 * resident is recognised by a random cookie made here, never by anything the browser claims about itself.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database, Municipality } from '../../../db/database.ts';
import { listConversationMessages } from '../../../db/repositories/messages.ts';
import { markWebFeedbackRead } from '../../../db/repositories/feedback.ts';
import { getMunicipality, listMunicipalities } from '../../../db/repositories/municipalities.ts';
import { findOpenConversation, findResident } from '../../../db/repositories/residents.ts';
import { messageKey, pseudonymise } from '../../identity.ts';
import { AdmissionTimeout, createAdmission } from './admission.ts';
import { handleInbound, type ConversationDeps, type InboundContent } from '../../conversation-service.ts';
import { chatPage, maxMessageLength, type ChatChoice, type ChatLine } from './chat-page.ts';
import { embedScript } from './embed.ts';

export interface WebChatDeps extends ConversationDeps {
  defaultMunicipality: string | undefined;
  secureCookies: boolean;
}

const cookieName = 'wijkstem_chat';
const cookieMaxAgeSeconds = 90 * 24 * 3600;

export function webChatRoutes(deps: WebChatDeps): Hono {
  const app = new Hono();
  // Posts that run at once in this process (a few fewer than the database pool has connections); the rest queue.
  const admission = createAdmission(8, 30_000);


  app.get('/chat', async (c) => {
    const municipality = await resolveMunicipality(deps.db, c.req.query('gemeente'), deps.defaultMunicipality);
    if (!municipality) return c.text('Deze gemeente is niet bekend.', 404);
    allowFraming(c.req.raw, municipality);
    const token = getCookie(c, cookieName);
    const view = token ? await ownConversation(deps, municipality.code, token) : { lines: [], choices: [] };
    return c.html(chatPage({ municipalityName: municipality.name, municipalityCode: municipality.code, action: chatAction(municipality), ...view, afterPost: c.req.query('nieuw') === '1', messageId: newMessageId }));
  });

  // The snippet a municipality puts on its own site (docs/bot.md): a button that opens the chat in a new window.
  app.get('/chat/embed.js', (c) =>
    c.body(embedScript, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );

  app.post('/chat', async (c) => {
    const municipality = await resolveMunicipality(deps.db, c.req.query('gemeente'), deps.defaultMunicipality);
    if (!municipality) return c.text('Deze gemeente is niet bekend.', 404);
    allowFraming(c.req.raw, municipality);
    const wantsJson = (c.req.header('accept') ?? '').includes('application/json');
    const form = await c.req.parseBody();
    // The client's id of this message (made by the chat script, or put in the form by us): a resend with the same
    // id is stored once. Keyed with the session, so nobody can guess or claim someone else's message ids.
    const clientId = typeof form.mid === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(form.mid) ? form.mid : undefined;
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
        if (wantsJson) return c.json({ error: problem }, text.length === 0 ? 400 : 413);
        const view = token ? await ownConversation(deps, municipality.code, token) : { lines: [], choices: [] };
        const page = chatPage({ municipalityName: municipality.name, municipalityCode: municipality.code, action: chatAction(municipality), ...view, error: problem, draft: text.slice(0, maxMessageLength), messageId: newMessageId });
        return c.html(page, text.length === 0 ? 400 : 413);
      }
    }
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      setCookie(c, cookieName, token, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, path: '/chat', maxAge: cookieMaxAgeSeconds });
    }
    let done;
    try {
      done = await admission.run(async () => {
        let content: InboundContent = { kind: 'text', text };
        if (choiceId !== '') {
          // The title is what the resident saw on the button we offered; an id we never offered is passed on as it is
          // and the conversation core, which checks every id, treats it as not understood.
          const offered = (await ownConversation(deps, municipality.code, token)).choices.find((ch) => ch.id === choiceId);
          content = { kind: 'choice', id: choiceId, title: offered?.title ?? choiceId };
        }
        const externalId = clientId === undefined ? null : messageKey(deps.pseudonymKey, 'web', `${token}\u0000${clientId}`);
        const handled = await handleInbound(deps, { municipalityCode: municipality.code, channel: 'web', channelUserId: token, externalId, content });
        return { handled, view: wantsJson ? await conversationView(deps, handled.conversationId, handled.language) : undefined };
      });
    } catch (error) {
      if (!(error instanceof AdmissionTimeout)) throw error;
      const busy = 'Het is even erg druk. Je bericht is nog niet verstuurd. Probeer het zo nog een keer.';
      return wantsJson ? c.json({ error: busy }, 503) : c.text(busy, 503);
    }
    if (done.view) {
      const { handled, view } = done;
      return c.json({ duplicate: handled.duplicate, lines: view.lines, choices: view.choices, language: view.language ?? 'nl' });
    }
    return c.redirect(`${chatAction(municipality)}&nieuw=1`, 303);
  });

  return app;
}

function newMessageId(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Origins a municipality allows to show /chat in a frame (settings.chatFrameAncestors); default none. Only plain
 * origins pass, so a setting can never add anything else to the policy.
 */
export function frameAncestorsOf(m: Municipality): string[] {
  const value = m.settings.chatFrameAncestors;
  if (!Array.isArray(value)) return [];
  return value.filter((o): o is string => typeof o === 'string' && /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o));
}

const framing = new WeakMap<Request, string[]>();

function allowFraming(request: Request, m: Municipality): void {
  const origins = frameAncestorsOf(m);
  if (origins.length > 0) framing.set(request, origins);
}

/**
 * Runs outside the security headers: where the municipality allows framing, the chat's frame-ancestors names its
 * origins (and X-Frame-Options, which cannot, goes); everywhere else frame-ancestors stays 'none'.
 */
export const chatFraming: MiddlewareHandler = async (c, next) => {
  await next();
  // The snippet is loaded by municipalities' own sites.
  if (c.req.path === '/chat/embed.js') c.res.headers.set('cross-origin-resource-policy', 'cross-origin');
  const origins = framing.get(c.req.raw);
  if (!origins) return;
  const csp = c.res.headers.get('content-security-policy');
  if (csp) c.res.headers.set('content-security-policy', csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${origins.join(' ')}`));
  c.res.headers.delete('x-frame-options');
};

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
  return conversationView(deps, conversation.id, conversation.language);
}

/** A conversation as the page shows it (also right after a post, when its id is known: two look-ups fewer). */
async function conversationView(deps: WebChatDeps, conversationId: string, language: string | null): Promise<{ lines: ChatLine[]; choices: ChatChoice[]; language?: string | null }> {
  // Feedback about an agenda item waits in the conversation; showing it now is its delivery (issue 6).
  await markWebFeedbackRead(deps.db, conversationId);
  const messages = await listConversationMessages(deps.db, conversationId);
  const last = messages.at(-1);
  const choices = last?.direction === 'out' ? (last.payload.choices ?? []) : [];
  return { lines: messages.filter((m) => m.text !== null).map((m) => ({ direction: m.direction, text: m.text ?? '' })), choices, language };
}
