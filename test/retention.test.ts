/**
 * Retention (issue 7) on each database kind: raw text goes after the period once the pipeline is done with it,
 * contact data and the channel pseudonym go after long inactivity, erased residents' leftover rows a day after the
 * erasure; the redacted text and analysis stay. Idempotent and batch-limited; per-municipality settings win over the
 * configured defaults. The daily job runs through the real queue (in-process, and BullMQ on Redis) with a
 * deterministic id holding the day, and logs counts, never text.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { startWijkstem } from '../app/start.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import type { MessageStatus, SignalStatus } from '../db/database.ts';
import { upsertMunicipality } from '../db/repositories/municipalities.ts';
import { applyRetention } from '../db/repositories/retention.ts';
import { jobId, retentionPayload } from '../pipeline/jobs.ts';
import { defaultRetention } from '../pipeline/privacy/retention.ts';
import { createBullMqQueue, createInProcessQueue, type JobQueue } from '../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../pipeline/workers/handlers.ts';
import { databaseKinds, openTestDatabase, type TestDatabase, type TestDatabaseKind } from './support/databases.ts';
import { redisUrl, uniqueName } from './support/services.ts';
import { memoryLog } from './support/memory-log.ts';
import { deleteRedisKeys } from './support/redis.ts';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-23T03:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * day);


/** Rows made directly, with the dates a test needs. */
function fixtures(database: () => TestDatabase, municipalityCode = 'GM0479') {
  const db = () => database().db;
  return {
    async resident(o: { lastSeen: Date; contact?: string | null; erasedAt?: Date | null; channel?: 'whatsapp' | 'web' }) {
      const id = randomUUID();
      await db()
        .insertInto('residents')
        .values({
          id,
          municipality_code: municipalityCode,
          channel: o.channel ?? 'whatsapp',
          channel_key_hash: `hash-${id}`,
          contact: o.contact ?? null,
          age_band: '25_45',
          role: 'carer',
          wijk_code: 'WK047901',
          created_at: o.lastSeen,
          last_seen_at: o.lastSeen,
          erased_at: o.erasedAt ?? null,
        })
        .execute();
      const conversation = randomUUID();
      await db()
        .insertInto('conversations')
        .values({ id: conversation, resident_id: id, municipality_code: municipalityCode, channel: o.channel ?? 'whatsapp', state: 'adding', context: JSON.stringify({ pending: ['x'] }), updated_at: o.lastSeen })
        .execute();
      return { id, conversation };
    },
    async message(o: { residentId: string; conversationId: string | null; at: Date; text: string; status?: MessageStatus; direction?: 'in' | 'out' }) {
      const id = randomUUID();
      await db()
        .insertInto('messages')
        .values({
          id,
          conversation_id: o.conversationId,
          resident_id: o.residentId,
          municipality_code: municipalityCode,
          channel: 'whatsapp',
          direction: o.direction ?? 'in',
          kind: 'text',
          text: o.text,
          status: o.status ?? 'received',
          created_at: o.at,
        })
        .execute();
      return id;
    },
    async signal(o: { residentId?: string | null; at: Date; status: SignalStatus; text: string }) {
      const id = randomUUID();
      await db()
        .insertInto('signals')
        .values({
          id,
          municipality_code: municipalityCode,
          reference: `WS-${id.slice(0, 6).toUpperCase()}`,
          source: 'whatsapp',
          resident_id: o.residentId ?? null,
          text_raw: o.text,
          text_redacted: o.status === 'new' ? null : `[naam] zegt: ${o.text.length} tekens`,
          place_answer: 'bij de Vinkenstraat 12',
          postcode_answer: '1506 MZ',
          domains: JSON.stringify([{ key: 'wonen', confidence: 0.9 }]),
          wijk_code: 'WK047901',
          status: o.status,
          received_at: o.at,
        })
        .execute();
      return id;
    },
  };
}

describe.each(databaseKinds)('retention on %s', (kind) => {
  let database: TestDatabase;
  const make = fixtures(() => database);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  });
  afterAll(async () => {
    await database.drop();
  });

  it('removes old raw text, keeps what the pipeline still needs, anonymises inactive residents, and removes erased ones', async () => {
    const db = database.db;
    const old = await make.resident({ lastSeen: ago(400), contact: '31611111111' });
    const recent = await make.resident({ lastSeen: ago(2), contact: '31622222222' });
    const erased = await make.resident({ lastSeen: ago(3), erasedAt: ago(3) });
    const erasedAndBack = await make.resident({ lastSeen: ago(1), erasedAt: ago(3), contact: '31633333333' });
    const erasedBackLongAgo = await make.resident({ lastSeen: ago(400), erasedAt: ago(500), contact: '31677777777' });

    const oldIn = await make.message({ residentId: recent.id, conversationId: recent.conversation, at: ago(31), text: 'oud verhaal met 06-12345678' });
    const oldQueued = await make.message({ residentId: recent.id, conversationId: recent.conversation, at: ago(31), text: 'antwoord dat nog weg moet', direction: 'out', status: 'queued' });
    const newIn = await make.message({ residentId: recent.id, conversationId: recent.conversation, at: ago(29), text: 'nieuw verhaal' });
    // Stored by the webhook, its conversation turn not yet run: the bot still needs the text.
    const awaitingTurn = await make.message({ residentId: recent.id, conversationId: null, at: ago(31), text: 'wacht op de bot' });
    const analysedOld = await make.signal({ residentId: old.id, at: ago(31), status: 'analysed', text: 'De lift is kapot, bel Anna' });
    const failedOld = await make.signal({ residentId: recent.id, at: ago(31), status: 'failed', text: 'kapotte tekst' });
    const newOld = await make.signal({ residentId: recent.id, at: ago(40), status: 'new', text: 'nog niet geanalyseerd' });
    const receivedOld = await make.signal({ residentId: recent.id, at: ago(40), status: 'received', text: 'in de pijplijn' });
    const analysedRecent = await make.signal({ residentId: recent.id, at: ago(29), status: 'analysed', text: 'recent verhaal' });

    const counts = await applyRetention(db, 'GM0479', defaultRetention, { now });
    expect(counts).toEqual({ messageTexts: 1, signalTexts: 2, residentsAnonymised: 2, erasedResidentsRemoved: 1, more: false });

    const message = (id: string) => db.selectFrom('messages').select(['text', 'text_deleted_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await message(oldIn)).toEqual({ text: null, text_deleted_at: now });
    expect((await message(oldQueued)).text).toBe('antwoord dat nog weg moet');
    expect((await message(newIn)).text).toBe('nieuw verhaal');
    expect((await message(awaitingTurn)).text).toBe('wacht op de bot');

    const signal = (id: string) =>
      db.selectFrom('signals').select(['text_raw', 'text_redacted', 'place_answer', 'postcode_answer', 'domains', 'wijk_code', 'resident_id', 'text_deleted_at']).where('id', '=', id).executeTakeFirstOrThrow();
    for (const id of [analysedOld, failedOld]) {
      expect(await signal(id)).toMatchObject({ text_raw: null, place_answer: null, postcode_answer: null, text_deleted_at: now, wijk_code: 'WK047901', domains: [{ key: 'wonen', confidence: 0.9 }] });
    }
    expect((await signal(analysedOld)).text_redacted).toMatch(/^\[naam\] zegt/);
    // The pipeline still needs these: a signal keeps its text until it is analysed.
    expect(await signal(newOld)).toMatchObject({ text_raw: 'nog niet geanalyseerd', place_answer: 'bij de Vinkenstraat 12', text_deleted_at: null });
    expect((await signal(receivedOld)).text_raw).toBe('in de pijplijn');
    expect((await signal(analysedRecent)).text_raw).toBe('recent verhaal');

    const resident = (id: string) => db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
    const anonymised = await resident(old.id);
    expect(anonymised).toMatchObject({ contact: null, channel_key_hash: `anonymised:${old.id}`, anonymised_at: now, age_band: '25_45', role: 'carer', wijk_code: 'WK047901' });
    // The signals stay, still counted per distinct resident.
    expect((await signal(analysedOld)).resident_id).toBe(old.id);
    const conversation = await db.selectFrom('conversations').select(['context', 'closed_at']).where('resident_id', '=', old.id).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ context: {}, closed_at: now });
    expect(await resident(recent.id)).toMatchObject({ contact: '31622222222', anonymised_at: null, channel_key_hash: `hash-${recent.id}` });
    expect(await resident(erased.id)).toBeUndefined();
    expect(await db.selectFrom('conversations').select('id').where('resident_id', '=', erased.id).execute()).toEqual([]);
    expect(await resident(erasedAndBack.id)).toMatchObject({ contact: '31633333333' });
    // Erased once, wrote again, then silent for over a year: anonymised like anyone, not removed.
    expect(await resident(erasedBackLongAgo.id)).toMatchObject({ contact: null, anonymised_at: now });

    // Idempotent: a second run the same day finds nothing more.
    expect(await applyRetention(db, 'GM0479', defaultRetention, { now })).toEqual({ messageTexts: 0, signalTexts: 0, residentsAnonymised: 0, erasedResidentsRemoved: 0, more: false });
  });

  it('works in batches and says when more is left for the next run', async () => {
    const municipality = 'GM0453';
    await upsertMunicipality(database.db, { code: municipality, name: 'Velsen' });
    const batch = fixtures(() => database, municipality);
    const r = await batch.resident({ lastSeen: ago(1) });
    for (let i = 0; i < 5; i++) await batch.message({ residentId: r.id, conversationId: r.conversation, at: ago(60), text: `bericht ${i}` });
    const options = { now, batchSize: 2, maxBatches: 1 };
    expect(await applyRetention(database.db, municipality, defaultRetention, options)).toMatchObject({ messageTexts: 2, more: true });
    expect(await applyRetention(database.db, municipality, defaultRetention, options)).toMatchObject({ messageTexts: 2, more: true });
    expect(await applyRetention(database.db, municipality, defaultRetention, options)).toMatchObject({ messageTexts: 1, more: false });
    const left = await database.db.selectFrom('messages').select('id').where('municipality_code', '=', municipality).where('text', 'is not', null).execute();
    expect(left).toEqual([]);
  });
});

const setups: [string, TestDatabaseKind, 'in-process' | 'bullmq'][] = [
  ...databaseKinds.map((kind): [string, TestDatabaseKind, 'in-process'] => [`${kind} + in-process queue`, kind, 'in-process']),
  ...(databaseKinds.includes('postgres') && redisUrl ? [['postgres + BullMQ', 'postgres', 'bullmq'] as [string, TestDatabaseKind, 'bullmq']] : []),
];

describe.each(setups)('the privacy.retention job on %s', (_name, kind, queueKind) => {
  let database: TestDatabase;
  let queue: JobQueue;
  const log = memoryLog('info');
  const prefix = uniqueName('wijkstem_retention');
  const make = fixtures(() => database, 'GM0479');

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
    const retry = { attempts: 2, backoffMs: 20 };
    queue = queueKind === 'bullmq' && redisUrl ? createBullMqQueue({ redisUrl, prefix, retry }) : createInProcessQueue({ retry });
    // The configured default would keep text 90 days; the municipality's own setting (7 days) wins.
    // Tiny batches, so a backlog needs follow-up parts.
    const deps = { db: database.db, logger: log.logger, queue, retention: { messagesDays: 90, contactDays: 365 }, retentionOptions: { now, batchSize: 2, maxBatches: 1 } };
    await queue.startWorkers(createJobHandlers(deps), { onFailed: createOnFailed(deps), concurrency: 2 });
  });
  afterAll(async () => {
    await queue.close();
    await database.drop();
    if (queueKind === 'bullmq' && redisUrl) {
      await deleteRedisKeys(redisUrl, `${prefix}:*`);
    }
  });

  it('runs once per municipality and day with the municipality’s own period, and logs counts without text', async () => {
    await database.db.updateTable('municipalities').set({ settings: JSON.stringify({ retention: { messagesDays: 7 } }) }).where('code', '=', 'GM0479').execute();
    const r = await make.resident({ lastSeen: ago(1), contact: '31644444444' });
    const story = 'Mijn buurman Jan de Vries slaat zijn hond';
    const old = await make.message({ residentId: r.id, conversationId: r.conversation, at: ago(10), text: story });

    const payload = retentionPayload('GM0479', now);
    expect(payload).toEqual({ municipalityCode: 'GM0479', day: '2026-11-23' });
    expect(jobId('privacy.retention', payload)).toBe('privacy.retention__GM0479__2026-11-23');
    const first = await queue.enqueue('privacy.retention', payload);
    expect(first.added).toBe(true);
    await vi.waitFor(() => expect(log.text()).toContain('retention applied'), { timeout: 10_000, interval: 20 });
    expect(await database.db.selectFrom('messages').select('text').where('id', '=', old).executeTakeFirstOrThrow()).toEqual({ text: null });
    // The same day again: the same job id, not a second run.
    expect((await queue.enqueue('privacy.retention', retentionPayload('GM0479', new Date(now.getTime() + 3600_000)))).added).toBe(false);

    const line = log.text().split('\n').find((l) => l.includes('retention applied')) ?? '';
    expect(JSON.parse(line)).toMatchObject({ municipalityCode: 'GM0479', messagesDays: 7, contactDays: 365, messageTexts: 1, more: false });
    const audit = await database.db.selectFrom('audit_log').select(['actor_kind', 'details']).where('action', '=', 'privacy.retention').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_kind: 'system', details: { messagesDays: 7, messageTexts: 1 } });
    expect(log.text()).not.toContain('Jan de Vries');
    expect(log.text()).not.toContain('31644444444');
  });

  it('follows a backlog bigger than one run with the day’s next parts until it is done', async () => {
    await upsertMunicipality(database.db, { code: 'GM0453', name: 'Velsen' });
    const velsen = fixtures(() => database, 'GM0453');
    const r = await velsen.resident({ lastSeen: ago(1) });
    for (let i = 0; i < 5; i++) await velsen.message({ residentId: r.id, conversationId: r.conversation, at: ago(100), text: `oud bericht ${i}` });
    await queue.enqueue('privacy.retention', retentionPayload('GM0453', now));
    await vi.waitFor(() => expect(log.text()).toContain('privacy.retention__GM0453__2026-11-23__2'), { timeout: 10_000, interval: 20 });
    const left = await database.db.selectFrom('messages').select('id').where('municipality_code', '=', 'GM0453').where('text', 'is not', null).execute();
    expect(left).toEqual([]);
    const runs = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'privacy.retention').where('municipality_code', '=', 'GM0453').orderBy('id').execute();
    expect(runs.map((r) => [r.details.messageTexts, r.details.more])).toEqual([[2, true], [2, true], [1, false]]);
  });
});

describe('the workers’ sweep', () => {
  it('queues the day’s retention run of every municipality at start, with the configured defaults', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wijkstem-retention-'));
    const log = memoryLog('info');
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', WIJKSTEM_DEMO: 'true', WIJKSTEM_RETENTION_MESSAGES_DAYS: '12', WIJKSTEM_RETENTION_CONTACT_DAYS: '99' });
    expect(config.retention).toEqual({ messagesDays: 12, contactDays: 99 });
    const app = await startWijkstem(config, log.logger, () => undefined);
    try {
      await vi.waitFor(() => expect(log.text()).toContain('retention applied'), { timeout: 60_000, interval: 50 });
      const line = JSON.parse(log.text().split('\n').find((l) => l.includes('retention applied')) ?? '{}') as Record<string, unknown>;
      expect(line).toMatchObject({ municipalityCode: 'GM0479', messagesDays: 12, contactDays: 99, jobId: `privacy.retention__GM0479__${new Date().toISOString().slice(0, 10)}` });
    } finally {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Start-up trains the classifier before the workers run: a bound for a loaded 2-core machine, not a measure.
  }, 120_000);

  it('refuses a retention period that is not a whole number of days from 1 to 3650, naming the variable', () => {
    expect(() => loadConfig({ WIJKSTEM_RETENTION_MESSAGES_DAYS: '0' })).toThrow(/WIJKSTEM_RETENTION_MESSAGES_DAYS/);
    expect(() => loadConfig({ WIJKSTEM_RETENTION_CONTACT_DAYS: 'forever' })).toThrow(/WIJKSTEM_RETENTION_CONTACT_DAYS/);
    expect(loadConfig({}).retention).toEqual({ messagesDays: 30, contactDays: 365 });
  });
});
