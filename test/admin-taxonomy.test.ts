/**
 * The municipality's own taxonomy (/dashboard/beheer/taxonomie) on each database kind: renamed labels on the
 * dashboard (Dutch and English), an added domain that only people in the review queue assign, a retired domain that
 * the analysis no longer assigns and the review queue no longer offers but old signals keep; administrators of the
 * municipality only, CSRF, bad input. The analysis is the real AnalyserCache the workers use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSignal, storeAnalysis } from '../db/repositories/signals.ts';
import { taxonomyOf } from '../db/repositories/taxonomy.ts';
import { analyseSignal } from '../pipeline/analysis/analyse.ts';
import { AnalyserCache } from '../pipeline/analysis/context.ts';
import { defaultDomainKeys, municipalTaxonomy } from '../pipeline/taxonomy.ts';
import { texts } from '../dashboards/i18n.ts';
import { withDomainLabels } from '../dashboards/views/taxonomy.ts';
import { databaseKinds } from './support/databases.ts';
import { startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

const BUS = 'De buurtbus rijdt niet meer en de regiotaxi komt steeds te laat, zo kom ik niet bij de dokter.';

describe('municipal taxonomy (pure)', () => {
  it('keeps every default key in order, applies labels and retirement, and lists added domains after them', () => {
    const taxonomy = municipalTaxonomy([
      { key: 'wonen', labelNl: 'Wonen en woonomgeving', labelEn: null, added: false, retired: false },
      { key: 'vervoer', labelNl: null, labelEn: null, added: false, retired: true },
      { key: 'armoede', labelNl: 'Armoede', labelEn: 'Poverty', added: true, retired: false },
      { key: 'geld', labelNl: 'Nep', labelEn: null, added: true, retired: false }, // a default key is never "added"
    ]);
    expect(taxonomy.map((d) => d.key)).toEqual([...defaultDomainKeys, 'armoede']);
    expect(taxonomy.find((d) => d.key === 'geld')).toMatchObject({ label: 'Nep', added: false });
    expect(taxonomy.find((d) => d.key === 'vervoer')).toMatchObject({ label: 'Vervoer', retired: true });
    const en = withDomainLabels(texts('en'), 'en', taxonomy);
    expect(en.domainLabels.wonen).toBe('Housing'); // no English label of its own: the default English one
    expect(en.domainLabels.armoede).toBe('Poverty');
    expect(withDomainLabels(texts('nl'), 'nl', taxonomy).domainLabels.wonen).toBe('Wonen en woonomgeving');
    expect(texts('nl').domainLabels.wonen).toBe('Wonen'); // the shared texts are not changed
  });
});

describe.each(databaseKinds)('taxonomy administration on %s', (kind) => {
  let shared: DashboardApp;
  let onBus = '';
  let onMoney = '';
  let onLonely = '';
  const db = () => shared.database.db;
  const admin = () => shared.session('admin@zaanstad.test', '/dashboard/beheer/taxonomie');
  const change = async (path: string, fields: Record<string, string> = {}, as = admin()) => {
    const { cookie, csrf } = await as;
    return shared.post(`/dashboard/beheer/taxonomie${path}`, new URLSearchParams({ csrf, ...fields }), cookie);
  };
  const audits = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  /** The domain checkboxes offered for one signal in the review queue, and which are checked. */
  const offered = async (signalId: string) => {
    const page = await (await shared.get('/dashboard/beoordelen', await shared.loggedIn('team@zaanstad.test'))).text();
    const form = new RegExp(`action="/dashboard/beoordelen/${signalId}"[\\s\\S]*?</fieldset>`).exec(page)?.[0] ?? '';
    return {
      keys: [...form.matchAll(/name="domain" value="([^"]+)"/g)].map((m) => m[1]),
      checked: [...form.matchAll(/name="domain" value="([^"]+)" id="[^"]+" checked/g)].map((m) => m[1]),
      page,
    };
  };
  const analysedDomains = async (cache: AnalyserCache) => analyseSignal(await cache.get('GM0479'), { id: 'x', text: BUS, municipality: 'GM0479' }).domains.map((d) => d.key);

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      workers: false,
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['admin@wormerland.test', 'admin', 'GM0880'],
      ],
    });
    for (const [text, key] of [[BUS, 'vervoer'], ['Ik kom niet rond van mijn uitkering.', 'geld'], ['Ik zie de hele week niemand.', 'sociaal']] as const) {
      const signal = await insertSignal(db(), { municipalityCode: 'GM0479', source: 'web', text });
      await storeAnalysis(db(), signal.id, { language: 'nl', textRedacted: text, domains: [{ key, confidence: 0.6 }], review: true, wijkCode: null, buurtCode: null, sentiment: 0, urgent: false });
      if (key === 'vervoer') onBus = signal.id;
      else if (key === 'geld') onMoney = signal.id;
      else onLonely = signal.id;
    }
  });

  afterAll(() => shared.close());

  it('renames a label: shown on the dashboard in Dutch and English, for this municipality only; audited', async () => {
    const response = await change('/wonen/naam', { nl: 'Wonen en woonomgeving', en: 'Housing and surroundings' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('De naam van wonen is opgeslagen.');
    const { page } = await offered(onBus);
    expect(page).toContain('>Wonen en woonomgeving</label>');
    const team = await shared.loggedIn('team@zaanstad.test');
    expect(await (await shared.get('/dashboard/beoordelen?lang=en', team)).text()).toContain('>Housing and surroundings</label>');
    expect((await audits('taxonomy.rename')).at(-1)).toMatchObject({ actor_id: shared.users['admin@zaanstad.test']?.id, municipality_code: 'GM0479', subject_id: 'wonen' });
    // Wormerland keeps the default.
    expect((await taxonomyOf(db(), 'GM0880')).find((d) => d.key === 'wonen')?.label).toBe('Wonen');
    // An empty Dutch name gives the default back.
    await change('/wonen/naam', { nl: '', en: '' });
    expect((await taxonomyOf(db(), 'GM0479')).find((d) => d.key === 'wonen')).toMatchObject({ label: 'Wonen', labelEn: null });
  });

  it('adds a domain that only people assign: offered in the review queue, stored by a review, never by the analysis', async () => {
    const response = await change('', { key: 'armoede_kinderen', nl: 'Armoede bij kinderen', en: 'Child poverty' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Alleen mensen in de beoordelingswachtrij kunnen het toekennen.');
    expect((await offered(onMoney)).keys).toContain('armoede_kinderen');
    const { cookie, csrf } = await shared.session('team@zaanstad.test', '/dashboard/beoordelen');
    const reviewed = await shared.post(`/dashboard/beoordelen/${onMoney}`, new URLSearchParams([['csrf', csrf], ['domain', 'geld'], ['domain', 'armoede_kinderen']]), cookie);
    expect(reviewed.status).toBe(303);
    const signal = await db().selectFrom('signals').select('domains').where('id', '=', onMoney).executeTakeFirstOrThrow();
    expect(signal.domains.map((d) => d.key).sort()).toEqual(['armoede_kinderen', 'geld']);
    expect((await audits('taxonomy.add')).at(-1)?.subject_id).toBe('armoede_kinderen');
    // The analysis knows no examples of it.
    expect(await analysedDomains(new AnalyserCache(db()))).not.toContain('armoede_kinderen');
  });

  it('retires a domain: no longer assigned by the analysis nor offered in the review queue, kept on old signals; restored again', async () => {
    const analysers = new AnalyserCache(db());
    expect(await analysedDomains(analysers)).toContain('vervoer');
    const response = await change('/vervoer/uitfaseren');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<code>vervoer<\/code>[\s\S]*?uitgefaseerd/);
    // The cache of this process forgot Zaanstad: the very next analysis leaves vervoer out.
    expect(await analysedDomains(analysers)).not.toContain('vervoer');
    // Not offered for a signal without it (and refused when posted), kept and checked on the signal that has it.
    const lonely = await offered(onLonely);
    expect(lonely.keys).toContain('sociaal');
    expect(lonely.keys).not.toContain('vervoer');
    expect((await offered(onBus)).checked).toEqual(['vervoer']);
    const { cookie, csrf } = await shared.session('team@zaanstad.test', '/dashboard/beoordelen');
    expect((await shared.post(`/dashboard/beoordelen/${onLonely}`, new URLSearchParams({ csrf, domain: 'vervoer' }), cookie)).status).toBe(400);
    expect((await shared.post(`/dashboard/beoordelen/${onBus}`, new URLSearchParams({ csrf, domain: 'vervoer' }), cookie)).status).toBe(303);
    const kept = await db().selectFrom('signals').select('domains').where('id', '=', onBus).executeTakeFirstOrThrow();
    expect(kept.domains.map((d) => d.key)).toEqual(['vervoer']);
    expect((await audits('taxonomy.retire')).at(-1)?.subject_id).toBe('vervoer');

    expect((await change('/vervoer/terugzetten')).status).toBe(200);
    expect((await offered(onLonely)).keys).toContain('vervoer');
    expect(await analysedDomains(analysers)).toContain('vervoer');
  }, 60_000);

  it('refuses bad input, existing keys, unknown keys, other roles and a missing CSRF token; nothing changed', async () => {
    const before = await db().selectFrom('municipality_domains').selectAll().orderBy('key').execute();
    const cases: [string, Record<string, string>, number, string][] = [
      ['', { key: 'wonen', nl: 'Dubbel', en: '' }, 400, 'Deze sleutel bestaat al.'],
      ['', { key: 'armoede_kinderen', nl: 'Dubbel', en: '' }, 400, 'Deze sleutel bestaat al.'],
      ['', { key: 'Wonen!', nl: 'Fout', en: '' }, 400, 'kleine letters'],
      ['', { key: 'nieuw', nl: '', en: '' }, 400, 'Vul een Nederlandse naam in'],
      ['', { key: 'nieuw', nl: 'x'.repeat(81), en: '' }, 400, 'Vul een Nederlandse naam in'],
      ['/geld/naam', { nl: 'x'.repeat(81), en: '' }, 400, '1 tot 80 tekens'],
      ['/armoede_kinderen/naam', { nl: '', en: '' }, 400, 'Vul een Nederlandse naam in'],
    ];
    for (const [path, fields, status, message] of cases) {
      const response = await change(path, fields);
      expect(response.status, `${path} ${JSON.stringify(fields)}`).toBe(status);
      expect(await response.text()).toContain(message);
    }
    const refused = (await audits('access.refused')).length;
    for (const key of ['bestaat_niet', 'WONEN', "x'; drop table users; --", '00000000-0000-0000-0000-000000000000']) {
      expect((await change(`/${encodeURIComponent(key)}/uitfaseren`)).status, key).toBe(404);
    }
    expect((await audits('access.refused')).length).toBe(refused + 4);
    expect((await change('/geld/uitfaseren', {}, shared.session('team@zaanstad.test'))).status).toBe(403);
    const { cookie } = await admin();
    expect((await shared.post('/dashboard/beheer/taxonomie/geld/uitfaseren', new URLSearchParams({}), cookie)).status).toBe(403);
    // Wormerland's administrator changes Wormerland's taxonomy, never Zaanstad's.
    expect((await change('/geld/uitfaseren', {}, shared.session('admin@wormerland.test', '/dashboard/beheer'))).status).toBe(200);
    expect((await taxonomyOf(db(), 'GM0479')).find((d) => d.key === 'geld')?.retired).toBe(false);
    expect(await db().selectFrom('municipality_domains').selectAll().where('municipality_code', '=', 'GM0479').orderBy('key').execute()).toEqual(before);
  });
});
