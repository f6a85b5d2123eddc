/**
 * Flash polls (issue 6). Pure: what a valid poll is, who is in its audience, who can be reached, the smallest
 * audience, answer matching. End to end on PGlite + in-process queue, PostgreSQL + in-process queue and PostgreSQL +
 * BullMQ on Redis, with the fake Graph API: a council member writes and sends a poll in the dashboard (a double click
 * sends once, a rerun of the fan-out sends nobody anything twice), WhatsApp gets reply buttons inside the 24-hour
 * window and the approved template outside it (no template in the resident's language: counted as not reachable),
 * answers come back through a signed webhook and the web chat, an open answer becomes a signal, a closed poll says so.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Hono } from 'hono';
import { createHttpApp } from '../app/http/app.ts';
import { createLogger } from '../app/logger.ts';
import { pseudonymise } from '../bot/identity.ts';
import { signBody } from '../bot/channels/whatsapp/signature.ts';
import type { FeedbackCandidate } from '../pipeline/loop/audience.ts';
import { audienceProblem, inPollAudience, optionFromText, parsePollChoice, planPoll, pollChoiceId, pollProblems } from '../pipeline/loop/poll.ts';
import { createPollFanoutHandler } from '../pipeline/workers/poll.ts';
import { storeBatchMessages } from '../db/repositories/feedback.ts';
import { claimPollSend } from '../db/repositories/polls.ts';
import { databaseKinds, type TestDatabaseKind } from './support/databases.ts';
import { addCluster, addResident, base, feedbackTemplate, pseudonymKey, startLoopApp, type LoopApp, type QueueKind, type SeededResident } from './support/loop.ts';
import { redisUrl } from './support/services.ts';
import { messageDelivery, type InboundContent } from './support/whatsapp-delivery.ts';

describe('poll rules', () => {
  const draft = { question: 'Zijn de nieuwe bankjes een goed idee?', kind: 'choice' as const, options: ['Ja', 'Nee', ''], audience: {} };

  it('accepts 2 or 3 options of at most 20 characters, or an open question', () => {
    expect(pollProblems(draft, []).size).toBe(0);
    expect(pollProblems({ ...draft, kind: 'open', options: [] }, []).size).toBe(0);
    expect(pollProblems({ ...draft, options: ['Ja'] }, []).get('options')).toBe('options');
    expect(pollProblems({ ...draft, options: ['a', 'b', 'c', 'd'] }, []).get('options')).toBe('options');
    expect(pollProblems({ ...draft, options: ['Ja', 'x'.repeat(21)] }, []).get('options')).toBe('option-length');
    expect(pollProblems({ ...draft, options: ['Ja', 'ja!'] }, []).get('options')).toBe('option-duplicate');
    expect(pollProblems({ ...draft, question: ' ' }, []).get('question')).toBe('question');
    // Up to three questions; only the last may be open; a later question's problem names its own field.
    expect(pollProblems({ ...draft, more: [{ question: 'Hoe vaak?', kind: 'choice', options: ['Vaak', 'Soms'] }, { question: 'Wat kan beter?', kind: 'open', options: [] }] }, []).size).toBe(0);
    expect(pollProblems({ ...draft, kind: 'open', options: [], more: [{ question: 'Hoe vaak?', kind: 'choice', options: ['Vaak', 'Soms'] }] }, []).get('kind')).toBe('open-not-last');
    expect(pollProblems({ ...draft, more: [{ question: 'Hoe vaak?', kind: 'choice', options: ['Vaak'] }, { question: '', kind: 'open', options: [] }] }, [])).toEqual(new Map([['options2', 'options'], ['question3', 'question']]));
    expect(pollProblems({ ...draft, audience: { wijken: ['WK999'] } }, ['WK047901']).get('audience')).toBe('audience');
  });

  const candidate: FeedbackCandidate = {
    residentId: 'r',
    channel: 'whatsapp',
    wantsFeedback: false,
    mayInvite: true,
    consentAt: new Date(),
    hasContact: true,
    conversationState: 'listening',
    conversationId: 'c',
    language: 'nl',
    lastSeenAt: new Date(),
    wijkCode: 'WK1',
    ageBand: '25_45',
    role: 'carer',
  };
  const now = new Date();
  const reach = { now, templateLanguages: ['nl'] };

  it('filters by wijk, age band and care; an empty filter does not narrow, an unknown answer is outside a filter', () => {
    expect(inPollAudience(candidate, {})).toBe(true);
    expect(inPollAudience(candidate, { wijken: ['WK1', 'WK2'], ageBands: ['25_45'], roles: ['carer'] })).toBe(true);
    expect(inPollAudience(candidate, { roles: ['client'] })).toBe(false);
    expect(inPollAudience({ ...candidate, ageBand: null }, { ageBands: ['25_45'] })).toBe(false);
  });

  it('sends to who may be invited, not stopped, not erased, reachable; outside the window only with a template in their language', () => {
    expect(planPoll(candidate, {}, reach)).toMatchObject({ send: true, channel: 'whatsapp', language: 'nl' });
    expect(planPoll({ ...candidate, mayInvite: false, wantsFeedback: true }, {}, reach)).toMatchObject({ send: false, reason: 'not-asked' });
    expect(planPoll({ ...candidate, conversationState: 'stopped' }, {}, reach)).toMatchObject({ send: false, reason: 'stopped' });
    expect(planPoll({ ...candidate, consentAt: null }, {}, reach)).toMatchObject({ send: false, reason: 'erased' });
    expect(planPoll(candidate, { wijken: ['WK9'] }, reach)).toMatchObject({ send: false, reason: 'filtered' });
    const old = { ...candidate, lastSeenAt: new Date(now.getTime() - 25 * 3600_000) };
    expect(planPoll(old, {}, reach)).toMatchObject({ send: true });
    expect(planPoll({ ...old, language: 'en' }, {}, reach)).toMatchObject({ send: false, reason: 'no-template' });
    // The web chat has no window: the poll waits for the next visit.
    expect(planPoll({ ...old, channel: 'web', hasContact: false, language: 'en' }, {}, reach)).toMatchObject({ send: true, channel: 'web' });
  });

  it('refuses an empty audience and one smaller than 5', () => {
    expect(audienceProblem(0)).toBe('empty');
    expect(audienceProblem(4)).toBe('too-small');
    expect(audienceProblem(5)).toBeUndefined();
  });

  it('finds the poll and option in a reply button id, and an option in a typed answer', () => {
    const id = '0b9f6c3e-1d2a-4c5b-8e7f-9a0b1c2d3e4f';
    expect(parsePollChoice(pollChoiceId(id, 'b'))).toEqual({ pollId: id, optionId: 'b' });
    expect(parsePollChoice('ask-feedback-yes')).toBeUndefined();
    const options = [
      { id: 'a', title: 'Ja' },
      { id: 'b', title: 'Weet niet' },
    ];
    expect(optionFromText(options, ' ja! ')?.id).toBe('a');
    expect(optionFromText(options, 'WEET NIET.')?.id).toBe('b');
    expect(optionFromText(options, 'ja maar de bus is ook te laat')).toBeUndefined();
  });
});

const setups: [string, TestDatabaseKind, QueueKind][] = [
  ...databaseKinds.map((kind): [string, TestDatabaseKind, QueueKind] => [`${kind} + in-process queue`, kind, 'in-process']),
  ...(databaseKinds.includes('postgres') && redisUrl ? [['postgres + BullMQ', 'postgres', 'bullmq'] as [string, TestDatabaseKind, QueueKind]] : []),
];

const appSecret = 'polls-app-secret';
const pollTemplate = { name: 'wijkstem_peiling', languages: ['nl'] };

describe.each(setups)('flash polls on %s', (_name, kind, queueKind) => {
  let loop: LoopApp;
  let webhookApp: Hono;
  const council = 'raad@zaanstad.test';
  const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 25 });
  const wa: SeededResident[] = [];
  const web: SeededResident[] = [];
  let waOldNl: SeededResident;
  let waOldEn: SeededResident;

  const sentTo = (phone: string) => loop.graph.requests.filter((r) => (r.body as { to?: string } | undefined)?.to === phone);
  const answers = (pollId: string) => loop.db.selectFrom('poll_answers').selectAll().where('poll_id', '=', pollId).execute();
  const deliveries = (pollId: string) => loop.db.selectFrom('poll_deliveries').selectAll().where('poll_id', '=', pollId).execute();

  /** A resident as the bot leaves one who said yes to "may we invite you?". */
  async function invitable(spec: Parameters<typeof addResident>[1], profile: { ageBand?: '25_45' | '65_plus'; role?: 'client' | 'carer' } = {}) {
    const r = await addResident(loop.db, spec);
    // The webhook knows a resident by the keyed hash of their number as 'phone:<number>'.
    const hash = spec.channel === 'whatsapp' ? pseudonymise(pseudonymKey, 'whatsapp', `phone:${r.channelId}`) : undefined;
    await loop.db
      .updateTable('residents')
      .set({ may_invite: true, age_band: profile.ageBand ?? null, role: profile.role ?? null, ...(hash ? { channel_key_hash: hash } : {}) })
      .where('id', '=', r.id)
      .execute();
    return r;
  }

  /** A WhatsApp message as Meta delivers it, signed with the app secret. */
  function deliver(phone: string, content: InboundContent) {
    const raw = messageDelivery('1099887766554', phone, content);
    return webhookApp.request(`${base}/webhooks/whatsapp`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(appSecret, raw) } });
  }
  const button = (phone: string, id: string, title: string) => deliver(phone, { button: id, title });
  const text = (phone: string, body: string) => deliver(phone, { text: body });
  const lastReply = async (residentId: string) =>
    (await loop.db.selectFrom('messages').select(['text', 'kind']).where('resident_id', '=', residentId).where('direction', '=', 'out').orderBy('created_at', 'desc').limit(1).executeTakeFirst())?.text ?? '';

  async function createPoll(fields: Record<string, string | string[]>): Promise<string> {
    const response = await loop.post('/dashboard/peilingen', fields, await loop.login(council));
    expect(response.status).toBe(303);
    return /\/dashboard\/peilingen\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  }
  const send = async (id: string) => loop.post(`/dashboard/peilingen/${id}/verzenden`, {}, await loop.login(council));
  const page = async (id: string) => (await loop.request(`/dashboard/peilingen/${id}`, { headers: { cookie: await loop.login(council) } })).text();
  const queued = (id: string) => eventually(async () => expect((await loop.db.selectFrom('polls').select('queued_at').where('id', '=', id).executeTakeFirstOrThrow()).queued_at).not.toBeNull());

  beforeAll(async () => {
    loop = await startLoopApp(kind, queueKind);
    await loop.db
      .updateTable('municipalities')
      .set({ settings: JSON.stringify({ whatsappTemplates: { feedback: feedbackTemplate, poll: pollTemplate } }) })
      .where('code', '=', 'GM0479')
      .execute();
    webhookApp = createHttpApp({ db: loop.db, queue: loop.queue, logger: createLogger('silent'), pseudonymKey, defaultMunicipality: 'GM0479', whatsapp: { verifyToken: 'v', appSecret }, secure: false, serveApp: true, health: () => loop.queue.health() });
    const clusterId = await addCluster(loop.db, 'GM0479', 'Bankjes in het park');
    for (let i = 0; i < 5; i++) wa.push(await invitable({ clusterId, channel: 'whatsapp' }, { ageBand: '25_45', role: i < 2 ? 'carer' : 'client' }));
    waOldNl = await invitable({ clusterId, channel: 'whatsapp', hoursSinceLastMessage: 48 }, { ageBand: '65_plus' });
    waOldEn = await invitable({ clusterId, channel: 'whatsapp', hoursSinceLastMessage: 48, language: 'en' }, { ageBand: '65_plus' });
    for (let i = 0; i < 2; i++) web.push(await invitable({ clusterId, channel: 'web' }));
    // Never reached: said "stop", did not agree to be invited, another municipality.
    await invitable({ clusterId, channel: 'whatsapp', state: 'stopped' });
    await addResident(loop.db, { clusterId, channel: 'whatsapp' });
    await invitable({ clusterId: await addCluster(loop.db, 'GM0880', 'Elders'), municipalityCode: 'GM0880', channel: 'whatsapp' });
  }, 120_000);

  afterAll(async () => {
    await loop.close();
  });

  it('refuses a poll with one option with a clear message, storing nothing', async () => {
    const response = await loop.post('/dashboard/peilingen', { question: 'Bankjes?', kind: 'choice', option: ['Ja', '', ''] }, await loop.login(council));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Geef 2 of 3 antwoorden.');
    expect(await loop.db.selectFrom('polls').selectAll().execute()).toHaveLength(0);
  });

  it('refuses to send to an empty audience or to fewer than 5, with a clear message', async () => {
    const empty = await createPoll({ question: 'Voor niemand?', kind: 'choice', option: ['Ja', 'Nee'], role: 'carer', ageBand: '65_plus' });
    const refused = await send(empty);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Niemand kan deze peiling krijgen');
    const small = await createPoll({ question: 'Voor een paar?', kind: 'choice', option: ['Ja', 'Nee'], role: 'carer' });
    expect(await page(small)).toContain('Minder dan 5 bewoners kunnen de peiling krijgen');
    const tooSmall = await send(small);
    expect(tooSmall.status).toBe(400);
    expect(await tooSmall.text()).toContain('Minder dan 5 bewoners kunnen deze peiling krijgen');
    const sent = await loop.db.selectFrom('polls').select('sent_at').where('id', 'in', [empty, small]).execute();
    expect(sent.every((p) => p.sent_at === null)).toBe(true);
    expect(await loop.db.selectFrom('poll_deliveries').selectAll().execute()).toHaveLength(0);
  });

  let choicePoll = '';

  it('sends a poll once on a double click: buttons inside the window, the template outside it, no template counted as not reachable', async () => {
    choicePoll = await createPoll({ question: 'Zijn de nieuwe bankjes een goed idee?', kind: 'choice', option: ['Ja', 'Nee', 'Weet niet'] });
    const preview = await page(choicePoll);
    expect(preview).toContain('8 bewoners kunnen de peiling nu krijgen.');
    expect(preview).toContain('id="poll-no-template"');
    const [a, b] = await Promise.all([send(choicePoll), send(choicePoll)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    await queued(choicePoll);
    expect(await deliveries(choicePoll)).toHaveLength(8);
    await eventually(() => expect(sentTo(wa[0]?.channelId ?? '')).toHaveLength(1));
    const first = sentTo(wa[0]?.channelId ?? '')[0]?.body as { type: string; interactive?: { action: { buttons: { reply: { id: string; title: string } }[] } } };
    expect(first.type).toBe('interactive');
    expect(first.interactive?.action.buttons.map((x) => x.reply)).toEqual([
      { id: pollChoiceId(choicePoll, 'a'), title: 'Ja' },
      { id: pollChoiceId(choicePoll, 'b'), title: 'Nee' },
      { id: pollChoiceId(choicePoll, 'c'), title: 'Weet niet' },
    ]);
    await eventually(() => expect(sentTo(waOldNl.channelId)).toHaveLength(1));
    expect((sentTo(waOldNl.channelId)[0]?.body as { template?: { name: string } }).template?.name).toBe('wijkstem_peiling');
    expect(sentTo(waOldEn.channelId)).toHaveLength(0);
    const poll = await loop.db.selectFrom('polls').select('skipped').where('id', '=', choicePoll).executeTakeFirstOrThrow();
    expect(poll.skipped['no-template']).toBe(1);

    // A third click and a rerun of the fan-out (a retry, a resume) send nobody anything again.
    await send(choicePoll);
    await createPollFanoutHandler({ db: loop.db, logger: createLogger('silent'), queue: loop.queue })({ pollId: choicePoll }, { id: 'rerun', attempt: 2 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await deliveries(choicePoll)).toHaveLength(8);
    expect(await loop.db.selectFrom('messages').select('id').where('kind', '=', 'poll').execute()).toHaveLength(8);
    expect(sentTo(wa[0]?.channelId ?? '')).toHaveLength(1);
  });

  it('stores a WhatsApp button answer from a signed webhook; a later answer replaces it; a typed option counts', async () => {
    const [r0, r1] = [wa[0], wa[1]];
    if (!r0 || !r1) throw new Error('residents missing');
    expect((await button(r0.channelId, pollChoiceId(choicePoll, 'a'), 'Ja')).status).toBe(200);
    await eventually(async () => expect((await answers(choicePoll)).map((x) => x.option_id)).toEqual(['a']));
    expect(await lastReply(r0.id)).toContain('Dank je wel voor je antwoord');
    await button(r0.channelId, pollChoiceId(choicePoll, 'b'), 'Nee');
    await eventually(async () => expect((await answers(choicePoll)).map((x) => x.option_id)).toEqual(['b']));
    await text(r1.channelId, 'ja!');
    await eventually(async () => expect((await answers(choicePoll)).find((x) => x.resident_id === r1.id)?.option_id).toBe('a'));
  });

  it('shows the poll in the web chat on the next visit and stores the answer chosen there', async () => {
    const r = web[0];
    if (!r) throw new Error('resident missing');
    const cookie = `wijkstem_chat=${r.channelId}`;
    const chat = await (await loop.request('/chat?gemeente=GM0479', { headers: { cookie } })).text();
    expect(chat).toContain('Zijn de nieuwe bankjes een goed idee?');
    expect(chat).toContain(pollChoiceId(choicePoll, 'a'));
    const response = await loop.request('/chat?gemeente=GM0479', { method: 'POST', body: new URLSearchParams({ choice: pollChoiceId(choicePoll, 'a') }), headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBeLessThan(400);
    await eventually(async () => expect((await answers(choicePoll)).find((x) => x.resident_id === r.id)?.option_id).toBe('a'));
  });

  it('shows results with small groups suppressed', async () => {
    for (const r of [wa[2], wa[3], wa[4]]) await button(r?.channelId ?? '', pollChoiceId(choicePoll, 'a'), 'Ja');
    await eventually(async () => expect(await answers(choicePoll)).toHaveLength(6));
    const html = await page(choicePoll);
    expect(html).toMatch(/data-figure="sent">8</);
    expect(html).toMatch(/data-figure="answered">6</);
    expect(html).toMatch(/data-figure="rate">75%</);
    // Ja: 5 answers shown; Nee: 1 suppressed; Weet niet: 0 shown (nobody is singled out by a 0).
    expect(html).toMatch(/>Ja<\/th><td class="utrecht-table__cell">5</);
    expect(html).toMatch(/>Nee<\/th><td class="utrecht-table__cell">&lt; 5</);
  });

  it('resumes a fan-out cut off halfway without sending anyone the poll twice', async () => {
    const question = 'Moet de speeltuin langer open?';
    const id = await createPoll({ question, kind: 'choice', option: ['Ja', 'Nee'] });
    // A first run that stored two residents' messages and crashed before queueing them.
    expect(await claimPollSend(loop.db, id)).toBe(true);
    const stored = await storeBatchMessages(
      loop.db,
      { kind: 'poll', id, municipality_code: 'GM0479' },
      [wa[0], wa[1]].map((r) => ({ residentId: r?.id ?? '', channel: 'whatsapp' as const, conversationId: r?.conversationId ?? null, text: question })),
      { template: 'poll', choices: [{ id: pollChoiceId(id, 'a'), title: 'Ja' }, { id: pollChoiceId(id, 'b'), title: 'Nee' }] },
    );
    expect(stored).toHaveLength(2);
    // The sweep (or a retry) runs it again, a page of two at a time.
    await createPollFanoutHandler({ db: loop.db, logger: createLogger('silent'), queue: loop.queue, pageSize: 2 })({ pollId: id }, { id: 'resume', attempt: 1 });
    expect(await deliveries(id)).toHaveLength(8);
    const withQuestion = (phone: string) => sentTo(phone).filter((r) => JSON.stringify(r.body).includes(question));
    await eventually(() => {
      for (const r of wa) expect(withQuestion(r.channelId)).toHaveLength(1);
    });
    await eventually(async () => expect(await loop.db.selectFrom('poll_deliveries').innerJoin('messages', 'messages.id', 'poll_deliveries.message_id').select('messages.id').where('poll_deliveries.poll_id', '=', id).where('messages.status', '=', 'queued').execute()).toHaveLength(0));
    for (const r of wa) expect(withQuestion(r.channelId)).toHaveLength(1);
    // Settled, so the typed answers in the tests below go to the poll they are meant for.
    await loop.db.updateTable('poll_deliveries').set({ settled_at: new Date() }).where('poll_id', '=', id).execute();
  });

  it('stores an open answer as a signal linked to the poll, and a closed poll says so and handles the message as usual', async () => {
    const open = await createPoll({ question: 'Wat mist er in het park?', kind: 'open', option: ['', '', ''] });
    expect((await send(open)).status).toBe(303);
    await queued(open);
    const [r2, r3] = [wa[2], wa[3]];
    if (!r2 || !r3) throw new Error('residents missing');
    await text(r2.channelId, 'Er zijn te weinig prullenbakken bij de speeltuin.');
    const answer = await eventually(async () => {
      const found = (await answers(open)).find((x) => x.resident_id === r2.id);
      expect(found?.signal_id).toBeTruthy();
      return found;
    });
    const signal = await loop.db.selectFrom('signals').select(['source', 'text_raw']).where('id', '=', answer?.signal_id ?? '').executeTakeFirstOrThrow();
    expect(signal).toEqual({ source: 'whatsapp', text_raw: 'Er zijn te weinig prullenbakken bij de speeltuin.' });
    // The open answer's text is not on the poll page: only the count, and the way to the audited signal views.
    expect(await page(open)).not.toContain('prullenbakken');

    expect((await loop.post(`/dashboard/peilingen/${open}/sluiten`, {}, await loop.login(council))).status).toBe(303);
    await text(r3.channelId, 'Meer bankjes in de schaduw graag.');
    await eventually(async () => expect(await lastReply(r3.id)).toContain('Deze peiling is gesloten'));
    expect((await answers(open)).find((x) => x.resident_id === r3.id)).toBeUndefined();
    // Told once: the next message is theirs again.
    const before = await loop.db.selectFrom('messages').select('id').where('resident_id', '=', r3.id).where('direction', '=', 'out').execute();
    await text(r3.channelId, 'En een watertappunt.');
    await eventually(async () => expect((await loop.db.selectFrom('messages').select('id').where('resident_id', '=', r3.id).where('direction', '=', 'out').execute()).length).toBeGreaterThan(before.length));
    expect(await lastReply(r3.id)).not.toContain('Deze peiling is gesloten');
  });

  it('asks up to three questions one after the other over WhatsApp buttons; the last, open, answer becomes a signal', async () => {
    const refused = await loop.post('/dashboard/peilingen', { question: 'Eerst open?', kind: 'open', option: ['', '', ''], question2: 'Dan kiezen?', kind2: 'choice', option2: ['Ja', 'Nee', ''] }, await loop.login(council));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Alleen de laatste vraag mag een open antwoord hebben.');
    const id = await createPoll({
      question: 'Zit je weleens in het park?',
      kind: 'choice',
      option: ['Ja', 'Nee', ''],
      question2: 'Hoe vaak?',
      kind2: 'choice',
      option2: ['Vaak', 'Soms', 'Nooit'],
      question3: 'Wat kan er beter?',
      kind3: 'open',
      option3: ['', '', ''],
    });
    const stored = await loop.db.selectFrom('polls').select(['question', 'questions']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.questions.map((q) => [q.question, q.kind, q.options.length])).toEqual([['Zit je weleens in het park?', 'choice', 2], ['Hoe vaak?', 'choice', 3], ['Wat kan er beter?', 'open', 0]]);
    expect((await send(id)).status).toBe(303);
    await queued(id);
    const r = wa[4];
    if (!r) throw new Error('resident missing');
    const sentBefore = sentTo(r.channelId).length;
    await button(r.channelId, pollChoiceId(id, 'a'), 'Ja');
    // The second question comes in the reply, with its own buttons.
    await eventually(() => expect(sentTo(r.channelId).length).toBeGreaterThan(sentBefore));
    await eventually(async () => expect(await lastReply(r.id)).toContain('Hoe vaak?'));
    // The request that carries the second question (not simply the last one: other sends to this number may be in flight).
    type Interactive = { interactive?: { body?: { text?: string }; action: { buttons: { reply: { id: string; title: string } }[] } } };
    const second = await eventually(() => {
      const body = sentTo(r.channelId)
        .map((request) => request.body as Interactive)
        .find((b) => b.interactive?.body?.text?.includes('Hoe vaak?'));
      expect(body?.interactive?.action.buttons).toHaveLength(3);
      return body;
    });
    expect(second?.interactive?.action.buttons.map((x) => x.reply)).toEqual([
      { id: pollChoiceId(id, '1a'), title: 'Vaak' },
      { id: pollChoiceId(id, '1b'), title: 'Soms' },
      { id: pollChoiceId(id, '1c'), title: 'Nooit' },
    ]);
    expect((await deliveries(id)).find((d) => d.resident_id === r.id)?.settled_at).toBeNull();
    await button(r.channelId, pollChoiceId(id, '1b'), 'Soms');
    await eventually(async () => expect(await lastReply(r.id)).toContain('Wat kan er beter?'));
    await text(r.channelId, 'Meer schaduw bij de bankjes.');
    const answered = await eventually(async () => {
      const rows = (await answers(id)).filter((x) => x.resident_id === r.id).sort((x, y) => x.question_index - y.question_index);
      expect(rows.map((x) => [x.question_index, x.option_id])).toEqual([[0, 'a'], [1, 'b'], [2, null]]);
      return rows;
    });
    const signal = await loop.db.selectFrom('signals').select('text_raw').where('id', '=', answered[2]?.signal_id ?? '').executeTakeFirstOrThrow();
    expect(signal.text_raw).toBe('Meer schaduw bij de bankjes.');
    await eventually(async () => expect(await lastReply(r.id)).toContain('Dank je wel voor je antwoord'));
    expect((await deliveries(id)).find((d) => d.resident_id === r.id)?.settled_at).not.toBeNull();
    // Results per question; one resident is a small group, so suppressed.
    const html = await page(id);
    expect(html).toContain('id="poll-options-result-2"');
    expect(html).toContain('id="poll-open-answers-3"');
    expect(html).toMatch(/>Soms<\/th><td class="utrecht-table__cell">&lt; 5</);
    expect(html).not.toContain('schaduw');
  });

  it('lets only council and admin of the municipality in', async () => {
    const team = await loop.request('/dashboard/peilingen', { headers: { cookie: await loop.login('team@zaanstad.test') } });
    expect(team.status).toBe(403);
    const other = await loop.request(`/dashboard/peilingen/${choicePoll}`, { headers: { cookie: await loop.login('raad@wormerland.test') } });
    expect(other.status).toBe(404);
    const refusedSend = await loop.post(`/dashboard/peilingen/${choicePoll}/sluiten`, {}, await loop.login('raad@wormerland.test'));
    expect(refusedSend.status).toBe(404);
    expect((await loop.db.selectFrom('polls').select('closed_at').where('id', '=', choicePoll).executeTakeFirstOrThrow()).closed_at).toBeNull();
  });
});
