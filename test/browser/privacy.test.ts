/**
 * The public data-processing page and the administrators' privacy page in Debian's chromium: axe-core (WCAG 2.1 A
 * and AA) finds nothing in Dutch and English, on a desktop and on a 390 px phone with no sideways scroll; the
 * language switch and the lookup form work from the keyboard.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoSidewaysScroll, logIn, newPage, openBrowserDashboard, phone, type BrowserDashboard } from '../support/browser.ts';
import { chromiumPath } from '../support/services.ts';

let browser: Browser | undefined;
let served: { url: string; stop: () => Promise<void> } | undefined;
let dashboard: BrowserDashboard | undefined;
const password = 'correct horse battery staple';
const reference = 'WS-7K3P9Q';

beforeAll(async () => {
  if (!chromiumPath) return;
  dashboard = await openBrowserDashboard([['admin@zaanstad.test', 'admin']], password, async (db) => {
    const id = randomUUID();
    await db.insertInto('residents').values({ id, municipality_code: 'GM0479', channel: 'web', channel_key_hash: `hash-${id}`, last_seen_at: new Date() }).execute();
    await db.insertInto('signals').values({ id: randomUUID(), municipality_code: 'GM0479', reference, source: 'web', resident_id: id, text_raw: 'De lift is kapot.', text_redacted: 'De lift is kapot.', status: 'analysed' }).execute();
  });
  ({ browser, served } = dashboard);
});

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!chromiumPath)('privacy pages in chromium', { timeout: 60_000 }, () => {
  it('the public page: no axe violations in Dutch and English, on a phone without sideways scroll', async () => {
    if (!browser || !served) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await page.goto(`${served.url}/privacy`);
    expect(await page.locator('h1').innerText()).toBe('Wat doet Zaanstad met je verhaal?');
    await expectNoAxeViolations(page, 'the privacy page in Dutch');
    // Keyboard: the language switch is the first link after the skip link.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=en/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectNoAxeViolations(page, 'the privacy page in English');
    await context.close();

    const mobile = await newPage(browser, phone);
    await mobile.page.goto(`${served.url}/privacy`);
    await expectNoSidewaysScroll(mobile.page, 390, 'the privacy page on a phone');
    await expectNoAxeViolations(mobile.page, 'the privacy page on a phone');
    await mobile.context.close();
  });

  it('the administrators’ privacy page: no axe violations before and after a lookup', async () => {
    if (!browser || !served) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, served.url, 'admin@zaanstad.test', password);
    await page.goto(`${served.url}/dashboard/beheer/inzage`);
    await expectNoAxeViolations(page, 'the privacy administration page');
    await page.getByLabel('Code van het signaal').fill(reference.toLowerCase());
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.locator('#count-signals').waitFor();
    expect(await page.locator('#count-signals').innerText()).toBe('1');
    await expectNoAxeViolations(page, 'a found resident');
    // A bad value: the error is linked to its field.
    await page.getByLabel('Dagen dat we de letterlijke tekst van berichten bewaren').fill('0');
    await page.getByRole('button', { name: 'Bewaartermijnen opslaan' }).click();
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#retention-messages').getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page, 'the retention form with an error');
    await context.close();
  });
});
