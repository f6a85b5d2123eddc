/**
 * Privacy in the web app (issue 7), on each database kind through app.request(): the public data-processing page
 * generated from the configuration and municipality settings, in Dutch and English; and the administrators'
 * privacy page: right of access by a signal's reference (audited lookups and downloads, own municipality only),
 * erasure at a request made elsewhere, and the retention periods.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../db/database.ts';
import type { ResidentDataExport } from '../db/repositories/access.ts';
import { databaseKinds, type TestDatabase } from './support/databases.ts';
import { startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

describe.each(databaseKinds)('privacy pages on %s', (kind) => {
  let shared: DashboardApp;
  let database: TestDatabase;
  let users: Record<string, User> = {};
  const audits = (action: string) => database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  /** A resident with a conversation, two messages and a signal, made directly. */
  const resident = async (municipalityCode = 'GM0479') => {
    const id = randomUUID();
    const conversation = randomUUID();
    const reference = `WS-${'23456789ABCDEFGHJKMNPQRSTUVWXYZ'[Math.floor(Math.random() * 31)] ?? '2'}${randomUUID().replace(/[^2-9]/g, '').padEnd(5, '2').slice(0, 5)}`;
    await database.db.insertInto('residents').values({ id, municipality_code: municipalityCode, channel: 'whatsapp', channel_key_hash: `hash-${id}`, contact: '31655555555', age_band: '45_65', last_seen_at: new Date() }).execute();
    await database.db.insertInto('conversations').values({ id: conversation, resident_id: id, municipality_code: municipalityCode, channel: 'whatsapp', state: 'listening', updated_at: new Date() }).execute();
    for (const [direction, text] of [['in', 'Mijn zoon Bram wacht al een jaar op jeugdzorg.'], ['out', 'Dank je wel.']] as const) {
      await database.db.insertInto('messages').values({ id: randomUUID(), conversation_id: conversation, resident_id: id, municipality_code: municipalityCode, channel: 'whatsapp', direction, kind: 'text', text, status: direction === 'in' ? 'received' : 'sent' }).execute();
    }
    const signal = randomUUID();
    await database.db
      .insertInto('signals')
      .values({ id: signal, municipality_code: municipalityCode, reference, source: 'whatsapp', resident_id: id, conversation_id: conversation, text_raw: 'Mijn zoon Bram wacht al een jaar op jeugdzorg.', text_redacted: 'Mijn zoon [naam] wacht al een jaar op jeugdzorg.', status: 'analysed' })
      .execute();
    return { id, reference, signal };
  };

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['admin@wormerland.test', 'admin', 'GM0880'],
      ],
      workers: false,
      http: { whatsapp: { verifyToken: 'v', appSecret: 's' }, retention: { messagesDays: 45, contactDays: 400 } },
    });
    ({ database, users } = shared);
  });
  afterAll(() => shared.close());

  describe('the public data-processing page', () => {
    it('says what is kept, why, how long and who sees it, from the configuration, in Dutch and English', async () => {
      const nl = await shared.request('/privacy');
      expect(nl.status).toBe(200);
      const page = await nl.text();
      expect(page).toContain('<html lang="nl"');
      expect(page).toContain('Wat doet Zaanstad met je verhaal?');
      expect(page).toContain('45 dagen, daarna wissen we de tekst');
      expect(page).toContain('Tot 400 dagen zonder contact');
      expect(page).toContain('Meta');
      expect(page).toContain('geen taalmodel');
      expect(page).toContain('verwijder mijn gegevens');

      const en = await (await shared.request('/privacy?gemeente=GM0479&lang=en')).text();
      expect(en).toContain('<html lang="en"');
      expect(en).toContain('What does Zaanstad do with your story?');
      expect(en).toContain('45 days, then the text is deleted');
      expect(en).toContain('delete my data');
    });

    it('follows the municipality’s own settings and falls back for an unknown code', async () => {
      await database.db.updateTable('municipalities').set({ settings: JSON.stringify({ retention: { messagesDays: 7, contactDays: 90 } }) }).where('code', '=', 'GM0880').execute();
      const wormerland = await (await shared.request('/privacy?gemeente=gm0880')).text();
      expect(wormerland).toContain('Wat doet Wormerland met je verhaal?');
      expect(wormerland).toContain('7 dagen, daarna wissen we de tekst');
      expect(wormerland).toContain('Tot 90 dagen zonder contact');
      const unknown = await (await shared.request('/privacy?gemeente=<script>')).text();
      expect(unknown).toContain('Wat doet Zaanstad met je verhaal?');
      expect(unknown).not.toContain('<script>');
    });
  });

  describe('access and erasure on request (/dashboard/beheer/inzage)', () => {
    it('is for administrators only: others are refused and logged', async () => {
      const team = await shared.loggedIn('team@zaanstad.test');
      expect((await shared.get('/dashboard/beheer/inzage', team)).status).toBe(403);
      expect((await audits('access.refused')).at(-1)).toMatchObject({ actor_id: users['team@zaanstad.test']?.id, details: expect.objectContaining({ path: '/dashboard/beheer/inzage' }) as unknown });
      const { cookie } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/inzage');
      // No CSRF token: refused before anything is looked up.
      expect((await shared.post('/dashboard/beheer/inzage/zoeken', new URLSearchParams({ reference: 'WS-222222' }), cookie)).status).toBe(403);
      expect(await audits('resident.access-lookup')).toEqual([]);
    });

    it('finds a resident by reference in the own municipality only, audits every lookup, and downloads everything as JSON', async () => {
      const r = await resident();
      const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/inzage');
      const form = (fields: Record<string, string>) => new URLSearchParams({ csrf, ...fields });

      const bad = await shared.post('/dashboard/beheer/inzage/zoeken', form({ reference: 'drop table' }), cookie);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Vul een code in zoals WS-7K3P9Q.');

      const found = await shared.post('/dashboard/beheer/inzage/zoeken', form({ reference: r.reference.toLowerCase() }), cookie);
      expect(found.status).toBe(200);
      const page = await found.text();
      expect(page).toMatch(/id="count-signals">1</);
      expect(page).toMatch(/id="count-messages">2</);
      // Counts only on the page: the resident's words are in the download.
      expect(page).not.toContain('Bram');
      expect((await audits('resident.access-lookup')).at(-1)).toMatchObject({ actor_id: users['admin@zaanstad.test']?.id, subject_id: r.id, details: { reference: r.reference, found: true } });

      // Another municipality's administrator finds nothing, and that lookup is logged too.
      const other = await shared.session('admin@wormerland.test', '/dashboard/beheer/inzage');
      const elsewhere = await shared.post('/dashboard/beheer/inzage/zoeken', new URLSearchParams({ csrf: other.csrf, reference: r.reference }), other.cookie);
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.text()).not.toContain('count-signals');
      expect((await audits('resident.access-lookup')).at(-1)).toMatchObject({ actor_id: users['admin@wormerland.test']?.id, subject_id: null, details: { found: false } });

      const download = await shared.post('/dashboard/beheer/inzage/downloaden', form({ reference: r.reference }), cookie);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="wijkstem-gegevens-${r.reference}.json"`);
      expect(download.headers.get('cache-control')).toBe('no-store');
      const data = (await download.json()) as ResidentDataExport;
      expect(data.format).toBe('wijkstem.resident-data/1');
      expect(data.resident).toMatchObject({ id: r.id, contact: '31655555555', age_band: '45_65', pseudonymous: true });
      expect(data.resident).not.toHaveProperty('channel_key_hash');
      expect(data.messages.map((m) => m.text)).toEqual(['Mijn zoon Bram wacht al een jaar op jeugdzorg.', 'Dank je wel.']);
      expect(data.signals).toEqual([expect.objectContaining({ reference: r.reference, text_raw: 'Mijn zoon Bram wacht al een jaar op jeugdzorg.', text_redacted: 'Mijn zoon [naam] wacht al een jaar op jeugdzorg.' })]);
      expect(data.history.map((h) => h.action)).toContain('resident.access-lookup');
      expect(data.feedback).toEqual([]);
      expect((await audits('resident.access-export')).at(-1)).toMatchObject({ subject_id: r.id });
      expect((await audits('signals.view')).at(-1)?.details).toMatchObject({ view: 'resident.access-export', signal_ids: [r.signal] });
    });

    it('erases at a request made elsewhere only when confirmed, everywhere, and logs who did it', async () => {
      const r = await resident();
      const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/inzage');
      const unconfirmed = await shared.post('/dashboard/beheer/inzage/wissen', new URLSearchParams({ csrf, reference: r.reference }), cookie);
      expect(unconfirmed.status).toBe(400);
      expect(await unconfirmed.text()).toContain('Vink aan dat de inwoner dit vroeg');
      expect(await database.db.selectFrom('signals').select('id').where('resident_id', '=', r.id).execute()).toHaveLength(1);

      const erased = await shared.post('/dashboard/beheer/inzage/wissen', new URLSearchParams({ csrf, reference: r.reference, confirm: 'yes' }), cookie);
      expect(erased.status).toBe(200);
      expect(await erased.text()).toContain('Gewist: 1 signalen');
      for (const table of ['signals', 'messages', 'conversations'] as const) {
        expect(await database.db.selectFrom(table).select('id').where('resident_id', '=', r.id).execute()).toEqual([]);
      }
      expect(await database.db.selectFrom('residents').select(['contact', 'age_band']).where('id', '=', r.id).executeTakeFirstOrThrow()).toEqual({ contact: null, age_band: null });
      expect((await audits('resident.erased')).at(-1)).toMatchObject({ actor_kind: 'user', actor_id: users['admin@zaanstad.test']?.id, subject_id: r.id, details: expect.objectContaining({ signals: 1, messages: 2 }) as unknown });
      // The reference no longer leads anywhere.
      expect((await shared.post('/dashboard/beheer/inzage/zoeken', new URLSearchParams({ csrf, reference: r.reference }), cookie)).status).toBe(404);
    });

    it('sets the municipality’s retention periods, refuses bad values, and the public page follows', async () => {
      const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/inzage');
      const page = await (await shared.get('/dashboard/beheer/inzage', cookie)).text();
      expect(page).toContain('value="45"');
      const bad = await shared.post('/dashboard/beheer/inzage/bewaren', new URLSearchParams({ csrf, messagesDays: '0', contactDays: 'altijd' }), cookie);
      expect(bad.status).toBe(400);
      expect((await bad.text()).match(/Vul een heel aantal dagen in/g)?.length).toBeGreaterThanOrEqual(2);
      const saved = await shared.post('/dashboard/beheer/inzage/bewaren', new URLSearchParams({ csrf, messagesDays: '14', contactDays: '180' }), cookie);
      expect(saved.status).toBe(200);
      const settings = await database.db.selectFrom('municipalities').select('settings').where('code', '=', 'GM0479').executeTakeFirstOrThrow();
      expect(settings.settings.retention).toEqual({ messagesDays: 14, contactDays: 180 });
      expect((await audits('privacy.retention-settings')).at(-1)?.details).toEqual({ before: { messagesDays: 45, contactDays: 400 }, after: { messagesDays: 14, contactDays: 180 } });
      expect(await (await shared.request('/privacy')).text()).toContain('14 dagen, daarna wissen we de tekst');
    });
  });
});
