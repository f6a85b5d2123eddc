/**
 * Feedback to residents end to end, on PGlite + in-process queue, PostgreSQL + in-process queue and PostgreSQL +
 * BullMQ on Redis: a council member reports an item back in the dashboard, the 'feedback.fanout' job stores one
 * message per resident who asked to hear back and queues the sends; WhatsApp goes out to the fake Graph API (free
 * text inside the 24-hour window, the approved template outside it), the web chat shows it on the next visit, and
 * opted-out, erased and not-asking residents get nothing. A double click, a second run and a fan-out cut off halfway
 * send nobody anything twice. Delivery figures come from the message statuses the webhook stores.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageKey } from '../bot/identity.ts';
import { updateOutboundStatus } from '../db/repositories/conversations.ts';
import { eraseResident } from '../db/repositories/erasure.ts';
import { storeFeedbackMessages, unfinishedFeedbackItems } from '../db/repositories/feedback.ts';
import type { JobQueue } from '../pipeline/queue/index.ts';
import { createFeedbackFanoutHandler } from '../pipeline/workers/feedback.ts';
import { databaseKinds, type TestDatabaseKind } from './support/databases.ts';
import { addCluster, addResident, feedbackTemplate, pseudonymKey, startLoopApp, type LoopApp, type QueueKind, type SeededResident } from './support/loop.ts';
import { redisUrl } from './support/services.ts';
import { memoryLog } from './support/memory-log.ts';

const setups: [string, TestDatabaseKind, QueueKind][] = [
  ...databaseKinds.map((kind): [string, TestDatabaseKind, QueueKind] => [`${kind} + in-process queue`, kind, 'in-process']),
  ...(databaseKinds.includes('postgres') && redisUrl ? [['postgres + BullMQ', 'postgres', 'bullmq'] as [string, TestDatabaseKind, QueueKind]] : []),
];

const feedbackNl = 'Vanaf maart zijn er twee extra huishoudelijke hulpen in Zaandam.';
const feedbackEn = 'From March there are two more home helpers in Zaandam.';


describe.each(setups)('feedback on %s', (_name, kind, queueKind) => {
  let loop: LoopApp;
  const log = memoryLog();
  const council = 'raad@zaanstad.test';
  const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 25 });
  const sentTo = (phone: string) => loop.graph.requests.filter((r) => (r.body as { to?: string } | undefined)?.to === phone);
  const deliveries = (itemId: string) => loop.db.selectFrom('feedback_deliveries').selectAll().where('agenda_item_id', '=', itemId).execute();
  const feedbackMessages = (residentId: string) =>
    loop.db.selectFrom('messages').selectAll().where('resident_id', '=', residentId).where('kind', '=', 'feedback').execute();

  /** An item on the given clusters, moved to "decided" by the council. */
  async function decidedItem(clusterIds: string[]): Promise<string> {
    const cookie = await loop.login(council);
    const created = await loop.post('/dashboard/agenda', { title: 'Wachtlijst huishoudelijke hulp', cluster: clusterIds }, cookie);
    const id = /\/dashboard\/agenda\/([0-9a-f-]{36})/.exec(created.headers.get('location') ?? '')?.[1] ?? '';
    expect((await loop.post(`/dashboard/agenda/${id}/status`, { to: 'decided', decision: 'Twee extra hulpen.' }, cookie)).status).toBe(303);
    return id;
  }
  const reportBack = async (id: string) =>
    loop.post(`/dashboard/agenda/${id}/status`, { to: 'reported_back', decision: 'Twee extra hulpen.', feedbackNl, feedbackEn }, await loop.login(council));

  beforeAll(async () => {
    loop = await startLoopApp(kind, queueKind, { logger: log.logger });
  });

  afterAll(() => loop.close());

  describe('one item reported back', () => {
    let itemId: string;
    let r: Record<'inWindow' | 'outside' | 'web' | 'stopped' | 'notAsked' | 'erased' | 'otherCluster', SeededResident>;

    beforeAll(async () => {
      const cluster = await addCluster(loop.db, 'GM0479', 'wachtlijst huishoudelijke hulp');
      const other = await addCluster(loop.db, 'GM0479', 'buurtbus rijdt niet', 'vervoer');
      r = {
        inWindow: await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', hoursSinceLastMessage: 2 }),
        outside: await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', hoursSinceLastMessage: 48, language: 'en' }),
        web: await addResident(loop.db, { clusterId: cluster, channel: 'web' }),
        stopped: await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', state: 'stopped' }),
        notAsked: await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', wantsFeedback: false }),
        erased: await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp' }),
        otherCluster: await addResident(loop.db, { clusterId: other, channel: 'whatsapp' }),
      };
      // "verwijder mijn gegevens": signals, messages and profile gone; the contact stays until the confirmation is sent.
      await loop.db.transaction().execute((trx) => eraseResident(trx, r.erased.id, { keepContact: true }));
      itemId = await decidedItem([cluster]);
      // Two clicks on "reported back" (the second from a page that still showed "decided").
      expect((await reportBack(itemId)).status).toBe(303);
      expect((await reportBack(itemId)).status).toBe(303);
      await eventually(async () => expect((await loop.db.selectFrom('agenda_items').select('feedback_queued_at').where('id', '=', itemId).executeTakeFirstOrThrow()).feedback_queued_at).not.toBeNull());
      await eventually(() => expect(sentTo(r.inWindow.channelId).length + sentTo(r.outside.channelId).length).toBe(2));
      // The send job marks a message sent just after the Graph API answered.
      await eventually(async () => {
        for (const who of [r.inWindow, r.outside]) expect((await feedbackMessages(who.id)).map((m) => m.status)).toEqual(['sent']);
      });
    });

    it('sends free text inside the 24-hour window, in the resident’s language', async () => {
      const [request] = sentTo(r.inWindow.channelId);
      expect(request?.problems).toEqual([]);
      expect(request?.body).toMatchObject({ type: 'text', text: { body: expect.stringContaining(feedbackNl) as unknown } });
      // The send job marks it sent just after the Graph API answered.
      await eventually(async () => {
        const [message] = await feedbackMessages(r.inWindow.id);
        expect(message).toMatchObject({ channel: 'whatsapp', status: 'sent', conversation_id: r.inWindow.conversationId });
      });
    });

    it('sends the approved template outside the window, in the resident’s language, with the feedback as its parameter', () => {
      const [request] = sentTo(r.outside.channelId);
      expect(request?.problems).toEqual([]);
      expect(request?.body).toMatchObject({ type: 'template', template: { name: feedbackTemplate.name, language: { code: 'en' } } });
      // The template's one body parameter carries the feedback itself: the resident reads what was decided.
      const components = (request?.body as { template: { components?: { parameters: { text: string }[] }[] } }).template.components;
      expect(components?.[0]?.parameters[0]?.text).toContain(feedbackEn);
    });

    it('shows a web chat resident the message on their next visit, and counts it read', async () => {
      const [stored] = await feedbackMessages(r.web.id);
      expect(stored).toMatchObject({ channel: 'web', status: 'sent', conversation_id: r.web.conversationId });
      const page = await loop.request('/chat?gemeente=GM0479', { headers: { cookie: `wijkstem_chat=${r.web.channelId}` } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(feedbackNl);
      const [seen] = await feedbackMessages(r.web.id);
      expect(seen?.status).toBe('read');
    });

    it('gives opted-out, erased, not-asking and other clusters’ residents nothing', async () => {
      for (const who of [r.stopped, r.notAsked, r.erased, r.otherCluster]) {
        expect(sentTo(who.channelId)).toEqual([]);
        expect(await feedbackMessages(who.id)).toEqual([]);
      }
      expect((await deliveries(itemId)).map((d) => d.resident_id).sort()).toEqual([r.inWindow.id, r.outside.id, r.web.id].sort());
    });

    it('sends once despite the double click and a second run of the fan-out', async () => {
      const history = await loop.db.selectFrom('agenda_events').selectAll().where('agenda_item_id', '=', itemId).where('to_status', '=', 'reported_back').execute();
      expect(history).toHaveLength(1);
      // A job retried after it had done its work (at-least-once delivery): nothing new is stored or sent.
      await createFeedbackFanoutHandler({ db: loop.db, logger: log.logger, queue: loop.queue })({ agendaItemId: itemId }, { id: 'rerun', attempt: 2 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await deliveries(itemId)).toHaveLength(3);
      for (const who of [r.inWindow, r.outside]) expect(sentTo(who.channelId)).toHaveLength(1);
      for (const who of [r.inWindow, r.outside, r.web]) expect(await feedbackMessages(who.id)).toHaveLength(1);
    });

    it('counts delivery on the item page from the statuses the webhook stores', async () => {
      const wamid = sentTo(r.inWindow.channelId)[0]?.wamid ?? '';
      expect(await updateOutboundStatus(loop.db, 'whatsapp', messageKey(pseudonymKey, 'whatsapp', wamid), 'delivered', null)).toBe(true);
      const page = await (await loop.request(`/dashboard/agenda/${itemId}`, { headers: { cookie: await loop.login(council) } })).text();
      const cell = (state: string) => new RegExp(`data-state="${state}">\\s*<th[^>]*>[^<]*</th>\\s*<td[^>]*>(\\d+)</td>`).exec(page)?.[1];
      expect({ queued: cell('queued'), sent: cell('sent'), delivered: cell('delivered'), read: cell('read'), failed: cell('failed') }).toEqual({ queued: '0', sent: '1', delivered: '1', read: '1', failed: '0' });
    });

    it('keeps message text and numbers out of the logs', () => {
      const text = log.text();
      expect(text).toContain('feedback fanned out');
      expect(text).not.toContain(feedbackNl);
      expect(text).not.toContain(feedbackEn);
      for (const who of Object.values(r)) expect(text).not.toContain(who.channelId);
    });
  });

  it('resumes a fan-out cut off halfway without sending anyone twice', async () => {
    const cluster = await addCluster(loop.db, 'GM0479', 'geen plek bij de dagbesteding', 'werk');
    const residents: SeededResident[] = [];
    for (let i = 0; i < 6; i += 1) residents.push(await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', hoursSinceLastMessage: 1 }));
    const id = await decidedItem([cluster]);
    // Reported back in the database only, so the test drives the fan-out itself.
    await loop.db.updateTable('agenda_items').set({ status: 'reported_back', feedback_nl: feedbackNl, reported_back_at: new Date() }).where('id', '=', id).execute();
    const item = { id, municipality_code: 'GM0479' };
    // A first run stored one message and crashed before queueing it.
    const first = residents[0];
    if (!first) throw new Error('no resident');
    await storeFeedbackMessages(loop.db, item, [{ residentId: first.id, channel: 'whatsapp', conversationId: first.conversationId, text: feedbackNl }], 'feedback');
    // A second run, a page at a time, lost its queue after queueing its first page.
    let calls = 0;
    const failing: JobQueue = {
      ...loop.queue,
      enqueueMany: async (jobs) => {
        calls += 1;
        if (calls > 1) throw new Error('Redis went away');
        return loop.queue.enqueueMany(jobs);
      },
    };
    const handler = (queue: JobQueue) => createFeedbackFanoutHandler({ db: loop.db, logger: log.logger, queue, pageSize: 2 });
    await expect(handler(failing)({ agendaItemId: id }, { id: 'crash', attempt: 1 })).rejects.toThrow('Redis went away');
    // Unfinished: the workers' sweep (app/start.ts) would queue it again after a restart.
    expect(await unfinishedFeedbackItems(loop.db)).toContain(id);
    // The retry (or the sweep after a restart) finishes it.
    await handler(loop.queue)({ agendaItemId: id }, { id: 'resume', attempt: 2 });
    expect(await unfinishedFeedbackItems(loop.db)).not.toContain(id);
    await eventually(() => {
      for (const who of residents) expect(sentTo(who.channelId)).toHaveLength(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const who of residents) {
      expect(sentTo(who.channelId)).toHaveLength(1);
      expect(await feedbackMessages(who.id)).toHaveLength(1);
    }
    expect(await deliveries(id)).toHaveLength(6);
  });

  it('rides out a Graph API that rate-limits and fails halfway through a batch: once each, and a lost one shown as failed', async () => {
    const cluster = await addCluster(loop.db, 'GM0479', 'bushalte zonder bankje', 'vervoer');
    const residents: SeededResident[] = [];
    for (let i = 0; i < 12; i += 1) residents.push(await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', hoursSinceLastMessage: 1 }));
    const [limited, flaky, lost] = residents.slice(5, 8);
    if (!limited || !flaky || !lost) throw new Error('no residents');
    // Halfway through: one answered 429 once, one 500 twice (it gets through on the last of 3 attempts), and one
    // 500 every time (it runs out of attempts).
    loop.graph.failNext(429, 1, limited.channelId);
    loop.graph.failNext(500, 2, flaky.channelId);
    loop.graph.failNext(500, 3, lost.channelId);
    const id = await decidedItem([cluster]);
    expect((await reportBack(id)).status).toBe(303);

    const accepted = (phone: string) => sentTo(phone).filter((request) => request.status === 200);
    await eventually(async () => {
      for (const who of residents) expect((await feedbackMessages(who.id)).map((m) => m.status)).toEqual([who === lost ? 'failed' : 'sent']);
    });
    for (const who of residents) expect(accepted(who.channelId), who === lost ? 'the lost one' : 'each other one once').toHaveLength(who === lost ? 0 : 1);
    expect(sentTo(limited.channelId).map((r) => r.status)).toEqual([429, 200]);
    expect(sentTo(flaky.channelId).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(sentTo(lost.channelId).map((r) => r.status)).toEqual([500, 500, 500]);
    expect(await deliveries(id)).toHaveLength(12);
    // The organiser sees the lost one on the item, not a silent gap.
    const page = await (await loop.request(`/dashboard/agenda/${id}`, { headers: { cookie: await loop.login(council) } })).text();
    const cell = (state: string) => new RegExp(`data-state="${state}">\\s*<th[^>]*>[^<]*</th>\\s*<td[^>]*>(\\d+)</td>`).exec(page)?.[1];
    expect({ sent: cell('sent'), failed: cell('failed') }).toEqual({ sent: '11', failed: '1' });
  });
});
