/**
 * The conversation service on each database kind: state lives in the database (a second "process" with its own
 * deps continues where the first left off), effects land in one transaction before the reply, a returning resident
 * is not asked the profile questions again, a crisis is flagged, and erasure removes what the resident told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { handleInbound, type ConversationDeps, type InboundContent } from '../bot/conversation-service.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { createInProcessQueue, type JobQueue } from '../pipeline/queue/index.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.ts';

const logger = createLogger('silent');

describe.each(databaseKinds)('conversation service on %s', (kind) => {
  let database: TestDatabase;
  let queue: JobQueue;
  /** Two "processes": separate deps over the same database and queue. */
  let web: ConversationDeps;
  let other: ConversationDeps;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
    queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 0 } }); // no workers: jobs stay waiting
    web = { db: database.db, queue, logger, pseudonymKey: 'k'.repeat(32) };
    other = { ...web };
  });
  afterAll(async () => {
    await queue.close();
    await database.drop();
  });

  const say = (deps: ConversationDeps, token: string, content: InboundContent | string) =>
    handleInbound(deps, {
      municipalityCode: 'GM0479',
      channel: 'web',
      channelUserId: token,
      externalId: null,
      content: typeof content === 'string' ? { kind: 'text', text: content } : content,
    });
  const choose = (id: string) => ({ kind: 'choice' as const, id, title: id });

  it('runs a whole conversation across two processes and stores the profile on the resident', async () => {
    const token = 'resident-one';
    const welcome = await say(web, token, 'Mijn moeder wacht al maanden op een traplift.');
    expect(welcome.state).toBe('consent');
    expect(welcome.signals).toEqual([]);
    expect(welcome.reply?.choices.map((c) => c.id)).toEqual(['yes', 'no']);

    const stored = await say(other, token, choose('yes'));
    expect(stored.signals).toHaveLength(1);
    const reference = stored.signals[0]?.reference ?? '';
    expect(stored.reply?.text).toContain(reference);
    const signal = await database.db.selectFrom('signals').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(signal).toMatchObject({ text_raw: 'Mijn moeder wacht al maanden op een traplift.', source: 'web', status: 'new', language_hint: 'nl' });
    expect((await queue.counts()).waiting).toBeGreaterThanOrEqual(1);

    await say(web, token, 'En de wijkteam belt niet terug.');
    await say(other, token, choose('done'));
    await say(web, token, choose('wijk:WK047913'));
    await say(other, token, choose('age:45_65'));
    await say(web, token, choose('role:carer'));
    await say(other, token, 'ja');
    const summary = await say(web, token, choose('no'));
    expect(summary.state).toBe('listening');
    expect(summary.reply?.text).toContain(reference);
    expect(summary.reply?.text).toContain('Krommenie');

    const resident = await database.db.selectFrom('residents').selectAll().where('id', '=', summary.residentId).executeTakeFirstOrThrow();
    expect(resident).toMatchObject({ wijk_code: 'WK047913', age_band: '45_65', role: 'carer', wants_feedback: true, may_invite: false, contact: null });
    expect(resident.consent_at).toBeInstanceOf(Date);
    const signals = await database.db.selectFrom('signals').select('text_raw').where('resident_id', '=', resident.id).orderBy('received_at').execute();
    expect(signals.map((s) => s.text_raw)).toEqual(['Mijn moeder wacht al maanden op een traplift.', 'En de wijkteam belt niet terug.']);
    // Conversation text in the state: never. Only ids and answers.
    const conversation = await database.db.selectFrom('conversations').select('context').where('id', '=', summary.conversationId).executeTakeFirstOrThrow();
    expect(JSON.stringify(conversation.context)).not.toContain('traplift');

    // Days later: a new signal, no profile questions.
    const back = await say(other, token, 'Nu is de lift in de flat ook nog kapot.');
    expect(back.signals).toHaveLength(1);
    const done = await say(web, token, choose('done'));
    expect(done.state).toBe('listening');
    expect(done.reply?.text).toContain(back.signals[0]?.reference ?? 'missing');
  });

  it('flags a crisis as urgent, audits it, and answers with the help numbers in the same reply', async () => {
    const result = await say(web, 'resident-crisis', 'Ik wil niet meer leven');
    expect(result.reply?.text).toContain('0800-0113');
    expect(result.reply?.text).toContain('112');
    expect(result.signals).toEqual([expect.objectContaining({ urgent: true })]);
    const signal = await database.db.selectFrom('signals').select(['urgent', 'id']).where('id', '=', result.signals[0]?.id ?? '').executeTakeFirstOrThrow();
    expect(signal.urgent).toBe(true);
    const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', signal.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'signal.flagged-urgent', details: { crisis: 'suicide' } });
  });

  it('erases the resident’s messages, signals and answers after confirmation', async () => {
    const token = 'resident-erase';
    await say(web, token, 'De bus naar het ziekenhuis rijdt niet meer.');
    const stored = await say(web, token, choose('yes'));
    await say(web, token, choose('done'));
    await say(web, token, choose('age:25_45'));
    const residentId = stored.residentId;
    const asked = await say(web, token, 'verwijder mijn gegevens');
    expect(asked.state).toBe('confirm-erase');
    const erased = await say(web, token, choose('erase-yes'));
    expect(erased.reply?.text).toContain('gewist');

    expect(await database.db.selectFrom('signals').select('id').where('resident_id', '=', residentId).execute()).toEqual([]);
    const messages = await database.db.selectFrom('messages').select(['direction', 'kind', 'text']).where('resident_id', '=', residentId).execute();
    expect(messages).toEqual([{ direction: 'out', kind: 'erasure', text: erased.reply?.text }]);
    const resident = await database.db.selectFrom('residents').selectAll().where('id', '=', residentId).executeTakeFirstOrThrow();
    expect(resident).toMatchObject({ age_band: null, wijk_code: null, consent_at: null, wants_feedback: false });
    expect(await database.db.selectFrom('audit_log').select('action').where('subject_id', '=', residentId).where('action', '=', 'resident.erased').execute()).toHaveLength(1);

    // Coming back afterwards starts afresh, with consent asked again.
    const again = await say(web, token, 'Hallo');
    expect(again.state).toBe('consent');
  });

  it('lets two messages of one resident at the same moment take turns: both stored, one story', async () => {
    const token = 'resident-race';
    await say(web, token, 'hoi');
    await say(web, token, choose('yes'));
    const [a, b] = await Promise.all([say(web, token, 'Het eerste deel van mijn verhaal over de trap.'), say(other, token, 'En het tweede deel over de verlichting in de hal.')]);
    expect(a.conversationId).toBe(b.conversationId);
    const signals = await database.db.selectFrom('signals').select('text_raw').where('resident_id', '=', a.residentId).execute();
    expect(signals).toHaveLength(2);
    const inbound = await database.db.selectFrom('messages').select('id').where('resident_id', '=', a.residentId).where('direction', '=', 'in').execute();
    expect(inbound).toHaveLength(4);
  });

  it('a resident who stops halfway and comes back next week is listened to, not asked the old question', async () => {
    const token = 'resident-pause';
    await say(web, token, 'De speeltuin in onze wijk is al maanden dicht.');
    await say(web, token, choose('yes'));
    await say(web, token, choose('done'));
    const halfway = await say(web, token, choose('skip'));
    expect(halfway.state).toBe('ask-age');
    await database.db.updateTable('conversations').set({ updated_at: new Date(Date.now() - 8 * 24 * 3600 * 1000) }).where('id', '=', halfway.conversationId).execute();
    const back = await say(web, token, 'Nu is ook het hek van de speeltuin kapot');
    expect(back.reply?.text).not.toContain('begreep ik niet');
    expect(back.signals).toHaveLength(1);
    expect(back.state).toBe('adding');
  });

  it('keeps the resident language and refuses media in it', async () => {
    const token = 'resident-english';
    await say(web, token, 'english');
    const refusal = await say(web, token, { kind: 'unsupported', what: 'voice', channelKind: 'audio' });
    expect(refusal.reply?.text).toContain('I cannot handle voice messages yet');
  });
});
