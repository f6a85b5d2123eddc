/**
 * Slice 2 of the dashboard (issue 5) through app.request() on each database kind: the overview (chart, domains,
 * wijken, filters), who is heard (rates against the gazetteer, the representation score, the reach warning), the
 * review queue (urgent first, corrections stored and applied, labelled-example export, accuracy panel, foreign ids,
 * CSRF, roles), and small-group suppression at the 4/5 edge. Signals are seeded with analysis fields directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { countText, representationScore, shown } from '../dashboards/suppression.ts';
import { accuracyPerDomain } from '../db/repositories/dashboard-review.ts';
import { findOrCreateResident } from '../db/repositories/residents.ts';
import { insertSignal, storeAnalysis } from '../db/repositories/signals.ts';
import type { AgeBand, ResidentRole, Signal, SignalSource } from '../db/database.ts';
import { databaseKinds, type TestDatabase } from './support/databases.ts';
import { csrfOf, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';


describe('small-group suppression helper', () => {
  it('hides figures of 1 to 4 residents and shows 0 and 5 or more', () => {
    expect(shown(12, 4)).toEqual({ suppressed: true });
    expect(shown(1, 1)).toEqual({ suppressed: true });
    expect(shown(5, 5)).toEqual({ suppressed: false, value: 5 });
    expect(shown(0, 0)).toEqual({ suppressed: false, value: 0 });
    expect(countText(shown(3, 1), 'nl-NL')).toBe('< 5');
    expect(countText(shown(1234, 10), 'nl-NL')).toBe('1.234');
  });

  it('computes the representation score over groups with a population, never from a small count', () => {
    expect(representationScore([{ residents: 10, population: 1000 }, { residents: 5, population: 1000 }]).kind).toBe('value');
    expect(representationScore([{ residents: 10, population: 1000 }, { residents: 5, population: 1000 }])).toEqual({ kind: 'value', value: 0.5 });
    expect(representationScore([{ residents: 10, population: 1000 }, { residents: 0, population: 1000 }])).toEqual({ kind: 'value', value: 0 });
    // A group without population does not count; one group is no comparison.
    expect(representationScore([{ residents: 10, population: 1000 }, { residents: 50, population: null }])).toEqual({ kind: 'none' });
    // 3 residents in a group: only a bound from populations, the same for 1, 2, 3 or 4 residents.
    const bounds = [1, 2, 3, 4].map((n) => representationScore([{ residents: 20, population: 1000 }, { residents: 10, population: 1000 }, { residents: n, population: 500 }]));
    for (const b of bounds) expect(b).toEqual({ kind: 'below', bound: 0.5 });
    expect(representationScore([{ residents: 3, population: 1000 }, { residents: 2, population: 1000 }])).toEqual({ kind: 'none' });
  });

  it('counts corrections per domain', () => {
    expect(accuracyPerDomain([{ old_domains: ['geld'], new_domains: ['geld', 'wonen'] }, { old_domains: ['geld', 'zorg'], new_domains: ['zorg'] }])).toEqual([
      { domain: 'geld', involved: 2, removed: 1, added: 0 },
      { domain: 'wonen', involved: 1, removed: 0, added: 1 },
      { domain: 'zorg', involved: 1, removed: 0, added: 0 },
    ]);
  });
});

/** The cells after a row header with this label, as text. */
function rowOf(page: string, label: string): string[] {
  const rows = page.split('<tr class="utrecht-table__row"');
  const row = rows.find((r) => new RegExp(`<th scope="row"[^>]*>(?:<a [^>]*>)?${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:</a>)?</th>`).test(r));
  if (!row) throw new Error(`no row ${label}`);
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => (m[1] ?? '').trim());
}

describe.each(databaseKinds)('dashboard figures and review on %s', (kind) => {
  let shared: DashboardApp;
  let database: TestDatabase;
  const signals: Record<string, Signal> = {};

  const get = (path: string, cookie: string) => shared.get(path, cookie);
  const post = (path: string, body: URLSearchParams, cookie: string) => shared.post(path, body, cookie);
  const audits = (action: string) => database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const login = (email: string) => shared.loggedIn(email);

  async function seed(
    name: string,
    s: { municipality?: string; source?: SignalSource; domains: string[]; wijk: string | null; at: string; resident?: { key: string; ageBand?: AgeBand; role?: ResidentRole }; review?: boolean; urgent?: boolean; language?: string },
  ): Promise<void> {
    const municipalityCode = s.municipality ?? 'GM0479';
    let residentId: string | null = null;
    if (s.resident) {
      const resident = await findOrCreateResident(database.db, { municipalityCode, channel: 'web', channelKeyHash: s.resident.key });
      await database.db.updateTable('residents').set({ age_band: s.resident.ageBand ?? null, role: s.resident.role ?? null }).where('id', '=', resident.id).execute();
      residentId = resident.id;
    }
    const text = `Signaal ${name}: <b>tekst</b> van [naam]`;
    const signal = await insertSignal(database.db, { municipalityCode, source: s.source ?? (residentId ? 'web' : 'street'), text, residentId });
    await storeAnalysis(database.db, signal.id, {
      language: s.language ?? 'nl',
      textRedacted: text,
      domains: s.domains.map((key, i) => ({ key, confidence: 0.9 - i * 0.2 })),
      review: s.review ?? false,
      wijkCode: s.wijk,
      buurtCode: null,
      sentiment: -0.2,
      urgent: s.urgent ?? false,
    });
    await sql`update signals set received_at = ${new Date(s.at)} where id = ${signal.id}`.execute(database.db);
    signals[name] = (await database.db.selectFrom('signals').selectAll().where('id', '=', signal.id).executeTakeFirstOrThrow());
  }

  beforeAll(async () => {
    // Zaanstad joins Wormerland's region only in the region test; no workers: signals are seeded as analysed.
    shared = await startDashboardApp(kind, {
      zaanstadInRegion: false,
      workers: false,
      users: [
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['raad@zaanstad.test', 'council', 'GM0479'],
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['regio@wormerland.test', 'region', 'GM0880'],
        ['team@wormerland.test', 'team', 'GM0880'],
      ],
    });
    database = shared.database;
    // Week of 2 March: five residents (15–25, clients) about housing in Zaandam-Centrum: exactly five, shown.
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) {
      await seed(`wonen-${key}`, { domains: ['wonen'], wijk: 'WK047901', at: `2026-03-0${2 + i}T10:00:00Z`, resident: { key: `resident-${key}`, ageBand: '15_25', role: 'client' } });
    }
    // Week of 9 March: four street signals about money in Zaandam-West: four people, suppressed.
    for (const key of ['a', 'b', 'c', 'd']) await seed(`geld-${key}`, { domains: ['geld'], wijk: 'WK047902', at: '2026-03-10T10:00:00Z' });
    // Week of 16 March: one resident tells three signals about care: three signals, but one person, suppressed.
    for (const key of ['a', 'b', 'c']) await seed(`zorg-${key}`, { domains: ['zorg'], wijk: 'WK047903', at: '2026-03-17T10:00:00Z', resident: { key: 'resident-f', ageBand: '65_plus', role: 'carer' } });
    // For the review queue: an unsure one (older) and an urgent one (newer), and another municipality's.
    await seed('unsure', { domains: ['veiligheid'], wijk: 'WK047904', at: '2026-03-18T09:00:00Z', review: true });
    await seed('urgent', { domains: ['veiligheid'], wijk: null, at: '2026-03-18T12:00:00Z', urgent: true });
    await seed('foreign', { municipality: 'GM0880', domains: ['veiligheid'], wijk: 'WK088001', at: '2026-03-18T12:00:00Z', review: true });
  });

  afterAll(() => shared.close());

  describe('overview', () => {
    it('is the landing page: totals, a chart with a table, domains and wijken, suppressed under five residents', async () => {
      const cookie = await login('raad@zaanstad.test');
      const response = await get('/dashboard', cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Overzicht van Zaanstad');
      expect(page).toContain('14 signalen van 12 inwoners.');
      // Domains: five residents shown, four street signals and one resident's three signals suppressed.
      expect(rowOf(page, 'Wonen')).toEqual(['5', '5']);
      expect(rowOf(page, 'Geld en schulden')).toEqual(['&lt; 5', '&lt; 5']);
      expect(rowOf(page, 'Zorg en ondersteuning')).toEqual(['&lt; 5', '&lt; 5']);
      expect(page).not.toMatch(/>3<\/td>/);
      expect(page).not.toMatch(/>4<\/td>/);
      // Wijken by name, and unplaced signals.
      expect(rowOf(page, 'Zaandam-Centrum')).toEqual(['5', '5']);
      expect(rowOf(page, 'Zaandam-West')).toEqual(['&lt; 5', '&lt; 5']);
      expect(rowOf(page, 'Nog niet geplaatst')).toEqual(['&lt; 5', '&lt; 5']);
      // Per week: an SVG chart with one bar (the week of 2 March), and the same figures as a table.
      expect(page).toContain('Signalen per week');
      expect(page).toMatch(/<svg class="chart__svg" viewBox="0 0 640 220" role="img" aria-labelledby="over-time-chart-title"/);
      expect([...page.matchAll(/<rect class="chart__bar"/g)]).toHaveLength(1);
      expect(rowOf(page, '2 mrt 2026')).toEqual(['5', '5']);
      expect(rowOf(page, '9 mrt 2026')).toEqual(['&lt; 5', '&lt; 5']);
      expect(page).not.toMatch(/\sstyle=/);
      // Resident text escaped in the list; the view is audited.
      expect(page).toContain('Signaal wonen-a: &lt;b&gt;tekst&lt;/b&gt;');
      expect(page).not.toContain('<b>tekst</b>');
      const views = await audits('signals.view');
      expect(views.at(-1)?.details).toMatchObject({ count: 14 });
    });

    it('filters by domain, age band, role, wijk, channel, language and period, and keeps the filters in its links', async () => {
      const cookie = await login('raad@zaanstad.test');
      const total = async (query: string) => /<p class="utrecht-paragraph overview-total" id="overview-total">([^<]*)<\/p>/.exec(await (await get(`/dashboard${query}`, cookie)).text())?.[1];
      expect(await total('?domein=wonen')).toBe('5 signalen van 5 inwoners.');
      expect(await total('?leeftijd=15_25&rol=client')).toBe('5 signalen van 5 inwoners.');
      expect(await total('?wijk=WK047901&taal=nl')).toBe('5 signalen van 5 inwoners.');
      expect(await total('?van=2026-03-02&tot=2026-03-06')).toBe('5 signalen van 5 inwoners.');
      expect(await total('?van=2026-03-02&tot=2026-03-05')).toBe('&lt; 5 signalen van &lt; 5 inwoners.');
      expect(await total('?bron=street')).toBe('6 signalen van 6 inwoners.');
      expect(await total('?bron=street&domein=geld')).toBe('&lt; 5 signalen van &lt; 5 inwoners.');
      expect(await total('?rol=carer')).toBe('&lt; 5 signalen van &lt; 5 inwoners.');
      expect(await total('?taal=en')).toBeUndefined();
      // Four residents under a narrowing filter: no list either.
      const small = await (await get('/dashboard?domein=geld', cookie)).text();
      expect(small).toContain('id="list-suppressed"');
      expect(small).not.toContain('Signaal geld-a');
      const five = await (await get('/dashboard?domein=wonen', cookie)).text();
      expect(five).toContain('Signaal wonen-e');
      expect(five).not.toContain('Signaal geld-a');
      // The filter is kept: in the form, in the navigation to Who is heard, in the domain links.
      expect(five).toContain('<option value="wonen" selected>');
      expect(five).toContain('href="/dashboard/wie?domein=wonen"');
      const who = await (await get('/dashboard/wie?domein=wonen&leeftijd=15_25', cookie)).text();
      expect(who).toContain('href="/dashboard?domein=wonen&amp;leeftijd=15_25"');
    });

    it.each([
      ['?domein=%3Cscript%3E', 'kent de waarde &quot;&lt;script&gt;&quot; niet'],
      ['?van=2026-02-30', 'is geen datum'],
      ['?van=gisteren', 'is geen datum'],
      ['?van=2026-03-10&tot=2026-03-01', 'ligt na de datum'],
      ['?wijk=WK088001', 'Het filter Wijk kent de waarde'],
      ['?wijk=1%27%20or%201%3D1', 'Het filter Wijk kent de waarde'],
      ['?leeftijd=99', 'Het filter Leeftijd kent'],
      ['?rol=burgemeester', 'Het filter Zorg of mantelzorg kent'],
      ['?taal=nl%27%3B--', 'Het filter Taal kent'],
      ['?bron=fax', 'Het filter Kanaal kent'],
      ['?status=kapot', 'Het filter Status kent'],
    ])('answers a nonsense filter %s with a clear message (400), on the overview and on who is heard', async (query, message) => {
      const cookie = await login('raad@zaanstad.test');
      const response = await get(`/dashboard${query}`, cookie);
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain(message);
      expect(page).toContain('role="alert"');
      expect(page).not.toContain('<script>');
      if (!query.startsWith('?status')) expect((await get(`/dashboard/wie${query}`, cookie)).status).toBe(400);
    });

    it("a region user sees the region's municipalities, and their wijken are valid filters", async () => {
      await database.db.updateTable('municipalities').set({ region: 'Zaanstreek' }).where('code', '=', 'GM0479').execute();
      const cookie = await login('regio@wormerland.test');
      const page = await (await get('/dashboard', cookie)).text();
      expect(page).toContain('15 signalen van 13 inwoners.');
      expect((await get('/dashboard?wijk=WK088001', cookie)).status).toBe(200);
      // A plain member of Wormerland sees only Wormerland, and Zaanstad's wijk is nonsense to them.
      const own = await login('team@wormerland.test');
      expect((await get('/dashboard?wijk=WK047901', own)).status).toBe(400);
      expect(await (await get('/dashboard', own)).text()).toContain('&lt; 5 signalen van &lt; 5 inwoners.');
    });
  });

  describe('who is heard', () => {
    it('shows participation per 1,000 inhabitants, the representation score and the reach warning in Dutch and English', async () => {
      const cookie = await login('raad@zaanstad.test');
      const response = await get('/dashboard/wie', cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('deze aantallen laten zien wie we bereiken, niet hoe vaak een probleem voorkomt');
      const population = await database.db
        .selectFrom('buurten')
        .select((eb) => eb.fn.sum<string>('inwoners_15_25').as('n'))
        .where('municipality_code', '=', 'GM0479')
        .executeTakeFirstOrThrow();
      const pop = Number(population.n);
      expect(pop).toBeGreaterThan(0);
      const young = rowOf(page, '15 tot 25');
      expect(young[0]).toBe('5');
      expect(young[1]).toBe(new Intl.NumberFormat('nl-NL').format(pop));
      expect(young[2]).toBe(new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format((5 / pop) * 1000));
      // One resident of 65+: no count, no rate.
      expect(rowOf(page, '65 of ouder').slice(0, 1)).toEqual(['&lt; 5']);
      expect(rowOf(page, '65 of ouder')[2]).toBe('&lt; 5');
      // Other age bands were not heard at all: the score is 0.
      expect(rowOf(page, '25 tot 45')[0]).toBe('0');
      expect(/id="who-age-score"><strong>Representatiescore:<\/strong> ([^<]*)</.exec(page)?.[1]).toBe('0,00');
      // Channels and client/carer/resident as shares.
      expect(rowOf(page, 'webchat')[0]).toBe('6');
      expect(rowOf(page, 'gebruikt zorg of ondersteuning')[0]).toBe('5');
      expect(rowOf(page, 'mantelzorger')).toEqual(['&lt; 5', '&lt; 5']);
      expect(page).not.toMatch(/\sstyle=/);
      const english = await (await get('/dashboard/wie?lang=en', cookie)).text();
      expect(english).toContain('these counts show whom we reach, not how common a problem is');
      expect(english).toContain('Representation score');
    });
  });

  describe('review queue', () => {
    it('lists the unsure and urgent signals of the own municipality, urgent first, and audits the view', async () => {
      const cookie = await login('team@zaanstad.test');
      const response = await get('/dashboard/beoordelen', cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      const urgentAt = page.indexOf(signals.urgent?.reference ?? 'x');
      const unsureAt = page.indexOf(signals.unsure?.reference ?? 'x');
      expect(urgentAt).toBeGreaterThan(0);
      expect(unsureAt).toBeGreaterThan(urgentAt);
      expect(page).not.toContain(signals.foreign?.reference ?? 'x');
      expect(page).not.toContain(signals['wonen-a']?.reference ?? 'x');
      expect(page).toContain('Signaal unsure: &lt;b&gt;tekst&lt;/b&gt;');
      expect(page).not.toMatch(/\sstyle=/);
      const view = (await audits('signals.view')).at(-1);
      expect(view?.details).toMatchObject({ view: 'review', count: 2 });
      expect(view?.details.signal_ids).toEqual([signals.urgent?.id, signals.unsure?.id]);
    });

    it('refuses a region user (403, logged) and a POST without the CSRF token (nothing changed)', async () => {
      const region = await login('regio@wormerland.test');
      expect((await get('/dashboard/beoordelen', region)).status).toBe(403);
      expect((await audits('access.refused')).at(-1)?.details).toMatchObject({ path: '/dashboard/beoordelen', reason: 'role' });
      const cookie = await login('raad@zaanstad.test');
      const id = signals.unsure?.id ?? '';
      const response = await post(`/dashboard/beoordelen/${id}`, new URLSearchParams({ domain: 'geld', wijk: 'WK047905' }), cookie);
      expect(response.status).toBe(403);
      const wrong = await post(`/dashboard/beoordelen/${id}`, new URLSearchParams({ csrf: 'x'.repeat(32), domain: 'geld' }), cookie);
      expect(wrong.status).toBe(403);
      expect(await database.db.selectFrom('signal_reviews').selectAll().execute()).toEqual([]);
      const signal = await database.db.selectFrom('signals').select(['review', 'wijk_code']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(signal).toEqual({ review: true, wijk_code: 'WK047904' });
    });

    it("refuses another municipality's signal id (404, logged, nothing changed), and a bad id or bad values", async () => {
      const cookie = await login('raad@zaanstad.test');
      const csrf = csrfOf(await (await get('/dashboard/beoordelen', cookie)).text());
      const foreign = signals.foreign?.id ?? '';
      const response = await post(`/dashboard/beoordelen/${foreign}`, new URLSearchParams({ csrf, domain: 'geld' }), cookie);
      expect(response.status).toBe(404);
      expect((await audits('access.refused')).at(-1)).toMatchObject({ subject_type: 'signal', subject_id: foreign, details: { status: 404 } });
      const after = await database.db.selectFrom('signals').select(['domains', 'review']).where('id', '=', foreign).executeTakeFirstOrThrow();
      expect(after.review).toBe(true);
      expect(after.domains.map((d) => d.key)).toEqual(['veiligheid']);
      expect((await post('/dashboard/beoordelen/not-a-uuid', new URLSearchParams({ csrf }), cookie)).status).toBe(404);
      const id = signals.unsure?.id ?? '';
      const badDomain = await post(`/dashboard/beoordelen/${id}`, new URLSearchParams({ csrf, domain: 'vliegende_schotels' }), cookie);
      expect(badDomain.status).toBe(400);
      expect(await badDomain.text()).toContain('Kies alleen levensdomeinen uit de lijst.');
      const badWijk = await post(`/dashboard/beoordelen/${id}`, new URLSearchParams({ csrf, domain: 'geld', wijk: 'WK088001' }), cookie);
      expect(badWijk.status).toBe(400);
      expect(await database.db.selectFrom('signal_reviews').selectAll().execute()).toEqual([]);
    });

    it('stores a correction (who, when, old and new), updates the signal, leaves the queue, feeds the accuracy panel and the export', async () => {
      const cookie = await login('raad@zaanstad.test');
      const csrf = csrfOf(await (await get('/dashboard/beoordelen', cookie)).text());
      const id = signals.unsure?.id ?? '';
      const body = new URLSearchParams({ csrf, wijk: 'WK047905' });
      body.append('domain', 'geld');
      body.append('domain', 'wonen');
      const response = await post(`/dashboard/beoordelen/${id}`, body, cookie);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/dashboard/beoordelen?opgeslagen=${signals.unsure?.reference ?? ''}`);
      const reviews = await database.db.selectFrom('signal_reviews').selectAll().execute();
      expect(reviews).toHaveLength(1);
      const user = await database.db.selectFrom('users').select('id').where('email', '=', 'raad@zaanstad.test').executeTakeFirstOrThrow();
      expect(reviews[0]).toMatchObject({ signal_id: id, reviewer_user_id: user.id, old_domains: ['veiligheid'], new_domains: ['geld', 'wonen'], old_wijk_code: 'WK047904', new_wijk_code: 'WK047905', changed: true });
      const signal = await database.db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(signal.domains.map((d) => d.key).sort()).toEqual(['geld', 'wonen']);
      expect(signal.wijk_code).toBe('WK047905');
      expect(signal.review).toBe(false);
      expect((await audits('signal.review')).at(-1)).toMatchObject({ subject_id: id, details: { changed: true } });

      // The urgent one confirmed as it was: stored as a confirmation, and it leaves the queue too.
      const urgentId = signals.urgent?.id ?? '';
      expect((await post(`/dashboard/beoordelen/${urgentId}`, new URLSearchParams({ csrf, domain: 'veiligheid', wijk: '' }), cookie)).status).toBe(303);
      const page = await (await get(`/dashboard/beoordelen?opgeslagen=${signals.urgent?.reference ?? ''}`, cookie)).text();
      expect(page).toContain(`De beoordeling van ${signals.urgent?.reference ?? ''} is opgeslagen.`);
      expect(page).toContain('id="review-empty"');
      expect(page).toContain('1 van de 2 beoordelingen veranderden iets.');
      expect(rowOf(page, 'Veiligheid')).toEqual(['2', '1', '0', '50%']);
      expect(rowOf(page, 'Geld en schulden')).toEqual(['1', '0', '1', '100%']);
      expect(page).not.toContain('export.jsonl');

      // Only administrators download the labelled examples (CONTRACTS.md section 8: section 4 fields plus domains).
      expect((await get('/dashboard/beoordelen/export.jsonl', cookie)).status).toBe(403);
      const admin = await login('admin@zaanstad.test');
      expect(await (await get('/dashboard/beoordelen', admin)).text()).toContain('href="/dashboard/beoordelen/export.jsonl"');
      const exported = await get('/dashboard/beoordelen/export.jsonl', admin);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('application/jsonl; charset=utf-8');
      const lines = (await exported.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        { id, text: 'Signaal unsure: <b>tekst</b> van [naam]', source: 'street', municipality: 'GM0479', language: 'nl', domains: ['geld', 'wonen'] },
        { id: urgentId, text: 'Signaal urgent: <b>tekst</b> van [naam]', source: 'street', municipality: 'GM0479', language: 'nl', domains: ['veiligheid'] },
      ]);
      expect((await audits('review.export')).at(-1)?.details).toEqual({ count: 2 });
    });
  });

  it('every new page carries no inline script or style and the navigation shows the new sections by role', async () => {
    const nav = async (email: string) => {
      const page = await (await get('/dashboard', await login(email))).text();
      return [...page.matchAll(/class="utrecht-nav-list__link" href="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(await nav('team@zaanstad.test')).toEqual(['/dashboard', '/dashboard/clusters', '/dashboard/kaart', '/dashboard/wie', '/dashboard/agenda', '/dashboard/beoordelen', '/dashboard/notities', '/dashboard/importeren']);
    expect(await nav('regio@wormerland.test')).toEqual(['/dashboard', '/dashboard/clusters', '/dashboard/kaart', '/dashboard/wie', '/dashboard/agenda']);
    const cookie = await login('admin@zaanstad.test');
    for (const path of ['/dashboard', '/dashboard/wie', '/dashboard/beoordelen']) {
      const response = await get(path, cookie);
      const page = await response.text();
      expect(page, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(page, path).not.toMatch(/\son[a-z]+=/);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });
});
