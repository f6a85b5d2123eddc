/**
 * Clusters and the map through app.request() on each database kind: the cluster list (new and growing first, small
 * clusters withheld and counted, clients' and carers' shares, filters), a cluster page (escaped real text, timeline,
 * where residents live, audited), the printable report, the overview's short list, 404 for another municipality's
 * cluster (logged) and what a region user sees; the map as tiles without boundaries and as a choropleth with them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBoundaries } from '../db/gazetteer/boundaries.ts';
import { importBoundaries } from '../db/gazetteer/boundaries-import.ts';
import { listClusterSummaries } from '../db/repositories/clusters.ts';
import { projectOutlines, rateAreas } from '../dashboards/views/map-svg.ts';
import { databaseKinds, type TestDatabase } from './support/databases.ts';
import { seedUsers, startSeededApp, type Seeded, type SeededApp } from './support/dashboard-seed.ts';

const fixture = readFileSync(new URL('./fixtures/zaanstad-wijken.geojson', import.meta.url), 'utf8');

describe('map figures', () => {
  const area = (code: string, signals: number, residents: number, population: number | null) => ({ code, name: code, municipality_code: 'GM0479', signals, residents, population });

  it('rates per 1,000 inhabitants in five readable classes; small groups and missing populations get no rate', () => {
    const { areas, classes } = rateAreas([area('a', 10, 10, 1000), area('b', 5, 5, 1000), area('c', 3, 3, 1000), area('d', 0, 0, 1000), area('e', 9, 9, null), area('f', 1, 6, 5000)]);
    expect(classes.bounds).toEqual([2, 4, 6, 8, 10]);
    expect(areas.map((a) => [a.code, a.rate, a.areaClass])).toEqual([
      ['a', 10, { kind: 'class', index: 4 }],
      ['b', 5, { kind: 'class', index: 2 }],
      ['c', undefined, { kind: 'suppressed' }],
      ['d', 0, { kind: 'zero' }],
      ['e', undefined, { kind: 'no-population' }],
      ['f', 0.2, { kind: 'class', index: 0 }],
    ]);
  });

  it('projects outlines into the box, north up', () => {
    const outlines = new Map([
      ['n', [[[[4.8, 52.5], [4.9, 52.5], [4.9, 52.6], [4.8, 52.5]]]] as [number, number][][][]],
      ['s', [[[[4.8, 52.4], [4.9, 52.4], [4.9, 52.5], [4.8, 52.4]]]] as [number, number][][][]],
    ]);
    const projected = projectOutlines(outlines, 640, 480);
    expect(projected.width).toBe(640);
    expect(projected.height).toBeLessThanOrEqual(480);
    const ys = (code: string) => [...(projected.paths.get(code) ?? '').matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.max(...ys('n'))).toBeLessThanOrEqual(Math.min(...ys('s')) + 0.1);
    expect(projected.paths.get('n')).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+Z$/);
  });
});

/** The cells after a row header with this label, as text. */
function rowOf(page: string, label: string): string[] {
  const rows = page.split('<tr class="utrecht-table__row"');
  const row = rows.find((r) => new RegExp(`<th scope="row"[^>]*>(?:<a [^>]*>)?${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:</a>)?</th>`).test(r));
  if (!row) throw new Error(`no row ${label}`);
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => (m[1] ?? '').trim());
}

/** The cluster ids of the list, in order. */
const listed = (page: string) => [...page.matchAll(/data-cluster="([^"]+)"/g)].map((m) => m[1]);

/** A cluster row's cells by their data-label. */
function cellsOf(page: string, id: string): Record<string, string> {
  const row = page.split('<tr class="utrecht-table__row cluster-row"').find((r) => r.includes(`data-cluster="${id}"`)) ?? '';
  return Object.fromEntries([...row.matchAll(/<td[^>]*data-label="([^"]+)">([\s\S]*?)<\/td>/g)].map((m): [string, string] => [m[1] ?? '', (m[2] ?? '').replace(/<[^>]+>/g, '').trim()]));
}

describe.each(databaseKinds)('clusters and map on %s', (kind) => {
  let env: SeededApp;
  let database: TestDatabase;
  let seeded: Seeded;
  const get = (path: string, cookie: string) => env.get(path, cookie);
  const login = (email: string) => env.login(email);
  const audits = (action: string) => env.audits(action);

  beforeAll(async () => {
    env = await startSeededApp(kind);
    ({ database, seeded } = env);
  });

  afterAll(async () => {
    await env.close();
  });

  describe('cluster list', () => {
    it('puts new and growing clusters first, withholds and counts the small one, shows the figures of each', async () => {
      const cookie = await login(seedUsers.council);
      const response = await get('/dashboard/clusters', cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Clusters van Zaanstad');
      const { clusters } = seeded;
      expect(listed(page)).toEqual([clusters.growing, clusters.rising, clusters.stable]);
      expect(page).toContain('1 cluster met minder dan 5 inwoners tonen we niet');
      expect(page).not.toContain('bankjes park');
      expect(page).not.toContain('fietspad wormer');
      expect(cellsOf(page, clusters.stable)).toMatchObject({
        Inwoners: '8',
        Trend: 'afnemend',
        Levensdomeinen: 'Zorg en ondersteuning, Mantelzorg',
        Wijken: 'Zaandam-Centrum (6), Zaandam-West (&lt; 5)',
        Mantelzorgers: '&lt; 5',
        Stemming: 'negatief (-0,6)',
      });
      // Five of eight residents use care: the share and the count (Intl may put a space before %).
      expect(cellsOf(page, clusters.stable)['Gebruikt zorg']).toMatch(/^63\s?%\s\(5\)$/);
      expect(cellsOf(page, clusters.growing)).toMatchObject({ Inwoners: '6', Trend: 'groeiend (snelle groei)' });
      expect(cellsOf(page, clusters.growing)['Gebruikt zorg']).toMatch(/^0\s?%\s\(0\)$/);
      expect(cellsOf(page, clusters.rising)).toMatchObject({ Inwoners: '5', Trend: 'nieuw (snelle groei)', 'Gebruikt zorg': '&lt; 5' });
      // The label is escaped and links to the cluster page with the filters.
      expect(page).toContain(`href="/dashboard/clusters/${clusters.rising}">=HYPERLINK(&quot;http://x.test&quot;) bus gezondheidscentrum</a>`);
      expect(page).not.toMatch(/\sstyle=/);
      expect(page).toContain('href="/dashboard/export/clusters.csv"');
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('keeps the dashboard filters: a narrower group can withhold a cluster; nonsense is a clear 400', async () => {
      const cookie = await login(seedUsers.council);
      const clients = await (await get('/dashboard/clusters?rol=client', cookie)).text();
      expect(listed(clients)).toEqual([seeded.clusters.stable]);
      expect(cellsOf(clients, seeded.clusters.stable).Inwoners).toBe('5');
      expect(clients).toContain('1 cluster met minder dan 5 inwoners tonen we niet');
      expect(clients).toContain(`href="/dashboard/clusters/${seeded.clusters.stable}?rol=client"`);
      const clientPage = await (await get(`/dashboard/clusters/${seeded.clusters.stable}?rol=client`, cookie)).text();
      expect(clientPage).toContain('id="cluster-filters">Filters: Zorg of mantelzorg: gebruikt zorg of ondersteuning</p>');
      expect(clientPage).toContain('id="fact-residents">5<');
      expect(clients).toContain('<option value="client" selected>');
      // The navigation keeps the filter for every figures view.
      expect(clients).toContain('href="/dashboard/kaart?rol=client"');
      expect(clients).toContain('href="/dashboard/wie?rol=client"');
      const wijk = await (await get('/dashboard/clusters?wijk=WK047901', cookie)).text();
      expect(listed(wijk)).toEqual([seeded.clusters.stable]);
      expect(cellsOf(wijk, seeded.clusters.stable).Inwoners).toBe('6');
      const bad = await get('/dashboard/clusters?domein=%3Cscript%3E', cookie);
      expect(bad.status).toBe(400);
      const text = await bad.text();
      expect(text).toContain('kent de waarde &quot;&lt;script&gt;&quot; niet');
      expect(listed(text)).toEqual([]);
      expect((await get('/dashboard/clusters?wijk=WK088001', cookie)).status).toBe(400);
      const english = await (await get('/dashboard/clusters?lang=en', cookie)).text();
      expect(english).toContain('Clusters of Zaanstad');
      expect(english).toContain('We do not show 1 cluster with fewer than 5 residents');
      await get('/dashboard/clusters?lang=nl', cookie);
    });

    it('counts trend, domains and wijken only for the clusters that may be shown', async () => {
      const all = await listClusterSummaries(database.db, ['GM0479'], {}, { detailed: (residents) => residents >= 5 });
      const small = all.find((c) => c.id === seeded.clusters.small);
      expect(small).toMatchObject({ residents: 4, signals: 4, domains: [], wijken: [] });
      expect(all.find((c) => c.id === seeded.clusters.stable)?.wijken.map((w) => w.code)).toEqual(['WK047901', 'WK047902']);
      expect(all.find((c) => c.id === seeded.clusters.growing)?.trend).toBe('growing');
    });

    it('lists new and growing clusters first on the overview, linking to their pages', async () => {
      const cookie = await login(seedUsers.council);
      const page = await (await get('/dashboard', cookie)).text();
      const section = /<section aria-labelledby="rising-heading" id="rising-clusters">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
      expect(section).toContain('Nieuwe en groeiende clusters');
      expect([...section.matchAll(/href="\/dashboard\/clusters\/([^"?]+)"/g)].map((m) => m[1])).toEqual([seeded.clusters.growing, seeded.clusters.rising]);
      expect(section).toContain('groeiend (snelle groei), 6 inwoners');
      expect(page.indexOf('id="rising-clusters"')).toBeLessThan(page.indexOf('id="over-time-heading"'));
      const filtered = await (await get('/dashboard?rol=carer', cookie)).text();
      expect(filtered).toContain('Nu geen nieuwe of groeiende clusters met minstens 5 inwoners.');
    });
  });

  describe('cluster page', () => {
    it('shows the redacted signals as escaped text, the timeline and where residents live, and audits the view', async () => {
      const cookie = await login(seedUsers.council);
      const response = await get(`/dashboard/clusters/${seeded.clusters.rising}`, cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Cluster: =HYPERLINK(&quot;http://x.test&quot;) bus gezondheidscentrum');
      expect(page).toContain('geen citaat');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; De bus naar het gezondheidscentrum rijdt niet meer');
      expect(page).not.toContain('<script>alert(1)');
      expect([...page.matchAll(/<blockquote class="utrecht-blockquote signal-text"/g)]).toHaveLength(5);
      expect(page).toMatch(/<svg class="chart__svg" viewBox="0 0 640 220" role="img" aria-labelledby="cluster-timeline-title"/);
      expect(rowOf(page, 'Poelenburg')).toEqual(['5', '5']);
      expect(page).toContain('id="fact-residents">5<');
      expect(page).not.toMatch(/\sstyle=/);
      const view = (await audits('signals.view')).at(-1);
      expect(view?.details).toMatchObject({ view: 'cluster', cluster: seeded.clusters.rising, count: 5 });
      expect([...(view?.details.signal_ids as string[])].sort()).toEqual([...seeded.signals.rising].sort());

      const english = await (await get(`/dashboard/clusters/${seeded.clusters.rising}?lang=en`, cookie)).text();
      expect(english).toContain('The label is key words chosen by the analysis, not a quote.');
      expect(english).toContain('Where the residents live');
      expect(english).toContain('new (fast growth)');
      await get('/dashboard?lang=nl', cookie);
      const stable = await (await get(`/dashboard/clusters/${seeded.clusters.stable}`, cookie)).text();
      expect(rowOf(stable, 'Zaandam-Centrum')).toEqual(['6', '6']);
      expect(rowOf(stable, 'Zaandam-West')).toEqual(['&lt; 5', '&lt; 5']);
    });

    it('withholds a cluster of fewer than five residents (also under a filter), showing and auditing no text', async () => {
      const cookie = await login(seedUsers.council);
      const before = (await audits('signals.view')).length;
      const small = await get(`/dashboard/clusters/${seeded.clusters.small}`, cookie);
      expect(small.status).toBe(200);
      const page = await small.text();
      expect(page).toContain('id="cluster-withheld"');
      expect(page).not.toContain('Te weinig bankjes');
      const filtered = await (await get(`/dashboard/clusters/${seeded.clusters.stable}?rol=carer`, cookie)).text();
      expect(filtered).toContain('id="cluster-withheld"');
      expect(filtered).not.toContain('huishoudelijke hulp (');
      expect((await audits('signals.view')).length).toBe(before);
    });

    it("refuses another municipality's cluster and unknown ids with 404, logged; a region user reads the region", async () => {
      const cookie = await login(seedUsers.council);
      for (const id of [seeded.clusters.foreign, 'c-nietbestaand', 'c-%3Cx%3E']) {
        const response = await get(`/dashboard/clusters/${id}`, cookie);
        expect(response.status, id).toBe(404);
        expect(await response.text()).toBe('Dit cluster bestaat niet in jouw gemeente.');
      }
      expect((await get(`/dashboard/clusters/${seeded.clusters.foreign}/rapport`, cookie)).status).toBe(404);
      const badFilter = await get(`/dashboard/clusters/${seeded.clusters.stable}?rol=burgemeester`, cookie);
      expect(badFilter.status).toBe(400);
      expect(await badFilter.text()).toContain('Het filter Zorg of mantelzorg kent de waarde');
      const refused = (await audits('access.refused')).filter((a) => a.subject_type === 'cluster');
      expect(refused.map((a) => a.subject_id)).toContain(seeded.clusters.foreign);
      expect(refused[0]?.details).toMatchObject({ status: 404, reason: 'cluster not in municipality' });

      const foreignCouncil = await login(seedUsers.foreignCouncil);
      expect((await get(`/dashboard/clusters/${seeded.clusters.rising}`, foreignCouncil)).status).toBe(404);
      expect(listed(await (await get('/dashboard/clusters', foreignCouncil)).text())).toEqual([seeded.clusters.foreign]);

      const region = await login(seedUsers.region);
      const list = await (await get('/dashboard/clusters', region)).text();
      expect(listed(list)).toEqual([seeded.clusters.growing, seeded.clusters.rising, seeded.clusters.foreign, seeded.clusters.stable]);
      expect(list).toContain('(Wormerland)');
      expect((await get(`/dashboard/clusters/${seeded.clusters.rising}`, region)).status).toBe(200);
      expect((await get(`/dashboard/clusters/${seeded.clusters.foreign}`, region)).status).toBe(200);
    });

    it('has a printable report with the date, the filters and the signals, audited as a report', async () => {
      const cookie = await login(seedUsers.team);
      const response = await get(`/dashboard/clusters/${seeded.clusters.stable}/rapport?wijk=WK047901`, cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Rapport: wachtlijst huishoudelijke hulp');
      expect(page).toContain('id="report-filters">Filters: Wijk: Zaandam-Centrum</p>');
      expect([...page.matchAll(/<blockquote class="utrecht-blockquote signal-text"/g)]).toHaveLength(6);
      expect(page).toContain('class="utrecht-paragraph no-print" id="print-hint"');
      expect((await audits('signals.view')).at(-1)?.details).toMatchObject({ view: 'cluster.report', count: 6 });
      const clusterPage = await (await get(`/dashboard/clusters/${seeded.clusters.stable}?wijk=WK047901`, cookie)).text();
      expect(clusterPage).toContain(`href="/dashboard/clusters/${seeded.clusters.stable}/rapport?wijk=WK047901"`);
    });
  });

  describe('map', () => {
    it('without boundaries shows a tile per wijk with signals per 1,000 inhabitants as text', async () => {
      const cookie = await login(seedUsers.council);
      const response = await get('/dashboard/kaart', cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('id="map-tiles-note"');
      const tiles = [...page.matchAll(/<li class="map-tile map-fill--([a-z0-9-]+)" data-code="([^"]+)">([\s\S]*?)<\/li>/g)];
      expect(tiles).toHaveLength(15);
      const tile = (code: string) => tiles.find((t) => t[2] === code);
      const population = await database.db
        .selectFrom('buurten')
        .select((eb) => eb.fn.sum<string>('inwoners').as('n'))
        .where('wijk_code', '=', 'WK047901')
        .executeTakeFirstOrThrow();
      const rate = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format((6 / Number(population.n)) * 1000);
      expect(tile('WK047901')?.[3]).toContain(`${rate} per 1.000`);
      expect(tile('WK047901')?.[1]).toMatch(/^c[0-4]$/);
      // Two residents in Zaandam-West, four in Rosmolenwijk: no rate, no count, hatched.
      expect(tile('WK047902')?.[1]).toBe('suppressed');
      expect(tile('WK047902')?.[3]).toContain('Signalen: &lt; 5');
      expect(tile('WK047904')?.[1]).toBe('suppressed');
      expect(tile('WK047905')?.[1]).toBe('zero');
      expect(tile('WK047905')?.[3]).toContain('geen signalen');
      expect(rowOf(page, 'Zaandam-Centrum').slice(0, 2)).toEqual(['6', '6']);
      expect(rowOf(page, 'Zaandam-Centrum')[3]).toBe(rate);
      expect(rowOf(page, 'Zaandam-West')).toEqual(['&lt; 5', '&lt; 5', expect.any(String) as string, '&lt; 5']);
      expect(page).not.toMatch(/\sstyle=/);
      expect((await get('/dashboard/kaart?niveau=buurt', cookie)).status).toBe(400);
    });

    it('with imported boundaries draws a choropleth with a legend and the same figures in a table', async () => {
      await importBoundaries(database.db, parseBoundaries(fixture), { fileName: 'zaanstad-wijken.geojson', actor: 'test' });
      const cookie = await login(seedUsers.council);
      const response = await get('/dashboard/kaart?rol=client', cookie);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).not.toContain('id="map-tiles-note"');
      expect(page).toMatch(/<svg class="map__svg" viewBox="0 0 640 \d+" role="img" aria-labelledby="map-title"/);
      const paths = [...page.matchAll(/<path class="map-area map-fill--([a-z0-9-]+)" data-code="([^"]+)" d="M[\d. LZM]+"/g)];
      expect(paths).toHaveLength(15);
      // Under rol=client: five clients in Zaandam-Centrum, one in Poelenburg.
      expect(paths.find((p) => p[2] === 'WK047901')?.[1]).toMatch(/^c[0-4]$/);
      expect(paths.find((p) => p[2] === 'WK047906')?.[1]).toBe('suppressed');
      expect(page).toContain('Legenda: signalen per 1.000 inwoners');
      expect(rowOf(page, 'Poelenburg')).toEqual(['&lt; 5', '&lt; 5', expect.any(String) as string, '&lt; 5']);
      expect(page).toContain('href="/dashboard/clusters?rol=client"');
      const region = await (await get('/dashboard/kaart', await login(seedUsers.region))).text();
      // Wormer has no outline: the map draws Zaanstad's, the table lists both municipalities' wijken.
      expect([...region.matchAll(/<path class="map-area/g)]).toHaveLength(15);
      expect(rowOf(region, 'Wormer')[0]).toBe('5');
    });
  });
});
