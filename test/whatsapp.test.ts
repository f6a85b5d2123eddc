/**
 * The WhatsApp channel end to end, on each database kind: Meta's signed webhook (every sample body in
 * test/fixtures/whatsapp, copied from ../shared/data/whatsapp-samples) through the conversation service into the
 * database, and replies out through the queue to a local fake of the Graph API that checks Meta's documented shapes.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Hono } from 'hono';
import { createHttpApp } from '../app/http/app.ts';
import { messageKey, pseudonymise } from '../bot/identity.ts';
import { signBody } from '../bot/channels/whatsapp/signature.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { queueJobs, queueSend } from '../bot/intake.ts';
import { pendingTurnIds } from '../bot/conversation-service.ts';
import { queuedOutboundIds, storeReply } from '../db/repositories/conversations.ts';
import { deleteRedisKeys } from './support/redis.ts';
import { createBullMqQueue, createInProcessQueue, type JobQueue } from '../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../pipeline/workers/handlers.ts';
import { createSendHandler } from '../pipeline/workers/send.ts';
import { databaseKinds, openTestDatabase, type TestDatabase, type TestDatabaseKind } from './support/databases.ts';
import { redisUrl, uniqueName } from './support/services.ts';
import { startFakeGraphApi, validateMessage, type FakeGraphApi } from './support/fake-graph-api.ts';
import { memoryLog } from './support/memory-log.ts';

const fixtures = new URL('./fixtures/whatsapp/', import.meta.url);
const appSecret = 'test-app-secret';
const verifyToken = 'test-verify-token';
const pseudonymKey = 'p'.repeat(32);
const phoneNumberId = '1122334455667';
const base = 'http://wijkstem.test';
const keyOf = (wamid: string | undefined) => messageKey(pseudonymKey, 'whatsapp', wamid ?? '');

type Json = Record<string, unknown>;
type Body = { entry: { changes: { value: Json }[] }[] };

function loadSamples(): Map<string, Map<string, Body>> {
  const files = new Map<string, Map<string, Body>>();
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
    files.set(name.replace(/\.json$/, ''), new Map(Object.entries(JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, Body>)));
  }
  return files;
}
const samples = loadSamples();

/** A fresh resident: their own number and business-scoped user id. */
function newResident() {
  const digits = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  return { phone: `316${digits}`, userId: `NL.${randomBytes(8).toString('hex')}` };
}

/**
 * A sample body, made unique to one resident: every message id, sender, contact and user id replaced, so samples
 * (which all share "wamid.xyzxyz" and one phone number) never collide.
 */
function sample(file: string, name: string, who: { phone: string; userId: string }, patch?: (message: Json) => void): Body & { ids: string[] } {
  const original = samples.get(file)?.get(name);
  if (!original) throw new Error(`no sample ${file}/${name}`);
  const body = structuredClone(original) as Body & { ids: string[] };
  body.ids = [];
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      for (const contact of (value.contacts as Json[] | undefined) ?? []) {
        contact.wa_id = who.phone;
        contact.user_id = who.userId;
      }
      for (const message of (value.messages as Json[] | undefined) ?? []) {
        message.id = `wamid.${randomBytes(9).toString('hex')}`;
        body.ids.push(message.id as string);
        if ('from' in message) message.from = who.phone;
        if ('from_user_id' in message) message.from_user_id = who.userId;
        patch?.(message);
      }
    }
  }
  return body;
}

function textMessage(who: { phone: string; userId: string }, text: string): Body & { ids: string[] } {
  return sample('message', 'text', who, (m) => {
    (m.text as Json).body = text;
  });
}

function buttonReply(who: { phone: string; userId: string }, id: string, title: string): Body & { ids: string[] } {
  return sample('callback_button', 'button', who, (m) => {
    (m.interactive as { button_reply: Json }).button_reply = { id, title };
  });
}

function listReply(who: { phone: string; userId: string }, id: string, title: string): Body & { ids: string[] } {
  return sample('callback_selection', 'callback', who, (m) => {
    (m.interactive as { list_reply: Json }).list_reply = { id, title };
  });
}

function statusOf(file: string, name: string, wamid: string): Body {
  const body = structuredClone(samples.get(file)?.get(name)) as Body;
  for (const entry of body.entry) for (const change of entry.changes) for (const s of (change.value.statuses as Json[] | undefined) ?? []) s.id = wamid;
  return body;
}


/** Each database kind with the in-process queue, and PostgreSQL with BullMQ on Redis: retries and failures from both. */
const setups: [string, TestDatabaseKind, 'in-process' | 'bullmq'][] = [
  ...databaseKinds.map((kind): [string, TestDatabaseKind, 'in-process'] => [`${kind} + in-process queue`, kind, 'in-process']),
  ...(databaseKinds.includes('postgres') && redisUrl ? [['postgres + BullMQ', 'postgres', 'bullmq'] as [string, TestDatabaseKind, 'bullmq']] : []),
];


describe.each(setups)('WhatsApp on %s', (_name, kind, queueKind) => {
  let database: TestDatabase;
  let queue: JobQueue;
  let graph: FakeGraphApi;
  let app: Hono;
  const log = memoryLog();
  const prefix = uniqueName('wijkstem_whatsapp');
  const whatsapp = () => ({ graphUrl: graph.url, phoneNumberId, accessToken: 'test-access-token' });

  const deliver = (body: unknown, options: { signature?: string | null; raw?: string; via?: Hono } = {}) => {
    const raw = options.raw ?? JSON.stringify(body);
    const signature = options.signature === undefined ? signBody(appSecret, raw) : options.signature;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    return (options.via ?? app).request(`${base}/webhooks/whatsapp`, { method: 'POST', body: raw, headers });
  };
  const count = async (table: 'messages' | 'signals' | 'residents') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  const residentOf = (who: { userId: string }) =>
    database.db
      .selectFrom('residents')
      .selectAll()
      .where('channel_key_hash', '=', pseudonymise(pseudonymKey, 'whatsapp', `bsuid:${who.userId}`))
      .executeTakeFirst();
  const repliesTo = async (who: { userId: string }) => {
    const resident = await residentOf(who);
    if (!resident) return [];
    return database.db.selectFrom('messages').selectAll().where('resident_id', '=', resident.id).where('direction', '=', 'out').orderBy('created_at').execute();
  };
  /** The Graph API requests for a resident's number, once the queue has sent them. */
  const sentTo = (who: { phone: string }) => graph.requests.filter((r) => (r.body as Json | undefined)?.to === who.phone);
  const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
    graph = await startFakeGraphApi();
    const retry = { attempts: 3, backoffMs: 20 };
    queue = queueKind === 'bullmq' && redisUrl ? createBullMqQueue({ redisUrl, prefix, retry }) : createInProcessQueue({ retry });
    const workerDeps = { db: database.db, logger: log.logger, whatsapp: whatsapp(), pseudonymKey, queue };
    await queue.startWorkers(createJobHandlers(workerDeps), { onFailed: createOnFailed(workerDeps), concurrency: 4 });
    app = createHttpApp({
      db: database.db,
      queue,
      logger: log.logger,
      pseudonymKey,
      defaultMunicipality: 'GM0479',
      whatsapp: { verifyToken, appSecret },
      secure: false,
      serveApp: true,
      health: () => queue.health(),
    });
  });

  afterAll(async () => {
    await queue.close();
    await graph.close();
    await database.drop();
    if (queueKind === 'bullmq' && redisUrl) await deleteRedisKeys(redisUrl, `${prefix}:*`);
  });

  describe('verification handshake', () => {
    it('answers the challenge for subscribe with the right token, 403 otherwise', async () => {
      const ok = await app.request(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('1158201444');
      for (const query of ['hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1', 'hub.mode=unsubscribe&hub.verify_token=' + verifyToken + '&hub.challenge=1', 'hub.challenge=1']) {
        expect((await app.request(`${base}/webhooks/whatsapp?${query}`)).status).toBe(403);
      }
    });
  });

  describe('signature', () => {
    it('refuses an unsigned, forged or tampered delivery with 401 and stores nothing', async () => {
      const before = { messages: await count('messages'), residents: await count('residents') };
      const body = textMessage(newResident(), 'Ik wil iets melden over de lift.');
      const raw = JSON.stringify(body);
      expect((await deliver(body, { signature: null })).status).toBe(401);
      expect((await deliver(body, { signature: signBody('another-secret', raw) })).status).toBe(401);
      expect((await deliver(body, { signature: 'sha256=zz' })).status).toBe(401);
      // A valid signature of other bytes: one changed character in the body.
      expect((await deliver(body, { raw: raw.replace('lift', 'LIFT'), signature: signBody(appSecret, raw) })).status).toBe(401);
      expect({ messages: await count('messages'), residents: await count('residents') }).toEqual(before);
    });

    it('is not behind the form CSRF check and still under the body limit', async () => {
      const big = textMessage(newResident(), 'x'.repeat(70_000));
      expect((await deliver(big)).status).toBe(413);
    });
  });

  describe('a conversation', () => {
    const who = newResident();

    it('stores the first message, keeps the number only on the resident, and sends the welcome with consent buttons', async () => {
      const before = await count('signals');
      const first = textMessage(who, 'De lift in onze flat is al twee weken kapot.');
      const response = await deliver(first);
      expect(response.status).toBe(200);

      const resident = await residentOf(who);
      expect(resident?.contact).toBe(who.phone);
      expect(resident?.channel_key_hash).not.toContain(who.phone);
      const inbound = await database.db.selectFrom('messages').selectAll().where('external_id', '=', keyOf(first.ids[0])).executeTakeFirstOrThrow();
      expect(inbound).toMatchObject({ direction: 'in', kind: 'text', status: 'received', resident_id: resident?.id });
      expect(await count('signals')).toBe(before); // consent first

      await eventually(() => expect(sentTo(who)).toHaveLength(1));
      const request = sentTo(who)[0];
      expect(request?.problems).toEqual([]);
      expect(request?.authorization).toBe('Bearer test-access-token');
      expect(request?.phoneNumberId).toBe(phoneNumberId);
      expect(request?.body).toMatchObject({
        messaging_product: 'whatsapp',
        to: who.phone,
        type: 'interactive',
        interactive: { type: 'button', action: { buttons: [{ reply: { id: 'yes' } }, { reply: { id: 'no' } }] } },
      });
      await eventually(async () => expect((await repliesTo(who))[0]).toMatchObject({ status: 'sent', external_id: keyOf(request?.wamid) }));
    });

    it('stores the signal once the resident taps yes, and offers the wijken as a list of at most 10 rows', async () => {
      const before = await count('signals');
      expect((await deliver(buttonReply(who, 'yes', 'Ja, dat is goed'))).status).toBe(200);
      // The turn (and the signal) comes from the conversation.turn job, after the 200.
      await eventually(async () => expect(await count('signals')).toBe(before + 1));
      const resident = await residentOf(who);
      const signal = await database.db.selectFrom('signals').selectAll().where('resident_id', '=', resident?.id ?? '').executeTakeFirstOrThrow();
      expect(signal).toMatchObject({ source: 'whatsapp', text_raw: 'De lift in onze flat is al twee weken kapot.', urgent: false });
      expect(resident?.consent_at).toBeInstanceOf(Date);
      await eventually(() => expect(sentTo(who)).toHaveLength(2));
      expect(JSON.stringify(sentTo(who)[1]?.body)).toContain(signal.reference);

      await deliver(buttonReply(who, 'done', 'Klaar'));
      await eventually(() => expect(sentTo(who)).toHaveLength(3));
      const list = sentTo(who)[2];
      expect(list?.problems).toEqual([]);
      const rows = (list?.body as { interactive: { type: string; action: { sections: { rows: { id: string }[] }[] } } }).interactive;
      expect(rows.type).toBe('list');
      const ids = rows.action.sections.flatMap((s) => s.rows.map((r) => r.id));
      expect(ids).toHaveLength(10);
      expect(ids).toContain('skip');

      await deliver(listReply(who, 'wijk:WK047906', 'Poelenburg'));
      await eventually(async () => expect((await residentOf(who))?.wijk_code).toBe('WK047906'));
    });

    it('ignores a redelivery: nothing stored, nothing sent again', async () => {
      const again = textMessage(who, 'Nog een keer hetzelfde bericht');
      expect((await deliver(again)).status).toBe(200);
      await eventually(() => expect(sentTo(who)).toHaveLength(5));
      const before = { messages: await count('messages'), signals: await count('signals') };
      expect((await deliver(again)).status).toBe(200);
      expect((await deliver(again)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect({ messages: await count('messages'), signals: await count('signals') }).toEqual(before);
      expect(sentTo(who)).toHaveLength(5);
    });

    it('stores delivery statuses on our message by its wamid, never moving back', async () => {
      // Meta reports by the wamid it gave us; we find our message by its keyed hash.
      const wamid = sentTo(who)[0]?.wamid ?? '';
      const statusOfReply = async () => (await database.db.selectFrom('messages').select(['status', 'error']).where('external_id', '=', keyOf(wamid)).executeTakeFirstOrThrow());
      expect((await deliver(statusOf('message_status', 'delivered', wamid))).status).toBe(200);
      expect(await statusOfReply()).toEqual({ status: 'delivered', error: null });
      await deliver(statusOf('message_status', 'read', wamid));
      await deliver(statusOf('message_status', 'delivered', wamid));
      await deliver(statusOf('message_status', 'played', wamid));
      expect(await statusOfReply()).toEqual({ status: 'read', error: null });

      const other = sentTo(who)[1]?.wamid ?? '';
      await deliver(statusOf('message_status', 'failed', other));
      expect(await database.db.selectFrom('messages').select(['status', 'error']).where('external_id', '=', keyOf(other)).executeTakeFirstOrThrow()).toEqual({
        status: 'failed',
        error: "whatsapp 130472: User's number is part of an experiment",
      });
    });

    it('handles several messages and statuses in one delivery', async () => {
      const a = newResident();
      const b = newResident();
      const first = textMessage(a, 'Eerste bewoner');
      const second = textMessage(b, 'Tweede bewoner');
      const combined = { object: 'whatsapp_business_account', entry: [...first.entry, ...second.entry] };
      expect((await deliver(combined)).status).toBe(200);
      expect(await residentOf(a)).toBeDefined();
      expect(await residentOf(b)).toBeDefined();
      await eventually(() => expect([sentTo(a).length, sentTo(b).length]).toEqual([1, 1]));
    });
  });

  describe('every sample', () => {
    it('is acknowledged, and what it cannot read gets a polite refusal in the resident’s language', async () => {
      const expectations: Record<string, string | null> = {
        'message/image': "Ik kan nog geen foto's verwerken. Wil je het typen?",
        'message/voice': 'Ik kan nog geen spraakberichten verwerken. Wil je het typen?',
        'message/audio': 'Ik kan nog geen geluidsbestanden verwerken. Wil je het typen?',
        'message/video': "Ik kan nog geen video's verwerken. Wil je het typen?",
        'message/document': 'Ik kan nog geen bestanden verwerken. Wil je het typen?',
        'message/static_sticker': 'Ik kan nog geen stickers verwerken. Wil je het typen?',
        'message/current_location': 'Ik kan nog geen locaties verwerken. Wil je het typen?',
        'message/contacts': 'Ik kan nog geen contactkaarten verwerken. Wil je het typen?',
        'message/reaction': 'Ik kan nog geen reacties verwerken. Wil je het typen?',
        'message/unsupported': 'Ik kan nog geen dit soort berichten verwerken. Wil je het typen?',
        'message/interactive_message_with_err': 'Ik kan nog geen dit soort berichten verwerken. Wil je het typen?',
        'message/order': 'Ik kan nog geen dit soort berichten verwerken. Wil je het typen?',
        'message/unreaction_empty': null,
        'system/phone_number_change': null,
      };
      const residents = new Map<string, { phone: string; userId: string }>();
      for (const [file, cases] of samples) {
        for (const name of cases.keys()) {
          const who = newResident();
          residents.set(`${file}/${name}`, who);
          const response = await deliver(sample(file, name, who));
          expect(response.status, `${file}/${name}`).toBe(200);
        }
      }
      // Every stored message has had its turn (none is left without a conversation).
      await eventually(async () => expect(await database.db.selectFrom('messages').select('id').where('direction', '=', 'in').where('conversation_id', 'is', null).execute()).toEqual([]));
      for (const [key, expected] of Object.entries(expectations)) {
        const who = residents.get(key);
        if (!who) throw new Error(`no sample ${key}`);
        const replies = await repliesTo(who);
        if (expected === null) expect(replies, key).toEqual([]);
        else expect(replies[0]?.text, key).toBe(expected);
      }
      // Text, replies to buttons and lists, forwarded and referral texts reach the conversation as words.
      for (const key of ['message/text', 'message/reply', 'message/forwarded', 'message/referral', 'callback_button/quick_reply_without_context', 'callback_selection/description']) {
        const replies = await repliesTo(residents.get(key) ?? newResident());
        expect(replies[0]?.text, key).toContain('Mogen we je verhaal bewaren');
      }
      // Nothing but ids is stored for media: no coordinates, no contact cards, no captions.
      const stored = await database.db.selectFrom('messages').select(['kind', 'text']).where('kind', 'in', ['location', 'contacts', 'image', 'document', 'video']).execute();
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.every((m) => m.text === null)).toBe(true);
    });

    it('answers a resident known only by a business-scoped user id through `recipient`', async () => {
      const who = newResident();
      const body = sample('callback_button', 'quick_reply_without_context', who, (m) => {
        delete m.from;
      });
      for (const c of body.entry[0]?.changes[0]?.value.contacts as Json[]) delete c.wa_id;
      expect((await deliver(body)).status).toBe(200);
      await eventually(() => expect(graph.requests.filter((r) => (r.body as Json).recipient === who.userId)).toHaveLength(1));
      expect(graph.requests.find((r) => (r.body as Json).recipient === who.userId)?.problems).toEqual([]);
    });
  });

  describe('identity', () => {
    it('a resident first known by phone number keeps one identity when Meta starts sending their user id', async () => {
      const who = newResident();
      const phoneOnly = (body: Body & { ids: string[] }) => {
        for (const entry of body.entry) for (const change of entry.changes) for (const c of (change.value.contacts as Json[] | undefined) ?? []) delete c.user_id;
        return body;
      };
      const byPhone = () =>
        database.db.selectFrom('residents').selectAll().where('channel_key_hash', '=', pseudonymise(pseudonymKey, 'whatsapp', `phone:${who.phone}`)).executeTakeFirst();
      // Before BSUIDs: known by the number (samples message/text and callback_button/button without contacts[].user_id).
      await deliver(phoneOnly(textMessage(who, 'Het fietspad bij de school is onveilig.')));
      await eventually(() => expect(sentTo(who)).toHaveLength(1));
      await deliver(phoneOnly(buttonReply(who, 'yes', 'Ja, dat is goed')));
      await eventually(() => expect(sentTo(who)).toHaveLength(2));
      const before = await byPhone();
      expect(before?.consent_at).toBeInstanceOf(Date);
      expect(await residentOf(who)).toBeUndefined();

      // The same wa_id, now with user_id (the samples as Meta sends them today): the same resident, re-keyed.
      await deliver(textMessage(who, 'En er brandt geen licht.'));
      await eventually(() => expect(sentTo(who)).toHaveLength(3));
      const after = await residentOf(who);
      expect(after?.id).toBe(before?.id);
      expect(after?.consent_at).toEqual(before?.consent_at);
      expect(await byPhone()).toBeUndefined();
      // The conversation went on (the story grew): one conversation, no welcome again.
      const conversations = await database.db.selectFrom('conversations').select('id').where('resident_id', '=', after?.id ?? '').execute();
      expect(conversations).toHaveLength(1);
      expect(JSON.stringify(sentTo(who)[2]?.body)).not.toContain('Mogen we je verhaal bewaren');
      // Replies still go to the number (`to`); a user id alone goes in `recipient` (see the user-id-only test).
      expect((sentTo(who)[2]?.body as Json).to).toBe(who.phone);
    });
  });

  describe('erasure', () => {
    it('erases on request, sends the confirmation, then forgets the number', async () => {
      const who = newResident();
      await deliver(textMessage(who, 'De stoep bij de school is al maanden kapot.'));
      await deliver(buttonReply(who, 'yes', 'Ja, dat is goed'));
      await deliver(textMessage(who, 'Verwijder mijn gegevens'));
      await deliver(buttonReply(who, 'erase-yes', 'Ja, wis alles'));
      // Replies still waiting when the erasure came are erased with the rest and never sent; the confirmation is.
      await eventually(() => expect(JSON.stringify(sentTo(who).at(-1)?.body)).toContain('gewist'));
      const resident = await residentOf(who);
      await eventually(async () => expect((await residentOf(who))?.contact).toBeNull());
      expect(await database.db.selectFrom('signals').select('id').where('resident_id', '=', resident?.id ?? '').execute()).toEqual([]);
      const left = await database.db.selectFrom('messages').select(['direction', 'kind', 'status']).where('resident_id', '=', resident?.id ?? '').execute();
      expect(left).toEqual([{ direction: 'out', kind: 'erasure', status: 'sent' }]);
    });
  });

  describe('bad input', () => {
    it('keeps an oversized text up to 4,096 characters and says so politely', async () => {
      const who = newResident();
      const long = textMessage(who, `${'Heel lang verhaal. '.repeat(300)}EINDE`);
      expect((await deliver(long)).status).toBe(200);
      const stored = await database.db.selectFrom('messages').select('text').where('external_id', '=', keyOf(long.ids[0])).executeTakeFirstOrThrow();
      expect(stored.text).toHaveLength(4096);
      await eventually(async () => expect((await repliesTo(who))[0]?.text).toMatch(/^Je bericht was erg lang/));
    });

    it('answers an emoji-only message kindly and stores no signal for it', async () => {
      const who = newResident();
      await deliver(textMessage(who, '🙂'));
      await deliver(buttonReply(who, 'yes', 'Ja, dat is goed'));
      await eventually(async () => expect(await repliesTo(who)).toHaveLength(2));
      const before = await count('signals');
      await deliver(textMessage(who, '👍👍'));
      await eventually(async () => expect(await repliesTo(who)).toHaveLength(3));
      expect(await count('signals')).toBe(before);
      expect((await repliesTo(who)).at(-1)?.text).toContain('Vertel maar');
    });
  });

  describe('sending', () => {
    it('retries 429 and 5xx from the queue until the message is sent', async () => {
      const who = newResident();
      graph.failNext(429, 1, who.phone);
      graph.failNext(500, 1, who.phone);
      await deliver(textMessage(who, 'Hallo, ik heb een vraag over de bus'));
      await eventually(async () => expect((await repliesTo(who))[0]?.status).toBe('sent'));
      expect(sentTo(who).map((r) => r.status)).toEqual([429, 500, 200]);
    });

    it('fails a message for good on a 400, visibly on the message and in the queue', async () => {
      const who = newResident();
      graph.failNext(400, 1, who.phone);
      await deliver(textMessage(who, 'Dit antwoord gaat mis'));
      await eventually(async () => expect((await repliesTo(who))[0]?.status).toBe('failed'));
      const [reply] = await repliesTo(who);
      expect(reply?.error).toContain('graph api 400');
      expect(sentTo(who)).toHaveLength(1);
      const failed = await queue.failed();
      expect(failed.find((j) => j.name === 'message.send' && j.payload.messageId === reply?.id)).toMatchObject({ attempts: 1 });
    });

    it('outside the 24-hour window sends only an approved template, and fails visibly without one', async () => {
      const who = newResident();
      await deliver(textMessage(who, 'Hallo'));
      await eventually(() => expect(sentTo(who)).toHaveLength(1));
      const resident = await residentOf(who);
      const conversation = await database.db.selectFrom('conversations').select('id').where('resident_id', '=', resident?.id ?? '').executeTakeFirstOrThrow();
      const later = () => new Date(Date.now() + 25 * 3600 * 1000);
      const send = createSendHandler({ db: database.db, logger: log.logger, whatsapp: whatsapp(), pseudonymKey, now: later });
      const feedback = (template?: string) =>
        storeReply(database.db, {
          conversationId: conversation.id,
          residentId: resident?.id ?? '',
          municipalityCode: 'GM0479',
          channel: 'whatsapp',
          kind: 'text',
          text: 'De gemeente heeft je verhaal besproken.',
          payload: template ? { template } : {},
          status: 'queued',
        });

      const without = await feedback();
      await expect(send({ messageId: without.id }, { id: 'x', attempt: 1 })).rejects.toMatchObject({ name: 'PermanentJobError' });

      await database.db
        .updateTable('municipalities')
        .set({ settings: JSON.stringify({ whatsappTemplates: { feedback: { name: 'wijkstem_terugkoppeling', languages: ['nl', 'en'] } } }) })
        .where('code', '=', 'GM0479')
        .execute();
      const withTemplate = await feedback('feedback');
      await send({ messageId: withTemplate.id }, { id: 'y', attempt: 1 });
      const request = sentTo(who).at(-1);
      expect(request?.problems).toEqual([]);
      expect(request?.body).toMatchObject({ type: 'template', template: { name: 'wijkstem_terugkoppeling', language: { code: 'nl' } } });
      await database.db.updateTable('municipalities').set({ settings: '{}' }).where('code', '=', 'GM0479').execute();
    });

    it('a message stored while the queue was down gets its turn and reply once the sweep queues it', async () => {
      const down = createInProcessQueue({ retry: { attempts: 1, backoffMs: 0 } });
      await down.close();
      const withoutQueue = createHttpApp({
        db: database.db,
        queue: down,
        logger: log.logger,
        pseudonymKey,
        defaultMunicipality: 'GM0479',
        whatsapp: { verifyToken, appSecret },
        secure: false,
        serveApp: true,
        health: () => down.health(),
      });
      const who = newResident();
      const body = textMessage(who, 'Bericht terwijl de wachtrij plat ligt');
      expect((await deliver(body, { via: withoutQueue })).status).toBe(200);
      // Stored before the 200, but no turn yet: no reply, and the sweep finds it.
      const inbound = await database.db.selectFrom('messages').select(['id', 'conversation_id']).where('external_id', '=', keyOf(body.ids[0])).executeTakeFirstOrThrow();
      expect(inbound.conversation_id).toBeNull();
      expect(await repliesTo(who)).toEqual([]);
      const waiting = await pendingTurnIds(database.db, new Date(Date.now() + 1000));
      expect(waiting).toContain(inbound.id);
      await queueJobs({ queue, logger: log.logger }, waiting.map((messageId) => ({ name: 'conversation.turn', payload: { messageId } })));
      await eventually(async () => expect((await repliesTo(who))[0]?.status).toBe('sent'));
      expect(sentTo(who)).toHaveLength(1);
      // A reply stored while the queue was down is sent once the sweep queues it.
      const [reply] = await repliesTo(who);
      const conversation = await database.db.selectFrom('conversations').select('id').where('resident_id', '=', (await residentOf(who))?.id ?? '').executeTakeFirstOrThrow();
      const later = await storeReply(database.db, { conversationId: conversation.id, residentId: (await residentOf(who))?.id ?? '', municipalityCode: 'GM0479', channel: 'whatsapp', kind: 'text', text: 'Nog een antwoord', payload: {}, status: 'queued' });
      expect(await queuedOutboundIds(database.db, new Date(Date.now() + 1000))).toContain(later.id);
      await queueSend({ queue, logger: log.logger }, later.id);
      await eventually(() => expect(sentTo(who)).toHaveLength(2));
      expect(reply?.id).not.toBe(later.id);
    });

    it('keeps phone numbers and message text out of logs and job payloads', async () => {
      const who = newResident();
      const secretStory = `Mijn buurman ${randomBytes(4).toString('hex')} heeft last van schimmel`;
      await deliver(textMessage(who, secretStory));
      await eventually(() => expect(sentTo(who)).toHaveLength(1));
      expect(log.text()).not.toContain(who.phone);
      expect(log.text()).not.toContain(secretStory);
      // Wamids encode the phone number: none is stored as it is, in or out.
      const ids = (await database.db.selectFrom('messages').select('external_id').where('channel', '=', 'whatsapp').execute()).map((m) => m.external_id);
      expect(ids.length).toBeGreaterThan(10);
      expect(ids.filter((id) => id?.startsWith('wamid.'))).toEqual([]);
      expect(log.text()).not.toContain('wamid.');
      for (const job of await queue.failed()) expect(Object.keys(job.payload)).toEqual([job.name === 'signal.received' ? 'signalId' : 'messageId']);
    });
  });
});

describe('the fake Graph API validates Meta’s shapes', () => {
  const to = '31612345678';
  const buttons = (titles: string[]) => ({ type: 'button', body: { text: 'k' }, action: { buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `${i}`, title } })) } });
  const list = (rows: number) => ({ type: 'list', body: { text: 'k' }, action: { button: 'Kies', sections: [{ rows: Array.from({ length: rows }, (_, i) => ({ id: `${i}`, title: `r${i}` })) }] } });
  it.each([
    ['text.body', { messaging_product: 'whatsapp', to, type: 'text', text: { body: 'x'.repeat(4097) } }],
    ['1 to 3', { messaging_product: 'whatsapp', to, type: 'interactive', interactive: buttons(['a', 'b', 'c', 'd']) }],
    ['over 20', { messaging_product: 'whatsapp', to, type: 'interactive', interactive: buttons(['een titel die te lang is']) }],
    ['rows', { messaging_product: 'whatsapp', to, type: 'interactive', interactive: list(11) }],
    ['messaging_product', { messaging_product: 'sms', to, type: 'text', text: { body: 'hoi' } }],
    ['recipient', { messaging_product: 'whatsapp', type: 'text', text: { body: 'hoi' } }],
  ])('refuses a body with a problem in %s', (problem, body) => {
    expect(validateMessage(body).join('; ')).toContain(problem);
  });

  it('accepts what we send', () => {
    expect(validateMessage({ messaging_product: 'whatsapp', to, type: 'interactive', interactive: list(10) })).toEqual([]);
    expect(validateMessage({ messaging_product: 'whatsapp', to, type: 'interactive', interactive: buttons(['Ja', 'Nee']) })).toEqual([]);
  });
});
