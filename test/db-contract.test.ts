/**
 * The repository contract: the very same tests run on PGlite (the embedded default, in a temporary DATA_DIR) and on
 * real PostgreSQL (a fresh database per suite), so the two stay one SQL dialect with one behaviour. Every test makes
 * its own municipality, so tests do not depend on each other's rows.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseStartError, openDatabase, type OpenDatabase } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest, migrationNames } from '../db/migrations/index.ts';
import { appendAudit, listAudit } from '../db/repositories/audit.ts';
import { storeInboundMessage } from '../db/repositories/messages.ts';
import {
  getMunicipality,
  listBuurten,
  listMunicipalities,
  listWijken,
  municipalitiesInRegionOf,
  upsertBuurt,
  upsertMunicipality,
  upsertWijk,
} from '../db/repositories/municipalities.ts';
import { findOrCreateResident, openConversation } from '../db/repositories/residents.ts';
import {
  getSignal,
  insertSignal,
  listSignals,
  markSignalFailed,
  markSignalReceived,
  signalIdsWithStatus,
} from '../db/repositories/signals.ts';
import {
  countUsers,
  createSession,
  createUser,
  deleteSession,
  DuplicateUserError,
  findSession,
  findUserByEmail,
} from '../db/repositories/users.ts';
import { createDataDir, createPostgresDatabase, databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.ts';

const tables = [
  'agenda_events',
  'agenda_item_clusters',
  'agenda_items',
  'audit_log',
  'boundaries',
  'buurten',
  'clusters',
  'conversations',
  'feedback_deliveries',
  'messages',
  'municipalities',
  'municipality_domains',
  'poll_answers',
  'poll_deliveries',
  'polls',
  'residents',
  'sessions',
  'signal_reviews',
  'signals',
  'street_note_signals',
  'street_notes',
  'users',
  'wijken',
] as const;

const referencePattern = /^WS-[2-9A-HJKMNP-Z]{6}$/;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/** A promise with its resolve function, to hold a transaction open while other queries run. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe.each(databaseKinds)('repository contract on %s', (kind) => {
  let opened: TestDatabase;
  let db: Kysely<Database>;
  let sequence = 0;

  /** A fresh municipality code per test: GM + 4 digits, counted so codes never collide within a suite. */
  function nextCode(): string {
    sequence += 1;
    return `GM${String(sequence).padStart(4, '0')}`;
  }

  async function newMunicipality(region: string | null = null): Promise<string> {
    const code = nextCode();
    await upsertMunicipality(db, { code, name: `Gemeente ${code}`, region });
    return code;
  }

  async function newResident(municipalityCode: string, channelId = randomUUID()) {
    return findOrCreateResident(db, { municipalityCode, channel: 'whatsapp', channelKeyHash: hash(channelId) });
  }

  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    db = opened.db;
  });

  afterAll(async () => {
    await opened.drop();
  });

  describe('migrations', () => {
    it('ran at open and are idempotent', async () => {
      expect(opened.kind).toBe(kind);
      expect(await migrateToLatest(db as unknown as Kysely<unknown>)).toEqual([]);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(applied.rows.map((r) => r.name)).toEqual(migrationNames);
    });

    it('created every table', async () => {
      const found = await db.introspection.getTables();
      const names = found.filter((t) => t.schema === 'public' && !t.name.startsWith('kysely_')).map((t) => t.name);
      expect(names.sort()).toEqual([...tables]);
    });

    it('apply nothing new when the same database is opened again', async () => {
      const fresh = await openTestDatabase(kind);
      try {
        await fresh.close();
        const again = await openDatabase({ databaseUrl: fresh.env.DATABASE_URL, dataDir: fresh.env.DATA_DIR });
        try {
          expect(await migrateToLatest(again.db as unknown as Kysely<unknown>)).toEqual([]);
          const applied = await sql<{ n: number | string | bigint }>`select count(*) as n from kysely_migration`.execute(again.db);
          expect(Number(applied.rows[0]?.n)).toBe(migrationNames.length);
          expect(await listMunicipalities(again.db)).toEqual([]);
        } finally {
          await again.close();
        }
      } finally {
        await fresh.drop();
      }
    });
  });

  describe('municipalities, wijken, buurten', () => {
    it('upserts and lists municipalities', async () => {
      const code = nextCode();
      await upsertMunicipality(db, { code, name: 'Oudnaam', region: 'Testregio' });
      await upsertMunicipality(db, { code, name: 'Nieuwnaam' });
      const row = await getMunicipality(db, code);
      expect(row).toMatchObject({ code, name: 'Nieuwnaam', region: 'Testregio', is_demo: false, settings: {} });
      expect(row?.created_at).toBeInstanceOf(Date);
      await db.updateTable('municipalities').set({ settings: JSON.stringify({ theme: 'example', retentionDays: 90 }) }).where('code', '=', code).execute();
      expect((await getMunicipality(db, code))?.settings).toEqual({ theme: 'example', retentionDays: 90 });
      await upsertMunicipality(db, { code, name: 'Nieuwnaam', region: null, is_demo: true });
      expect(await getMunicipality(db, code)).toMatchObject({ region: null, is_demo: true });
      const all = await listMunicipalities(db);
      expect(all.filter((m) => m.code === code)).toHaveLength(1);
      const names = all.map((m) => m.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(await getMunicipality(db, 'GM9999')).toBeUndefined();
    });

    it('upserts wijken and buurten; jsonb arrays come back as arrays, population as number or null', async () => {
      const code = await newMunicipality();
      const digits = code.slice(2);
      const wijk = `WK${digits}01`;
      await upsertWijk(db, { code: wijk, municipality_code: code, name: 'Centrum' });
      await upsertWijk(db, { code: wijk, municipality_code: code, name: 'Centrum-Noord' });
      expect(await listWijken(db, code)).toEqual([{ code: wijk, municipality_code: code, name: 'Centrum-Noord' }]);

      const counted = {
        code: `BU${digits}0101`,
        wijk_code: wijk,
        municipality_code: code,
        name: 'Abeelstraat e.o.',
        postcodes: JSON.stringify(['1234AB', '1234']),
        aliases: JSON.stringify(['De Abeel', 'Marktplein']),
        inwoners: 1234,
        inwoners_0_15: 200,
        inwoners_15_25: 150,
        inwoners_25_45: 400,
        inwoners_45_65: 300,
        inwoners_65_plus: 184,
      };
      const unknown = {
        code: `BU${digits}0102`,
        wijk_code: wijk,
        municipality_code: code,
        name: 'Bedrijventerrein',
        inwoners: null,
        inwoners_0_15: null,
        inwoners_15_25: null,
        inwoners_25_45: null,
        inwoners_45_65: null,
        inwoners_65_plus: null,
      };
      await upsertBuurt(db, { ...counted, inwoners: 1 });
      await upsertBuurt(db, counted);
      await upsertBuurt(db, unknown);

      const buurten = await listBuurten(db, code);
      expect(buurten.map((b) => b.code)).toEqual([counted.code, unknown.code]);
      const [first, second] = buurten;
      expect(first).toEqual({ ...counted, postcodes: ['1234AB', '1234'], aliases: ['De Abeel', 'Marktplein'] });
      expect(Array.isArray(first?.postcodes)).toBe(true);
      expect(typeof first?.inwoners).toBe('number');
      // Columns left out get the default: an empty JSON array, not a string and not a PostgreSQL array.
      expect(second).toEqual({ ...unknown, postcodes: [], aliases: [] });
      expect(second?.inwoners).toBeNull();
      expect(await listBuurten(db, await newMunicipality())).toEqual([]);
    });

    it('municipalitiesInRegionOf returns the region peers, or only itself without a region', async () => {
      const region = `Regio ${randomUUID()}`;
      const a = await newMunicipality(region);
      const b = await newMunicipality(region);
      const c = await newMunicipality(region);
      const outside = await newMunicipality(`Andere ${randomUUID()}`);
      const alone = await newMunicipality(null);
      const alsoAlone = await newMunicipality(null);
      expect(await municipalitiesInRegionOf(db, b)).toEqual([a, b, c]);
      expect(await municipalitiesInRegionOf(db, outside)).toEqual([outside]);
      expect(await municipalitiesInRegionOf(db, alone)).toEqual([alone]);
      expect(await municipalitiesInRegionOf(db, alsoAlone)).toEqual([alsoAlone]);
      expect(await municipalitiesInRegionOf(db, 'GM9998')).toEqual([]);
    });
  });

  describe('residents and conversations', () => {
    it('findOrCreateResident is idempotent on (municipality, channel, key hash) and touches last_seen_at', async () => {
      const code = await newMunicipality();
      const key = { municipalityCode: code, channel: 'whatsapp' as const, channelKeyHash: hash('31612345678') };
      const first = await findOrCreateResident(db, key);
      expect(first).toMatchObject({ municipality_code: code, channel: 'whatsapp', channel_key_hash: key.channelKeyHash });
      expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(first.last_seen_at).toBeInstanceOf(Date);
      expect(first.created_at).toBeInstanceOf(Date);
      expect(first.wants_feedback).toBe(false);
      await sleep(10);
      const second = await findOrCreateResident(db, key);
      expect(second.id).toBe(first.id);
      expect(second.created_at.getTime()).toBe(first.created_at.getTime());
      expect(second.last_seen_at.getTime()).toBeGreaterThan(first.last_seen_at.getTime());

      // Another channel, another municipality or another key is another resident.
      const web = await findOrCreateResident(db, { ...key, channel: 'web' });
      const elsewhere = await findOrCreateResident(db, { ...key, municipalityCode: await newMunicipality() });
      const other = await findOrCreateResident(db, { ...key, channelKeyHash: hash('31687654321') });
      expect(new Set([first.id, web.id, elsewhere.id, other.id]).size).toBe(4);
      const rows = await db.selectFrom('residents').select('id').where('municipality_code', '=', code).execute();
      expect(rows).toHaveLength(3);
    });

    it('two concurrent first contacts with the same key give one resident', async () => {
      const code = await newMunicipality();
      const key = { municipalityCode: code, channel: 'web' as const, channelKeyHash: hash(randomUUID()) };
      const results = await Promise.all([1, 2, 3, 4].map(() => findOrCreateResident(db, key)));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const rows = await db.selectFrom('residents').select('id').where('municipality_code', '=', code).execute();
      expect(rows).toHaveLength(1);
    });

    it('openConversation returns the open conversation and creates one otherwise', async () => {
      const code = await newMunicipality();
      const resident = await newResident(code);
      const created = await openConversation(db, resident, 'greeting');
      expect(created).toMatchObject({
        resident_id: resident.id,
        municipality_code: code,
        channel: 'whatsapp',
        state: 'greeting',
        context: {},
        closed_at: null,
      });
      expect(created.started_at).toBeInstanceOf(Date);
      const again = await openConversation(db, resident, 'other-state');
      expect(again.id).toBe(created.id);
      expect(again.state).toBe('greeting');

      await db.updateTable('conversations').set({ closed_at: new Date() }).where('id', '=', created.id).execute();
      const next = await openConversation(db, resident, 'greeting');
      expect(next.id).not.toBe(created.id);
      expect(next.closed_at).toBeNull();
      const rows = await db.selectFrom('conversations').select('id').where('resident_id', '=', resident.id).execute();
      expect(rows).toHaveLength(2);
    });
    it('concurrent openConversation calls for one resident open one conversation', async () => {
      const code = await newMunicipality();
      const resident = await newResident(code);
      const conversations = await Promise.all([1, 2, 3, 4].map(() => openConversation(db, resident, 'listening')));
      expect(new Set(conversations.map((c) => c.id)).size).toBe(1);
      const rows = await db.selectFrom('conversations').select('id').where('resident_id', '=', resident.id).execute();
      expect(rows).toHaveLength(1);
    });

    it('a resident has at most one open conversation, any number of closed ones', async () => {
      const code = await newMunicipality();
      const resident = await newResident(code);
      const open = await openConversation(db, resident, 'listening');
      const row = { resident_id: resident.id, municipality_code: code, channel: resident.channel, state: 's', updated_at: new Date() };
      await expect(db.insertInto('conversations').values({ ...row, id: randomUUID() }).execute()).rejects.toThrow();
      await db.insertInto('conversations').values({ ...row, id: randomUUID(), closed_at: new Date() }).execute();
      await db.insertInto('conversations').values({ ...row, id: randomUUID(), closed_at: new Date() }).execute();
      expect((await openConversation(db, resident, 'other')).id).toBe(open.id);
    });

    it('concurrent first messages in intake transactions (resident, then conversation) share one conversation', async () => {
      // The bot's intake runs findOrCreateResident then openConversation in one transaction: the resident's row lock
      // (PostgreSQL) or the single connection (PGlite) serialises them, so a burst of first messages opens one conversation.
      const code = await newMunicipality();
      const key = { municipalityCode: code, channel: 'whatsapp' as const, channelKeyHash: hash(randomUUID()) };
      const conversations = await Promise.all(
        [1, 2, 3, 4].map(() =>
          db.transaction().execute(async (trx) => openConversation(trx, await findOrCreateResident(trx, key), 'listening')),
        ),
      );
      expect(new Set(conversations.map((c) => c.id)).size).toBe(1);
      const rows = await db.selectFrom('conversations').select('id').where('municipality_code', '=', code).execute();
      expect(rows).toHaveLength(1);
    });
  });

  describe('messages', () => {
    it('storeInboundMessage is idempotent on (channel, external_id)', async () => {
      const code = await newMunicipality();
      const resident = await newResident(code);
      const conversation = await openConversation(db, resident, 'greeting');
      const externalId = `wamid.${randomUUID()}`;
      const inbound = {
        conversationId: conversation.id,
        residentId: resident.id,
        municipalityCode: code,
        channel: 'whatsapp' as const,
        externalId,
        kind: 'text',
        text: 'De stoep is kapot',
      };
      const first = await storeInboundMessage(db, inbound);
      expect(first.duplicate).toBe(false);
      expect(first.message).toMatchObject({ external_id: externalId, direction: 'in', status: 'received', text: 'De stoep is kapot' });
      expect(first.message.created_at).toBeInstanceOf(Date);

      const again = await storeInboundMessage(db, { ...inbound, text: 'changed on redelivery' });
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);

      // The same external id on the other channel is another message.
      const web = await storeInboundMessage(db, { ...inbound, channel: 'web' });
      expect(web.duplicate).toBe(false);
      // Messages without an external id are never deduplicated.
      const a = await storeInboundMessage(db, { ...inbound, externalId: null });
      const b = await storeInboundMessage(db, { ...inbound, externalId: null });
      expect(a.duplicate || b.duplicate).toBe(false);

      const rows = await db.selectFrom('messages').selectAll().where('external_id', '=', externalId).where('channel', '=', 'whatsapp').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.text).toBe('De stoep is kapot');
      const all = await db.selectFrom('messages').select('id').where('municipality_code', '=', code).execute();
      expect(all).toHaveLength(4);
    });

    it('concurrent redeliveries of one message store one row', async () => {
      const code = await newMunicipality();
      const resident = await newResident(code);
      const conversation = await openConversation(db, resident, 'greeting');
      const inbound = {
        conversationId: conversation.id,
        residentId: resident.id,
        municipalityCode: code,
        channel: 'whatsapp' as const,
        externalId: `wamid.${randomUUID()}`,
        kind: 'text',
        text: 'hallo',
      };
      const results = await Promise.all([1, 2, 3].map(() => storeInboundMessage(db, inbound)));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    });
  });

  describe('signals', () => {
    it('insertSignal stores a new signal with a reference, empty domains and Date timestamps', async () => {
      const code = await newMunicipality();
      const signal = await insertSignal(db, { municipalityCode: code, source: 'street', text: 'Te weinig bankjes in het park', placeAnswer: 'park' });
      expect(signal).toMatchObject({
        municipality_code: code,
        source: 'street',
        status: 'new',
        text_raw: 'Te weinig bankjes in het park',
        text_redacted: null,
        place_answer: 'park',
        domains: [],
        urgent: false,
        review: false,
        error: null,
        processed_at: null,
      });
      expect(signal.reference).toMatch(referencePattern);
      expect(Array.isArray(signal.domains)).toBe(true);
      expect(signal.received_at).toBeInstanceOf(Date);
      expect(Math.abs(signal.received_at.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await getSignal(db, signal.id)).toEqual(signal);
      expect(await getSignal(db, randomUUID())).toBeUndefined();

      const references = new Set<string>([signal.reference]);
      for (let i = 0; i < 20; i++) {
        const more = await insertSignal(db, { municipalityCode: code, source: 'import', text: `nummer ${i}`, externalId: `row-${i}` });
        expect(more.reference).toMatch(referencePattern);
        references.add(more.reference);
      }
      expect(references.size).toBe(21);
    });

    it('a second signal with the same importer id in one municipality is rejected', async () => {
      const code = await newMunicipality();
      await insertSignal(db, { municipalityCode: code, source: 'import', text: 'een', externalId: 'r1' });
      await expect(insertSignal(db, { municipalityCode: code, source: 'import', text: 'twee', externalId: 'r1' })).rejects.toThrow();
      // Another municipality may use the same importer id.
      await insertSignal(db, { municipalityCode: await newMunicipality(), source: 'import', text: 'drie', externalId: 'r1' });
    });

    it('markSignalReceived is idempotent; markSignalFailed keeps the error', async () => {
      const code = await newMunicipality();
      const signal = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'Mijn naam is Jan, bel 0612345678' });
      expect(await markSignalReceived(db, signal.id, 'Mijn naam is [NAAM], bel [TELEFOON]')).toBe(true);
      const received = await getSignal(db, signal.id);
      expect(received).toMatchObject({ status: 'received', text_redacted: 'Mijn naam is [NAAM], bel [TELEFOON]', error: null });
      expect(received?.processed_at).toBeInstanceOf(Date);

      expect(await markSignalReceived(db, signal.id, 'something else')).toBe(false);
      expect(await getSignal(db, signal.id)).toEqual(received);
      await expect(Promise.all([markSignalReceived(db, signal.id, 'a'), markSignalReceived(db, signal.id, 'b')])).resolves.toEqual([false, false]);
      expect(await markSignalReceived(db, randomUUID(), 'x')).toBe(false);

      // Analysis results written back round-trip: jsonb objects as objects, real as number.
      const domains = [{ key: 'zorg', confidence: 0.75 }, { key: 'wonen', confidence: 0.5 }];
      await db.updateTable('signals').set({ domains: JSON.stringify(domains), sentiment: -0.25 }).where('id', '=', signal.id).execute();
      expect(await getSignal(db, signal.id)).toMatchObject({ domains, sentiment: -0.25 });

      await markSignalFailed(db, signal.id, 'redaction step: timeout after 3 attempts');
      const failed = await getSignal(db, signal.id);
      expect(failed).toMatchObject({ status: 'failed', error: 'redaction step: timeout after 3 attempts' });
      expect(failed?.processed_at).toBeInstanceOf(Date);
      // A failed signal is not taken again by markSignalReceived.
      expect(await markSignalReceived(db, signal.id, 'again')).toBe(false);
      expect(await getSignal(db, signal.id)).toMatchObject({ status: 'failed', error: 'redaction step: timeout after 3 attempts' });
    });

    it('of concurrent markSignalReceived calls (a redelivered job) exactly one takes the signal', async () => {
      const code = await newMunicipality();
      const signal = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'dubbel' });
      const taken = await Promise.all(['a', 'b', 'c', 'd'].map((redacted) => markSignalReceived(db, signal.id, redacted)));
      expect(taken.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c', 'd'][taken.indexOf(true)];
      expect(await getSignal(db, signal.id)).toMatchObject({ status: 'received', text_redacted: winner });
    });

    it('signalIdsWithStatus finds signals by status, oldest first', async () => {
      const code = await newMunicipality();
      const a = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'a' });
      const b = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'b' });
      const c = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'c' });
      await markSignalReceived(db, b.id, 'b');
      await markSignalFailed(db, c.id, 'kapot');

      const fresh = await signalIdsWithStatus(db, 'new');
      expect(fresh).toContain(a.id);
      expect(fresh).not.toContain(b.id);
      expect(fresh).not.toContain(c.id);
      expect(await signalIdsWithStatus(db, 'received')).toContain(b.id);
      expect(await signalIdsWithStatus(db, 'failed')).toContain(c.id);
      expect(await signalIdsWithStatus(db, 'analysed')).not.toContain(a.id);

      const d = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'd' });
      const ordered = (await signalIdsWithStatus(db, 'new')).filter((id) => id === a.id || id === d.id);
      expect(ordered).toEqual([a.id, d.id]);
      expect(await signalIdsWithStatus(db, 'new', 1)).toHaveLength(1);
    });

    it('listSignals filters by municipality, newest first, and never returns text_raw', async () => {
      const region = `Regio ${randomUUID()}`;
      const code = await newMunicipality(region);
      const peer = await newMunicipality(region);
      const other = await newMunicipality();
      const first = await insertSignal(db, { municipalityCode: code, source: 'web', text: 'geheim 1' });
      await sleep(5);
      const second = await insertSignal(db, { municipalityCode: code, source: 'street', text: 'geheim 2' });
      await sleep(5);
      const third = await insertSignal(db, { municipalityCode: code, source: 'import', text: 'geheim 3' });
      const peers = await insertSignal(db, { municipalityCode: peer, source: 'web', text: 'geheim 4' });
      await insertSignal(db, { municipalityCode: other, source: 'web', text: 'geheim 5' });
      await markSignalReceived(db, second.id, 'zichtbaar');

      const listed = await listSignals(db, { municipalityCodes: [code] });
      expect(listed.map((s) => s.id)).toEqual([third.id, second.id, first.id]);
      for (const item of listed) {
        expect(item).not.toHaveProperty('text_raw');
        expect(Object.keys(item).sort()).toEqual(
          ['id', 'reference', 'municipality_code', 'source', 'status', 'text_redacted', 'received_at', 'urgent', 'review'].sort(),
        );
        expect(item.received_at).toBeInstanceOf(Date);
        expect(JSON.stringify(item)).not.toContain('geheim');
      }
      expect(listed[1]).toMatchObject({ status: 'received', text_redacted: 'zichtbaar' });

      const regional = await listSignals(db, { municipalityCodes: await municipalitiesInRegionOf(db, code) });
      expect(regional.map((s) => s.id).sort()).toEqual([first.id, second.id, third.id, peers.id].sort());
      expect(await listSignals(db, { municipalityCodes: [code], limit: 2 })).toHaveLength(2);
      expect(await listSignals(db, { municipalityCodes: [] })).toEqual([]);
    });
  });

  describe('transactions', () => {
    it('a transaction that throws leaves nothing behind', async () => {
      const code = nextCode();
      await expect(
        db.transaction().execute(async (trx) => {
          await upsertMunicipality(trx, { code, name: 'Teruggedraaid' });
          await insertSignal(trx, { municipalityCode: code, source: 'web', text: 'weg' });
          expect(await getMunicipality(trx, code)).toBeDefined();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await getMunicipality(db, code)).toBeUndefined();
      expect(await listSignals(db, { municipalityCodes: [code] })).toEqual([]);
      // The connection is usable afterwards (on PGlite: released, and not left in an aborted transaction).
      const after = await newMunicipality();
      expect(await getMunicipality(db, after)).toBeDefined();
    });

    it('a transaction whose statement fails rolls back and frees the connection', async () => {
      const code = nextCode();
      await expect(
        db.transaction().execute(async (trx) => {
          await upsertMunicipality(trx, { code, name: 'Half' });
          await upsertMunicipality(trx, { code: 'XX1', name: 'Fout' });
        }),
      ).rejects.toThrow();
      expect(await getMunicipality(db, code)).toBeUndefined();
      const results = await Promise.all([newMunicipality(), newMunicipality()]);
      for (const made of results) expect(await getMunicipality(db, made)).toBeDefined();
    });

    it('a committed transaction keeps everything', async () => {
      const code = nextCode();
      const signal = await db.transaction().execute(async (trx) => {
        await upsertMunicipality(trx, { code, name: 'Vastgelegd' });
        return insertSignal(trx, { municipalityCode: code, source: 'web', text: 'blijft' });
      });
      expect(await getSignal(db, signal.id)).toMatchObject({ municipality_code: code, status: 'new' });
    });

    it('queries outside a running transaction do not deadlock and never see its uncommitted rows', async () => {
      const code = nextCode();
      const inserted = gate();
      const release = gate();
      const transaction = db.transaction().execute(async (trx) => {
        await upsertMunicipality(trx, { code, name: 'Onzichtbaar' });
        inserted.open();
        await release.promise;
        throw new Error('rolled back on purpose');
      });
      const rolledBack = expect(transaction).rejects.toThrow('rolled back on purpose');
      await inserted.promise;

      // On PostgreSQL these run at once; on PGlite they wait for the single connection. Either way they finish.
      const outside = Promise.all([
        getMunicipality(db, code),
        listMunicipalities(db),
        newMunicipality().then((made) => getMunicipality(db, made)),
        findOrCreateResident(db, { municipalityCode: code, channel: 'web', channelKeyHash: hash('x') }).then(
          () => 'created',
          () => 'rejected',
        ),
      ]);
      await sleep(50);
      release.open();
      const [seen, listed, made, resident] = await outside;
      await rolledBack;

      expect(seen).toBeUndefined();
      expect(listed.map((m) => m.code)).not.toContain(code);
      expect(made).toBeDefined();
      // The resident refers to a municipality that never committed: the foreign key rejects it.
      expect(resident).toBe('rejected');
      expect(await getMunicipality(db, code)).toBeUndefined();
    });

    it('work outside a committing transaction completes, and both end up stored', async () => {
      const code = nextCode();
      const inserted = gate();
      const release = gate();
      const transaction = db.transaction().execute(async (trx) => {
        await upsertMunicipality(trx, { code, name: 'Binnen' });
        inserted.open();
        await release.promise;
        await insertSignal(trx, { municipalityCode: code, source: 'web', text: 'binnen' });
      });
      await inserted.promise;
      const outsideCode = nextCode();
      const outside = upsertMunicipality(db, { code: outsideCode, name: 'Buiten' }).then(() => getMunicipality(db, outsideCode));
      await sleep(50);
      release.open();
      const [, made] = await Promise.all([transaction, outside]);
      expect(made?.name).toBe('Buiten');
      expect(await getMunicipality(db, code)).toMatchObject({ name: 'Binnen' });
      expect(await listSignals(db, { municipalityCodes: [code] })).toHaveLength(1);
    });

    it('many concurrent transactions and queries all finish', async () => {
      const codes = Array.from({ length: 8 }, () => nextCode());
      await Promise.all(
        codes.map((code, i) =>
          i % 2 === 0
            ? db.transaction().execute(async (trx) => {
                await upsertMunicipality(trx, { code, name: `T${i}` });
                await insertSignal(trx, { municipalityCode: code, source: 'web', text: 't' });
              })
            : upsertMunicipality(db, { code, name: `Q${i}` }),
        ),
      );
      for (const code of codes) expect(await getMunicipality(db, code)).toBeDefined();
    });
  });

  describe('users and sessions', () => {
    it('createUser lower-cases the e-mail and refuses a duplicate, whatever its case', async () => {
      const code = await newMunicipality();
      const email = `Raad.${randomUUID()}@Gemeente.NL`;
      const user = await createUser(db, { email, passwordHash: 'scrypt$x', role: 'council', municipalityCode: code });
      expect(user).toMatchObject({ email: email.toLowerCase(), role: 'council', municipality_code: code, disabled_at: null, last_login_at: null });
      expect(user.created_at).toBeInstanceOf(Date);
      expect((await findUserByEmail(db, email.toUpperCase()))?.id).toBe(user.id);

      const duplicate = createUser(db, { email: email.toUpperCase(), passwordHash: 'scrypt$y', role: 'admin', municipalityCode: code });
      await expect(duplicate).rejects.toBeInstanceOf(DuplicateUserError);
      await expect(duplicate).rejects.toMatchObject({ email: email.toLowerCase() });
      expect(await countUsers(db, code)).toBe(1);
      expect((await findUserByEmail(db, email))?.password_hash).toBe('scrypt$x');
    });

    it('findSession gives user and csrf token until expiry, deletion or disabling', async () => {
      const code = await newMunicipality();
      const user = await createUser(db, { email: `team.${randomUUID()}@example.nl`, passwordHash: 'h', role: 'team', municipalityCode: code });
      const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
      const tokenHash = hash(randomUUID());
      await createSession(db, { tokenHash, userId: user.id, csrfToken: 'csrf-1', expiresAt });

      const found = await findSession(db, tokenHash);
      expect(found?.user).toEqual(user);
      expect(found?.csrfToken).toBe('csrf-1');
      expect(found?.expiresAt.getTime()).toBe(expiresAt.getTime());
      expect(await findSession(db, tokenHash, new Date(expiresAt.getTime() - 1000))).toBeDefined();
      expect(await findSession(db, tokenHash, expiresAt)).toBeUndefined();
      expect(await findSession(db, tokenHash, new Date(expiresAt.getTime() + 1000))).toBeUndefined();
      expect(await findSession(db, hash('unknown'))).toBeUndefined();

      await deleteSession(db, tokenHash);
      expect(await findSession(db, tokenHash)).toBeUndefined();

      const second = hash(randomUUID());
      await createSession(db, { tokenHash: second, userId: user.id, csrfToken: 'csrf-2', expiresAt });
      expect(await findSession(db, second)).toBeDefined();
      await db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
      expect(await findSession(db, second)).toBeUndefined();
    });
  });

  describe('audit log', () => {
    it('appendAudit and listAudit round-trip details as an object, newest first', async () => {
      const code = await newMunicipality();
      const details = { fields: ['status'], count: 2, nested: { ok: true, note: null } };
      await appendAudit(db, { actor_kind: 'user', actor_id: 'u-1', action: 'signal.view', municipality_code: code, subject_type: 'signal', subject_id: 's-1', details });
      await appendAudit(db, { actor_kind: 'system', actor_id: null, action: 'retention.run', municipality_code: code, subject_type: null, subject_id: null });
      await appendAudit(db, { actor_kind: 'system', actor_id: null, action: 'elsewhere', municipality_code: await newMunicipality(), subject_type: null, subject_id: null });

      const entries = await listAudit(db, { municipalityCode: code });
      expect(entries.map((e) => e.action)).toEqual(['retention.run', 'signal.view']);
      expect(entries[1]).toMatchObject({ actor_kind: 'user', actor_id: 'u-1', subject_type: 'signal', subject_id: 's-1', details });
      expect(entries[0]?.details).toEqual({});
      expect(entries[1]?.at).toBeInstanceOf(Date);
      expect(typeof entries[1]?.id).toBe('number');
      expect(await listAudit(db, { municipalityCode: code, limit: 1 })).toHaveLength(1);
    });
  });

  describe('constraints', () => {
    it('the database rejects malformed codes and values', async () => {
      await expect(upsertMunicipality(db, { code: 'XX1', name: 'Fout' })).rejects.toThrow();
      await expect(upsertMunicipality(db, { code: 'GM12345', name: 'Fout' })).rejects.toThrow();
      const code = await newMunicipality();
      await expect(upsertWijk(db, { code: 'WK12', municipality_code: code, name: 'Fout' })).rejects.toThrow();
      await expect(upsertWijk(db, { code: `WK${code.slice(2)}99`, municipality_code: 'GM9997', name: 'Zonder gemeente' })).rejects.toThrow();
      const wijk = `WK${code.slice(2)}01`;
      await upsertWijk(db, { code: wijk, municipality_code: code, name: 'Goed' });
      await expect(upsertBuurt(db, { code: 'BU1', wijk_code: wijk, municipality_code: code, name: 'Fout' })).rejects.toThrow();
      await expect(
        upsertBuurt(db, { code: `BU${code.slice(2)}0101`, wijk_code: wijk, municipality_code: code, name: 'Negatief', inwoners: -1 }),
      ).rejects.toThrow();
      await expect(
        db
          .insertInto('users')
          .values({ id: randomUUID(), email: 'Upper@Example.nl', password_hash: 'h', role: 'admin', municipality_code: code })
          .execute(),
      ).rejects.toThrow();
      await expect(
        db
          .insertInto('users')
          .values({ id: randomUUID(), email: `x.${randomUUID()}@example.nl`, password_hash: 'h', role: 'root' as 'admin', municipality_code: code })
          .execute(),
      ).rejects.toThrow();
      const signal = await insertSignal(db, { municipalityCode: code, source: 'web', text: 't' });
      await expect(db.updateTable('signals').set({ sentiment: 2 }).where('id', '=', signal.id).execute()).rejects.toThrow();
      await expect(db.updateTable('signals').set({ status: 'lost' as 'new' }).where('id', '=', signal.id).execute()).rejects.toThrow();
      await expect(insertSignal(db, { municipalityCode: code, source: 'fax' as 'web', text: 't' })).rejects.toThrow();
      await expect(insertSignal(db, { municipalityCode: 'GM9996', source: 'web', text: 't' })).rejects.toThrow();
      // Nothing of the rejected rows was stored.
      expect(await getMunicipality(db, 'XX1')).toBeUndefined();
      expect(await listBuurten(db, code)).toEqual([]);
      expect(await getSignal(db, signal.id)).toMatchObject({ sentiment: null, status: 'new' });
    });
  });
});

describe('openDatabase (db/connect.ts)', () => {
  it('an unreachable DATABASE_URL is a DatabaseStartError naming DATABASE_URL, without the password', async () => {
    const password = 'Sup3rSecretPw';
    const error: unknown = await openDatabase({ databaseUrl: `postgres://nobody:${password}@127.0.0.1:1/x` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseStartError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('127.0.0.1:1');
    expect(message).not.toContain(password);
    expect(String((error as Error).stack)).not.toContain(password);
  });

  it('a password given as a URL parameter is not shown either', async () => {
    const password = 'Param5ecret';
    const error: unknown = await openDatabase({ databaseUrl: `postgres://nobody@127.0.0.1:1/x?password=${password}&sslpassword=${password}` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseStartError);
    expect((error as Error).message).toContain('DATABASE_URL');
    expect((error as Error).message).not.toContain(password);
  });

  it('a malformed DATABASE_URL is a DatabaseStartError without the password', async () => {
    const password = 'An0therSecret';
    const error: unknown = await openDatabase({ databaseUrl: `postgres://nobody:${password}@127.0.0.1:notaport/x` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseStartError);
    expect((error as Error).message).toContain('DATABASE_URL');
    expect((error as Error).message).not.toContain(password);
    expect(JSON.stringify((error as Error).cause)).not.toContain(password);
  });

  it('a DATA_DIR that cannot be a folder is a DatabaseStartError naming DATA_DIR', async () => {
    const data = createDataDir();
    try {
      const file = join(data.dir, 'a-file');
      writeFileSync(file, 'not a folder');
      const error: unknown = await openDatabase({ dataDir: join(file, 'data') }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseStartError);
      expect((error as Error).message).toContain('DATA_DIR');
      expect((error as Error).message).toContain(join(file, 'data'));
    } finally {
      data.drop();
    }
  });

  it('no DATA_DIR and no DATABASE_URL is a DatabaseStartError naming DATA_DIR', async () => {
    await expect(openDatabase({})).rejects.toThrow(DatabaseStartError);
    await expect(openDatabase({ dataDir: '' })).rejects.toThrow(/DATA_DIR/);
  });

  it('refuses a DATA_DIR locked by another live process, and leaves its lock alone', async () => {
    const data = createDataDir();
    try {
      const lock = join(data.dir, 'wijkstem.lock');
      writeFileSync(lock, String(process.ppid));
      const error: unknown = await openDatabase({ dataDir: data.dir }).then(
        async (opened) => {
          await opened.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseStartError);
      expect((error as Error).message).toContain(`in use by process ${process.ppid}`);
      expect((error as Error).message).toContain(data.dir);
      expect((error as Error).message).toContain('DATA_DIR');
      expect(readFileSync(lock, 'utf8')).toBe(String(process.ppid));
    } finally {
      data.drop();
    }
  });

  it('takes over a lock left by a process that is gone, and removes its own lock on close', async () => {
    const data = createDataDir();
    try {
      const lock = join(data.dir, 'wijkstem.lock');
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      writeFileSync(lock, gone.stdout);
      const opened = await openDatabase({ dataDir: data.dir });
      try {
        expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
        expect(await listMunicipalities(opened.db)).toEqual([]);
      } finally {
        await opened.close();
      }
      expect(existsSync(lock)).toBe(false);
    } finally {
      data.drop();
    }
  });

  it('refuses a second open of a DATA_DIR this process already has open', async () => {
    const data = createDataDir();
    let first: OpenDatabase | undefined;
    try {
      first = await openDatabase({ dataDir: data.dir });
      const error: unknown = await openDatabase({ dataDir: data.dir }).then(
        async (opened) => {
          await opened.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseStartError);
      expect((error as Error).message).toContain('already open in this process');
      // The first is unharmed: still locked, still working.
      expect(readFileSync(join(data.dir, 'wijkstem.lock'), 'utf8')).toBe(String(process.pid));
      await upsertMunicipality(first.db, { code: 'GM0001', name: 'Een' });
      expect(await getMunicipality(first.db, 'GM0001')).toBeDefined();
    } finally {
      await first?.close();
      data.drop();
    }
  });

  it('closing twice is harmless and does not release a lock someone else now holds', async () => {
    const data = createDataDir();
    try {
      const first = await openDatabase({ dataDir: data.dir });
      await first.close();
      const second = await openDatabase({ dataDir: data.dir });
      try {
        await first.close();
        expect(readFileSync(join(data.dir, 'wijkstem.lock'), 'utf8')).toBe(String(process.pid));
        await expect(openDatabase({ dataDir: data.dir })).rejects.toThrow(DatabaseStartError);
      } finally {
        await second.close();
      }
    } finally {
      data.drop();
    }
  });

  it.runIf(databaseKinds.includes('postgres'))('opens PostgreSQL from a DATABASE_URL and migrates it', async () => {
    const created = await createPostgresDatabase();
    try {
      const opened = await openDatabase({ databaseUrl: created.url, migrate: false });
      try {
        expect(opened.kind).toBe('postgres');
        expect(await migrateToLatest(opened.db as unknown as Kysely<unknown>)).toEqual(migrationNames);
        expect(await migrateToLatest(opened.db as unknown as Kysely<unknown>)).toEqual([]);
      } finally {
        await opened.close();
      }
    } finally {
      await created.drop();
    }
  });

  it('migrate: false leaves an embedded database empty until migrateToLatest runs', async () => {
    const data = createDataDir();
    try {
      const opened = await openDatabase({ dataDir: data.dir, migrate: false });
      try {
        expect(opened.kind).toBe('pglite');
        expect(await migrateToLatest(opened.db as unknown as Kysely<unknown>)).toEqual(migrationNames);
        expect(await migrateToLatest(opened.db as unknown as Kysely<unknown>)).toEqual([]);
      } finally {
        await opened.close();
      }
    } finally {
      data.drop();
    }
  });
});
