/**
 * The administrators' bot texts page in Debian's chromium: axe-core (WCAG 2.1 A and AA) finds nothing in Dutch and
 * English, also with an error on the page and on a 390 px phone; a text saved from the keyboard shows in its preview.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoSidewaysScroll, logIn, newPage, openBrowserDashboard, phone, type BrowserDashboard } from '../support/browser.ts';
import { chromiumPath } from '../support/services.ts';

let browser: Browser | undefined;
let served: { url: string; stop: () => Promise<void> } | undefined;
let dashboard: BrowserDashboard | undefined;
const password = 'correct horse battery staple';

beforeAll(async () => {
  if (!chromiumPath) return;
  dashboard = await openBrowserDashboard([['admin@zaanstad.test', 'admin']], password);
  ({ browser, served } = dashboard);
});

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!chromiumPath)('bot texts page in chromium', { timeout: 120_000 }, () => {
  it('has no axe violations in Dutch and English, with an error, and on a phone; a saved text shows in its preview', async () => {
    if (!browser || !served) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, served.url, 'admin@zaanstad.test', password);
    await page.goto(`${served.url}/dashboard/beheer`);
    await page.locator('#bot-texts-link').click();
    await page.waitForURL(/\/dashboard\/beheer\/bot$/);
    expect(await page.locator('h1').innerText()).toBe('Teksten van de chatbot');
    await expectNoAxeViolations(page, 'the bot texts page');

    // Save a text from the keyboard: type, then Tab to the form's own button (past the preview and the English field).
    const field = page.locator('#text-askAge-nl');
    await field.fill('Hoe oud ben jij?');
    await page.locator('#text-askAge button[type=submit]').focus();
    await page.keyboard.press('Enter');
    await page.locator('#text-saved').waitFor();
    expect(await page.locator('#text-askAge-nl-preview').innerText()).toBe('Hoe oud ben jij?');

    // A text without its placeholder: the error summary links to the field, which says what is wrong.
    await page.locator('#text-storyThanks-nl').fill('Dank je wel voor je verhaal.');
    await page.locator('#text-storyThanks button[type=submit]').click();
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#text-storyThanks-nl').getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page, 'the bot texts page with an error');

    await page.goto(`${served.url}/dashboard/beheer/bot?lang=en`);
    expect(await page.locator('h1').innerText()).toBe('Chatbot texts');
    await expectNoAxeViolations(page, 'the bot texts page in English');
    await context.close();

    const mobile = await newPage(browser, phone);
    await logIn(mobile.page, served.url, 'admin@zaanstad.test', password);
    await mobile.page.goto(`${served.url}/dashboard/beheer/bot`);
    await expectNoSidewaysScroll(mobile.page, 390, 'the bot texts page on a phone');
    await mobile.context.close();
  });
});
