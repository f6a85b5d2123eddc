/**
 * Bot texts and the WhatsApp template registry edited by an administrator on /dashboard/beheer/bot, on each database
 * kind: every text key is listed with its default; a change is checked (placeholders stay, WhatsApp's lengths),
 * audited, and the very next reply on the web chat and on WhatsApp uses it; only administrators, only their own
 * municipality.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../bot/conversation-service.ts';
import { storeDelivery } from '../bot/channels/whatsapp/store.ts';
import { templateFor } from '../bot/channels/whatsapp/outbound.ts';
import { textKeys } from '../bot/conversation/text-rules.ts';
import { invalidateBotCaches, municipalityForNumber } from '../bot/gazetteer-cache.ts';
import { defaultTexts } from '../bot/conversation/texts.ts';
import { getMunicipality } from '../db/repositories/municipalities.ts';
import { databaseKinds } from './support/databases.ts';
import { logger, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

describe.each(databaseKinds)('bot texts on %s', (kind) => {
  let shared: DashboardApp;
  const audits = (action: string) => shared.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
  const settingsOf = async (code: string) => (await getMunicipality(shared.database.db, code))?.settings ?? {};
  const saveText = async (key: string, nl: string, en = '') => {
    const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/bot');
    return shared.post('/dashboard/beheer/bot/tekst', new URLSearchParams({ csrf, key, nl, en }), cookie);
  };
  /** The first reply to a new web chat resident, as the page's script receives it. */
  const webReply = async () => {
    const response = await shared.post('/chat', new URLSearchParams({ text: 'De bus rijdt niet meer naar onze wijk.' }), '', { accept: 'application/json' });
    const view = (await response.json()) as { lines: { direction: string; text: string }[] };
    return view.lines.filter((l) => l.direction === 'out').map((l) => l.text).join('\n');
  };
  /** The first reply to a new WhatsApp resident: stored as the webhook stores it, then its turn as the job runs it. */
  const whatsappReply = async () => {
    const who = `3165${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const [stored] = await storeDelivery(shared.database.db, [
      { municipalityCode: 'GM0479', residentKey: `key-${who}`, contact: who, externalId: `ext-${who}`, content: { kind: 'text', text: 'De stoep is kapot.' } },
    ]);
    const [handled] = await runTurn({ db: shared.database.db, queue: shared.queue, logger, pseudonymKey: 'k'.repeat(32) }, stored?.id ?? '');
    return handled?.reply?.text ?? '';
  };

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['admin@wormerland.test', 'admin', 'GM0880'],
      ],
    });
  });
  afterAll(() => shared.close());

  it('lists every text key in Dutch and English with its default, and the template registry', async () => {
    const page = await (await shared.get('/dashboard/beheer/bot', await shared.loggedIn('admin@zaanstad.test'))).text();
    for (const key of textKeys) {
      expect(page, key).toContain(`id="text-${key}-nl"`);
      expect(page, key).toContain(`id="text-${key}-en"`);
    }
    expect(page).toContain('Standaard (Nederlands): Hoe oud ben je?');
    expect(page).toContain('WhatsApp-sjablonen');
    // Reached from the administration page.
    expect(await (await shared.get('/dashboard/beheer', await shared.loggedIn('admin@zaanstad.test'))).text()).toContain('href="/dashboard/beheer/bot"');
  });

  it('a changed text is used by the next reply, on the web chat and on WhatsApp, and audited', async () => {
    expect(await webReply()).toContain(defaultTexts.nl.consentQuestion);
    const own = 'Mogen we jouw verhaal bewaren en gebruiken? Je kunt het altijd laten wissen.';
    const response = await saveText('consentQuestion', own);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('id="text-saved"');
    expect(await webReply()).toContain(own);
    expect(await whatsappReply()).toContain(own);
    expect((await settingsOf('GM0479')).botTexts).toEqual({ nl: { consentQuestion: own } });
    expect(await audits('bot.text.update')).toHaveLength(1);
    expect((await audits('bot.text.update'))[0]).toMatchObject({ subject_id: 'consentQuestion', municipality_code: 'GM0479' });
    // Another municipality is not affected.
    expect((await settingsOf('GM0880')).botTexts).toBeUndefined();

    // An empty field brings the default back.
    expect((await saveText('consentQuestion', '')).status).toBe(200);
    expect(await webReply()).toContain(defaultTexts.nl.consentQuestion);
  });

  it('refuses a text that drops a placeholder, adds an unknown one or is too long for WhatsApp; nothing is stored', async () => {
    const before = await settingsOf('GM0479');
    const dropped = await saveText('storyThanks', 'Dank je wel voor je verhaal.');
    expect(dropped.status).toBe(400);
    const page = await dropped.text();
    expect(page).toContain('{reference} ontbreekt');
    expect(page).toContain('aria-invalid="true"');
    expect((await saveText('askAge', 'Hoe oud ben je, {naam}?')).status).toBe(400);
    // A button: at most 20 characters (21 here); a body: at most 1,024.
    expect((await saveText('consentYes', 'Ja, dat vind ik prima')).status).toBe(400);
    expect((await saveText('askStory', 'x'.repeat(1025))).status).toBe(400);
    expect((await saveText('nietBestaand', 'hallo')).status).toBe(400);
    expect(await settingsOf('GM0479')).toEqual(before);
    // Exactly at the limit is fine.
    expect((await saveText('consentYes', 'Ja, dat vind ik fijn')).status).toBe(200);
  });

  it('only administrators, of their own municipality', async () => {
    expect((await shared.get('/dashboard/beheer/bot', await shared.loggedIn('team@zaanstad.test'))).status).toBe(403);
    const { cookie, csrf } = await shared.session('team@zaanstad.test', '/dashboard');
    expect((await shared.post('/dashboard/beheer/bot/tekst', new URLSearchParams({ csrf, key: 'askAge', nl: 'Leeftijd?' }), cookie)).status).toBe(403);
    // Wormerland's administrator changes Wormerland's texts only.
    const other = await shared.session('admin@wormerland.test', '/dashboard/beheer/bot');
    expect((await shared.post('/dashboard/beheer/bot/tekst', new URLSearchParams({ csrf: other.csrf, key: 'askAge', nl: 'Wat is je leeftijd?' }), other.cookie)).status).toBe(200);
    expect(((await settingsOf('GM0479')).botTexts as { nl: Record<string, string> }).nl.askAge).toBeUndefined();
    expect(((await settingsOf('GM0880')).botTexts as { nl: Record<string, string> }).nl.askAge).toBe('Wat is je leeftijd?');
  });

  it('routes a business number by the cached settings, and sees a change once the cache is invalidated', async () => {
    const db = shared.database.db;
    expect(await municipalityForNumber(db, '5550001', 'GM0479')).toBe('GM0479');
    const settings = await settingsOf('GM0880');
    await db.updateTable('municipalities').set({ settings: JSON.stringify({ ...settings, whatsappPhoneNumberId: '5550001' }) }).where('code', '=', 'GM0880').execute();
    // Cached (for at most 30 s): a change made elsewhere is not seen yet…
    expect(await municipalityForNumber(db, '5550001', 'GM0479')).toBe('GM0479');
    // …and at once after an invalidation, which the settings pages of this process do.
    invalidateBotCaches();
    expect(await municipalityForNumber(db, '5550001', 'GM0479')).toBe('GM0880');
    expect(await municipalityForNumber(db, undefined, 'GM9999')).toBeUndefined();
  });

  it('registers a template; one marked not approved is not used outside the 24-hour window', async () => {
    const { cookie, csrf } = await shared.session('admin@zaanstad.test', '/dashboard/beheer/bot');
    const save = (fields: Record<string, string>) => shared.post('/dashboard/beheer/bot/sjabloon', new URLSearchParams({ csrf, ...fields }), cookie);
    expect((await save({ purpose: 'feedback', name: 'Not Valid!', languages: 'nl' })).status).toBe(400);
    expect((await save({ purpose: 'feedback', name: 'wijkstem_terugkoppeling', languages: 'nl en', parameters: 'naam van de wijk, datum', approved: 'yes' })).status).toBe(200);
    const page = await (await shared.get('/dashboard/beheer/bot', cookie)).text();
    expect(page).toContain('<code>wijkstem_terugkoppeling</code>');
    expect(page).toContain('naam van de wijk, datum');
    expect(templateFor(await settingsOf('GM0479'), 'feedback', 'en')).toEqual({ name: 'wijkstem_terugkoppeling', language: 'en', parameters: 2 });
    // Unchecked "approved": kept in the registry, never sent.
    expect((await save({ purpose: 'feedback', name: 'wijkstem_terugkoppeling', languages: 'nl en' })).status).toBe(200);
    expect(templateFor(await settingsOf('GM0479'), 'feedback', 'nl')).toBeUndefined();
    expect(await audits('bot.template.update')).toHaveLength(2);
  });
});
