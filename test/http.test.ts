/**
 * The HTTP application on each database kind, through app.request() (no socket): the web chat stores before it
 * answers and refuses bad input without storing anything; the dashboard checks session, CSRF, role and
 * municipality; resident text is always escaped; /healthz tells the truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createHttpApp } from '../app/http/app.ts';
import { upsertMunicipality } from '../db/repositories/municipalities.ts';
import { insertSignal, markSignalReceived } from '../db/repositories/signals.ts';
import { createInProcessQueue } from '../pipeline/queue/index.ts';
import { databaseKinds, type TestDatabase } from './support/databases.ts';
import { base, cookiesFrom, logger, password, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

describe.each(databaseKinds)('HTTP on %s', (kind) => {
  let shared: DashboardApp;
  let database: TestDatabase;
  let app: Hono;

  const request = (path: string, init: RequestInit = {}) => app.request(`${base}${path}`, init);
  const post = (path: string, body: URLSearchParams, headers: Record<string, string> = {}) =>
    request(path, { method: 'POST', body, headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const signalCount = async () => Number((await database.db.selectFrom('signals').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

  /** A resident tells a story on the web chat and gives consent: the signal is stored. Returns their cookie. */
  async function tell(text: string, via: Hono = app): Promise<string> {
    const first = await via.request(`${base}/chat`, { method: 'POST', body: form({ text }), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(first.status).toBe(303);
    const cookie = cookiesFrom(first);
    const consent = await via.request(`${base}/chat`, { method: 'POST', body: form({ choice: 'yes' }), headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(consent.status).toBe(303);
    return cookie;
  }

  const login = (email: string) => shared.login(email);

  beforeAll(async () => {
    // Zaanstad with a neighbour in the same region (Wormerland), and a municipality outside it.
    shared = await startDashboardApp(kind, { users: [['raad@zaanstad.test', 'council', 'GM0479'], ['regio@wormerland.test', 'region', 'GM0880']] });
    ({ database, app } = shared);
    await upsertMunicipality(database.db, { code: 'GM0453', name: 'Velsen', region: 'IJmond' });
    // Street notes already through the pipeline, so their (redacted) text shows wherever the user may see it.
    for (const [municipalityCode, text] of [
      ['GM0880', 'Wormerland: bankje kapot bij de bushalte'],
      ['GM0453', 'Velsen: te weinig plek in de wijkboot'],
    ] as const) {
      const signal = await insertSignal(database.db, { municipalityCode, source: 'street', text });
      await markSignalReceived(database.db, signal.id, text);
    }
  });

  afterAll(() => shared.close());

  describe('web chat', () => {
    it('asks consent first, then stores the signal, answers with a reference, and shows the resident their conversation', async () => {
      const before = await signalCount();
      const response = await post('/chat', form({ text: 'De lift in onze flat is al twee weken kapot.' }));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/chat?gemeente=GM0479&nieuw=1');
      const cookie = cookiesFrom(response);
      expect(cookie).toMatch(/^wijkstem_chat=[A-Za-z0-9_-]{43}$/);
      expect(response.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
      // Consent comes before anything is kept beyond the message itself: no signal yet, a question with buttons.
      expect(await signalCount()).toBe(before);
      const asked = await (await request('/chat', { headers: { cookie } })).text();
      expect(asked).toContain('Mogen we je verhaal bewaren');
      expect(asked).toContain('name="choice" value="yes"');

      const consent = await post('/chat', form({ choice: 'yes' }), { cookie });
      expect(consent.status).toBe(303);
      expect(await signalCount()).toBe(before + 1);
      const page = await (await request('/chat', { headers: { cookie } })).text();
      expect(page).toContain('De lift in onze flat is al twee weken kapot.');
      expect(page).toMatch(/code WS-[2-9A-Z]{6}/);
      // Another browser sees nothing of it.
      expect(await (await request('/chat')).text()).not.toContain('De lift in onze flat');
    });

    it('the queued job takes the signal into the pipeline, redacted', async () => {
      await tell('Mail me: piet@example.nl over de wachtlijst');
      const stored = await database.db.selectFrom('signals').selectAll().where('text_raw', 'like', '%piet@example.nl%').executeTakeFirstOrThrow();
      await expect
        .poll(async () => (await database.db.selectFrom('signals').select(['status', 'text_redacted']).where('id', '=', stored.id).executeTakeFirstOrThrow()))
        .toEqual({ status: 'analysed', text_redacted: 'Mail me: [e-mail] over de wachtlijst' });
    });

    it('switches the bot to English and marks its lines as English for screen readers', async () => {
      const first = await post('/chat', form({ text: 'english' }));
      const cookie = cookiesFrom(first);
      const page = await (await request('/chat', { headers: { cookie } })).text();
      expect(page).toContain('We will continue in English.');
      expect(page).toMatch(/<li class="chat-line chat-line--out" lang="en"[ >]/);
      expect(page).toContain('name="choice" value="yes"');
    });

    it.each([
      ['empty', '   ', 400, 'Je bericht is leeg'],
      ['too long', 'a'.repeat(4001), 413, 'Je bericht is te lang'],
    ])('refuses an %s message with a clear message and stores nothing', async (_name, text, status, message) => {
      const before = await signalCount();
      const response = await post('/chat', form({ text }));
      expect(response.status).toBe(status);
      expect(await response.text()).toContain(message);
      expect(await signalCount()).toBe(before);
    });

    it('refuses a body over the limit and a post from another site, storing nothing', async () => {
      const before = await signalCount();
      expect((await post('/chat', form({ text: 'x'.repeat(70_000) }))).status).toBe(413);
      expect((await post('/chat', form({ text: 'hallo' }), { origin: 'https://evil.example' })).status).toBe(403);
      expect(await signalCount()).toBe(before);
    });

    it('answers 404 for an unknown municipality', async () => {
      expect((await request('/chat?gemeente=GM9999')).status).toBe(404);
      expect((await request('/chat?gemeente=<script>')).status).toBe(404);
    });

    it('escapes resident text on the chat page and on the dashboard', async () => {
      const attack = '<script>alert("x")</script><img src=x onerror=alert(1)>';
      const chatCookie = await tell(attack);
      const chat = await (await request('/chat', { headers: { cookie: chatCookie } })).text();
      expect(chat).not.toContain('<script>alert');
      expect(chat).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      const cookie = await login('raad@zaanstad.test');
      await expect.poll(async () => (await (await request('/dashboard', { headers: { cookie } })).text()).includes('&lt;img src=x')).toBe(true);
      const dashboard = await (await request('/dashboard', { headers: { cookie } })).text();
      expect(dashboard).not.toContain('<img src=x');
      expect(dashboard).not.toContain('<script>alert');
    });

    it('keeps the signal when the queue is down: stored, answered, left for the sweep', async () => {
      const downQueue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 0 } });
      await downQueue.close();
      const appWithoutQueue = createHttpApp({
        db: database.db,
        queue: downQueue,
        logger,
        pseudonymKey: 'k'.repeat(32),
        defaultMunicipality: 'GM0479',
        secure: false,
        serveApp: true,
        health: () => downQueue.health(),
      });
      await tell('Bericht terwijl de wachtrij plat ligt', appWithoutQueue);
      const row = await database.db.selectFrom('signals').select('status').where('text_raw', '=', 'Bericht terwijl de wachtrij plat ligt').executeTakeFirstOrThrow();
      expect(row.status).toBe('new');
      expect((await appWithoutQueue.request(`${base}/healthz`)).status).toBe(503);
    });
  });

  describe('dashboard', () => {
    it('sends a visitor without a session to the login page', async () => {
      const response = await request('/dashboard');
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/dashboard/login');
      expect((await request('/dashboard', { headers: { cookie: 'wijkstem_session=forged' } })).status).toBe(303);
    });

    it('refuses a wrong password and an unknown user alike, and audits the attempt', async () => {
      const wrong = await post('/dashboard/login', form({ email: 'raad@zaanstad.test', password: 'not the password' }));
      const unknown = await post('/dashboard/login', form({ email: 'nobody@zaanstad.test', password }));
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.text()).toContain('Het e-mailadres of wachtwoord klopt niet.');
      expect(wrong.headers.getSetCookie()).toEqual([]);
      const failed = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'login.failed').execute();
      expect(failed.length).toBeGreaterThanOrEqual(2);
    });

    it('shows a council member only their own municipality, and audits the view', async () => {
      const cookie = await login('raad@zaanstad.test');
      expect(cookie).toMatch(/wijkstem_session=/);
      const response = await request('/dashboard', { headers: { cookie } });
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Signalen van Zaanstad');
      expect(page).not.toContain('Wormerland: bankje');
      expect(page).not.toContain('Velsen: te weinig');
      const views = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'signals.view').execute();
      expect(views.at(-1)?.municipality_code).toBe('GM0479');
    });

    it('shows a region user every municipality of their region and none outside it', async () => {
      const cookie = await login('regio@wormerland.test');
      const page = await (await request('/dashboard', { headers: { cookie } })).text();
      expect(page).toContain('Wormerland: bankje kapot');
      expect(page).toContain('Zaanstad');
      expect(page).not.toContain('Velsen: te weinig');
    });

    it('gives a new session at every login (no fixation) and refuses a logout without the CSRF token', async () => {
      const first = await login('raad@zaanstad.test');
      const second = await login('raad@zaanstad.test');
      expect(first).not.toBe(second);
      const withoutToken = await post('/dashboard/logout', form({}), { cookie: second });
      expect(withoutToken.status).toBe(403);
      const page = await (await request('/dashboard', { headers: { cookie: second } })).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const loggedOut = await post('/dashboard/logout', form({ csrf }), { cookie: second });
      expect(loggedOut.status).toBe(303);
      expect((await request('/dashboard', { headers: { cookie: second } })).status).toBe(303);
      // The other session is untouched.
      expect((await request('/dashboard', { headers: { cookie: first } })).status).toBe(200);
    });

    it('limits login attempts per address and e-mail', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await post('/dashboard/login', form({ email: 'target@zaanstad.test', password: `guess-${i}` }))).status);
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    });
  });

  it('/healthz is ok while the queue runs, and sends security headers', async () => {
    const response = await request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
