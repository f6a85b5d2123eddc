/**
 * The dashboard's exports through app.request() on each database kind: clusters and signals as CSV (RFC 4180,
 * safe against formula injection) and JSON, redacted text only, small groups suppressed, filters applied, the
 * user's municipalities only (a region user's region), every export audited.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, safeText, toCsv } from '../dashboards/views/export-format.ts';
import { databaseKinds } from './support/databases.ts';
import { seedUsers, startSeededApp, type Seeded, type SeededApp } from './support/dashboard-seed.ts';


describe('CSV cells', () => {
  it('prefixes text that a spreadsheet would run as a formula, and quotes as RFC 4180 says', () => {
    expect(['=1+1', '+31 6', '-2', '@SUM(A1)', '\tx', '\rx'].map(safeText)).toEqual(["'=1+1", "'+31 6", "'-2", "'@SUM(A1)", "'\tx", "'\rx"]);
    expect(safeText('gewoon = tekst')).toBe('gewoon = tekst');
    expect(csvCell(-0.4)).toBe('-0.4');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('zei "nee"')).toBe('"zei ""nee"""');
    expect(csvCell('regel 1\nregel 2')).toBe('"regel 1\nregel 2"');
    expect(csvCell('=A1,"x"')).toBe('"\'=A1,""x"""');
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('\uFEFFa,b\r\n1,x\r\n');
  });
});

type CsvRecord = Record<string, string>;
const readCsv = (text: string): CsvRecord[] => parse(text, { bom: true, columns: true, relax_column_count: false });

describe.each(databaseKinds)('exports on %s', (kind) => {
  let env: SeededApp;
  let seeded: Seeded;
  const get = (path: string, cookie: string) => env.get(path, cookie);
  const login = (email: string) => env.login(email);
  const audits = (action: string) => env.audits(action);

  beforeAll(async () => {
    env = await startSeededApp(kind);
    ({ seeded } = env);
  });

  afterAll(async () => {
    await env.close();
  });

  it('clusters.csv: the shown clusters only, figures suppressed inside, formula-safe labels, audited', async () => {
    const cookie = await login(seedUsers.council);
    const response = await get('/dashboard/export/clusters.csv', cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="wijkstem-clusters-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The byte order mark (Response.text() would drop it).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith('\uFEFFid,municipality,label,domain,domains,residents,signals,trend,alert,clients,carers,sentiment,wijken,first_seen_at,last_seen_at\r\n')).toBe(true);
    const rows = readCsv(text);
    expect(rows.map((r) => r.id)).toEqual([seeded.clusters.growing, seeded.clusters.rising, seeded.clusters.stable]);
    const rising = rows[1];
    expect(rising?.label).toBe('\'=HYPERLINK("http://x.test") bus gezondheidscentrum');
    expect(text).toContain('"\'=HYPERLINK(""http://x.test"") bus gezondheidscentrum"');
    expect(rows[2]).toMatchObject({ municipality: 'GM0479', domain: 'zorg', domains: 'zorg;mantelzorg', residents: '8', signals: '8', trend: 'fading', clients: '5', carers: '< 5', sentiment: '-0.6', wijken: 'WK047901:6;WK047902:< 5' });
    expect(text).not.toContain('bankjes');
    expect(text).not.toContain('GM0880');
    const audit = (await audits('clusters.export')).at(-1);
    expect(audit).toMatchObject({ subject_type: 'export', municipality_code: 'GM0479' });
    expect(audit?.details).toMatchObject({ format: 'csv', count: 3, withheld: 1, municipalities: ['GM0479'] });
  });

  it('clusters.json: the same rows with what was withheld and the filter', async () => {
    const cookie = await login(seedUsers.council);
    const response = await get('/dashboard/export/clusters.json?rol=client', cookie);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const doc = (await response.json()) as { export: string; filter: unknown; municipalities: string[]; suppression: { withheld: number; min_residents: number }; clusters: { id: string; clients: unknown; carers: unknown }[] };
    expect(doc.export).toBe('clusters');
    expect(doc.filter).toEqual({ role: 'client' });
    expect(doc.municipalities).toEqual(['GM0479']);
    expect(doc.suppression).toMatchObject({ min_residents: 5, withheld: 1 });
    expect(doc.clusters.map((c) => c.id)).toEqual([seeded.clusters.stable]);
    expect(doc.clusters[0]).toMatchObject({ clients: 5, carers: 0 });
    const region = (await (await get('/dashboard/export/clusters.json', await login(seedUsers.region))).json()) as { municipalities: string[]; clusters: { id: string }[] };
    expect(region.municipalities).toEqual(['GM0479', 'GM0880']);
    expect(region.clusters.map((c) => c.id)).toContain(seeded.clusters.foreign);
    const foreign = (await (await get('/dashboard/export/clusters.json', await login(seedUsers.foreignCouncil))).json()) as { clusters: { id: string }[] };
    expect(foreign.clusters.map((c) => c.id)).toEqual([seeded.clusters.foreign]);
  });

  it('signals.csv: redacted text, formula-safe and quoted; small wijken and clusters not named; audited as a view', async () => {
    const cookie = await login(seedUsers.council);
    const response = await get('/dashboard/export/signals.csv', cookie);
    expect(response.status).toBe(200);
    const text = await response.text();
    const rows = readCsv(text);
    expect(rows).toHaveLength(8 + 5 + 6 + 4);
    const byText = (start: string) => rows.find((r) => r.text_redacted?.includes(start));
    expect(byText('=HYPERLINK')?.text_redacted).toBe('\'=HYPERLINK("http://x.test","klik") de bus komt niet');
    expect(byText('-2+3')?.text_redacted).toBe("'-2+3 keer per week geen bus");
    expect(byText('+31')?.text_redacted).toBe("'+31 bus rijdt om");
    expect(byText('@SUM')?.text_redacted).toBe('\'@SUM(1) bus, "te laat", altijd\nen nog een regel');
    expect(byText('<script>')?.text_redacted).toBe('<script>alert(1)</script> De bus naar het gezondheidscentrum rijdt niet meer');
    // Numbers stay numbers: a negative sentiment gets no apostrophe.
    expect(byText('-2+3')?.sentiment).toBe('-0.2');
    expect(text).not.toContain("'-0.");
    // Four residents in the small cluster (and in Rosmolenwijk): neither is named.
    const small = rows.filter((r) => r.text_redacted?.startsWith('Te weinig bankjes'));
    expect(small).toHaveLength(4);
    for (const r of small) expect([r.cluster, r.wijk]).toEqual(['', '']);
    expect(byText('Schimmel in de huurwoning')).toMatchObject({ cluster: seeded.clusters.growing, wijk: 'WK047903', municipality: 'GM0479', source: 'web', domains: 'wonen' });
    // Six of the stable cluster's residents in Zaandam-Centrum, two in Zaandam-West.
    const stable = rows.filter((r) => r.cluster === seeded.clusters.stable);
    expect(stable.map((r) => r.wijk).sort()).toEqual(['', '', 'WK047901', 'WK047901', 'WK047901', 'WK047901', 'WK047901', 'WK047901']);
    expect(rows.every((r) => /^WS-[2-9A-Z]{6}$/.test(r.reference ?? ''))).toBe(true);
    expect(text).not.toContain('Wormer');
    expect((await audits('signals.export')).at(-1)?.details).toMatchObject({ format: 'csv', count: 23, withheld: false });
    const view = (await audits('signals.view')).at(-1);
    expect(view?.details).toMatchObject({ view: 'export', format: 'csv', count: 23 });
  });

  it('signals.json: filters applied; fewer than five residents withholds the whole list', async () => {
    const cookie = await login(seedUsers.council);
    const doc = (await (await get('/dashboard/export/signals.json?domein=vervoer', cookie)).json()) as { signals: { text_redacted: string; cluster: string | null; wijk: string | null }[]; suppression: { withheld: boolean } };
    expect(doc.suppression.withheld).toBe(false);
    expect(doc.signals).toHaveLength(5);
    expect(doc.signals.every((s) => s.cluster === seeded.clusters.rising && s.wijk === 'WK047906')).toBe(true);
    expect(doc.signals.map((s) => s.text_redacted)).toContain('=HYPERLINK("http://x.test","klik") de bus komt niet');
    const before = (await audits('signals.view')).length;
    const carers = (await (await get('/dashboard/export/signals.json?rol=carer', cookie)).json()) as { signals: unknown[]; suppression: { withheld: boolean } };
    expect(carers).toMatchObject({ signals: [], suppression: { withheld: true } });
    expect((await audits('signals.export')).at(-1)?.details).toMatchObject({ format: 'json', count: 0, withheld: true });
    expect((await audits('signals.view')).length).toBe(before);
    const csv = await (await get('/dashboard/export/signals.csv?rol=carer', cookie)).text();
    expect(readCsv(csv)).toEqual([]);
    expect((await get('/dashboard/export/signals.csv?van=morgen', cookie)).status).toBe(400);
    expect((await get('/dashboard/export/clusters.json?wijk=WK088001', cookie)).status).toBe(400);
    expect((await get('/dashboard/export/signals.xml', cookie)).status).toBe(404);
  });

  it('requires a session', async () => {
    const response = await env.app.request(`http://wijkstem.test/dashboard/export/signals.csv`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard/login');
  });
});
