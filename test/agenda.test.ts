/**
 * The participation agenda through the HTTP app on each database kind: creating an item from clusters, the status
 * rules and their history, notes, who may do what (admin and council change; team reads; region users read their
 * region's side by side), the municipality check on every route (a foreign id is a 404, logged), and the public
 * summary (off by default, nothing personal). What is stored is read back from the real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { addCluster, addResident, startLoopApp, type LoopApp } from './support/loop.ts';

describe.each(databaseKinds)('agenda on %s', (kind) => {
  let loop: LoopApp;
  let clusters: { wachtlijst: string; bus: string; wormer: string };
  const council = 'raad@zaanstad.test';
  const itemIdOf = (response: Response) => /\/dashboard\/agenda\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  const count = async (table: 'agenda_items' | 'agenda_events' | 'agenda_item_clusters') =>
    Number((await loop.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  const item = (id: string) => loop.db.selectFrom('agenda_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = (id: string) => loop.db.selectFrom('agenda_events').selectAll().where('agenda_item_id', '=', id).orderBy('at').orderBy('id').execute();
  const create = async (email = council, fields: Record<string, string | string[]> = { title: 'Wachtlijst huishoudelijke hulp', cluster: [clusters.wachtlijst, clusters.bus] }) =>
    loop.post('/dashboard/agenda', fields, await loop.login(email));
  const move = async (id: string, fields: Record<string, string>, email = council) => loop.post(`/dashboard/agenda/${id}/status`, fields, await loop.login(email));

  beforeAll(async () => {
    loop = await startLoopApp(kind, 'in-process');
    clusters = {
      wachtlijst: await addCluster(loop.db, 'GM0479', 'wachtlijst huishoudelijke hulp'),
      bus: await addCluster(loop.db, 'GM0479', 'buurtbus rijdt niet', 'vervoer'),
      wormer: await addCluster(loop.db, 'GM0880', 'speeltuin wormer', 'openbare_ruimte'),
    };
    // listClusters shows a cluster with members only: one signal each.
    for (const [code, id] of [['GM0479', clusters.wachtlijst], ['GM0479', clusters.bus], ['GM0880', clusters.wormer]] as const) {
      await addResident(loop.db, { clusterId: id, municipalityCode: code, channel: 'web', wantsFeedback: false });
    }
  });

  afterAll(() => loop.close());

  it('lets a council member put clusters on the agenda, with the clusters linked and the creation in the history', async () => {
    const page = await (await loop.request('/dashboard/agenda', { headers: { cookie: await loop.login(council) } })).text();
    expect(page).toContain('wachtlijst huishoudelijke hulp');
    expect(page).not.toContain('speeltuin wormer');
    const response = await create();
    expect(response.status).toBe(303);
    const id = itemIdOf(response);
    const stored = await item(id);
    expect(stored).toMatchObject({ municipality_code: 'GM0479', title: 'Wachtlijst huishoudelijke hulp', status: 'new', created_by: loop.users[council]?.id });
    const links = await loop.db.selectFrom('agenda_item_clusters').select(['cluster_id', 'label']).where('agenda_item_id', '=', id).orderBy('label').execute();
    expect(links.map((l) => l.cluster_id).sort()).toEqual([clusters.wachtlijst, clusters.bus].sort());
    expect((await events(id)).map((e) => [e.kind, e.to_status, e.actor_user_id])).toEqual([['created', 'new', loop.users[council]?.id]]);
    const audit = await loop.db.selectFrom('audit_log').selectAll().where('action', '=', 'agenda.create').where('subject_id', '=', id).execute();
    expect(audit).toHaveLength(1);
    const itemPage = await (await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie: await loop.login(council) } })).text();
    expect(itemPage).toContain('Wachtlijst huishoudelijke hulp');
    expect(itemPage).toContain('id="status-form"');
  });

  it('refuses an item without a title, without clusters or with another municipality’s cluster, storing nothing', async () => {
    const before = [await count('agenda_items'), await count('agenda_item_clusters'), await count('agenda_events')];
    const bad: Record<string, string | string[]>[] = [
      { title: '', cluster: clusters.wachtlijst },
      { title: 'Zonder cluster' },
      { title: 'Cluster van Wormerland', cluster: [clusters.wachtlijst, clusters.wormer] },
      { title: 'x'.repeat(201), cluster: clusters.wachtlijst },
    ];
    for (const fields of bad) {
      const response = await create(council, fields);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('id="error-summary"');
    }
    expect([await count('agenda_items'), await count('agenda_item_clusters'), await count('agenda_events')]).toEqual(before);
  });

  it('moves an item forward only, requiring the advice, decision and message for the statuses that record them', async () => {
    const id = itemIdOf(await create());
    expect((await move(id, { to: 'advice_given', advice: '' })).status).toBe(400);
    expect((await move(id, { to: 'on_agenda' })).status).toBe(303);
    expect((await move(id, { to: 'new' })).status).toBe(400);
    expect((await move(id, { to: 'gesloten' })).status).toBe(400);
    expect((await move(id, { to: 'in_discussion' })).status).toBe(303);
    expect((await move(id, { to: 'advice_given', advice: 'Kort de wachttijd in.' })).status).toBe(303);
    expect((await move(id, { to: 'decided', advice: 'Kort de wachttijd in.', decision: '' })).status).toBe(400);
    expect((await move(id, { to: 'decided', advice: 'Kort de wachttijd in.', decision: 'Twee extra hulpen vanaf maart.' })).status).toBe(303);
    const missing = await move(id, { to: 'reported_back', advice: 'Kort de wachttijd in.', decision: 'Twee extra hulpen vanaf maart.', feedbackNl: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('id="status-feedbackNl-error"');
    const done = { to: 'reported_back', advice: 'Kort de wachttijd in.', decision: 'Twee extra hulpen vanaf maart.', feedbackNl: 'Vanaf maart zijn er twee extra hulpen.' };
    expect((await move(id, done)).status).toBe(303);
    // A double click: the item is already reported back, so nothing changes and nothing is recorded twice.
    expect((await move(id, { ...done, from: 'decided' })).status).toBe(303);
    const stored = await item(id);
    expect(stored).toMatchObject({ status: 'reported_back', advice: 'Kort de wachttijd in.', decision: 'Twee extra hulpen vanaf maart.', feedback_nl: 'Vanaf maart zijn er twee extra hulpen.', feedback_en: null });
    expect(stored.reported_back_at).toBeInstanceOf(Date);
    const history = await events(id);
    expect(history.filter((e) => e.kind === 'status').map((e) => [e.from_status, e.to_status])).toEqual([
      ['new', 'on_agenda'],
      ['on_agenda', 'in_discussion'],
      ['in_discussion', 'advice_given'],
      ['advice_given', 'decided'],
      ['decided', 'reported_back'],
    ]);
    expect(history.every((e) => e.actor_user_id === loop.users[council]?.id && e.at instanceof Date)).toBe(true);
    const page = await (await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie: await loop.login(council) } })).text();
    expect(page).toContain('data-status="reported_back"');
    expect(page).not.toContain('id="status-form"');
  });

  it('records notes with who wrote them, and refuses an empty one', async () => {
    const id = itemIdOf(await create());
    const cookie = await loop.login('admin@zaanstad.test');
    expect((await loop.post(`/dashboard/agenda/${id}/notities`, { note: 'Besproken met het wijkteam.' }, cookie)).status).toBe(303);
    expect((await loop.post(`/dashboard/agenda/${id}/notities`, { note: '   ' }, cookie)).status).toBe(400);
    const notes = (await events(id)).filter((e) => e.kind === 'note');
    expect(notes.map((n) => [n.note, n.actor_user_id])).toEqual([['Besproken met het wijkteam.', loop.users['admin@zaanstad.test']?.id]]);
    const page = await (await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie } })).text();
    expect(page).toContain('Besproken met het wijkteam.');
    expect(page).toContain('admin@zaanstad.test');
  });

  it('lets the team read but not change the agenda', async () => {
    const id = itemIdOf(await create());
    const cookie = await loop.login('team@zaanstad.test');
    const list = await (await loop.request('/dashboard/agenda', { headers: { cookie } })).text();
    expect(list).toContain('id="read-only"');
    expect(list).not.toContain('id="agenda-create"');
    const page = await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('id="status-form"');
    const before = await count('agenda_items');
    expect((await create('team@zaanstad.test')).status).toBe(403);
    expect(await count('agenda_items')).toBe(before);
    expect((await move(id, { to: 'on_agenda' }, 'team@zaanstad.test')).status).toBe(403);
    expect((await loop.post(`/dashboard/agenda/${id}/notities`, { note: 'mag niet' }, cookie)).status).toBe(403);
    expect((await loop.post('/dashboard/agenda/publiek', { public: 'on' }, cookie)).status).toBe(403);
    expect((await item(id)).status).toBe('new');
  });

  it('shows a region user the region’s agendas side by side, read only', async () => {
    const id = itemIdOf(await create());
    const wormer = itemIdOf(await create('raad@wormerland.test', { title: 'Speeltuin Wormer', cluster: clusters.wormer }));
    expect(wormer).not.toBe('');
    const cookie = await loop.login('regio@wormerland.test');
    const list = await (await loop.request('/dashboard/agenda', { headers: { cookie } })).text();
    expect(list).toContain('id="agenda-GM0479"');
    expect(list).toContain('id="agenda-GM0880"');
    expect(list).toContain('Speeltuin Wormer');
    expect((await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie } })).status).toBe(200);
    expect((await move(id, { to: 'on_agenda' }, 'regio@wormerland.test')).status).toBe(404);
    expect((await item(id)).status).toBe('new');
  });

  it('answers 404 for another municipality’s item on every route, logs it, and changes nothing', async () => {
    const id = itemIdOf(await create());
    const cookie = await loop.login('raad@wormerland.test');
    expect((await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie } })).status).toBe(404);
    expect((await move(id, { to: 'on_agenda' }, 'raad@wormerland.test')).status).toBe(404);
    expect((await loop.post(`/dashboard/agenda/${id}/notities`, { note: 'niet van ons' }, cookie)).status).toBe(404);
    expect((await loop.request('/dashboard/agenda/not-a-uuid', { headers: { cookie } })).status).toBe(404);
    const list = await (await loop.request('/dashboard/agenda', { headers: { cookie } })).text();
    expect(list).not.toContain(id);
    expect((await item(id)).status).toBe('new');
    expect((await events(id)).map((e) => e.kind)).toEqual(['created']);
    const refused = await loop.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.refused').where('subject_id', '=', id).execute();
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((r) => r.actor_id === loop.users['raad@wormerland.test']?.id)).toBe(true);
  });

  it('refuses a form post without the CSRF origin', async () => {
    const cookie = await loop.login(council);
    const response = await loop.request('/dashboard/agenda', {
      method: 'POST',
      body: new URLSearchParams({ title: 'Van buiten', cluster: clusters.wachtlijst }),
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(403);
  });

  it('publishes decided and reported-back items only when the admin turns it on, without personal data or resident text', async () => {
    expect((await loop.request('/publiek/GM0479')).status).toBe(404);
    const admin = await loop.login('admin@zaanstad.test');
    const decided = itemIdOf(await create(council, { title: 'Buurtbus', description: 'Mevrouw uit Zaandam vertelde dat de bus niet komt.', cluster: clusters.bus }));
    for (const to of ['on_agenda', 'decided']) expect((await move(decided, { to, decision: 'De buurtbus rijdt weer op zaterdag.' })).status).toBe(303);
    const open = itemIdOf(await create(council, { title: 'Nog open onderwerp', cluster: clusters.bus }));
    const reported = itemIdOf(await create(council, { title: 'Hulp bij huishouden', cluster: clusters.wachtlijst }));
    expect((await move(reported, { to: 'reported_back', decision: 'Extra hulpen.', feedbackNl: 'Er komen extra hulpen.', feedbackEn: 'More home helpers are coming.' })).status).toBe(303);

    expect((await loop.post('/dashboard/agenda/publiek', { public: 'on' }, admin)).status).toBe(303);
    const nl = await loop.request('/publiek/GM0479');
    expect(nl.status).toBe(200);
    const page = await nl.text();
    expect(page).toContain('<html lang="nl"');
    expect(page).toContain('De buurtbus rijdt weer op zaterdag.');
    expect(page).toContain('Er komen extra hulpen.');
    expect(page).not.toContain('Nog open onderwerp');
    expect(page).not.toContain(open);
    // No description (it may quote a resident), no cluster labels (made of residents' words), no users.
    expect(page).not.toContain('Mevrouw uit Zaandam');
    expect(page).not.toContain('buurtbus rijdt niet');
    expect(page).not.toContain('@zaanstad.test');
    const en = await (await loop.request('/publiek/GM0479?lang=en')).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('More home helpers are coming.');
    // Wormerland did not turn it on; a bad code is not found either.
    expect((await loop.request('/publiek/GM0880')).status).toBe(404);
    expect((await loop.request('/publiek/GM9999')).status).toBe(404);
    expect((await loop.request('/publiek/zaanstad')).status).toBe(404);
    expect((await loop.post('/dashboard/agenda/publiek', { public: 'off' }, admin)).status).toBe(303);
    expect((await loop.request('/publiek/GM0479')).status).toBe(404);
  });

  it('shows the agenda in English', async () => {
    const cookie = await loop.login(council);
    const page = await (await loop.request('/dashboard/agenda?lang=en', { headers: { cookie } })).text();
    expect(page).toContain('Participation agenda');
    expect(page).toContain('Put on the agenda');
  });
});
