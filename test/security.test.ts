/**
 * Security of the HTTP app on each database kind (docs/security/threat-model.md names what each test proves):
 * every route of the Hono app is enumerated from app.routes, so a route added without a guard fails here; a user of
 * another municipality is refused everything of Zaanstad's (ids in URLs and forms), nothing changes and the refusal
 * is logged; CSRF on every POST; session fixation; the login limit; stored XSS via resident text on every page;
 * SQL injection through every filter parameter; path traversal in dashboard imports (the CLI's: security-cli.test.ts);
 * concurrent webhook replays; headers.
 * Cases already covered elsewhere are named, not repeated: the wrong-origin chat post and escaping on /chat
 * (http.test.ts), a plain redelivery (whatsapp.test.ts), per-route role refusals (dashboard*.test.ts), chat framing
 * by configured origins (conversation-web.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Hono } from 'hono';
import { createHttpApp } from '../app/http/app.ts';
import { createRateLimiter } from '../app/http/rate-limit.ts';
import { signBody } from '../bot/channels/whatsapp/signature.ts';
import { filterParams } from '../dashboards/filters.ts';
import { insertSignal, storeAnalysis } from '../db/repositories/signals.ts';
import { databaseKinds } from './support/databases.ts';
import { base, cookiesFrom, csrfOf, logger, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';
import { textDelivery } from './support/whatsapp-delivery.ts';

const appSecret = 'security-test-app-secret';
/** Resident text that must never reach another municipality's user. */
const SECRET = 'GEHEIM-ZAANSTAD-7f3a';
const XSS = ['<script>alert("xss")</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "'><iframe src=javascript:alert(3)>"];
/**
 * Pages and paths anyone may open: the resident side, assets, the webhook (signed), health, the login, and the
 * published agenda summary (/publiek/GM0479, only what a council chose to publish). A new public route must be
 * added here on purpose; anything else must refuse anonymous requests.
 */
const PUBLIC = [/^\/$/, /^\/healthz$/, /^\/chat(?:\/|$)/, /^\/assets\//, /^\/webhooks\/whatsapp$/, /^\/dashboard\/login$/, /^\/privacy(?:\/|$)/, /^\/publiek\/:\w+$/];

interface RouteEntry {
  method: string;
  path: string;
}

/** Every concrete route (no middleware, no wildcard), once per method and path. */
function routesOf(app: Hono): RouteEntry[] {
  const seen = new Map<string, RouteEntry>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || r.path.includes('*')) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

const fillParams = (path: string, value: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, encodeURIComponent(value));
const hasParams = (path: string) => /:\w+/.test(path);

describe.each(databaseKinds)('security on %s', (kind) => {
  let shared: DashboardApp;
  /** Ids and references of Zaanstad's rows, gathered from every table that has a municipality_code. */
  let zaanstadIds: string[] = [];
  let zaanstadEmails: string[] = [];

  const count = async (table: string, where?: { column: string; value: string }) => {
    const query = where ? sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(where.column)} = ${where.value}` : sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`;
    return Number((await query.execute(shared.database.db)).rows[0]?.n);
  };
  const refusals = () => count('audit_log', { column: 'action', value: 'access.refused' });

  async function municipalityTables(): Promise<{ table: string; hasId: boolean; hasReference: boolean }[]> {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and column_name in ('municipality_code', 'id', 'reference')`.execute(shared.database.db);
    const byTable = new Map<string, Set<string>>();
    for (const c of columns.rows) byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));
    return [...byTable]
      .filter(([table, cols]) => cols.has('municipality_code') && table !== 'audit_log' && !table.startsWith('kysely_'))
      .map(([table, cols]) => ({ table, hasId: cols.has('id'), hasReference: cols.has('reference') }));
  }

  /** Everything Zaanstad holds (and its users' sessions), to compare before and after an attack. */
  async function zaanstadSnapshot(): Promise<string> {
    const parts: Record<string, unknown> = {};
    for (const { table } of await municipalityTables()) {
      parts[table] = (await sql`select * from ${sql.table(table)} where municipality_code = 'GM0479' order by 1`.execute(shared.database.db)).rows;
    }
    parts.sessions = (await sql`select s.* from sessions s join users u on u.id = s.user_id where u.municipality_code = 'GM0479' order by 1`.execute(shared.database.db)).rows;
    return JSON.stringify(parts, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  }

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['raad@zaanstad.test', 'council', 'GM0479'],
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['admin@velsen.test', 'admin', 'GM0453'],
        ['team@velsen.test', 'team', 'GM0453'],
        ['regio@velsen.test', 'region', 'GM0453'],
        ['regio@wormerland.test', 'region', 'GM0880'],
      ],
      municipalities: [{ code: 'GM0453', name: 'Velsen', region: 'IJmond' }],
      http: { whatsapp: { verifyToken: 'verify', appSecret } },
    });
    const db = shared.database.db;
    // Zaanstad's data: an analysed signal in the review queue carrying the secret and every XSS payload, a street
    // note and a review made through the dashboard like a user would.
    const text = `${SECRET} ${XSS.join(' ')}`;
    const signal = await insertSignal(db, { municipalityCode: 'GM0479', source: 'street', text });
    await storeAnalysis(db, signal.id, { language: 'nl', textRedacted: text, domains: [{ key: 'wonen', confidence: 0.5 }], review: true, wijkCode: 'WK047901', buurtCode: null, sentiment: -0.3, urgent: false });
    const other = await insertSignal(db, { municipalityCode: 'GM0479', source: 'street', text: `${SECRET} tweede` });
    await storeAnalysis(db, other.id, { language: 'nl', textRedacted: `${SECRET} tweede`, domains: [], review: true, wijkCode: null, buurtCode: null, sentiment: 0, urgent: false });
    const team = await shared.session('team@zaanstad.test', '/dashboard/notities');
    const note = await shared.post('/dashboard/notities', new URLSearchParams({ csrf: team.csrf, wijk: 'WK047901', place: `${SECRET} plein`, date: new Date().toISOString().slice(0, 10), signal: `${SECRET} ${XSS[1] ?? ''}` }), team.cookie);
    expect(note.status).toBe(303);
    const council = await shared.session('raad@zaanstad.test', '/dashboard/beoordelen');
    expect((await shared.post(`/dashboard/beoordelen/${other.id}`, new URLSearchParams({ csrf: council.csrf, domain: 'wonen' }), council.cookie)).status).toBe(303);

    for (const { table, hasId, hasReference } of await municipalityTables()) {
      if (hasId) zaanstadIds.push(...(await sql<{ id: string }>`select id::text as id from ${sql.table(table)} where municipality_code = 'GM0479'`.execute(db)).rows.map((r) => r.id));
      if (hasReference) zaanstadIds.push(...(await sql<{ r: string }>`select reference as r from ${sql.table(table)} where municipality_code = 'GM0479'`.execute(db)).rows.map((r) => r.r));
    }
    zaanstadIds = [...new Set(zaanstadIds)];
    zaanstadEmails = (await db.selectFrom('users').select('email').where('municipality_code', '=', 'GM0479').execute()).map((u) => u.email);
    expect(zaanstadIds.length).toBeGreaterThanOrEqual(8);
  });

  afterAll(() => shared.close());

  describe('route table', () => {
    /** The routes outside the public list that answer an anonymous request with anything but a refusal. */
    async function openToAnonymous(app: Hono): Promise<string[]> {
      const open: string[] = [];
      for (const route of routesOf(app).filter((r) => !PUBLIC.some((p) => p.test(r.path)))) {
        const path = fillParams(route.path, zaanstadIds[0] ?? '');
        for (const cookie of ['', 'wijkstem_session=forged-token']) {
          const unsafe = route.method !== 'GET' && route.method !== 'HEAD';
          const response = await app.request(`${base}${path}`, { method: route.method, headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' }, ...(unsafe ? { body: `id=${zaanstadIds[0] ?? ''}` } : {}) });
          const refused = unsafe ? [401, 403].includes(response.status) : response.status === 303 && response.headers.get('location') === '/dashboard/login';
          if (!refused || (await response.text()).includes(SECRET)) open.push(`${route.method} ${route.path} (${cookie || 'no cookie'}): ${response.status}`);
        }
      }
      return open;
    }

    it('every route outside the public list refuses an anonymous request and changes nothing', async () => {
      const guarded = routesOf(shared.app).filter((r) => !PUBLIC.some((p) => p.test(r.path)));
      // The dashboard as it is today; the list grows as routes are added, and each new one is checked.
      expect(guarded.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /dashboard', 'POST /dashboard/beoordelen/:id', 'POST /dashboard/beheer/gebruikers/:id/uitschakelen', 'POST /dashboard/logout']));
      const before = await zaanstadSnapshot();
      expect(await openToAnonymous(shared.app)).toEqual([]);
      expect(await zaanstadSnapshot()).toBe(before);
    });

    it('fails for a route someone adds without a guard', async () => {
      const app = createHttpApp({ db: shared.database.db, queue: shared.queue, logger, pseudonymKey: 'k'.repeat(32), defaultMunicipality: 'GM0479', secure: false, serveApp: true, health: () => shared.queue.health() });
      app.get('/rapport/:id', (c) => c.text(`rapport ${c.req.param('id')}`));
      app.post('/dashboard-export', (c) => c.text('ok'));
      expect(await openToAnonymous(app)).toEqual(['GET /rapport/:id (no cookie): 200', 'GET /rapport/:id (forged cookie): 200', 'POST /dashboard-export (no cookie): 200', 'POST /dashboard-export (forged cookie): 200'].map((s) => s.replace('forged cookie', 'wijkstem_session=forged-token')));
    });

    it("a user of another municipality gets none of Zaanstad's data through any route, id or form field; refusals are logged", async () => {
      const routes = routesOf(shared.app).filter((r) => r.path.startsWith('/dashboard') && r.path !== '/dashboard/login' && !r.path.endsWith('/logout'));
      const before = await zaanstadSnapshot();
      let requests = 0;
      for (const email of ['admin@velsen.test', 'team@velsen.test', 'regio@velsen.test']) {
        const { cookie, csrf } = await shared.session(email);
        for (const route of routes) {
          for (const id of zaanstadIds) {
            if (!hasParams(route.path) && id !== zaanstadIds[0] && route.method === 'GET') continue;
            const path = fillParams(route.path, id);
            const fields = { csrf, id, signal: id, signalId: id, note: id, user: id, userId: id, review: id, resident: id, reference: id, referentie: id, opgeslagen: id, gemeente: 'GM0479', municipality: 'GM0479', wijk: 'WK047901', domain: 'wonen', format: 'jsonl', content: `{"id":"x-${id}","text":"aanval","municipality":"GM0479"}` };
            const refusedBefore = await refusals();
            const response =
              route.method === 'GET'
                ? await shared.get(`${path}?${new URLSearchParams({ ...fields, csrf: '' }).toString()}`, cookie)
                : await shared.request(path, { method: route.method, body: new URLSearchParams(fields), headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
            requests++;
            const where = `${email} ${route.method} ${path}`;
            const body = await response.text();
            expect(body, where).not.toContain(SECRET);
            for (const e of zaanstadEmails) expect(body, where).not.toContain(e);
            expect(response.status, where).toBeLessThan(500);
            if (hasParams(route.path)) {
              expect([403, 404], where).toContain(response.status);
              expect(await refusals(), `${where} is logged`).toBe(refusedBefore + 1);
            }
            // Routes without an id act on the user's own municipality: what they may do there is theirs; that it never
            // reaches Zaanstad is what the body check above and the snapshot below prove.
          }
        }
      }
      expect(requests).toBeGreaterThan(50);
      expect(await zaanstadSnapshot()).toBe(before);
    }, 120_000);

    it('roles on every route: region users never write, only administrators reach /dashboard/beheer; refusals logged', async () => {
      const routes = routesOf(shared.app).filter((r) => r.path.startsWith('/dashboard/') && r.path !== '/dashboard/login' && !r.path.endsWith('/logout'));
      const writes = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
      const admin = routes.filter((r) => r.path.startsWith('/dashboard/beheer'));
      expect(writes.length).toBeGreaterThanOrEqual(5);
      expect(admin.length).toBeGreaterThanOrEqual(3);
      const before = await zaanstadSnapshot();
      const attempt = async (email: string, route: RouteEntry) => {
        const { cookie, csrf } = await shared.session(email);
        const path = fillParams(route.path, zaanstadIds[0] ?? '');
        const fields = new URLSearchParams({ csrf, wijk: 'WK047901', date: new Date().toISOString().slice(0, 10), signal: 'rol-aanval', domain: 'geld', email: 'rol@zaanstad.test', role: 'admin', content: '{"id":"rol","text":"aanval"}', format: 'jsonl', status: 'besproken', text: 'rol-aanval' });
        const refusedBefore = await refusals();
        const response = route.method === 'GET' ? await shared.get(path, cookie) : await shared.request(path, { method: route.method, body: fields, headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
        const where = `${email} ${route.method} ${route.path}`;
        expect([403, 404], where).toContain(response.status);
        expect(await refusals(), `${where} is logged`).toBe(refusedBefore + 1);
      };
      // Wormerland's region user reads Zaanstad (same region) but may change nothing there.
      for (const route of writes) await attempt('regio@wormerland.test', route);
      for (const email of ['team@zaanstad.test', 'raad@zaanstad.test']) for (const route of admin) await attempt(email, route);
      expect(await zaanstadSnapshot()).toBe(before);
    }, 120_000);

    it('every POST refuses a request without the CSRF token, with a wrong one, or from another origin; nothing changed', async () => {
      const posts = routesOf(shared.app).filter((r) => r.method === 'POST' && r.path.startsWith('/dashboard/') && r.path !== '/dashboard/login');
      expect(posts.length).toBeGreaterThanOrEqual(5);
      const { cookie, csrf } = await shared.session('admin@zaanstad.test');
      const before = await zaanstadSnapshot();
      for (const route of posts) {
        const path = fillParams(route.path, zaanstadIds[0] ?? '');
        const fields = { wijk: 'WK047901', date: new Date().toISOString().slice(0, 10), signal: 'csrf-aanval', domain: 'geld', email: 'csrf@zaanstad.test', role: 'team', content: '{"id":"csrf","text":"aanval"}', format: 'jsonl' };
        const attempts: [string, Record<string, string>, Record<string, string>][] = [
          ['no token', fields, {}],
          ['wrong token', { ...fields, csrf: csrf.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) }, {}],
          ['other origin', { ...fields, csrf }, { origin: 'https://evil.example' }],
          ['other site', { ...fields, csrf }, { origin: '', 'sec-fetch-site': 'cross-site' }],
        ];
        for (const [name, body, headers] of attempts) {
          const response = await shared.post(path, new URLSearchParams(body), cookie, headers);
          expect(response.status, `${route.path}: ${name}`).toBe(403);
        }
      }
      expect(await zaanstadSnapshot()).toBe(before);
      // The login form itself is only accepted from our own pages (no login CSRF).
      const crossLogin = await shared.post('/dashboard/login', new URLSearchParams({ email: 'admin@zaanstad.test', password: 'x' }), '', { origin: 'https://evil.example' });
      expect(crossLogin.status).toBe(403);
      // The logout is still possible with the token (and the session still works: nothing above ended it).
      expect((await shared.get('/dashboard', cookie)).status).toBe(200);
    });
  });

  describe('sessions and login', () => {
    it('ignores a session id planted before login and issues a new one; the old cookie dies at logout', async () => {
      const planted = 'wijkstem_session=planted-by-attacker-0000000000000000000000';
      const response = await shared.post('/dashboard/login', new URLSearchParams({ email: 'raad@zaanstad.test', password: 'correct horse battery staple' }), planted);
      expect(response.status).toBe(303);
      const issued = cookiesFrom(response);
      expect(issued).toMatch(/^wijkstem_session=[A-Za-z0-9_-]{43}$/);
      expect(issued).not.toBe(planted);
      expect(response.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
      expect(response.headers.getSetCookie()[0]).toMatch(/SameSite=Strict/i);
      expect((await shared.get('/dashboard', planted)).status).toBe(303);
      expect((await shared.get('/dashboard', issued)).status).toBe(200);
      // Only the hash of the token is stored.
      const token = issued.split('=')[1] ?? '';
      expect(await count('sessions', { column: 'token_hash', value: token })).toBe(0);
      const csrf = csrfOf(await (await shared.get('/dashboard', issued)).text());
      expect((await shared.post('/dashboard/logout', new URLSearchParams({ csrf }), issued)).status).toBe(303);
      expect((await shared.get('/dashboard', issued)).status).toBe(303);
      expect((await shared.post('/dashboard/logout', new URLSearchParams({ csrf }), issued)).status).toBe(401);
    });

    it('the login limit holds even for the right password, per address and e-mail, and resets after its window', async () => {
      // http.test.ts checks ten wrong guesses and then 429; here: the right password does not get through either,
      // and another account from the same address is not locked out by it.
      for (let i = 0; i < 10; i++) await shared.post('/dashboard/login', new URLSearchParams({ email: 'team@zaanstad.test', password: `guess-${i}` }));
      const right = await shared.post('/dashboard/login', new URLSearchParams({ email: 'team@zaanstad.test', password: 'correct horse battery staple' }));
      expect(right.status).toBe(429);
      expect(right.headers.getSetCookie()).toEqual([]);
      expect((await shared.post('/dashboard/login', new URLSearchParams({ email: 'admin@velsen.test', password: 'correct horse battery staple' }))).status).toBe(303);

      let now = 0;
      const limiter = createRateLimiter({ limit: 3, windowMs: 1000, now: () => now });
      expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
      expect(limiter.take('b')).toBe(true);
      now = 999;
      expect(limiter.take('a')).toBe(false);
      now = 1000;
      expect(limiter.take('a')).toBe(true);
    });
  });

  describe('resident text and filters', () => {
    it('renders XSS payloads in resident text as text on every page that shows signal text, and no page has inline script', async () => {
      const { cookie, csrf } = await shared.session('admin@zaanstad.test');
      const pages = routesOf(shared.app).filter((r) => r.method === 'GET' && r.path.startsWith('/dashboard') && !hasParams(r.path));
      const rendered: string[] = [];
      const check = (where: string, html: string) => {
        for (const payload of ['<script>alert', '<img src=x onerror', '<svg onload', '<iframe src=javascript']) expect(html, where).not.toContain(payload);
        // CSP forbids inline script, so our own pages must not need any.
        expect(html, where).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
        // No event-handler attribute (quoted attribute values are data: their quotes are escaped).
        expect(html.replace(/="[^"]*"/g, '=""'), where).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
        if (html.includes(SECRET)) rendered.push(where);
      };
      for (const route of pages) {
        const response = await shared.get(route.path, cookie);
        const type = response.headers.get('content-type') ?? '';
        const body = await response.text();
        if (type.startsWith('text/html')) check(route.path, body);
      }
      // The import preview shows the rows it read.
      const preview = await shared.post('/dashboard/importeren/voorbeeld', new URLSearchParams({ csrf, text: JSON.stringify({ id: 'xss-1', text: `${SECRET} ${XSS.join(' ')}` }) }), cookie);
      check('import preview', await preview.text());
      expect(rendered).toEqual(expect.arrayContaining(['/dashboard', '/dashboard/beoordelen', 'import preview']));
      const overview = await (await shared.get('/dashboard', cookie)).text();
      expect(overview).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    });

    it('answers quotes, unions and comments in every filter parameter of every page with a clear 400 or a normal page, never a 500', async () => {
      const { cookie } = await shared.session('raad@zaanstad.test');
      const region = await shared.session('regio@velsen.test');
      const payloads = ["' OR '1'='1", "1' UNION SELECT password_hash FROM users--", "'; DROP TABLE signals; --", "2026-01-01' OR 1=1--", 'WK047901\'--', '\\', '$1'];
      const pages = routesOf(shared.app).filter((r) => r.method === 'GET' && r.path.startsWith('/dashboard') && !hasParams(r.path) && r.path !== '/dashboard/login');
      const signalsBefore = await count('signals');
      let cases = 0;
      // All payloads for a council member; the first three for a region user, whose scope spans municipalities.
      for (const [who, tried] of [[cookie, payloads], [region.cookie, payloads.slice(0, 3)]] as const) {
        for (const route of pages) {
          for (const param of [...filterParams, 'opgeslagen', 'lang', 'pagina', 'sort']) {
            for (const payload of tried) {
              const response = await shared.get(`${route.path}?${new URLSearchParams({ [param]: payload }).toString()}`, who);
              const body = await response.text();
              const where = `${route.path}?${param}=${payload}`;
              expect([200, 303, 400, 403], where).toContain(response.status);
              expect(body, where).not.toMatch(/syntax error|scrypt\$|\bat [A-Za-z.]+ \(|node_modules|ERROR:/);
              cases++;
            }
          }
        }
      }
      expect(cases).toBeGreaterThan(100);
      expect(await count('signals')).toBe(signalsBefore);
      // A filter that is known but out of its list says which one, in Dutch.
      const bad = await shared.get(`/dashboard?domein=${encodeURIComponent("geld' OR 1=1--")}`, cookie);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('geld&#39; OR 1=1--');
    }, 300_000);
  });

  describe('imports', () => {
    it('treats an uploaded file name with ../ as a label: nothing is read from the server, only the base name is recorded', async () => {
      const { cookie, csrf } = await shared.session('team@zaanstad.test', '/dashboard/importeren');
      for (const name of ['../../../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd', '....//....//etc/passwd']) {
        const empty = new FormData();
        empty.set('csrf', csrf);
        empty.set('file', new File([''], name));
        const refused = await shared.post('/dashboard/importeren/voorbeeld', empty, cookie);
        expect(refused.status).toBe(400);
        expect(await refused.text()).not.toMatch(/root:x:0:0|\[fonts\]/);
      }
      const upload = new FormData();
      upload.set('csrf', csrf);
      upload.set('file', new File(['{"id":"pt-1","text":"Lantaarnpaal kapot"}\n'], '../../../../etc/passwd.jsonl'));
      const preview = await shared.post('/dashboard/importeren/voorbeeld', upload, cookie);
      const page = await preview.text();
      expect(preview.status).toBe(200);
      expect(page).not.toContain('root:x:0:0');
      expect(page).toContain('Lantaarnpaal kapot');
      expect(page).not.toContain('value="../');
      const confirm = await shared.post('/dashboard/importeren', new URLSearchParams({ csrf, content: '{"id":"pt-2","text":"Bankje weg"}', format: 'jsonl', fileName: '../../../etc/cron.d/x.jsonl' }), cookie);
      expect(confirm.status).toBe(200);
      const audit = await shared.database.db.selectFrom('audit_log').select('details').where('action', '=', 'signals.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect((audit.details as { file?: string }).file).toBe('x.jsonl');
    });
  });

  describe('webhook', () => {
    it('stores a delivery replayed concurrently once, and refuses an unsigned replay', async () => {
      const body = textDelivery('pn-security', '31611110000', 'Replay: de stoep is kapot');
      const signature = signBody(appSecret, body);
      const messages = async () => Number((await sql<{ n: string | number }>`select count(*) as n from messages where direction = 'in' and channel = 'whatsapp'`.execute(shared.database.db)).rows[0]?.n);
      const before = await messages();
      const send = (headers: Record<string, string>) => shared.request('/webhooks/whatsapp', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      const statuses = await Promise.all([1, 2, 3, 4].map(() => send({ 'x-hub-signature-256': signature })));
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const afterFirst = await messages();
      expect(afterFirst).toBeGreaterThan(before);
      expect((await send({ 'x-hub-signature-256': signature })).status).toBe(200);
      expect((await send({})).status).toBe(401);
      expect((await send({ 'x-hub-signature-256': signBody('another-secret', body) })).status).toBe(401);
      expect(afterFirst).toBe(before + 1);
      expect(await messages()).toBe(afterFirst);
    });
  });

  describe('headers', () => {
    it('sends a CSP without inline script, nosniff, a referrer policy and frame-ancestors none on every kind of page', async () => {
      const { cookie } = await shared.session('admin@zaanstad.test');
      for (const path of ['/dashboard', '/dashboard/login', '/chat', '/healthz', '/assets/site.css', '/niet-bestaand']) {
        const response = await shared.get(path, cookie);
        const csp = response.headers.get('content-security-policy') ?? '';
        const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
        expect(directives.get('script-src'), path).toEqual(["'self'"]);
        expect(directives.get('default-src'), path).toEqual(["'self'"]);
        expect(directives.get('object-src'), path).toEqual(["'none'"]);
        expect(directives.get('base-uri'), path).toEqual(["'none'"]);
        expect(directives.get('frame-ancestors'), path).toEqual(["'none'"]);
        expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(response.headers.get('referrer-policy'), path).toBe('same-origin');
        expect(response.headers.get('strict-transport-security'), path).toBeNull();
      }
    });

    it('sends HSTS only when served over TLS (PUBLIC_URL https), with secure cookies', async () => {
      const tls = createHttpApp({ db: shared.database.db, queue: shared.queue, logger, pseudonymKey: 'k'.repeat(32), defaultMunicipality: 'GM0479', secure: true, serveApp: true, health: () => shared.queue.health() });
      const response = await tls.request(`${base}/dashboard/login`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const login = await tls.request(`${base}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ email: 'admin@velsen.test', password: 'correct horse battery staple' }), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
      expect(login.status).toBe(303);
      expect(login.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
      expect((await shared.request('/dashboard/login')).headers.get('strict-transport-security')).toBeNull();
    });
  });
});
