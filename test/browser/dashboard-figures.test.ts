/**
 * Slice 2 of the dashboard in Debian's chromium: the overview (SVG chart with its table), who is heard and the
 * review queue, at a phone's 390 px and at desktop width, with axe-core finding no WCAG 2.1 A/AA violation and no
 * sideways scrolling on the phone; a council member corrects a signal in the review queue with the keyboard-usable
 * form. The app is served in this process on PGlite, seeded with analysed signals directly.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../dashboards/auth/password.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { findOrCreateResident } from '../../db/repositories/residents.ts';
import { insertSignal, storeAnalysis } from '../../db/repositories/signals.ts';
import { createUser } from '../../db/repositories/users.ts';
import { expectNoAxeViolations, launchChromium, logIn as logInAs, serveInProcess } from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { chromiumPath } from '../support/services.ts';

const email = 'raad@zaanstad.test';
const password = 'correct horse battery staple';

describe.skipIf(!chromiumPath)('dashboard figures and review in chromium', () => {
  let browser: Browser | undefined;
  let database: TestDatabase | undefined;
  let server: { url: string; stop: () => Promise<void> } | undefined;
  let url = '';

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const db = database.db;
    await importGazetteerFile(db, demoGazetteerPath, { demo: true });
    await createUser(db, { email, passwordHash: await hashPassword(password), role: 'council', municipalityCode: 'GM0479' });
    const wijken = ['WK047901', 'WK047902', 'WK047903', 'WK047904'];
    // 64 signals over 8 weeks from 12 residents and 8 street notes, a few unsure, one urgent.
    for (let i = 0; i < 64; i++) {
      let residentId: string | null = null;
      if (i % 5 !== 0) {
        const resident = await findOrCreateResident(db, { municipalityCode: 'GM0479', channel: 'web', channelKeyHash: `r-${i % 12}` });
        await db
          .updateTable('residents')
          .set({ age_band: (['15_25', '25_45', '45_65', '65_plus'] as const)[i % 4] ?? null, role: (['client', 'carer', 'resident'] as const)[i % 3] ?? null })
          .where('id', '=', resident.id)
          .execute();
        residentId = resident.id;
      }
      const text = `Signaal ${i}: de bus naar het gezondheidscentrum rijdt niet meer <script>x</script>`;
      const signal = await insertSignal(db, { municipalityCode: 'GM0479', source: residentId ? 'web' : 'street', text, residentId });
      await storeAnalysis(db, signal.id, {
        language: 'nl',
        textRedacted: text,
        domains: [{ key: (['vervoer', 'wonen', 'zorg', 'geld'] as const)[i % 4] ?? 'vervoer', confidence: 0.8 }],
        review: i % 13 === 0,
        wijkCode: wijken[i % 4] ?? null,
        buurtCode: null,
        sentiment: -0.3,
        urgent: i === 7,
      });
      await sql`update signals set received_at = ${new Date(Date.UTC(2026, 1, 2 + Math.floor(i / 8) * 7, 10))} where id = ${signal.id}`.execute(db);
    }
    server = await serveInProcess(db);
    url = server.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  const logIn = (page: Page) => logInAs(page, url, email, password);

  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    it(`overview, who is heard and review pass axe at ${viewport.width} px`, async () => {
      if (!browser) throw new Error('not started');
      const phone = viewport.width < 500;
      const context = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await logIn(page);
      const pages: [string, string][] = [
        ['/dashboard', 'Overzicht van Zaanstad'],
        ['/dashboard?domein=vervoer&van=2026-02-01', 'Overzicht van Zaanstad'],
        ['/dashboard/wie', 'Wie horen we, en wie niet?'],
        ['/dashboard/beoordelen', 'Signalen om te beoordelen'],
        ['/dashboard?van=kapot', 'Overzicht van Zaanstad'],
      ];
      for (const [path, heading] of pages) {
        await page.goto(`${url}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await expectNoAxeViolations(page, `${path} at ${viewport.width} px`);
        if (phone) expect(Number(await page.evaluate('document.documentElement.scrollWidth')), `${path} scrolls sideways`).toBeLessThanOrEqual(390);
      }
      await page.goto(`${url}/dashboard`);
      expect(await page.getByRole('img', { name: /Signalen per week/ }).count()).toBe(1);
      expect(await page.locator('rect.chart__bar').count()).toBeGreaterThan(0);
      expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
      await context.close();
    });
  }

  it('a council member corrects a signal in the review queue', async () => {
    if (!browser) throw new Error('not started');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Beoordelen' }).click();
    await page.waitForURL(`${url}/dashboard/beoordelen`);
    const first = page.locator('article.review-item').first();
    // Urgent first.
    expect(await first.innerText()).toContain('Urgent');
    const reference = (await first.locator('h2').innerText()).match(/WS-[2-9A-Z]{6}/)?.[0] ?? '';
    await first.getByLabel('Mantelzorg').check();
    await first.getByLabel('Wijk').selectOption({ label: 'Kogerveld' });
    await first.getByRole('button', { name: /Opslaan/ }).click();
    await page.locator('#review-saved').waitFor();
    expect(await page.locator('#review-saved').innerText()).toBe(`De beoordeling van ${reference} is opgeslagen.`);
    expect(await page.locator('#accuracy-total').innerText()).toBe('1 van de 1 beoordelingen veranderden iets.');
    await expectNoAxeViolations(page, 'the review queue after saving');
    await context.close();
  });
});
