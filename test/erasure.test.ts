/**
 * Erasure on request removes a resident everywhere (issue 7), on PGlite + in-process queue, PostgreSQL + in-process
 * and PostgreSQL + BullMQ: every table, the queued jobs (a reply waiting to be sent never goes out), the clusters
 * their signals were in, and `wijkstem signals export`. By an administrator (a request made elsewhere) and by the
 * resident in the chat ("verwijder mijn gegevens").
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { createLogger } from '../app/logger.ts';
import { signalsExport } from '../app/signals-cli.ts';
import { handleInbound, type ConversationDeps, type InboundContent } from '../bot/conversation-service.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { eraseResident } from '../db/repositories/erasure.ts';
import { applyRetention } from '../db/repositories/retention.ts';
import { exportSignalsPage, insertSignal } from '../db/repositories/signals.ts';
import { defaultRetention } from '../pipeline/privacy/retention.ts';
import { createBullMqQueue, createInProcessQueue, type JobQueue } from '../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../pipeline/workers/handlers.ts';
import { databaseKinds, openTestDatabase, type TestDatabase, type TestDatabaseKind } from './support/databases.ts';
import { startFakeGraphApi, type FakeGraphApi } from './support/fake-graph-api.ts';
import { redisUrl, uniqueName } from './support/services.ts';
import { deleteRedisKeys } from './support/redis.ts';

const logger = createLogger('silent');
const pseudonymKey = 'e'.repeat(32);
const day = 24 * 60 * 60 * 1000;

const tables = ['residents', 'conversations', 'messages', 'signals', 'signal_reviews', 'clusters', 'street_notes', 'street_note_signals', 'audit_log'] as const;

const setups: [string, TestDatabaseKind, 'in-process' | 'bullmq'][] = [
  ...databaseKinds.map((kind): [string, TestDatabaseKind, 'in-process'] => [`${kind} + in-process queue`, kind, 'in-process']),
  ...(databaseKinds.includes('postgres') && redisUrl ? [['postgres + BullMQ', 'postgres', 'bullmq'] as [string, TestDatabaseKind, 'bullmq']] : []),
];

function newPhone(): string {
  return `316${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

describe.each(setups)('erasure on %s', (_name, kind, queueKind) => {
  let database: TestDatabase;
  let queue: JobQueue;
  let graph: FakeGraphApi;
  let bot: ConversationDeps;
  let workersStarted = false;
  const prefix = uniqueName('wijkstem_erasure');

  const say = (channel: 'whatsapp' | 'web', who: string, content: InboundContent | string) =>
    handleInbound(bot, {
      municipalityCode: 'GM0479',
      channel,
      channelUserId: who,
      externalId: channel === 'whatsapp' ? `wamid.${randomBytes(8).toString('hex')}` : null,
      content: typeof content === 'string' ? { kind: 'text', text: content } : content,
      ...(channel === 'whatsapp' ? { contact: who } : {}),
    });
  const choose = (id: string) => ({ kind: 'choice' as const, id, title: id });
  /** The channel id each resident told under, to write again as them. */
  const tokens = new Map<string, string>();
  /** A story told and consented to: the resident's id and their signal's reference. */
  const tell = async (channel: 'whatsapp' | 'web', who: string, story: string) => {
    await say(channel, who, story);
    const stored = await say(channel, who, choose('yes'));
    await say(channel, who, choose('done'));
    tokens.set(stored.residentId, who);
    return { residentId: stored.residentId, reference: stored.signals[0]?.reference ?? '', signalId: stored.signals[0]?.id ?? '' };
  };
  const sentTo = (phone: string) => graph.requests.filter((r) => (r.body as { to?: string } | undefined)?.to === phone);
  const startWorkers = async () => {
    if (workersStarted) return;
    const deps = { db: database.db, logger, whatsapp: { graphUrl: graph.url, phoneNumberId: '1122334455', accessToken: 'token' }, pseudonymKey, queue };
    await queue.startWorkers(createJobHandlers(deps), { onFailed: createOnFailed(deps), concurrency: 4 });
    workersStarted = true;
  };
  const drained = () =>
    vi.waitFor(
      async () => {
        const c = await queue.counts();
        expect(c.waiting + c.active + c.delayed).toBe(0);
      },
      { timeout: 20_000, interval: 50 },
    );
  /** Every row of every table that could hold something of a resident, as one string. */
  const everything = async () => {
    const dump: Record<string, unknown[]> = {};
    for (const table of tables) dump[table] = await database.db.selectFrom(table).selectAll().execute();
    return JSON.stringify(dump);
  };
  const exported = async (): Promise<string> => {
    if (kind === 'postgres' && database.env.DATABASE_URL) {
      let out = '';
      const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env: { DATABASE_URL: database.env.DATABASE_URL, WIJKSTEM_PSEUDONYM_KEY: pseudonymKey } };
      expect(await signalsExport(io, [], { municipality: 'GM0479' })).toBe(0);
      return out;
    }
    // PGlite is one process's database: read the same pages the command writes.
    return JSON.stringify(await exportSignalsPage(database.db, { municipalityCode: 'GM0479', limit: 10_000 }));
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
    graph = await startFakeGraphApi();
    const retry = { attempts: 3, backoffMs: 20 };
    queue = queueKind === 'bullmq' && redisUrl ? createBullMqQueue({ redisUrl, prefix, retry }) : createInProcessQueue({ retry });
    bot = { db: database.db, queue, logger, pseudonymKey };
  });
  afterAll(async () => {
    await queue.close();
    await graph.close();
    await database.drop();
    if (queueKind === 'bullmq' && redisUrl) {
      await deleteRedisKeys(redisUrl, `${prefix}:*`);
    }
  });

  it('by an administrator: gone from every table, its queued jobs do nothing, and the export no longer has it', async () => {
    const a = newPhone();
    const b = newPhone();
    // Workers not yet running: the replies and signals of both wait in the queue when A is erased.
    const told = await tell('whatsapp', a, 'De lift in de flat van Pieternella Zwaantjes is al weken kapot en haar rollator past niet op de trap.');
    const kept = await tell('whatsapp', b, 'De lift in onze flat is al weken kapot, ik kom met mijn rollator de trap niet op.');
    // A street note is the team's, not a resident's: an erasure leaves it alone.
    const street = await insertSignal(database.db, { municipalityCode: 'GM0479', source: 'street', text: 'Bewoners klagen over de kapotte lift in de flat.' });
    expect((await queue.counts()).waiting).toBeGreaterThanOrEqual(4);
    expect(await everything()).toContain('Pieternella');
    // A and B both answered a flash poll: A's answer is something A told, and goes with the rest.
    const poll = randomUUID();
    await database.db.insertInto('polls').values({ id: poll, municipality_code: 'GM0479', question: 'Gebruikt u de lift elke dag?', kind: 'choice', options: JSON.stringify([{ id: 'a', title: 'Ja' }, { id: 'b', title: 'Nee' }]), audience: JSON.stringify({}) }).execute();
    await database.db.insertInto('poll_answers').values([{ poll_id: poll, resident_id: told.residentId, option_id: 'a' }, { poll_id: poll, resident_id: kept.residentId, option_id: 'b' }]).execute();

    const counts = await database.db.transaction().execute((trx) => eraseResident(trx, told.residentId, { keepContact: false }));
    expect(counts).toMatchObject({ signals: 1, conversations: 1, pollAnswers: 1 });
    expect(await database.db.selectFrom('poll_answers').select('resident_id').where('poll_id', '=', poll).execute()).toEqual([{ resident_id: kept.residentId }]);
    expect(counts.messages).toBeGreaterThanOrEqual(6);

    await startWorkers();
    await drained();
    await vi.waitFor(async () => expect((await database.db.selectFrom('signals').select('status').where('id', '=', kept.signalId).executeTakeFirstOrThrow()).status).toBe('analysed'), { timeout: 20_000 });
    await drained();
    // Sending works (B got every reply); A got none, not even those queued before the erasure.
    expect(sentTo(b).length).toBeGreaterThanOrEqual(3);
    expect(sentTo(a)).toEqual([]);

    const all = await everything();
    for (const trace of [a, 'Pieternella', 'rollator past niet', told.reference, told.signalId]) expect(all).not.toContain(trace);
    for (const table of ['conversations', 'messages', 'signals'] as const) {
      expect(await database.db.selectFrom(table).select('id').where('resident_id', '=', told.residentId).execute()).toEqual([]);
    }
    const resident = await database.db.selectFrom('residents').selectAll().where('id', '=', told.residentId).executeTakeFirstOrThrow();
    expect(resident).toMatchObject({ contact: null, age_band: null, role: null, wijk_code: null, consent_at: null, wants_feedback: false });
    expect(resident.erased_at).toBeInstanceOf(Date);
    // Clusters count only what is left.
    for (const cluster of await database.db.selectFrom('clusters').selectAll().execute()) {
      const members = await database.db.selectFrom('signals').select('resident_id').where('cluster_id', '=', cluster.id).execute();
      expect(cluster.signal_count).toBe(members.length);
      expect(members.length).toBeGreaterThan(0);
    }

    expect(await database.db.selectFrom('signals').select('id').where('id', '=', street.id).execute()).toHaveLength(1);
    const lines = await exported();
    expect(lines).toContain(kept.signalId);
    expect(lines).toContain(street.id);
    for (const trace of [told.signalId, 'Pieternella', a]) expect(lines).not.toContain(trace);
  });

  it('never sends a reply stored while the erasure ran', async () => {
    await startWorkers();
    const c = newPhone();
    const told = await tell('whatsapp', c, 'Het speeltuintje bij de school is al maanden dicht.');
    await drained();
    const before = sentTo(c).length;
    expect(before).toBeGreaterThanOrEqual(2);
    const conversation = await database.db.selectFrom('conversations').select('id').where('resident_id', '=', told.residentId).executeTakeFirstOrThrow();

    await database.db.transaction().execute((trx) => eraseResident(trx, told.residentId, { keepContact: true }));
    // A reply whose transaction began before the erasure and committed after it: stored with an older timestamp.
    const late = randomUUID();
    await database.db
      .insertInto('conversations')
      .values({ id: conversation.id, resident_id: told.residentId, municipality_code: 'GM0479', channel: 'whatsapp', state: 'listening', updated_at: new Date() })
      .execute();
    await database.db
      .insertInto('messages')
      .values({ id: late, conversation_id: conversation.id, resident_id: told.residentId, municipality_code: 'GM0479', channel: 'whatsapp', direction: 'out', kind: 'text', text: 'Dank je wel!', status: 'queued', created_at: sql<Date>`now() - interval '1 second'` })
      .execute();
    await queue.enqueue('message.send', { messageId: late });
    await drained();
    expect(sentTo(c)).toHaveLength(before);
    expect(await database.db.selectFrom('messages').select('id').where('id', '=', late).execute()).toEqual([]);
  });

  it('by the resident in the chat: their cluster is recomputed, and a day later nothing of them is left', async () => {
    await startWorkers();
    const story = 'De straatverlichting in de Vinkenstraat is al drie weken kapot, het is er s avonds donker en eng.';
    const d = await tell('web', `web-${randomUUID()}`, `${story} Ik ben Hendrikje.`);
    const e = await tell('web', `web-${randomUUID()}`, story);
    await drained();
    await vi.waitFor(async () => expect((await database.db.selectFrom('signals').select('status').where('id', 'in', [d.signalId, e.signalId]).execute()).map((s) => s.status)).toEqual(['analysed', 'analysed']), { timeout: 20_000 });
    const clusterOf = async (id: string) => (await database.db.selectFrom('signals').select('cluster_id').where('id', '=', id).executeTakeFirstOrThrow()).cluster_id;
    const shared = await clusterOf(d.signalId);
    expect(shared).not.toBeNull();
    expect(await clusterOf(e.signalId)).toBe(shared);
    const before = await database.db.selectFrom('clusters').selectAll().where('id', '=', shared ?? '').executeTakeFirstOrThrow();
    expect(before).toMatchObject({ signal_count: 2, resident_count: 2 });

    const dToken = tokens.get(d.residentId);
    if (!dToken) throw new Error('token of D unknown');
    expect((await say('web', dToken, 'verwijder mijn gegevens')).state).toBe('confirm-erase');
    expect((await say('web', dToken, choose('erase-yes'))).reply?.text).toContain('gewist');

    const after = await database.db.selectFrom('clusters').selectAll().where('id', '=', shared ?? '').executeTakeFirstOrThrow();
    expect(after).toMatchObject({ signal_count: 1, resident_count: 1 });
    expect(JSON.stringify(after)).not.toContain('hendrikj');
    expect(await everything()).not.toContain('Hendrikje');
    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', d.residentId).where('action', '=', 'resident.erased').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ signals: 1, clustersRecomputed: 1 });

    // The confirmation and the pseudonymous row were kept only to answer; the daily retention removes them a day later.
    const later = new Date(Date.now() + 2 * day);
    expect(await applyRetention(database.db, 'GM0479', defaultRetention, { now: later })).toMatchObject({ erasedResidentsRemoved: 3 });
    for (const table of ['residents', 'conversations', 'messages', 'signals'] as const) {
      const column = table === 'residents' ? 'id' : 'resident_id';
      expect(await database.db.selectFrom(table).select('id').where(column, '=', d.residentId).execute()).toEqual([]);
    }
    expect(await exported()).not.toContain(d.signalId);
  });
});
