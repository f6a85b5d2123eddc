/**
 * The web chat's second slice through app.request() on PGlite: a message resent with the same client id is stored
 * once (also as a JSON post, the way the chat script sends it), the snippet is served, the chat refuses every frame
 * unless its municipality names origins, and a flood of 50 messages in 10 seconds is stored whole and answered with
 * one polite "slow down".
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../app/http/app.ts';
import { createLogger } from '../app/logger.ts';
import { floodLimit, handleInbound } from '../bot/conversation-service.ts';
import { AdmissionTimeout, createAdmission } from '../bot/channels/web/admission.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { createInProcessQueue, type JobQueue } from '../pipeline/queue/index.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const base = 'http://wijkstem.test';
const logger = createLogger('silent');
const pseudonymKey = 'w'.repeat(32);

let database: TestDatabase;
let queue: JobQueue;
let app: Hono;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 0 } });
  app = createHttpApp({ db: database.db, queue, logger, pseudonymKey, defaultMunicipality: 'GM0479', secure: true, serveApp: true, health: () => queue.health() });
});
afterAll(async () => {
  await queue.close();
  await database.drop();
});

const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request(`${base}/chat`, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers } });
const cookieOf = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const inbound = async (text: string) =>
  Number((await database.db.selectFrom('messages').select((eb) => eb.fn.countAll<string | number>().as('n')).where('direction', '=', 'in').where('text', '=', text).executeTakeFirstOrThrow()).n);

describe('web chat: idempotent messages', () => {
  it('a form posted twice with the same id is stored once; the id is kept only as a keyed hash', async () => {
    const page = await (await app.request(`${base}/chat`)).text();
    const mid = /name="mid" value="([A-Za-z0-9_-]+)"/.exec(page)?.[1] ?? '';
    expect(mid).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const text = 'Twee keer op verstuur gedrukt, één keer bewaard.';
    const first = await post({ text, mid });
    expect(first.status).toBe(303);
    const cookie = cookieOf(first);
    const again = await post({ text, mid }, { cookie });
    expect(again.status).toBe(303);
    expect(await inbound(text)).toBe(1);
    const stored = await database.db.selectFrom('messages').select('external_id').where('text', '=', text).executeTakeFirstOrThrow();
    expect(stored.external_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored.external_id).not.toContain(mid);
    // A new id is a new message.
    await post({ text, mid: `${mid}x` }, { cookie });
    expect(await inbound(text)).toBe(2);
  });

  it('the chat script’s JSON post: a resend after a lost answer is stored once and gets the conversation back', async () => {
    const text = 'Bericht dat offline bleef hangen.';
    const mid = 'c0ffee'.repeat(6);
    const first = await post({ text, mid }, { accept: 'application/json' });
    expect(first.status).toBe(200);
    const cookie = cookieOf(first);
    const view = (await first.json()) as { duplicate: boolean; lines: { direction: string; text: string }[]; choices: { id: string }[] };
    expect(view.duplicate).toBe(false);
    expect(view.lines.map((l) => l.direction)).toEqual(['in', 'out']);
    expect(view.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    const resent = (await (await post({ text, mid }, { cookie, accept: 'application/json' })).json()) as typeof view;
    expect(resent.duplicate).toBe(true);
    expect(resent.lines).toEqual(view.lines);
    expect(await inbound(text)).toBe(1);
    // The same id from another session is that session's own message: ids are scoped to the cookie.
    await post({ text, mid }, { accept: 'application/json' });
    expect(await inbound(text)).toBe(2);
  });

  it('a malformed id is ignored (stored without one), and a JSON post of an empty message says why', async () => {
    const text = 'Met een rare sleutel.';
    const r = await post({ text, mid: '<script>' });
    expect(r.status).toBe(303);
    expect((await database.db.selectFrom('messages').select('external_id').where('text', '=', text).executeTakeFirstOrThrow()).external_id).toBeNull();
    const empty = await post({ text: '  ' }, { accept: 'application/json' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: 'Je bericht is leeg. Schrijf iets en verstuur het opnieuw.' });
  });

  it('after a post the page focuses the newest reply (read out without JavaScript) and loads the chat script', async () => {
    const first = await post({ text: 'Hallo' });
    const page = await (await app.request(`${base}${first.headers.get('location') ?? ''}`, { headers: { cookie: cookieOf(first) } })).text();
    expect(page).toMatch(/<li class="chat-line chat-line--out" id="chat-newest" tabindex="-1" autofocus>/);
    expect(page).toMatch(/<script src="\/assets\/chat\.[A-Za-z0-9_-]{10}\.js" defer><\/script>/);
    expect(page).toContain('href="/assets/theme/GM0479.css"');
    expect(page).toContain('aria-live="polite"');
    const plain = await (await app.request(`${base}/chat`, { headers: { cookie: cookieOf(first) } })).text();
    expect(plain).not.toContain('autofocus');
  });
});

describe('web chat: snippet and framing', () => {
  it('serves the embed snippet as a script any site may load', async () => {
    const r = await app.request(`${base}/chat/embed.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/javascript');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const body = await r.text();
    expect(body).toContain("'/chat'");
    expect(body).toContain('data-gemeente');
  });

  it('refuses every frame by default, and allows only the origins a municipality set', async () => {
    const csp = async () => {
      const r = await app.request(`${base}/chat?gemeente=GM0479`);
      return { csp: r.headers.get('content-security-policy') ?? '', xfo: r.headers.get('x-frame-options') };
    };
    const before = await csp();
    expect(before.csp).toContain("frame-ancestors 'none'");
    expect(before.xfo).toBe('SAMEORIGIN');

    const settings = { chatFrameAncestors: ['https://www.zaanstad.nl', 'https://zaanstad.nl:8443', "https://evil.example 'unsafe-inline'", 'http://plain.example', 42] };
    await database.db.updateTable('municipalities').set({ settings: JSON.stringify(settings) }).where('code', '=', 'GM0479').execute();
    try {
      const after = await csp();
      expect(after.csp).toContain('frame-ancestors https://www.zaanstad.nl https://zaanstad.nl:8443;');
      expect(after.csp).not.toContain('evil');
      expect(after.csp).not.toContain('plain.example');
      expect(after.csp).toContain("script-src 'self'");
      expect(after.xfo).toBeNull();
      // Only the chat: the dashboard and the privacy page are never framed.
      for (const path of ['/dashboard/login', '/privacy']) {
        expect((await app.request(`${base}${path}`)).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      }
    } finally {
      await database.db.updateTable('municipalities').set({ settings: '{}' }).where('code', '=', 'GM0479').execute();
    }
  });
});

describe('50 messages in 10 seconds', () => {
  it('stores all 50, answers the first ones as usual, then one polite "slow down" and silence', async () => {
    const say = (text: string) =>
      handleInbound({ db: database.db, queue, logger, pseudonymKey }, { municipalityCode: 'GM0479', channel: 'web', channelUserId: 'flood-resident', externalId: null, content: { kind: 'text', text } });
    const results = [];
    for (let i = 0; i < 50; i++) results.push(await say(`Bericht nummer ${i}`));
    const residentId = results[0]?.residentId ?? '';
    const messages = await database.db.selectFrom('messages').select(['direction', 'kind', 'text']).where('resident_id', '=', residentId).execute();
    expect(messages.filter((m) => m.direction === 'in')).toHaveLength(50);
    const out = messages.filter((m) => m.direction === 'out');
    expect(out.filter((m) => m.kind === 'slow-down')).toHaveLength(1);
    expect(out).toHaveLength(floodLimit + 1);
    expect(out.find((m) => m.kind === 'slow-down')?.text).toMatch(/^Je stuurt veel berichten snel achter elkaar\. Ik heb ze allemaal bewaard\./);
    expect(results.filter((r) => r.reply === undefined)).toHaveLength(50 - floodLimit - 1);
  });

  it('a crisis message in a flood still gets the help numbers', async () => {
    const say = (text: string) =>
      handleInbound({ db: database.db, queue, logger, pseudonymKey }, { municipalityCode: 'GM0479', channel: 'web', channelUserId: 'flood-crisis', externalId: null, content: { kind: 'text', text } });
    for (let i = 0; i < floodLimit + 5; i++) await say(`Nog een bericht ${i}`);
    const crisis = await say('Ik wil niet meer leven.');
    expect(crisis.reply?.text).toContain('0800-0113');
  });
});

describe('web chat admission', () => {
  it('runs at most `limit` posts at once, the rest in order, and refuses one that waits too long', async () => {
    const admission = createAdmission(2, 200);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const post = (i: number, ms: number) =>
      admission.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return i;
      });
    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => post(i, 20)))).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    // Two slow posts hold both places longer than the third may wait: it is refused, and nothing else is held up.
    const slow = [post(6, 400), post(7, 400)];
    await expect(post(8, 1)).rejects.toBeInstanceOf(AdmissionTimeout);
    await Promise.all(slow);
    expect(await post(9, 1)).toBe(9);
  });
});
