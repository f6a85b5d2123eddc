/**
 * The dashboard's pages through app.request() on each database kind: NL Design System assets and the municipality
 * theme, language, navigation by role, street notes, bulk import and administration. Every new route is checked
 * for role, municipality, CSRF and bad input, and what is stored is read back from the real database; the queue is
 * the real in-process queue with the real job handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSignal, markSignalReceived } from '../db/repositories/signals.ts';
import type { User } from '../db/database.ts';
import { todayInAmsterdam } from '../dashboards/pages/context.ts';
import { databaseKinds, type TestDatabase } from './support/databases.ts';
import { hashPassword } from '../dashboards/auth/password.ts';
import { createUser } from '../db/repositories/users.ts';
import { cookiesFrom, password, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

describe.each(databaseKinds)('dashboard on %s', (kind) => {
  let shared: DashboardApp;
  let database: TestDatabase;
  let users: Record<string, User> = {};

  const request = (path: string, init: RequestInit = {}) => shared.request(path, init);
  const get = (path: string, cookie: string) => shared.get(path, cookie);
  const post = (path: string, body: URLSearchParams | FormData, cookie: string, headers: Record<string, string> = {}) => shared.post(path, body, cookie, headers);
  const count = async (table: 'signals' | 'street_notes' | 'users' | 'sessions') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  const audits = (action: string) => database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  // Logins are rate-limited per address and e-mail (10 in 15 minutes): one session per user.
  const login = (email: string, pass?: string) => shared.loggedIn(email, pass);
  const session = (email: string, path?: string) => shared.session(email, path);

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      users: [
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['raad@zaanstad.test', 'council', 'GM0479'],
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['regio@wormerland.test', 'region', 'GM0880'],
        ['admin@wormerland.test', 'admin', 'GM0880'],
        ['team@wormerland.test', 'team', 'GM0880'],
      ],
    });
    ({ database, users } = shared);
    const web = await insertSignal(database.db, { municipalityCode: 'GM0479', source: 'web', text: 'Webchat: de bus rijdt niet meer' });
    await markSignalReceived(database.db, web.id, 'Webchat: de bus rijdt niet meer');
  });

  afterAll(() => shared.close());

  describe('assets and theme', () => {
    it('serves the allow-listed NL Design System and own files with a content type and long cache under hashed names', async () => {
      const page = await (await request('/dashboard/login')).text();
      const hrefs = [...page.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1] ?? '');
      expect(hrefs).toHaveLength(3);
      for (const href of hrefs) {
        expect(href).toMatch(/^\/assets\/[a-z-]+\.[A-Za-z0-9_-]{10}\.css$/);
        const response = await request(href);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        const etag = response.headers.get('etag') ?? '';
        expect((await request(href, { headers: { 'if-none-match': etag } })).status).toBe(304);
      }
      const components = await (await request('/assets/nlds-components.css')).text();
      expect(components).toContain('.utrecht-button');
      const theme = await (await request('/assets/nlds-theme.css')).text();
      expect(theme).toContain('.voorbeeld-theme');
      const gzipped = await request('/assets/site.css', { headers: { 'accept-encoding': 'gzip, br' } });
      expect(gzipped.headers.get('content-encoding')).toBe('gzip');
      expect(gzipped.headers.get('cache-control')).toBe('public, max-age=3600');
      const script = await request('/assets/notes-draft.js');
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    });

    it.each([
      '/assets/..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/../package.json',
      '/assets/index.css',
      '/assets/theme.css',
      '/assets/theme/GM9999.css',
      '/assets/theme/..%2fsite.css',
      '/assets/theme/GM0479.css%00',
    ])('answers 404 for %s (only listed files exist)', async (path) => {
      const response = await request(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('"name"');
    });

    it("themes a municipality's pages from its settings, and ignores a colour with too little contrast or that is not a colour", async () => {
      const setTheme = (primary: unknown) =>
        database.db.updateTable('municipalities').set({ settings: JSON.stringify({ theme: { primary } }) }).where('code', '=', 'GM0479').execute();
      await setTheme('#00689E');
      const { cookie } = await session('raad@zaanstad.test');
      const page = await (await get('/dashboard', cookie)).text();
      const themeLink = /href="(\/assets\/theme\/GM0479\.css\?v=[^"]+)"/.exec(page)?.[1] ?? '';
      expect(themeLink).not.toBe('');
      const css = await (await request(themeLink)).text();
      expect(css).toContain('--basis-color-action-1-inverse-bg-default: #00689e;');
      await setTheme('#ffff00'); // yellow on white: 1.07:1
      expect(await (await request('/assets/theme/GM0479.css')).text()).not.toContain('#ffff00');
      await setTheme('red; } body { display: none');
      const injected = await (await request('/assets/theme/GM0479.css')).text();
      expect(injected).not.toContain('display');
      // A new setting gives a new URL, so the long-cached old one is not used.
      const after = await (await get('/dashboard', cookie)).text();
      expect(/href="(\/assets\/theme\/GM0479\.css\?v=[^"]+)"/.exec(after)?.[1]).not.toBe(themeLink);
      await database.db.updateTable('municipalities').set({ settings: '{}' }).where('code', '=', 'GM0479').execute();
    });

    it('pages carry no inline script or style, so the CSP needs no unsafe-inline', async () => {
      const { cookie } = await session('admin@zaanstad.test');
      for (const path of ['/dashboard', '/dashboard/notities', '/dashboard/importeren', '/dashboard/beheer']) {
        const response = await get(path, cookie);
        expect(response.status, path).toBe(200);
        const page = await response.text();
        expect(page, path).not.toMatch(/\sstyle=/);
        expect(page, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
        expect(page, path).not.toMatch(/\son[a-z]+=/);
        expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    });
  });

  describe('language and navigation', () => {
    it('switches to English with ?lang=en, remembers it in a cookie, and back', async () => {
      const english = await request('/dashboard/login?lang=en');
      const page = await english.text();
      expect(page).toContain('<html lang="en"');
      expect(page).toContain('Sign in to the dashboard');
      const langCookie = cookiesFrom(english);
      expect(langCookie).toBe('wijkstem_lang=en');
      const again = await (await request('/dashboard/login', { headers: { cookie: langCookie } })).text();
      expect(again).toContain('Sign in to the dashboard');
      const cookie = `${await login('team@zaanstad.test')}; ${langCookie}`;
      const notes = await (await get('/dashboard/notities', cookie)).text();
      expect(notes).toContain('Add a street note');
      expect(notes).toContain('Street notes');
      const dutch = await get('/dashboard/notities?lang=nl', cookie);
      expect(await dutch.text()).toContain('Straatnotitie toevoegen');
      expect(cookiesFrom(dutch)).toBe('wijkstem_lang=nl');
      const list = await get('/dashboard?lang=en', cookie);
      expect(list.headers.getSetCookie()).toHaveLength(1);
      expect(await list.text()).toContain('Signals from Zaanstad');
      // A nonsense language is ignored.
      expect(await (await request('/dashboard/login?lang=<b>')).text()).toContain('<html lang="nl"');
    });

    it('shows each role only the sections it may use', async () => {
      const nav = async (email: string) => {
        const page = await (await get('/dashboard', await login(email))).text();
        return [...page.matchAll(/class="utrecht-nav-list__link" href="([^"]+)"/g)].map((m) => m[1]);
      };
      expect(await nav('team@zaanstad.test')).toEqual(['/dashboard', '/dashboard/clusters', '/dashboard/kaart', '/dashboard/wie', '/dashboard/agenda', '/dashboard/beoordelen', '/dashboard/notities', '/dashboard/importeren']);
      expect(await nav('admin@zaanstad.test')).toEqual(['/dashboard', '/dashboard/clusters', '/dashboard/kaart', '/dashboard/wie', '/dashboard/agenda', '/dashboard/peilingen', '/dashboard/beoordelen', '/dashboard/notities', '/dashboard/importeren', '/dashboard/beheer', '/dashboard/beheer/inzage']);
      expect(await nav('regio@wormerland.test')).toEqual(['/dashboard', '/dashboard/clusters', '/dashboard/kaart', '/dashboard/wie', '/dashboard/agenda']);
    });

    it('refuses a nonsense filter on the signal list with a clear, escaped message', async () => {
      const cookie = await login('raad@zaanstad.test');
      const bad = await get('/dashboard?bron=%3Cscript%3E', cookie);
      expect(bad.status).toBe(400);
      const page = await bad.text();
      expect(page).toContain('kent de waarde &quot;&lt;script&gt;&quot; niet');
      expect(page).not.toContain('<script>');
      expect((await get('/dashboard?status=kapot', cookie)).status).toBe(400);
      const web = await (await get('/dashboard?bron=web', cookie)).text();
      expect(web).toContain('Webchat: de bus rijdt niet meer');
      const street = await (await get('/dashboard?bron=street', cookie)).text();
      expect(street).not.toContain('Webchat: de bus');
    });
  });

  describe('street notes', () => {
    const today = todayInAmsterdam();
    const noteForm = (csrf: string, fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams({ csrf });
      for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      return body;
    };

    it('is refused to region users (logged), and needs a session and the CSRF token', async () => {
      const region = await login('regio@wormerland.test');
      expect((await get('/dashboard/notities', region)).status).toBe(403);
      expect((await audits('access.refused')).at(-1)?.actor_id).toBe(users['regio@wormerland.test']?.id);
      expect((await request('/dashboard/notities')).status).toBe(303);
      const { cookie } = await session('team@zaanstad.test', '/dashboard/notities');
      const before = await count('signals');
      const withoutToken = await post('/dashboard/notities', noteForm('', { wijk: 'WK047901', date: today, signal: 'x' }), cookie);
      expect(withoutToken.status).toBe(403);
      const wrongToken = await post('/dashboard/notities', noteForm('forged', { wijk: 'WK047901', date: today, signal: 'x' }), cookie);
      expect(wrongToken.status).toBe(403);
      expect(await count('signals')).toBe(before);
    });

    it("offers the municipality's wijken and today's date, and adds a signal field without JavaScript", async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/notities');
      const page = await (await get('/dashboard/notities', cookie)).text();
      expect(page).toContain('<option value="WK047901">Zaandam-Centrum</option>');
      expect(page).not.toContain('WK088001');
      expect(page).toContain(`value="${today}"`);
      expect(page).toContain(`<script src="/assets/notes-draft.`);
      const before = await count('signals');
      const added = await post('/dashboard/notities', noteForm(csrf, { wijk: 'WK047902', date: today, signal: 'eerste', action: 'add' }), cookie);
      expect(added.status).toBe(200);
      const again = await added.text();
      expect(again.match(/name="signal"/g)).toHaveLength(2);
      expect(again).toContain('>eerste</textarea>');
      expect(again).toMatch(/id="note-signal-1"[^>]*autofocus/);
      expect(again).toContain('<option value="WK047902" selected>');
      expect(await count('signals')).toBe(before);
    });

    it('refuses bad values with messages linked to their fields, storing nothing', async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/notities');
      const before = { signals: await count('signals'), notes: await count('street_notes') };
      const response = await post(
        '/dashboard/notities',
        noteForm(csrf, { wijk: '', date: '2999-01-01', ageBand: 'oud', role: 'koning', signal: ['  ', ''], action: 'save' }),
        cookie,
      );
      expect(response.status).toBe(400);
      const page = await response.text();
      for (const [id, message] of [
        ['note-wijk', 'Kies de wijk uit de lijst.'],
        ['note-date', 'niet in de toekomst'],
        ['note-age', 'Kies een leeftijd uit de lijst.'],
        ['note-role', 'Kies een keuze uit de lijst.'],
        ['note-signal-0', 'Vul minstens één signaal in.'],
      ] as const) {
        expect(page).toContain(`href="#${id}"`);
        expect(page).toMatch(new RegExp(`id="${id}-error">[^<]*${message.replace('.', '\\.')}`));
        expect(page).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true" aria-describedby="${id}-error"`));
      }
      expect(page).toContain('data-draft-restore="false"');
      for (const date of ['2026-02-30', 'gisteren', '1999-01-01']) {
        const r = await post('/dashboard/notities', noteForm(csrf, { wijk: 'WK047901', date, signal: 'x', action: 'save' }), cookie);
        expect(r.status, date).toBe(400);
      }
      const long = await post('/dashboard/notities', noteForm(csrf, { wijk: 'WK047901', date: today, signal: ['kort', 'x'.repeat(4001)] }), cookie);
      expect(long.status).toBe(400);
      expect(await long.text()).toContain('Signaal 2 is te lang');
      expect({ signals: await count('signals'), notes: await count('street_notes') }).toEqual(before);
    });

    it("refuses another municipality's wijk: logged, nothing stored", async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/notities');
      const before = await count('signals');
      const response = await post('/dashboard/notities', noteForm(csrf, { wijk: 'WK088001', date: today, signal: 'In Wormer is het buurthuis dicht' }), cookie);
      expect(response.status).toBe(400);
      expect(await count('signals')).toBe(before);
      const refused = (await audits('street_note.refused')).at(-1);
      expect(refused?.subject_id).toBe('WK088001');
      expect(refused?.municipality_code).toBe('GM0479');
    });

    it('stores each signal of a note as a street signal of the user\'s municipality in one go, queues them, audits, and confirms with the references', async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/notities');
      const attack = '<img src=x onerror=alert(1)> de speeltuin is kapot';
      const response = await post(
        '/dashboard/notities',
        noteForm(csrf, {
          wijk: 'WK047902',
          place: 'Bij de markt',
          date: today,
          ageBand: '65_plus',
          role: 'carer',
          signal: ['Mijn man krijgt geen dagbesteding meer sinds de nieuwe aanbesteding', '', attack],
          action: 'save',
          municipality: 'GM0880', // ignored: the note is always the user's own municipality's
        }),
        cookie,
      );
      expect(response.status).toBe(303);
      const location = response.headers.get('location') ?? '';
      expect(location).toMatch(/^\/dashboard\/notities\?opgeslagen=[0-9a-f-]{36}$/);
      const noteId = location.split('=')[1] ?? '';
      const note = await database.db.selectFrom('street_notes').selectAll().where('id', '=', noteId).executeTakeFirstOrThrow();
      expect(note).toMatchObject({ municipality_code: 'GM0479', wijk_code: 'WK047902', place: 'Bij de markt', age_band: '65_plus', resident_role: 'carer' });
      const signals = await database.db
        .selectFrom('street_note_signals as n')
        .innerJoin('signals as s', 's.id', 'n.signal_id')
        .select(['s.id', 's.reference', 's.source', 's.municipality_code', 's.place_answer', 's.text_raw'])
        .where('n.street_note_id', '=', noteId)
        .orderBy('n.position')
        .execute();
      expect(signals.map((s) => [s.source, s.municipality_code, s.place_answer])).toEqual([
        ['street', 'GM0479', 'Bij de markt, Zaandam-West'],
        ['street', 'GM0479', 'Bij de markt, Zaandam-West'],
      ]);
      expect(signals[1]?.text_raw).toBe(attack);
      const created = (await audits('street_note.create')).at(-1);
      expect(created?.subject_id).toBe(noteId);
      expect(created?.details).toEqual({ signal_ids: signals.map((s) => s.id) });

      const confirmation = await (await get(location, cookie)).text();
      expect(confirmation).toContain('De 2 signalen zijn opgeslagen.');
      for (const s of signals) expect(confirmation).toContain(`<li>${s.reference}</li>`);
      expect(confirmation).toContain('data-draft-clear="true"');
      // Another municipality's user cannot read the confirmation.
      const foreign = await (await get(location, await login('team@wormerland.test'))).text();
      expect(foreign).not.toContain(signals[0]?.reference ?? 'none');

      // The queue takes them into the pipeline; the list shows them, escaped.
      await expect
        .poll(async () => (await database.db.selectFrom('signals').select('status').where('id', 'in', signals.map((s) => s.id)).execute()).map((r) => r.status !== 'new'))
        .toEqual([true, true]);
      const list = await (await get('/dashboard?bron=street', cookie)).text();
      for (const s of signals) expect(list).toContain(s.reference);
      expect(list).toContain('&lt;img src=x onerror=alert(1)&gt; de speeltuin is kapot');
      expect(list).not.toContain('<img src=x');
    });
  });

  describe('bulk import', () => {
    const upload = (csrf: string, content: string, fileName?: string) => {
      const body = new FormData();
      body.set('csrf', csrf);
      if (fileName !== undefined) body.set('file', new File([content], fileName, { type: 'text/plain' }));
      else body.set('text', content);
      return body;
    };
    const confirmForm = (page: string) => {
      const body = new FormData();
      for (const name of ['csrf', 'format', 'fileName', 'content']) {
        const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
        if (value === undefined) throw new Error(`no ${name} on the preview`);
        body.set(name, decodeEntities(value));
      }
      return body;
    };

    it('is refused to region users, and needs the CSRF token', async () => {
      expect((await get('/dashboard/importeren', await login('regio@wormerland.test'))).status).toBe(403);
      const { cookie } = await session('team@zaanstad.test', '/dashboard/importeren');
      expect((await post('/dashboard/importeren/voorbeeld', upload('', 'id,text\na,b'), cookie)).status).toBe(403);
      expect((await post('/dashboard/importeren', upload('nope', 'id,text\na,b'), cookie)).status).toBe(403);
    });

    it('previews a CSV with line-numbered errors and stores nothing', async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/importeren');
      const before = await count('signals');
      const csv = [
        'id,text,source,postcode,place,language',
        'c-1,"De wijkboot vaart niet meer, en nu?",street,1503,Westerwatering,nl',
        'c-2,,street,,,',
        'c-3,Te weinig bankjes,fax,,,',
        '',
        'c-4,"Over meerdere',
        'regels",import,,,nl',
        'c-5,Geen plek bij de voedselbank,import,,,xx-yy-zz-!!',
      ].join('\n');
      const response = await post('/dashboard/importeren/voorbeeld', upload(csrf, csv, 'notities.csv'), cookie);
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('Er zijn 3 fouten. Er is niets opgeslagen.');
      expect(page).toContain('Regel 3: text is leeg');
      expect(page).toContain('Regel 4: source &quot;fax&quot; is niet een van whatsapp, web, street, import');
      expect(page).toContain('Regel 8: language');
      expect(page).not.toContain('action="/dashboard/importeren" enctype');
      expect(await count('signals')).toBe(before);
    });

    it("refuses rows naming another municipality, and a tampered confirm, storing nothing", async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/importeren');
      const before = await count('signals');
      const jsonl = '{"id":"x-1","text":"ok"}\n{"id":"x-2","text":"elders","municipality":"GM0880"}\n';
      const preview = await post('/dashboard/importeren/voorbeeld', upload(csrf, jsonl), cookie);
      expect(preview.status).toBe(400);
      expect(await preview.text()).toContain('Regel 2: gemeente GM0880 is niet jouw gemeente (GM0479)');
      const tampered = new FormData();
      for (const [k, v] of Object.entries({ csrf, format: 'jsonl', fileName: '', content: jsonl })) tampered.set(k, v);
      const confirm = await post('/dashboard/importeren', tampered, cookie);
      expect(confirm.status).toBe(400);
      expect(await count('signals')).toBe(before);
      expect((await post('/dashboard/importeren/voorbeeld', upload(csrf, '   '), cookie)).status).toBe(400);
      // Over the HTTP body limit (64 KB): refused before it is read.
      const big = Array.from({ length: 800 }, (_, i) => `{"id": "big-${i}", "text": "${'x'.repeat(80)}"}`).join('\n');
      expect((await post('/dashboard/importeren/voorbeeld', upload(csrf, big, 'groot.jsonl'), cookie)).status).toBe(413);
      expect(await count('signals')).toBe(before);
    });

    it('stores all rows on confirm, queues them, and a re-import of the same ids stores nothing new', async () => {
      const { cookie, csrf } = await session('team@zaanstad.test', '/dashboard/importeren');
      const jsonl = [
        '{"id": "straat-1", "text": "Het buurthuis is alleen overdag open", "source": "street", "place": "Rosmolen", "postcode": "1502 AB"}',
        '',
        '{"id": "straat-2", "text": "<b>Geen</b> taalcursus in de avond", "language": "nl", "municipality": "gm0479"}',
      ].join('\n');
      const before = await count('signals');
      const preview = await post('/dashboard/importeren/voorbeeld', upload(csrf, jsonl, 'notities.jsonl'), cookie);
      expect(preview.status).toBe(200);
      const page = await preview.text();
      expect(page).toContain('2 regels gelezen.');
      expect(page).toContain('&lt;b&gt;Geen&lt;/b&gt; taalcursus');
      expect(await count('signals')).toBe(before);

      const stored = await post('/dashboard/importeren', confirmForm(page), cookie);
      expect(stored.status).toBe(200);
      expect(await stored.text()).toContain('2 signalen opgeslagen.');
      const rows = await database.db.selectFrom('signals').selectAll().where('external_id', 'in', ['straat-1', 'straat-2']).orderBy('external_id').execute();
      expect(rows.map((r) => [r.external_id, r.municipality_code, r.source, r.place_answer, r.postcode_answer, r.language_hint])).toEqual([
        ['straat-1', 'GM0479', 'street', 'Rosmolen', '1502 AB', null],
        ['straat-2', 'GM0479', 'import', null, null, 'nl'],
      ]);
      const audit = (await audits('signals.import')).at(-1);
      expect(audit?.actor_id).toBe(users['team@zaanstad.test']?.id);
      expect(audit?.details).toMatchObject({ file: 'notities.jsonl', skipped: 0 });
      await expect
        .poll(async () => (await database.db.selectFrom('signals').select('status').where('external_id', 'in', ['straat-1', 'straat-2']).execute()).map((r) => r.status !== 'new'))
        .toEqual([true, true]);

      // The same file again: the preview says so, and confirming stores nothing.
      const again = await (await post('/dashboard/importeren/voorbeeld', upload(csrf, jsonl, 'notities.jsonl'), cookie)).text();
      expect(again).toContain('waarvan 2 al eerder geïmporteerd');
      const second = await post('/dashboard/importeren', confirmForm(again), cookie);
      expect(await second.text()).toContain('er is niets nieuws opgeslagen');
      expect(await count('signals')).toBe(before + 2);

      // One new id among old ones: only that one is stored.
      const mixed = `${jsonl}\n{"id": "straat-3", "text": "Nieuw signaal"}`;
      const third = await post('/dashboard/importeren', confirmForm(await (await post('/dashboard/importeren/voorbeeld', upload(csrf, mixed), cookie)).text()), cookie);
      expect(await third.text()).toContain('1 signaal opgeslagen; 2 al eerder geïmporteerd');
      expect(await count('signals')).toBe(before + 3);
    });
  });

  describe('administration', () => {
    it('is for administrators only (refusals logged)', async () => {
      for (const email of ['team@zaanstad.test', 'raad@zaanstad.test', 'regio@wormerland.test']) {
        expect((await get('/dashboard/beheer', await login(email))).status, email).toBe(403);
      }
      const refusals = await audits('access.refused');
      expect(refusals.some((r) => r.actor_id === users['raad@zaanstad.test']?.id && (r.details as { path?: string }).path === '/dashboard/beheer')).toBe(true);
    });

    it("lists only the administrator's own municipality's users", async () => {
      const page = await (await get('/dashboard/beheer', await login('admin@zaanstad.test'))).text();
      expect(page).toContain('team@zaanstad.test');
      expect(page).not.toContain('wormerland.test');
      expect(page).not.toContain('scrypt$');
    });

    it('adds a user with a temporary password shown once, who can then log in; audited', async () => {
      const { cookie, csrf } = await session('admin@zaanstad.test', '/dashboard/beheer');
      const response = await post('/dashboard/beheer/gebruikers', new URLSearchParams({ csrf, email: 'Nieuw@Zaanstad.test', role: 'team', password: '' }), cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const page = await response.text();
      const temporary = /class="temporary-password">([^<]+)</.exec(page)?.[1] ?? '';
      expect(temporary).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const created = await database.db.selectFrom('users').selectAll().where('email', '=', 'nieuw@zaanstad.test').executeTakeFirstOrThrow();
      expect(created).toMatchObject({ role: 'team', municipality_code: 'GM0479' });
      expect(created.password_hash).not.toContain(temporary);
      expect((await audits('user.create')).at(-1)?.subject_id).toBe(created.id);
      await login('nieuw@zaanstad.test', temporary);
      // Not shown again.
      expect(await (await get('/dashboard/beheer', cookie)).text()).not.toContain(temporary);
      // A password of the administrator's choosing works too.
      await post('/dashboard/beheer/gebruikers', new URLSearchParams({ csrf, email: 'raad2@zaanstad.test', role: 'council', password: 'een lang genoeg wachtwoord' }), cookie);
      await login('raad2@zaanstad.test', 'een lang genoeg wachtwoord');
    });

    it('refuses bad input and roles an administrator may not give, creating nobody', async () => {
      const { cookie, csrf } = await session('admin@zaanstad.test', '/dashboard/beheer');
      const before = await count('users');
      const cases: [Record<string, string>, string][] = [
        [{ email: 'geen-adres', role: 'team', password: '' }, 'Vul een geldig e-mailadres in.'],
        // Region users may be made (Zaanstad is in a region: test/admin-users.test.ts); a role is matched exactly.
        [{ email: 'x@zaanstad.test', role: 'Region', password: '' }, 'Kies een rol uit de lijst.'],
        [{ email: 'x@zaanstad.test', role: 'superuser', password: '' }, 'Kies een rol uit de lijst.'],
        [{ email: 'x@zaanstad.test', role: 'team', password: 'kort' }, 'minstens 12'],
        [{ email: 'team@wormerland.test', role: 'team', password: '' }, 'Er is al een gebruiker met dit e-mailadres.'],
      ];
      for (const [fields, message] of cases) {
        const response = await post('/dashboard/beheer/gebruikers', new URLSearchParams({ csrf, ...fields }), cookie);
        expect(response.status, JSON.stringify(fields)).toBe(400);
        const page = await response.text();
        expect(page).toContain(message);
        expect(page).toMatch(/aria-invalid="true" aria-describedby="user-(email|role|password-hint user-password)-error"/);
      }
      expect((await post('/dashboard/beheer/gebruikers', new URLSearchParams({ email: 'y@zaanstad.test', role: 'team' }), cookie)).status).toBe(403);
      expect(await count('users')).toBe(before);
      // The existing Wormerland user was not touched by the duplicate attempt.
      const wormer = await database.db.selectFrom('users').selectAll().where('email', '=', 'team@wormerland.test').executeTakeFirstOrThrow();
      expect(wormer.municipality_code).toBe('GM0880');
    });

    it("disables a user of the municipality: their sessions stop at once; audited", async () => {
      const passwordHash = await hashPassword(password);
      const victim = await createUser(database.db, { email: 'weg@zaanstad.test', passwordHash, role: 'team', municipalityCode: 'GM0479' });
      const victimCookie = await login('weg@zaanstad.test');
      expect((await get('/dashboard', victimCookie)).status).toBe(200);
      const { cookie, csrf } = await session('admin@zaanstad.test', '/dashboard/beheer');
      const response = await post(`/dashboard/beheer/gebruikers/${victim.id}/uitschakelen`, new URLSearchParams({ csrf }), cookie);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('weg@zaanstad.test is uitgeschakeld');
      expect((await get('/dashboard', victimCookie)).status).toBe(303);
      expect((await post('/dashboard/login', new URLSearchParams({ email: 'weg@zaanstad.test', password }), '')).status).toBe(401);
      expect((await audits('user.disable')).at(-1)).toMatchObject({ actor_id: users['admin@zaanstad.test']?.id, subject_id: victim.id });
      // Yourself: refused.
      const self = await post(`/dashboard/beheer/gebruikers/${users['admin@zaanstad.test']?.id ?? ''}/uitschakelen`, new URLSearchParams({ csrf }), cookie);
      expect(self.status).toBe(400);
    });

    it("refuses another municipality's user id in the URL: logged, nothing changed", async () => {
      const { cookie, csrf } = await session('admin@zaanstad.test', '/dashboard/beheer');
      const foreign = users['team@wormerland.test'];
      if (!foreign) throw new Error('no foreign user');
      const foreignCookie = await login('team@wormerland.test');
      const response = await post(`/dashboard/beheer/gebruikers/${foreign.id}/uitschakelen`, new URLSearchParams({ csrf }), cookie);
      expect(response.status).toBe(404);
      const after = await database.db.selectFrom('users').selectAll().where('id', '=', foreign.id).executeTakeFirstOrThrow();
      expect(after.disabled_at).toBeNull();
      expect((await get('/dashboard', foreignCookie)).status).toBe(200);
      const refused = (await audits('access.refused')).at(-1);
      expect(refused).toMatchObject({ actor_id: users['admin@zaanstad.test']?.id, subject_type: 'user', subject_id: foreign.id, municipality_code: 'GM0479' });
      for (const id of ['niet-een-id', "1'; drop table users; --", '00000000-0000-0000-0000-000000000000']) {
        expect((await post(`/dashboard/beheer/gebruikers/${encodeURIComponent(id)}/uitschakelen`, new URLSearchParams({ csrf }), cookie)).status).toBe(404);
      }
      // Without the token: refused before anything is looked up.
      expect((await post(`/dashboard/beheer/gebruikers/${foreign.id}/uitschakelen`, new URLSearchParams({}), cookie)).status).toBe(403);
      // The Wormerland administrator does see their own user.
      expect(await (await get('/dashboard/beheer', await login('admin@wormerland.test'))).text()).toContain('team@wormerland.test');
    });
  });
});

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
