/**
 * Temporary tables (issue 6): an invitation is a poll with three fixed options and a cluster as its audience. Pure:
 * the options, the question, the meeting checks, the counts. End to end on PGlite + in-process queue, PostgreSQL +
 * in-process queue and PostgreSQL + BullMQ on Redis, with the fake Graph API: a council member invites the residents
 * of one cluster who may be invited (not another cluster's, not stopped ones, not those who did not agree), fewer than
 * 5 is refused, residents accept or decline with buttons on WhatsApp and in the web chat, the organiser sees the
 * counts and, audited, only the numbers of residents who chose "Ja, deel mijn nummer".
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Hono } from 'hono';
import { createHttpApp } from '../app/http/app.ts';
import { createLogger } from '../app/logger.ts';
import { pseudonymise } from '../bot/identity.ts';
import { signBody } from '../bot/channels/whatsapp/signature.ts';
import { pollChoiceId } from '../pipeline/loop/poll.ts';
import { invitationCounts, invitationOptions, invitationQuestion, meetingProblems } from '../pipeline/loop/tables.ts';
import { databaseKinds, type TestDatabaseKind } from './support/databases.ts';
import { addCluster, addResident, base, pseudonymKey, startLoopApp, type LoopApp, type QueueKind, type SeededResident } from './support/loop.ts';
import { redisUrl } from './support/services.ts';
import { messageDelivery } from './support/whatsapp-delivery.ts';

const meeting = { title: 'Tafel huishoudelijke hulp', when: 'dinsdag 8 december, 19.30 uur', where: 'Wijkcentrum De Kolk', text: 'We praten met bewoners en ervaringsdeskundigen.' };

describe('temporary table rules', () => {
  it('has three buttons that fit WhatsApp, and puts what, when and where in the question', () => {
    expect(invitationOptions.map((o) => o.id)).toEqual(['a', 'b', 'c']);
    expect(invitationOptions.every((o) => o.title.length <= 20)).toBe(true);
    const q = invitationQuestion(meeting);
    expect(q).toContain('Uitnodiging: Tafel huishoudelijke hulp');
    expect(q).toContain('Wanneer: dinsdag 8 december, 19.30 uur');
    expect(q).toContain('Waar: Wijkcentrum De Kolk');
    expect(q).toContain('Ja, deel mijn nummer');
  });

  it('requires title, when and where, and a question short enough for a poll', () => {
    expect(meetingProblems(meeting).size).toBe(0);
    expect([...meetingProblems({ ...meeting, title: ' ', where: '' })]).toEqual(['title', 'where']);
    expect([...meetingProblems({ ...meeting, when: 'x'.repeat(101) })]).toEqual(['when']);
    expect([...meetingProblems({ ...meeting, text: 'x'.repeat(400) })]).toEqual(['text']);
  });

  it('counts both yes answers as accepted, and who did not answer', () => {
    expect(invitationCounts(10, [{ optionId: 'a', answers: 2 }, { optionId: 'b', answers: 3 }, { optionId: 'c', answers: 1 }])).toEqual({ invited: 10, accepted: 5, declined: 1, noAnswer: 4 });
  });
});

const setups: [string, TestDatabaseKind, QueueKind][] = [
  ...databaseKinds.map((kind): [string, TestDatabaseKind, QueueKind] => [`${kind} + in-process queue`, kind, 'in-process']),
  ...(databaseKinds.includes('postgres') && redisUrl ? [['postgres + BullMQ', 'postgres', 'bullmq'] as [string, TestDatabaseKind, QueueKind]] : []),
];

const appSecret = 'tables-app-secret';

describe.each(setups)('temporary tables on %s', (_name, kind, queueKind) => {
  let loop: LoopApp;
  let webhookApp: Hono;
  const council = 'raad@zaanstad.test';
  const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 25 });
  const wa: SeededResident[] = [];
  let web: SeededResident;
  let clusterId = '';
  let smallClusterId = '';
  let otherClusterId = '';
  let foreignClusterId = '';
  let outsiders: SeededResident[] = [];

  const sentTo = (phone: string) => loop.graph.requests.filter((r) => (r.body as { to?: string } | undefined)?.to === phone);
  const answers = (pollId: string) => loop.db.selectFrom('poll_answers').selectAll().where('poll_id', '=', pollId).execute();
  const deliveries = (pollId: string) => loop.db.selectFrom('poll_deliveries').selectAll().where('poll_id', '=', pollId).execute();

  async function invitable(spec: Parameters<typeof addResident>[1], mayInvite = true) {
    const r = await addResident(loop.db, spec);
    const hash = spec.channel === 'whatsapp' ? pseudonymise(pseudonymKey, 'whatsapp', `phone:${r.channelId}`) : undefined;
    await loop.db
      .updateTable('residents')
      .set({ may_invite: mayInvite, ...(hash ? { channel_key_hash: hash } : {}) })
      .where('id', '=', r.id)
      .execute();
    return r;
  }

  function button(phone: string, id: string, title: string) {
    const raw = messageDelivery('1099887766554', phone, { button: id, title });
    return webhookApp.request(`${base}/webhooks/whatsapp`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(appSecret, raw) } });
  }

  const invite = async (fields: Record<string, string>, email = council) => loop.post('/dashboard/peilingen/uitnodiging', fields, await loop.login(email));
  const idFrom = (response: Response) => /\/dashboard\/peilingen\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  const send = async (id: string) => loop.post(`/dashboard/peilingen/${id}/verzenden`, {}, await loop.login(council));
  const get = async (path: string, email = council) => loop.request(path, { headers: { cookie: await loop.login(email) } });

  beforeAll(async () => {
    loop = await startLoopApp(kind, queueKind);
    webhookApp = createHttpApp({ db: loop.db, queue: loop.queue, logger: createLogger('silent'), pseudonymKey, defaultMunicipality: 'GM0479', whatsapp: { verifyToken: 'v', appSecret }, secure: false, serveApp: true, health: () => loop.queue.health() });
    clusterId = await addCluster(loop.db, 'GM0479', 'Wachtlijst huishoudelijke hulp');
    for (let i = 0; i < 6; i++) wa.push(await invitable({ clusterId, channel: 'whatsapp' }));
    web = await invitable({ clusterId, channel: 'web' });
    // In the cluster but never invited: said "stop", did not agree to be invited.
    await invitable({ clusterId, channel: 'whatsapp', state: 'stopped' });
    await invitable({ clusterId, channel: 'whatsapp' }, false);
    // Another cluster's residents are not invited; a cluster of 5 where only 3 may be invited is refused at sending.
    otherClusterId = await addCluster(loop.db, 'GM0479', 'Bankjes in het park');
    outsiders = [];
    for (let i = 0; i < 5; i++) outsiders.push(await invitable({ clusterId: otherClusterId, channel: 'whatsapp' }, i < 3));
    smallClusterId = await addCluster(loop.db, 'GM0479', 'Losse tegel');
    await invitable({ clusterId: smallClusterId, channel: 'whatsapp' });
    foreignClusterId = await addCluster(loop.db, 'GM0880', 'Elders');
    for (let i = 0; i < 5; i++) await invitable({ clusterId: foreignClusterId, municipalityCode: 'GM0880', channel: 'whatsapp' });
  }, 120_000);

  afterAll(async () => {
    await loop.close();
  });

  it('offers the invitation form from the polls and cluster pages, with only clusters of 5 or more residents', async () => {
    expect(await (await get('/dashboard/peilingen')).text()).toContain('href="/dashboard/peilingen/uitnodiging"');
    const form = await (await get(`/dashboard/peilingen/uitnodiging?cluster=${clusterId}`)).text();
    expect(form).toContain(`<option value="${clusterId}" selected>`);
    expect(form).toContain(`value="${otherClusterId}"`);
    expect(form).not.toContain(smallClusterId);
    expect(form).not.toContain(foreignClusterId);
    // The cluster page links to it for the council, not for the municipality's team.
    expect(await (await get(`/dashboard/clusters/${clusterId}`)).text()).toContain(`href="/dashboard/peilingen/uitnodiging?cluster=${clusterId}"`);
    expect(await (await get(`/dashboard/clusters/${clusterId}`, 'team@zaanstad.test')).text()).not.toContain('id="invite-link"');
  });

  it('refuses a missing title, a small cluster and another municipality\'s cluster with a clear message, storing nothing', async () => {
    const noTitle = await invite({ cluster: clusterId, ...meeting, title: '' });
    expect(noTitle.status).toBe(400);
    expect(await noTitle.text()).toContain('Vul een titel in');
    for (const cluster of [smallClusterId, foreignClusterId]) {
      const response = await invite({ cluster, ...meeting });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Kies een cluster van uw gemeente.');
    }
    expect(await loop.db.selectFrom('polls').selectAll().execute()).toHaveLength(0);
  });

  it('refuses to send to fewer than 5 residents who may be invited, sending nothing', async () => {
    const response = await invite({ cluster: otherClusterId, ...meeting });
    expect(response.status).toBe(303);
    const id = idFrom(response);
    const refused = await send(id);
    expect(refused.status).toBe(400);
    expect(await loop.db.selectFrom('polls').select('sent_at').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ sent_at: null });
    expect(await deliveries(id)).toHaveLength(0);
  });

  let tableId = '';

  it('invites the cluster\'s residents who may be invited, once, with accept and decline buttons', async () => {
    const response = await invite({ cluster: clusterId, ...meeting });
    expect(response.status).toBe(303);
    tableId = idFrom(response);
    const before = await (await get(`/dashboard/peilingen/${tableId}/tafel`)).text();
    expect(before).toContain('Wijkcentrum De Kolk');
    expect(before).toContain('id="table-not-sent"');
    expect((await send(tableId)).status).toBe(303);
    await eventually(async () => expect((await loop.db.selectFrom('polls').select('queued_at').where('id', '=', tableId).executeTakeFirstOrThrow()).queued_at).not.toBeNull());
    const delivered = await deliveries(tableId);
    expect(delivered.map((d) => d.resident_id).sort()).toEqual([...wa.map((r) => r.id), web.id].sort());
    await eventually(() => expect(sentTo(wa[0]?.channelId ?? '')).toHaveLength(1));
    const first = sentTo(wa[0]?.channelId ?? '')[0]?.body as { interactive?: { body: { text: string }; action: { buttons: { reply: { id: string; title: string } }[] } } };
    expect(first.interactive?.body.text).toContain('Waar: Wijkcentrum De Kolk');
    expect(first.interactive?.action.buttons.map((b) => b.reply.title)).toEqual(['Ja, deel mijn nummer', 'Ja, ik kom zelf', 'Nee, ik kom niet']);
    for (const r of outsiders) expect(sentTo(r.channelId)).toHaveLength(0);
  });

  it('takes answers from WhatsApp buttons and the web chat; the organiser sees counts, and numbers only of who consented, audited', async () => {
    const [r0, r1, r2, r3, r4] = wa;
    if (!r0 || !r1 || !r2 || !r3 || !r4) throw new Error('residents missing');
    await button(r0.channelId, pollChoiceId(tableId, 'a'), 'Ja, deel mijn nummer');
    await button(r1.channelId, pollChoiceId(tableId, 'b'), 'Ja, ik kom zelf');
    await button(r2.channelId, pollChoiceId(tableId, 'c'), 'Nee, ik kom niet');
    await button(r3.channelId, pollChoiceId(tableId, 'a'), 'Ja, deel mijn nummer');
    await button(r4.channelId, pollChoiceId(tableId, 'b'), 'Ja, ik kom zelf');
    const cookie = `wijkstem_chat=${web.channelId}`;
    const chat = await (await loop.request('/chat?gemeente=GM0479', { headers: { cookie } })).text();
    expect(chat).toContain(pollChoiceId(tableId, 'a'));
    await loop.request('/chat?gemeente=GM0479', { method: 'POST', body: new URLSearchParams({ choice: pollChoiceId(tableId, 'a') }), headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
    await eventually(async () => expect(await answers(tableId)).toHaveLength(6));

    const page = await (await get(`/dashboard/peilingen/${tableId}/tafel`)).text();
    expect(page).toMatch(/data-figure="invited">7</);
    expect(page).toMatch(/data-figure="accepted">5</);
    // One decline and one without an answer: small groups are shown as "< 5".
    expect(page).toMatch(/data-figure="declined">&lt; 5</);
    expect(page).toMatch(/data-figure="no-answer">&lt; 5</);
    for (const r of wa) expect(page).not.toContain(r.channelId);
    expect(await loop.db.selectFrom('audit_log').select('id').where('action', '=', 'table.contacts.view').execute()).toHaveLength(0);

    const contacts = await (await get(`/dashboard/peilingen/${tableId}/tafel/contact`)).text();
    expect(contacts).toContain(r0.channelId);
    expect(contacts).toContain(r3.channelId);
    for (const r of [r1, r2, r4, wa[5]]) expect(contacts).not.toContain(r?.channelId ?? 'missing');
    expect(contacts).toContain('1 bewoner(s) via de webchat gaven toestemming');
    const audit = await loop.db.selectFrom('audit_log').select(['actor_id', 'subject_id', 'details']).where('action', '=', 'table.contacts.view').execute();
    expect(audit).toEqual([{ actor_id: loop.users[council]?.id, subject_id: tableId, details: { whatsapp: 2, webChat: 1 } }]);
  });

  it('refuses other roles (403) and other municipalities or flash polls (404), logged', async () => {
    expect((await get(`/dashboard/peilingen/${tableId}/tafel/contact`, 'team@zaanstad.test')).status).toBe(403);
    expect((await get(`/dashboard/peilingen/${tableId}/tafel/contact`, 'raad@wormerland.test')).status).toBe(404);
    expect((await get('/dashboard/peilingen/uitnodiging', 'team@zaanstad.test')).status).toBe(403);
    const flash = await loop.post('/dashboard/peilingen', { question: 'Bankjes?', kind: 'choice', option: ['Ja', 'Nee', ''] }, await loop.login(council));
    expect((await get(`/dashboard/peilingen/${idFrom(flash)}/tafel`)).status).toBe(404);
    const refused = await loop.db.selectFrom('audit_log').select('details').where('action', '=', 'access.refused').execute();
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(await loop.db.selectFrom('audit_log').select('id').where('action', '=', 'table.contacts.view').execute()).toHaveLength(1);
  });
});
