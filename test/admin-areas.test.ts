/**
 * Gazetteer and boundary import from the dashboard (/dashboard/beheer/gebieden) on each database kind: a preview
 * with line- and feature-numbered errors that stores nothing, only the administrator's own municipality, the
 * in-process caches emptied after an import, and the body limit raised for these two routes only.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_UPLOAD_LIMIT } from '../app/http/app.ts';
import { cachedWijken } from '../bot/gazetteer-cache.ts';
import { AnalyserCache } from '../pipeline/analysis/context.ts';
import { databaseKinds } from './support/databases.ts';
import { csrfOf, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

const HEADER = 'gemeente_code,gemeente,wijk_code,wijk,buurt_code,buurt,postcodes,aliases,inwoners,inwoners_0_15,inwoners_15_25,inwoners_25_45,inwoners_45_65,inwoners_65_plus';

/** A new wijk of Zaanstad with `count` buurten, with long aliases: well over the normal 64 KB body limit. */
function bigGazetteer(count: number): string {
  const aliases = Array.from({ length: 16 }, (_, i) => `Testbuurtstraat nummer ${i} met een lange naam`).join(';');
  const rows = Array.from({ length: count }, (_, i) => `GM0479,Zaanstad,WK047999,Proefwijk,BU047999${String(i).padStart(2, '0')},Proefbuurt ${i},1500,"${aliases}",100,10,10,30,30,20`);
  return [HEADER, ...rows].join('\n') + '\n';
}

describe.each(databaseKinds)('area import on %s', (kind) => {
  let shared: DashboardApp;
  const db = () => shared.database.db;
  const count = async (table: 'buurten' | 'wijken' | 'boundaries') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

  const upload = async (content: string, fileName: string, as = 'admin@zaanstad.test', withCsrf = true) => {
    const { cookie, csrf } = await shared.session(as);
    const form = new FormData();
    if (withCsrf) form.set('csrf', csrf);
    form.set('file', new File([content], fileName, { type: 'application/octet-stream' }));
    return shared.post('/dashboard/beheer/gebieden/voorbeeld', form, cookie);
  };
  /** The confirm form of a preview page, posted back as the browser would. */
  const confirm = async (page: string) => {
    const { cookie } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/gebieden');
    const field = (name: string) => decodeEntities(new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '');
    const form = new FormData();
    form.set('csrf', csrfOf(page));
    for (const name of ['kind', 'fileName', 'content']) form.set(name, field(name));
    return shared.post('/dashboard/beheer/gebieden', form, cookie);
  };

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      workers: false,
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['raad@zaanstad.test', 'council', 'GM0479'],
        ['admin@wormerland.test', 'admin', 'GM0880'],
      ],
    });
  });

  afterAll(() => shared.close());

  it('is for administrators only, and refuses a post without the CSRF token; nothing stored', async () => {
    expect((await shared.get('/dashboard/beheer/gebieden', await shared.loggedIn('raad@zaanstad.test'))).status).toBe(403);
    const before = await count('buurten');
    expect((await upload(bigGazetteer(3), 'g.csv', 'raad@zaanstad.test')).status).toBe(403);
    expect((await upload(bigGazetteer(3), 'g.csv', 'admin@zaanstad.test', false)).status).toBe(403);
    expect(await count('buurten')).toBe(before);
  });

  it('previews a gazetteer larger than 64 KB without storing it, imports it on confirm and empties the caches of this process', async () => {
    const csv = bigGazetteer(99);
    expect(csv.length).toBeGreaterThan(64 * 1024);
    // Caches filled before the import: the bot's wijken and an analyser of Zaanstad.
    const wijkenBefore = await cachedWijken(db(), 'GM0479');
    expect(wijkenBefore.some((w) => w.code === 'WK047999')).toBe(false);
    const analysers = new AnalyserCache(db());
    const analyserBefore = analysers.get('GM0479');
    expect(analysers.get('GM0479')).toBe(analyserBefore);
    await analyserBefore;

    const before = await count('buurten');
    const preview = await upload(csv, 'zaanstad.csv');
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain('Gazetteer: 1 wijk en 99 buurten.');
    expect(await count('buurten')).toBe(before);

    const done = await confirm(page);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Gazetteer geïmporteerd: 1 wijk en 99 buurten.');
    expect(await count('buurten')).toBe(before + 99);
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'gazetteer.import').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_kind: 'user', actor_id: shared.users['admin@zaanstad.test']?.id, municipality_code: 'GM0479' });
    // Seen at once in this process, without waiting for the caches' time to live.
    expect((await cachedWijken(db(), 'GM0479')).some((w) => w.code === 'WK047999')).toBe(true);
    expect(analysers.get('GM0479')).not.toBe(analyserBefore);
  }, 60_000);

  it('shows line-numbered errors and stores nothing for a bad gazetteer, or one naming another municipality', async () => {
    const before = await count('buurten');
    const bad = `${HEADER}\nGM0479,Zaanstad,WK047901,Zaandam-Centrum,BU04790101,Inverdan,1506,,100,,,,,\nGM0479,Zaanstad,WK047901,Zaandam-Centrum,BU0479XX01,Kapot,1506,,100,,,,,\n`;
    const response = await upload(bad, 'kapot.csv');
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Regel 3: ');
    expect(page).toContain('buurt_code');
    expect(page).not.toContain('name="content"');

    const velsen = `${HEADER}\nGM0479,Zaanstad,WK047901,Zaandam-Centrum,BU04790101,Inverdan,1506,,100,,,,,\nGM0453,Velsen,WK045301,IJmuiden,BU04530101,Zeewijk,1971,,100,,,,,\n`;
    const foreign = await upload(velsen, 'velsen.csv');
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('Dit bestand bevat gemeente GM0453 (Velsen). Je kunt alleen gebieden van je eigen gemeente (GM0479) importeren.');
    // A confirm step forged with the same content is checked again: refused.
    const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/gebieden');
    const form = new FormData();
    form.set('csrf', csrf);
    form.set('kind', 'gazetteer');
    form.set('content', velsen);
    expect((await shared.post('/dashboard/beheer/gebieden', form, cookie)).status).toBe(400);
    expect(await db().selectFrom('municipalities').select('code').where('code', '=', 'GM0453').executeTakeFirst()).toBeUndefined();
    expect(await count('buurten')).toBe(before);
  });

  it('previews and imports boundaries; a feature of another municipality is refused with its number', async () => {
    const geojson = await readFile(new URL('./fixtures/zaanstad-wijken.geojson', import.meta.url), 'utf8');
    const preview = await upload(geojson, 'wijken.geojson');
    expect(preview.status).toBe(200);
    const page = await preview.text();
    const wijken = /Grenzen: (\d+) wijk/.exec(page)?.[1];
    expect(Number(wijken)).toBeGreaterThan(0);
    expect(await count('boundaries')).toBe(0);
    const done = await confirm(page);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`Grenzen geïmporteerd: ${wijken} wijk`);
    expect(await count('boundaries')).toBe(Number(wijken));

    const parsed = JSON.parse(geojson) as { features: { properties: Record<string, string> }[] };
    const second = parsed.features[1];
    if (!second) throw new Error('fixture has fewer than 2 features');
    second.properties.wijkcode = 'WK088001';
    const foreign = await upload(JSON.stringify(parsed), 'wijken.geojson');
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('Feature 2: WK088001 hoort bij gemeente GM0880, niet bij je eigen gemeente (GM0479).');
    const broken = await upload('{"type":"FeatureCollection","features":[]}', 'leeg.geojson');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('Bestand: the FeatureCollection has no features');
    expect(await count('boundaries')).toBe(Number(wijken));
  });

  it('raises the body limit for these routes only: other routes still refuse more than 64 KB', async () => {
    const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer');
    const large = 'x'.repeat(70 * 1024);
    const users = await shared.post('/dashboard/beheer/gebruikers', new URLSearchParams({ csrf, email: 'a@zaanstad.test', role: 'team', password: large }), cookie);
    expect(users.status).toBe(413);
    const signals = new FormData();
    signals.set('csrf', csrf);
    signals.set('text', large);
    expect((await shared.post('/dashboard/importeren/voorbeeld', signals, cookie)).status).toBe(413);
    // Above the upload limit: refused here too.
    const huge = new FormData();
    huge.set('csrf', csrf);
    huge.set('file', new File(['x'.repeat(ADMIN_UPLOAD_LIMIT + 1)], 'groot.csv'));
    expect((await shared.post('/dashboard/beheer/gebieden/voorbeeld', huge, cookie)).status).toBe(413);
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
